"""Compile a trip's report or one of its forms to a file: the one use case of the CLI and /report.

Build, check, write (DOCX, Markdown, PDF or ODT), optionally the 資訊網 fields, then lock the
notes. PDF and ODT come from the DOCX through LibreOffice, in two passes: the first PDF tells
on which page each heading fell, and the second is made with those numbers in 目次.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from bot.changes.apply import effective_trip
from bot.notes.model import Note
from bot.report.build import build_report
from bot.report.check import CheckItem, self_check
from bot.report.docx import write_docx, write_form_docx
from bot.report.forms import metadata, metadata_text, review_form, summary_form
from bot.report.markdown import write_markdown
from bot.report.model import Form, Report
from bot.report.pdf import PdfUnavailable, convert, heading_pages, page_count, page_texts, soffice
from bot.report.settings import Form as FormKind
from bot.storage import Storage
from bot.trip.models import Leg, Trip

FORMATS = ("docx", "md", "pdf", "odt")
FORMS: tuple[FormKind, ...] = ("report", "review", "summary")
Format = Literal["docx", "md", "pdf", "odt"]


@dataclass(frozen=True)
class Compiled:
    """What a compile produced: the files written, the self-check, the report's page count."""

    files: tuple[Path, ...]
    checks: tuple[CheckItem, ...]
    pages: int | None = None


def output_format(out: Path, requested: str | None) -> Format:
    """The format asked for, else the one the file name says (.docx, .md, .pdf, .odt)."""
    fmt = requested or out.suffix.lower().lstrip(".")
    if fmt == "markdown":
        fmt = "md"
    if fmt not in FORMATS:
        raise ValueError(f"cannot tell the format of {out.name!r}: use .docx, .md, .pdf or .odt")
    return fmt  # type: ignore[return-value]


def compile_report(
    trip: Trip,
    notes: list[Note],
    *,
    now: datetime,
    data_dir: Path,
    out: Path | None,
    fmt: Format,
    form: FormKind = "report",
    metadata_out: Path | None = None,
    cancelled: Sequence[Leg] = (),
) -> Compiled:
    """Write the report (or a form) and, if asked, the 資訊網 fields; warnings do not stop it.

    With `out` None only the fields are written (the page count comes from a PDF made in a
    temporary folder, never beside them)."""
    report = build_report(trip, notes, now=now, data_dir=data_dir, cancelled=cancelled)
    checks = list(self_check(report, trip, notes, now))
    today = now.astimezone(trip.home_zone).date()
    document: Report | Form = report
    if form == "review":
        document = review_form(trip, checks, today)
    elif form == "summary":
        document = summary_form(trip, report, today)
    files: tuple[Path, ...] = ()
    pages: int | None = None
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        files, pages = _write(document, out, fmt)
        if isinstance(document, Report) and fmt in ("docx", "pdf", "odt"):
            checks.append(_contents_check(pages))
    if metadata_out is not None:
        if pages is None or form != "report":
            pages = _count_pages(report)
        fields = metadata(trip, report, today, pages)
        fmt_meta = "csv" if metadata_out.suffix.lower() == ".csv" else "json"
        metadata_out.parent.mkdir(parents=True, exist_ok=True)
        metadata_out.write_text(metadata_text(fields, fmt_meta), encoding="utf-8")
        files += (metadata_out,)
    for path in files:
        # Reports hold the delegation's notes: readable by the bot's user only, whatever the umask.
        path.chmod(0o600)
    return Compiled(files, tuple(checks), pages)


def _contents_check(pages: int | None) -> CheckItem:
    if pages is not None:
        return CheckItem(True, "目次頁碼", f"依 LibreOffice 版面填入，全文 {pages} 頁")
    why = "未安裝 LibreOffice，目次未附頁碼"
    return CheckItem(False, "目次頁碼", why, "安裝 LibreOffice 後重新產生，或於 Word 更新目次")


def _write(document: Report | Form, out: Path, fmt: Format) -> tuple[tuple[Path, ...], int | None]:
    if fmt == "md":
        write_markdown(document, out)
        return (out,), None
    docx_path = out if out.suffix.lower() == ".docx" else out.with_suffix(".docx")
    if isinstance(document, Form):
        write_form_docx(document, docx_path)
        if fmt == "docx":
            return (docx_path,), None
        made = convert(docx_path, fmt)
        return (docx_path, made), page_count(made) if fmt == "pdf" else None
    if fmt == "docx":
        return (docx_path,), _paginated_docx(document, docx_path)
    pages = paginate(document, docx_path)
    pdf = docx_path.with_suffix(".pdf")
    if fmt == "odt":
        pdf.unlink(missing_ok=True)  # only the ODT was asked for
        return (docx_path, convert(docx_path, "odt")), pages
    return (docx_path, pdf), pages


def _paginated_docx(report: Report, docx_path: Path) -> int | None:
    """The DOCX alone, with 目次's page numbers when LibreOffice can lay it out (the PDF made
    for that stays in a temporary folder); without them, and None, when it cannot."""
    if soffice() is not None:
        with tempfile.TemporaryDirectory(prefix="report-pages-") as tmp:
            try:
                pages = paginate(report, Path(tmp) / docx_path.name)
            except PdfUnavailable:
                pages = None
            else:
                (Path(tmp) / docx_path.name).replace(docx_path)
                return pages
    write_docx(report, docx_path)
    return None


def paginate(report: Report, docx_path: Path) -> int:
    """Write the DOCX with 目次's page numbers as LibreOffice lays the pages out; the PDF is
    left beside it. Returns the page count."""
    headings = [h.text for h in report.headings(max_level=2)]
    # First pass with two-digit placeholders, so the 目次 lines are as long as in the second.
    write_docx(report, docx_path, toc_pages=[99] * len(headings))
    texts = page_texts(convert(docx_path, "pdf"))
    first = next((i + 2 for i, t in enumerate(texts) if "目次" in t.replace(" ", "")), 1)
    write_docx(report, docx_path, toc_pages=heading_pages(texts, headings, first))
    return page_count(convert(docx_path, "pdf"))


def _count_pages(report: Report) -> int:
    with tempfile.TemporaryDirectory(prefix="report-pages-") as tmp:
        return paginate(report, Path(tmp) / "report.docx")


async def compile_trip(
    storage: Storage,
    content: Trip,
    *,
    now: datetime,
    data_dir: Path,
    out: Path | None,
    fmt: Format,
    form: FormKind = "report",
    metadata_out: Path | None = None,
) -> Compiled:
    """Compile from the stored notes of the trip whose content is `content`, on the effective
    schedule (content plus published changes), off the event loop, then lock those notes."""
    notes = await storage.notes_of_trip(content.id)
    # The report tells what happened: the content plus the published changes.
    trip = effective_trip(content, await storage.change_log(content.id))[0]
    cancelled = [leg for leg in content.legs if leg.id not in trip.legs_by_id]
    done = await asyncio.to_thread(
        compile_report,
        trip,
        notes,
        now=now,
        data_dir=data_dir,
        out=out,
        fmt=fmt,
        form=form,
        metadata_out=metadata_out,
        cancelled=cancelled,
    )
    # Compiled: from now on a delegate can no longer delete the notes it was built from.
    await storage.lock_notes(trip.id, now)
    return done


__all__ = ["FORMS", "Compiled", "compile_report", "compile_trip", "output_format"]
