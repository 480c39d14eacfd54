"""A Telegram message read as a note: its words, its attachments and what is too big."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from telegram import Message

from bot.notes.media import safe_name
from bot.notes.model import Attachment, NoteDraft
from bot.notes.parse import contacts_in, leg_for, sections_in, taken_at
from bot.storage import Membership
from bot.trip.models import Trip


@dataclass(frozen=True)
class Incoming:
    """What a message brings to a note."""

    text: str
    attachments: tuple[Attachment, ...]
    album: str | None


def read_message(message: Message, text: str | None, max_bytes: int) -> Incoming:
    """The note parts of a message; a file over `max_bytes` is recorded as refused, unfetched."""
    words = text if text is not None else (message.text or message.caption or "")
    caption = message.caption or None
    found: list[Attachment] = []
    mid = message.message_id
    if message.photo:
        best = message.photo[-1]  # the largest size Telegram made
        found.append(
            Attachment(
                "photo",
                "pending",
                best.file_id,
                mime_type="image/jpeg",
                size=best.file_size,
                caption=caption,
                message_id=mid,
            )
        )
    if message.document:
        doc = message.document
        name = safe_name(doc.file_name) if doc.file_name else None
        found.append(
            Attachment(
                "document",
                "pending",
                doc.file_id,
                mime_type=doc.mime_type,
                size=doc.file_size,
                file_name=name,
                caption=caption,
                message_id=mid,
            )
        )
    if message.voice:
        voice = message.voice
        found.append(
            Attachment(
                "voice",
                "pending",
                voice.file_id,
                mime_type=voice.mime_type,
                size=voice.file_size,
                duration=_seconds(voice.duration),
                message_id=mid,
            )
        )
    if message.location:
        loc, venue = message.location, message.venue  # a venue comes with its location
        found.append(
            Attachment(
                "location",
                "stored",
                latitude=loc.latitude,
                longitude=loc.longitude,
                message_id=mid,
                caption=venue.title if venue else None,
            )
        )
    checked = tuple(
        replace(a, status="refused") if a.size is not None and a.size > max_bytes else a
        for a in found
    )
    return Incoming(words.strip(), checked, message.media_group_id)


def _seconds(value: int | timedelta) -> int:
    # PTB 22 gives int or timedelta depending on a deprecation switch.
    return int(value.total_seconds()) if isinstance(value, timedelta) else int(value)


def draft(
    trip: Trip, member: Membership, message: Message, incoming: Incoming, now: datetime
) -> NoteDraft:
    """A note from a member's message: tied to the leg of its time, tagged by its words."""
    at = taken_at(message.date, now)
    leg = leg_for(trip, at)
    return NoteDraft(
        trip_id=trip.id,
        member_id=member.member_id,
        user_id=member.user_id,
        chat_id=message.chat_id,
        message_id=message.message_id,
        album=incoming.album,
        leg_id=leg.id if leg else None,
        taken_at=at,
        text=incoming.text,
        sections=sections_in(incoming.text),
        contacts=contacts_in(trip, incoming.text),
        attachments=incoming.attachments,
    )
