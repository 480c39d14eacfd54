"""PDF and ODT through LibreOffice, where it is installed; a clear message where it is not."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pypdf import PdfReader

INSTALL_HINT = (
    "PDF and ODT need LibreOffice and a Traditional Chinese font. On Debian/Ubuntu: "
    "sudo apt-get install libreoffice-writer-nogui fonts-arphic-ukai fonts-noto-cjk "
    "(then run the same command again). The DOCX was written and can be converted by hand."
)
_SPACE = re.compile(r"\s+")


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed, or the conversion failed."""


def soffice() -> str | None:
    """The LibreOffice executable, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(docx_path: Path, fmt: Literal["pdf", "odt"], timeout: float = 180) -> Path:
    """Convert a DOCX to PDF or ODT beside it with `soffice --headless`; return its path."""
    exe = soffice()
    if exe is None:
        raise PdfUnavailable(INSTALL_HINT)
    # A private profile: a desktop LibreOffice that is open, or a parallel run, would block us.
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless"]
        cmd += ["--convert-to", fmt, "--outdir", str(docx_path.parent), str(docx_path)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(f"LibreOffice did not finish within {timeout:.0f} s") from None
    out = docx_path.with_suffix("." + fmt)
    if done.returncode != 0 or not out.is_file():
        raise PdfUnavailable(f"LibreOffice failed ({done.returncode}): {done.stderr.strip()}")
    return out


def convert_to_pdf(docx_path: Path, timeout: float = 180) -> Path:
    """Convert a DOCX to a PDF beside it; return the PDF's path."""
    return convert(docx_path, "pdf", timeout)


def page_texts(pdf: Path) -> list[str]:
    """The text of each page, in order."""
    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


def page_count(pdf: Path) -> int:
    """How many pages the PDF has."""
    return len(PdfReader(pdf).pages)


def heading_pages(pages: Sequence[str], headings: Sequence[str], first: int) -> list[int | None]:
    """The page number (1-based) each heading starts on, searching in order from page `first`.

    Spacing is ignored on both sides: the text layer breaks lines where the page does."""
    flat = [_SPACE.sub("", text) for text in pages]
    out: list[int | None] = []
    at = first - 1
    for heading in headings:
        needle = _SPACE.sub("", heading)
        found = next((i for i in range(at, len(flat)) if needle in flat[i]), None)
        out.append(None if found is None else found + 1)
        at = found if found is not None else at
    return out
