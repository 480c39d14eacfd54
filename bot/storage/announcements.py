"""Announcements held for a coordinator's Publish / Discard, in the database: the press may
reach another worker than the one that showed the preview."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.storage.access import Membership
from bot.storage.changes import _insert_notice
from bot.storage.db import Database, to_db
from bot.storage.outbox import Push

# A preview nobody pressed for this long is dropped by the trip's next one (its buttons then
# say it is gone): by then the words are stale.
HELD_FOR = timedelta(days=7)


@dataclass(frozen=True)
class HeldAnnouncement:
    """An announcement awaiting Publish / Discard: whose trip, who wrote it, its words."""

    id: int
    trip_id: str
    user_id: int
    text: str


class AnnouncementsStore:
    """Storage methods for held announcements: held once, sent or dropped at most once."""

    db: Database

    async def hold_announcement(self, trip_id: str, user_id: int, text: str, now: datetime) -> int:
        """Keep an announcement for Publish / Discard; its id. The trip's previews left
        unpressed past HELD_FOR are dropped in the same transaction."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "DELETE FROM held_announcements WHERE trip_id = ? AND held_at < ?",
                (trip_id, to_db(now - HELD_FOR)),
            )
            cur = await conn.execute(
                "INSERT INTO held_announcements (trip_id, user_id, text, held_at)"
                " VALUES (?, ?, ?, ?)",
                (trip_id, user_id, text, to_db(now)),
            )
            assert cur.lastrowid is not None
            return cur.lastrowid

    async def held_announcement(self, held_id: int, trip_id: str) -> HeldAnnouncement | None:
        """A held announcement of this trip; None if it is gone (sent, dropped, another trip's)."""
        async with self.db.execute(
            "SELECT id, trip_id, user_id, text FROM held_announcements WHERE id=? AND trip_id=?",
            (held_id, trip_id),
        ) as cur:
            row = await cur.fetchone()
        return HeldAnnouncement(*row) if row else None

    async def send_held_announcement(
        self,
        held_id: int,
        trip_id: str,
        author: str,
        texts: tuple[str, str],
        recipients: Sequence[Membership],
        now: datetime,
    ) -> list[Push] | None:
        """Take the held announcement and queue its notice, in one transaction: its outbox rows,
        or None if another press (on any worker) took it first."""
        async with self.db.transaction() as conn:
            taken = await conn.execute(
                "DELETE FROM held_announcements WHERE id=? AND trip_id=?", (held_id, trip_id)
            )
            if taken.rowcount != 1:
                return None
            _, queued = await _insert_notice(
                conn, trip_id, "announce", None, author, texts, recipients, now
            )
        return queued

    async def discard_announcement(self, held_id: int, trip_id: str) -> bool:
        """Drop a held announcement; False if it is gone."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "DELETE FROM held_announcements WHERE id=? AND trip_id=?", (held_id, trip_id)
            )
            return cur.rowcount == 1
