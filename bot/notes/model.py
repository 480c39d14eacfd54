"""The note as the rest of the bot sees it (storage returns these; the report reads them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

AttachmentKind = Literal["photo", "document", "voice", "location"]
FileStatus = Literal["pending", "stored", "failed", "refused"]
# Report sections a note can be tagged for, with the hashtags delegates type.
SECTION_TAGS: dict[str, str] = {
    "#摘要": "summary",
    "#心得": "reflection",
    "#建議": "recommendation",
    "#效益": "outcome",
    "#附件": "annex",
}
Section = Literal["summary", "reflection", "recommendation", "outcome", "annex"]


@dataclass(frozen=True)
class Attachment:
    """A file or place attached to a note; media live under the data dir, addressed by hash."""

    kind: AttachmentKind
    status: FileStatus
    file_id: str | None = None  # Telegram's id, to fetch it again while pending
    path: str | None = None  # relative to the data dir, e.g. media/ab/abcdef….jpg
    sha256: str | None = None
    mime_type: str | None = None
    size: int | None = None
    file_name: str | None = None
    caption: str | None = None
    duration: int | None = None  # seconds, for voice
    latitude: float | None = None
    longitude: float | None = None
    id: int | None = None  # storage row, set once stored
    message_id: int | None = None  # the Telegram message it came with (albums have several)


@dataclass(frozen=True)
class Note:
    """One field note by one delegate, tied to a leg of the itinerary."""

    id: int
    trip_id: str
    member_id: str
    user_id: int
    leg_id: str | None
    taken_at: datetime  # aware, UTC: when the delegate took it (the message date)
    text: str
    sections: frozenset[Section]
    contacts: tuple[str, ...]
    attachments: tuple[Attachment, ...]
    deleted: bool = False
    chat_id: int | None = None
    locked: bool = False  # the report was compiled from it: no more deleting


@dataclass(frozen=True)
class NoteDraft:
    """A note as it arrives, before storage gives it a number."""

    trip_id: str
    member_id: str
    user_id: int
    chat_id: int
    message_id: int
    album: str | None  # Telegram's media_group_id: the parts of an album make one note
    leg_id: str | None
    taken_at: datetime
    text: str
    sections: frozenset[Section]
    contacts: tuple[str, ...]
    attachments: tuple[Attachment, ...]
