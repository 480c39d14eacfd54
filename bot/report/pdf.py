"""PDF through LibreOffice, where it is installed; a clear message where it is not."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

INSTALL_HINT = (
    "PDF needs LibreOffice and a CJK font. On Debian/Ubuntu: "
    "sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk "
    "(then run the same command again). The DOCX was written and can be converted by hand."
)


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed, or the conversion failed."""


def soffice() -> str | None:
    """The LibreOffice executable, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(docx_path: Path, timeout: float = 180) -> Path:
    """Convert a DOCX to a PDF beside it with `soffice --headless`; return the PDF's path."""
    exe = soffice()
    if exe is None:
        raise PdfUnavailable(INSTALL_HINT)
    # A private profile: a desktop LibreOffice that is open, or a parallel run, would block us.
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless"]
        cmd += ["--convert-to", "pdf", "--outdir", str(docx_path.parent), str(docx_path)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(f"LibreOffice did not finish within {timeout:.0f} s") from None
    pdf = docx_path.with_suffix(".pdf")
    if done.returncode != 0 or not pdf.is_file():
        raise PdfUnavailable(f"LibreOffice failed ({done.returncode}): {done.stderr.strip()}")
    return pdf
