"""What the /report buttons compile: each choice as the arguments of one compile."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.report.settings import Form, required_forms
from bot.trip.models import Trip

# choice → (form, format, metadata suffix); "docx" is what /report itself sends.
CHOICES: dict[str, tuple[Form, str, str | None]] = {
    "docx": ("report", "docx", None),
    "pdf": ("report", "pdf", None),
    "odt": ("report", "odt", None),
    "review": ("review", "docx", None),
    "summary": ("summary", "docx", None),
    "json": ("report", "pdf", "json"),
    "csv": ("report", "pdf", "csv"),
}
_NAMES = {"report": "report", "review": "審核表", "summary": "提要"}


@dataclass(frozen=True)
class Output:
    """Where one choice is written, and as what."""

    out: Path | None  # None: only the 資訊網 fields
    fmt: str
    form: Form
    metadata_out: Path | None

    def kwargs(self) -> dict[str, Any]:
        """The compile's keyword arguments."""
        return {
            "out": self.out,
            "fmt": self.fmt,
            "form": self.form,
            "metadata_out": self.metadata_out,
        }


def output_of(choice: str, folder: Path, trip_id: str) -> Output:
    """The files of `choice` for the trip, in `folder`."""
    form, fmt, meta = CHOICES[choice]
    if meta:
        return Output(None, fmt, form, folder / f"{trip_id}-資訊網.{meta}")
    return Output(folder / f"{trip_id}-{_NAMES[form]}.{fmt}", fmt, form, None)


def is_required(trip: Trip, choice: str) -> bool:
    """Whether the office requires the form this choice makes (the report: in any format)."""
    form = CHOICES[choice][0]
    return CHOICES[choice][2] is None and form in required_forms(trip.category, trip.report)
