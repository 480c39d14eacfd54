"""Note use cases the handlers call: record, edit, delete, retag, relink, list."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import datetime

from telegram import Bot, Message

from bot.clock import Clock
from bot.notes.downloads import Downloads
from bot.notes.intake import draft, read_message
from bot.notes.model import Attachment, Note, Section
from bot.notes.parse import contacts_in, local_day, nearby_legs, section_of, sections_in
from bot.storage import Membership, Storage
from bot.storage.notes import Outcome, PendingFile
from bot.trip.models import Trip

ALBUM_WINDOW = 0.8  # seconds of quiet after an album's last part before it is confirmed


@dataclass(frozen=True)
class Recorded:
    """A stored note and how this message changed it."""

    note: Note
    outcome: Outcome


async def record(
    storage: Storage,
    downloads: Downloads,
    bot: Bot,
    trip: Trip,
    member: Membership,
    message: Message,
    *,
    text: str | None,
    now: datetime,
    max_bytes: int,
) -> Recorded:
    """Commit the message as a note, then fetch its files once (failures stay pending)."""
    incoming = read_message(message, text, max_bytes)
    # Its pending files are leased to this worker in the same commit: no retry, here or on
    # another worker, fetches them before this handler does.
    note, outcome = await storage.add_note(
        draft(trip, member, message, incoming, now), now, claim=downloads.lease()
    )
    if outcome == "replay":
        return Recorded(note, outcome)
    mid = message.message_id
    mine = [a for a in note.attachments if a.message_id == mid and a.status == "pending"]
    done: dict[int, Attachment] = {}
    for a in mine:
        if a.id is None or a.file_id is None:
            continue
        pending = PendingFile(
            a.id,
            note.id,
            note.user_id,
            message.chat_id,
            a.file_id,
            a.mime_type,
            a.kind,
            0,
            message.message_id,
        )
        stored = await downloads.attempt(bot, storage, pending, claimed=True)
        if stored is not None:
            done[a.id] = replace(
                a, status="stored", path=stored.path, sha256=stored.sha256, size=stored.size
            )
    if done:
        # The same change the storage just committed, without reading the note back.
        files = tuple(done.get(a.id or 0, a) for a in note.attachments)
        note = replace(note, attachments=files)
    return Recorded(note, outcome)


class Albums:
    """Parts of an album arrive as separate updates, maybe on different workers: confirm once,
    after the last part (counted in the database)."""

    def __init__(self, storage: Storage, clock: Clock) -> None:
        self.storage, self.clock = storage, clock

    async def is_last_part(self, chat_id: int, album: str, window: float = ALBUM_WINDOW) -> bool:
        """Wait for quiet; True only for the part that arrived last."""
        mine = await self.storage.album_part(chat_id, album, self.clock.now())
        await asyncio.sleep(window)
        return await self.storage.last_album_part(chat_id, album, mine)


async def edit_text(storage: Storage, trip: Trip, note: Note, text: str, now: datetime) -> Note:
    """New words for a note: tags and contacts that came from the old words follow the new."""
    sections = (note.sections - sections_in(note.text)) | sections_in(text)
    old_contacts = set(contacts_in(trip, note.text))
    contacts = (set(note.contacts) - old_contacts) | set(contacts_in(trip, text))
    return await storage.update_note(
        note.id, "edit", now, text=text, sections=sections, contacts=contacts
    )


async def set_deleted(storage: Storage, note: Note, deleted: bool, now: datetime) -> Note:
    """Soft-delete a note, or bring it back."""
    if note.deleted == deleted:
        return note
    return await storage.update_note(
        note.id, "delete" if deleted else "restore", now, deleted_at=now if deleted else None
    )


async def toggle_section(storage: Storage, note: Note, section: Section, now: datetime) -> Note:
    """Add or remove one report section."""
    return await storage.update_note(note.id, "tag", now, sections=note.sections ^ {section})


async def set_leg(storage: Storage, note: Note, leg_id: str, now: datetime) -> Note:
    """Tie the note to another leg."""
    return await storage.update_note(note.id, "leg", now, leg_id=leg_id)


def may_see(member: Membership, note: Note) -> bool:
    """Own notes; a coordinator also sees every note of their trip; never another trip's."""
    if note.trip_id != member.trip_id:
        return False
    return note.user_id == member.user_id or member.is_coordinator


def may_change(member: Membership, note: Note) -> bool:
    """Only the author changes a note."""
    return note.trip_id == member.trip_id and note.user_id == member.user_id


async def visible_notes(storage: Storage, member: Membership) -> list[Note]:
    """The notes a member may list: their own, or the whole trip's for a coordinator."""
    if member.is_coordinator:
        return await storage.notes_of_trip(member.trip_id)
    return await storage.notes_of_user(member.user_id)


def select(notes: list[Note], trip: Trip, query: str, now: datetime) -> list[Note] | None:
    """Filter by 'today', a leg id or a section tag; None when the query means nothing."""
    query = query.strip()
    if not query:
        return notes
    if query.casefold() in ("today", "今天", "今日"):
        day = local_day(trip, now)
        return [n for n in notes if local_day(trip, n.taken_at) == day]
    if query in trip.legs_by_id:
        inside = {leg.id for leg in trip.legs if leg.part_of == query} | {query}
        return [n for n in notes if n.leg_id in inside]
    section = section_of(query)
    if section is not None:
        return [n for n in notes if section in n.sections]
    return None


def leg_choices(trip: Trip, note: Note) -> list[str]:
    """Ids of the legs offered to fix a note's match, closest in time first."""
    return [leg.id for leg in nearby_legs(trip, note.taken_at)]


@dataclass(frozen=True)
class Pressed:
    """What a note button did: the note now, which keyboard to show, or why not."""

    note: Note | None
    view: str = "main"  # main, tags or legs
    error: str | None = None


async def press(
    storage: Storage, trip: Trip, member: Membership, data: str, now: datetime
) -> Pressed:
    """Apply a note button (note:<action>:<id>[:<arg>]) for its author."""
    _, action, raw_id, *rest = [*data.split(":"), ""][:4]
    note = await storage.note(int(raw_id)) if raw_id.isdigit() else None
    if note is None or not may_change(member, note):
        return Pressed(None, error="note_not_yours")
    arg = rest[0] if rest else ""
    if action in ("undo", "redo"):
        if note.locked:
            return Pressed(note, error="note_locked")
        return Pressed(await set_deleted(storage, note, action == "undo", now))
    if action == "tag" and section_of(arg):
        section = section_of(arg)
        assert section is not None
        return Pressed(await toggle_section(storage, note, section, now), "tags")
    if action == "leg" and arg.isdigit():
        choices = leg_choices(trip, note)
        if int(arg) < len(choices) and choices[int(arg)] != note.leg_id:
            note = await set_leg(storage, note, choices[int(arg)], now)
        return Pressed(note)
    return Pressed(note, {"tags": "tags", "legs": "legs"}.get(action, "main"))


async def delete_own(
    storage: Storage, member: Membership, note_id: int, undo: bool, now: datetime
) -> str:
    """/delnote: the reply key after deleting (or restoring) one of the member's own notes."""
    note = await storage.note(note_id)
    if note is None or not may_change(member, note):
        return "note_not_found"
    if note.locked:
        return "note_locked"
    note = await set_deleted(storage, note, not undo, now)
    return "note_restored" if undo else "note_deleted"
