"""The routing predicates: one filter per routing decision, asked by the handlers' filters and
by the update journal alike, so the journal keeps exactly the messages the notes feature takes.
"""

from __future__ import annotations

from telegram.ext import filters

NOTE_KINDS = (
    (filters.TEXT & ~filters.COMMAND)
    | filters.PHOTO
    | filters.VOICE
    | filters.LOCATION
    | filters.Document.ALL
)
"""A message the notes feature stores as a note (unless REVISION takes it first)."""

REVISION = filters.Document.FileExtension("yaml") | filters.Document.FileExtension("yml")
"""A coordinator's itinerary file: a schedule revision, routed before notes take documents."""

__all__ = ["NOTE_KINDS", "REVISION"]
