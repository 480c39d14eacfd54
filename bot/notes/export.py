"""/export: a zip of notes — one Markdown file, and the media named by date and leg."""

from __future__ import annotations

import io
import zipfile

from bot.notes.media import MediaStore, extension, safe_name
from bot.notes.model import Note
from bot.notes.parse import local_time
from bot.notes.views import leg_label, tags_label
from bot.trip.models import Trip
from bot.trip.types import Lang


def media_name(
    trip: Trip, note: Note, index: int, mime_type: str | None, file_name: str | None = None
) -> str:
    """media/<date>_<leg>_n<note>-<i>.<ext>: sortable, and never a path the user chose."""
    day = local_time(trip, note.taken_at).strftime("%Y-%m-%d_%H%M")
    leg = safe_name(note.leg_id or "no-leg", 40)
    return f"media/{day}_{leg}_n{note.id}-{index}{extension(mime_type, file_name)}"


def _note_markdown(trip: Trip, note: Note, lang: Lang, files: list[str]) -> list[str]:
    when = local_time(trip, note.taken_at)
    person = trip.members_by_id.get(note.member_id)
    author = person.name.get(lang) if person else note.member_id
    lines = [f"## #{note.id} · {when:%Y-%m-%d %H:%M %Z} · {author}", ""]
    lines += [f"- leg: {leg_label(trip, note.leg_id, lang)}", f"- tags: {tags_label(note)}"]
    if note.contacts:
        names = [
            trip.contacts_by_id[c].name.get(lang) for c in note.contacts if c in trip.contacts_by_id
        ]
        lines.append(f"- contacts: {', '.join(names)}")
    lines += ["", note.text or "", ""]
    for a, name in zip(note.attachments, files, strict=True):
        if a.kind == "location":
            lines.append(f"- 📍 {a.latitude:.5f}, {a.longitude:.5f}")
        elif name:
            label = a.file_name or a.caption or a.kind
            lines.append(f"- [{label}]({name})" + (f" ({a.duration}s)" if a.duration else ""))
        else:
            lines.append(f"- {a.kind}: {a.status}")
    lines.append("")
    return lines


def build_zip(trip: Trip, notes: list[Note], store: MediaStore, lang: Lang, title: str) -> bytes:
    """The zip's bytes: notes.md and every stored file of the notes."""
    buf = io.BytesIO()
    lines = [f"# {title}", ""]
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for note in notes:
            names: list[str] = []
            for i, a in enumerate(note.attachments, start=1):
                if a.status != "stored" or not a.path:
                    names.append("")
                    continue
                name = media_name(trip, note, i, a.mime_type, a.file_name)
                # Photos and voice are already compressed: store them as they are.
                zf.writestr(name, store.read(a.path), compress_type=zipfile.ZIP_STORED)
                names.append(name)
            lines += _note_markdown(trip, note, lang, names)
        zf.writestr("notes.md", "\n".join(lines))
    return buf.getvalue()
