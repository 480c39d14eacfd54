"""How notes read in chat: the confirmation, its buttons, and the /notes list."""

from __future__ import annotations

from collections import Counter
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.formatting.buttons import button_label
from bot.formatting.clock import stamp
from bot.formatting.punct import paren
from bot.i18n import t
from bot.itinerary import position
from bot.notes.model import SECTION_TAGS, Note
from bot.notes.parse import TAG_OF
from bot.storage.notes import Outcome
from bot.trip.models import Trip
from bot.trip.types import Lang

_ICONS = {"photo": "📷", "document": "📄", "voice": "🎙", "location": "📍"}
_SECTION_ORDER = list(SECTION_TAGS.values())


def leg_label(trip: Trip, leg_id: str | None, lang: Lang, *, with_zone: bool = True) -> str:
    """A leg's title and local start (with its zone, but on a button), or a dash."""
    leg = trip.legs_by_id.get(leg_id or "")
    if leg is None:
        return "—"
    if with_zone:
        start = stamp(leg.start_at, leg.start_zone, lang, trip.zone_places)
    else:
        start = f"{leg.start:%m-%d %H:%M}"
    return f"{leg.title.get(lang)}{paren(start, lang)}"


def tags_label(note: Note) -> str:
    """The note's sections as the hashtags delegates type."""
    return " ".join(TAG_OF[s] for s in _SECTION_ORDER if s in note.sections) or "—"


def files_label(note: Note, lang: Lang) -> str:
    """Attachments by kind, with what is still pending or was refused."""
    kinds = Counter(a.kind for a in note.attachments)
    parts = [f"{_ICONS[k]}{n if n > 1 else ''}" for k, n in kinds.items()]
    pending = sum(a.status == "pending" for a in note.attachments)
    refused = sum(a.status in ("refused", "failed") for a in note.attachments)
    if pending:
        parts.append(t(lang, "note_files_pending", n=pending))
    if refused:
        parts.append(t(lang, "note_files_refused", n=refused))
    return " ".join(parts)


def confirmation(trip: Trip, note: Note, lang: Lang, outcome: Outcome = "new") -> str:
    """The reply to a note: its number, leg, tags, contacts and files."""
    key = {"new": "note_saved", "added": "note_saved", "replay": "note_already"}[outcome]
    if note.deleted:
        key = "note_deleted"
    lines = [
        t(lang, key, id=note.id),
        t(lang, "note_leg", leg=escape(leg_label(trip, note.leg_id, lang))),
        t(lang, "note_tags", tags=tags_label(note)),
    ]
    if note.contacts:
        names = [
            trip.contacts_by_id[c].name.get(lang) for c in note.contacts if c in trip.contacts_by_id
        ]
        lines.append(t(lang, "note_contacts", names=escape("、".join(names))))
    if note.attachments:
        lines.append(t(lang, "note_files", files=files_label(note, lang)))
    return "\n".join(lines)


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def main_keyboard(note: Note, lang: Lang) -> InlineKeyboardMarkup:
    """Undo (or Restore), Tag, and fix the leg."""
    undo = (
        _button(t(lang, "btn_restore"), f"note:redo:{note.id}")
        if note.deleted
        else _button(t(lang, "btn_undo"), f"note:undo:{note.id}")
    )
    return InlineKeyboardMarkup(
        [
            [undo, _button(t(lang, "btn_tag"), f"note:tags:{note.id}")],
            [_button(t(lang, "btn_leg"), f"note:legs:{note.id}")],
        ]
    )


def tag_keyboard(note: Note, lang: Lang) -> InlineKeyboardMarkup:
    """One toggle per report section, then back."""
    rows = [
        [
            _button(
                ("✅ " if s in note.sections else "") + f"{TAG_OF[s]} {t(lang, 'sec_' + s)}",
                f"note:tag:{note.id}:{s}",
            )
        ]
        for s in _SECTION_ORDER
    ]
    rows.append([_button(t(lang, "btn_back"), f"note:back:{note.id}")])
    return InlineKeyboardMarkup(rows)


def leg_keyboard(trip: Trip, note: Note, choices: list[str], lang: Lang) -> InlineKeyboardMarkup:
    """The legs near the note's time, by index into `choices` (leg ids can be long)."""
    rows = [
        [
            _button(
                button_label(
                    ("✅ " if leg_id == note.leg_id else "")
                    + leg_label(trip, leg_id, lang, with_zone=False)
                ),
                f"note:leg:{note.id}:{i}",
            )
        ]
        for i, leg_id in enumerate(choices)
    ]
    rows.append([_button(t(lang, "btn_back"), f"note:back:{note.id}")])
    return InlineKeyboardMarkup(rows)


def list_line(trip: Trip, note: Note, lang: Lang, *, with_author: bool) -> str:
    """One note in /notes: number, local time, leg, tags, files and the start of the text."""
    when = stamp(note.taken_at, position(trip, note.taken_at).zone, lang, trip.zone_places)
    leg = trip.legs_by_id.get(note.leg_id or "")
    author = ""
    if with_author:
        person = trip.members_by_id.get(note.member_id)
        author = f"{escape(person.name.get(lang) if person else note.member_id)} · "
    text = note.text if len(note.text) <= 80 else note.text[:79] + "…"
    files = files_label(note, lang)
    head = (
        f"<b>#{note.id}</b> {author}{escape(when)} · "
        f"{escape(leg.title.get(lang) if leg else '—')} · {tags_label(note)}"
        f"{' · ' + files if files else ''}"
    )
    body = [escape(text)] if text else []
    return "\n".join([head, *body, *attachment_lines(note, lang)])


def attachment_lines(note: Note, lang: Lang) -> list[str]:
    """What a note holds besides text: a place with a map link, a voice's length, a file name."""
    lines = []
    for a in note.attachments:
        if a.kind == "location" and a.latitude is not None and a.longitude is not None:
            lat, lon = f"{a.latitude:.5f}", f"{a.longitude:.5f}"
            url = f"https://www.openstreetmap.org/?mlat={lat}&amp;mlon={lon}#map=17/{lat}/{lon}"
            place = escape(a.caption) + " " if a.caption else ""
            lines.append(f'📍 {place}{lat}, {lon} <a href="{url}">{t(lang, "note_map")}</a>')
        elif a.kind == "voice" and a.duration is not None:
            minutes, seconds = divmod(a.duration, 60)
            lines.append(f"🎙 {minutes}:{seconds:02d}")
        elif a.kind == "document":
            lines.append(f"📄 {escape(a.file_name or t(lang, 'note_file_unnamed'))}")
        elif a.kind == "photo" and a.caption and a.caption != note.text:
            lines.append(f"📷 {escape(a.caption)}")
    return lines


def listing(trip: Trip, notes: list[Note], lang: Lang, *, total: int, coordinator: bool) -> str:
    """The /notes reply: a header, then one entry per note."""
    lines = [t(lang, "notes_header", n=total)]
    if total > len(notes):
        lines.append(t(lang, "notes_more", n=len(notes)))
    lines += [list_line(trip, n, lang, with_author=coordinator) for n in notes]
    return "\n\n".join(lines)
