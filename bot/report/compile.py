"""Compile a trip's report to a file: build, check, write (DOCX, Markdown, optionally PDF)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.notes.model import Note
from bot.report.build import build_report
from bot.report.check import CheckItem, self_check
from bot.report.docx import write_docx
from bot.report.markdown import write_markdown
from bot.report.pdf import convert_to_pdf
from bot.trip.models import Trip

FORMATS = ("docx", "md", "pdf")


@dataclass(frozen=True)
class Compiled:
    """What a compile produced: the files written and the self-check."""

    files: tuple[Path, ...]
    checks: tuple[CheckItem, ...]


def output_format(out: Path, requested: str | None) -> str:
    """The format asked for, else the one the file name says (.docx, .md, .pdf)."""
    fmt = requested or out.suffix.lower().lstrip(".")
    if fmt == "markdown":
        fmt = "md"
    if fmt not in FORMATS:
        raise ValueError(f"cannot tell the format of {out.name!r}: use .docx or .md, or --format")
    return fmt


def compile_report(
    trip: Trip, notes: list[Note], *, now: datetime, data_dir: Path, out: Path, fmt: str
) -> Compiled:
    """Write the report; warnings do not stop it. PDF is converted from a DOCX beside `out`."""
    report = build_report(trip, notes, now=now, data_dir=data_dir)
    checks = tuple(self_check(report, trip, notes, now))
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "md":
        write_markdown(report, out)
        return _private(Compiled((out,), checks))
    docx_path = out if out.suffix.lower() == ".docx" else out.with_suffix(".docx")
    write_docx(report, docx_path)
    if fmt == "pdf":
        return _private(Compiled((docx_path, convert_to_pdf(docx_path)), checks))
    return _private(Compiled((docx_path,), checks))


def _private(done: Compiled) -> Compiled:
    """Reports hold the delegation's notes: readable by the bot's user only, whatever the umask."""
    for path in done.files:
        path.chmod(0o600)
    return done
