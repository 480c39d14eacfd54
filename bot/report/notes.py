"""Field notes prepared for the report: tags stripped, merged in time order, duplicates dropped."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.notes.model import SECTION_TAGS, Attachment, Note
from bot.trip.models import Trip

_TAGS = re.compile("|".join(re.escape(tag) for tag in SECTION_TAGS))
_SPACE = re.compile(r"[ \t\u3000]+")


def clean(text: str) -> str:
    """The note text without its section hashtags and stray spacing."""
    lines = [_SPACE.sub(" ", _TAGS.sub("", line)).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def key(text: str) -> str:
    """The form two texts must share to count as the same (spacing and punctuation aside)."""
    return re.sub(r"[\s，。、,.;；：:!！?？「」『』()（）]+", "", clean(text)).casefold()


def author(trip: Trip, note: Note) -> str:
    """The delegate's name, or their member id if the content no longer lists them."""
    member = trip.members_by_id.get(note.member_id)
    return member.name.zh if member else note.member_id


def origin(trip: Trip, note: Note) -> str:
    """Where to fix a text that came from a note."""
    return f"筆記 #{note.id}（{author(trip, note)}）"


@dataclass(frozen=True)
class Entry:
    """One note's text as it goes into the report."""

    text: str
    note: Note
    origin: str


def live(notes: Iterable[Note]) -> list[Note]:
    """Notes not deleted, oldest first (ties by id so two delegates' notes keep a stable order)."""
    return sorted((n for n in notes if not n.deleted), key=lambda n: (n.taken_at, n.id))


def merged(trip: Trip, notes: Iterable[Note], seen: set[str] | None = None) -> list[Entry]:
    """Texts of `notes` in time order; a text already seen (by anyone) appears once."""
    seen = set() if seen is None else seen
    out: list[Entry] = []
    for note in live(notes):
        text = clean(note.text)
        k = key(text)
        if not k or k in seen:
            continue
        seen.add(k)
        out.append(Entry(text, note, origin(trip, note)))
    return out


def photos(note: Note) -> list[Attachment]:
    """The note's photo attachments."""
    return [a for a in note.attachments if a.kind == "photo"]


def caption(note: Note, photo: Attachment) -> str:
    """A photo's caption: its own, else the text of a note that holds just this one photo."""
    if photo.caption and clean(photo.caption):
        return clean(photo.caption)
    return clean(note.text) if len(photos(note)) == 1 else ""


def is_process_text(note: Note) -> bool:
    """Whether the note's text belongs in 過程: untagged, and not a photo message's caption."""
    # A photo's text is its caption: it goes with the photo in 柒, not as prose in 過程.
    return not note.sections and bool(key(note.text)) and not photos(note)


def tagged(notes: Iterable[Note], section: str) -> list[Note]:
    """The notes tagged for one report section (summary, reflection, …)."""
    return [n for n in notes if section in n.sections]


def sort_key(order: dict[str, int], note: Note) -> tuple[int, datetime, int]:
    """Itinerary order: by the note's leg, then when it was taken; unplaced notes last."""
    rank = order.get(note.leg_id or "", len(order))
    return rank, note.taken_at, note.id
