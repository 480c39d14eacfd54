"""Field notes prepared for the report: tags stripped, merged in time order, duplicates dropped."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.notes.model import SECTION_TAGS, Attachment, Note
from bot.report.text import closed, spaced
from bot.trip.models import Trip

_TAGS = re.compile("|".join(re.escape(tag) for tag in SECTION_TAGS))
_SPACE = re.compile(r"[ \t\u3000]+")
# Chat artefacts no official text carries: emoji (with their joiners, skin tones and flags) and
# the shorthand of chat (lol, XD, orz, 哈哈哈 …); a sticker arrives as its emoji.
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u231a\u231b\u23e9-\u23fa"
    "\u200d\ufe0e\ufe0f\u20e3\U000e0020-\U000e007f]+"
)
_CJK = "\u3400-\u9fff\uf900-\ufaff"
_SHORTHAND = re.compile(
    r"(?<![A-Za-z])(?:lol+|lmao|rofl|omg|btw|thx|plz|XD+|xD+|orz|OTZ|QQ|www+|\^_*\^|TT)(?![A-Za-z.])"
    rf"|(?<=[{_CJK}])der(?![A-Za-z])|(?<![0-9A-Za-z+])\+1(?![0-9])"
    r"|[哈呵嘻ㄏㄎ]{2,}|[!！?？~～]{2,}",
    re.IGNORECASE,
)
# A space left between two Chinese characters where an emoji or "lol" was.
_CJK_GAP = re.compile(rf"(?<=[{_CJK}，。、；：！？」』）])\s+(?=[{_CJK}，。、；：！？「『（])")


def chat_marks(text: str) -> list[str]:
    """The emoji and stickers, then the shorthand, that the report leaves out of `text`."""
    found = [m.group() for m in _EMOJI.finditer(text)]
    return found + [m.group() for m in _SHORTHAND.finditer(_EMOJI.sub(" ", text))]


def without_chat(text: str) -> str:
    """The text without emoji, stickers and chat shorthand (a run of !!! keeps one mark)."""
    text = _EMOJI.sub(" ", text)
    return _SHORTHAND.sub(lambda m: m.group()[0] if m.group()[0] in "!！?？" else " ", text)


def has_chat(text: str) -> bool:
    """Whether the text carries emoji, stickers or chat shorthand the report leaves out."""
    return bool(chat_marks(text))


def clean(text: str) -> str:
    """The note text without section hashtags, chat artefacts and stray spacing."""
    plain = (without_chat(_TAGS.sub("", line)) for line in text.splitlines())
    lines = [_CJK_GAP.sub("", _SPACE.sub(" ", line)).strip() for line in plain]
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
        text = closed(spaced(clean(note.text)))
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
    # A photo's or a document's text is its caption: it goes with the file in 柒, not as prose
    # in 過程; a location's text is the place's name, said with the place.
    return (
        not note.sections
        and bool(key(note.text))
        and not photos(note)
        and not places(note)
        and not documents(note)
    )


def places(note: Note) -> list[Attachment]:
    """The note's location attachments."""
    return [a for a in note.attachments if a.kind == "location" and a.latitude is not None]


def documents(note: Note) -> list[Attachment]:
    """The note's document attachments (agendas, slides, papers)."""
    return [a for a in note.attachments if a.kind == "document"]


def coordinates(latitude: float, longitude: float) -> str:
    """A position as the report writes it: 南緯 34.6011°、西經 58.3834°."""
    ns = "北緯" if latitude >= 0 else "南緯"
    ew = "東經" if longitude >= 0 else "西經"
    return f"{ns} {abs(latitude):.4f}°、{ew} {abs(longitude):.4f}°"


def tagged(notes: Iterable[Note], section: str) -> list[Note]:
    """The notes tagged for one report section (summary, reflection, …)."""
    return [n for n in notes if section in n.sections]


def sort_key(order: dict[str, int], note: Note) -> tuple[int, datetime, int]:
    """Itinerary order: by the note's leg, then when it was taken; unplaced notes last."""
    rank = order.get(note.leg_id or "", len(order))
    return rank, note.taken_at, note.id
