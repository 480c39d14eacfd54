"""Safety check-ins: a notice marked as a check-in, each member's answer, last shared places."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.storage.access import Membership
from bot.storage.changes import _insert_notice
from bot.storage.db import Database, from_db, to_db
from bot.storage.outbox import Push

Answer = Literal["safe", "help"]


@dataclass(frozen=True)
class CheckinState:
    """One member asked: how often it was sent, and the answer, if any."""

    user_id: int
    member_id: str
    name: str
    state: str  # of the notice's outbox row: queued, sent, failed, blocked …
    sends: int
    answer: Answer | None
    answered_at: datetime | None


class CheckinsStore:
    """Storage methods for check-ins."""

    db: Database

    async def create_checkin(
        self,
        trip_id: str,
        author: str,
        texts: tuple[str, str],
        message: str,
        recipients: Sequence[Membership],
        now: datetime,
        key: str | None = None,
    ) -> tuple[int, list[Push]]:
        """A check-in: its notice, one outbox row per member asked, atomically; an automatic
        one is recorded under its `key`."""
        async with self.db.transaction() as conn:
            notice_id, rows = await _insert_notice(
                conn, trip_id, "announce", None, author, texts, recipients, now
            )
            await conn.execute(
                "INSERT INTO checkins (notice_id, trip_id, message, created_at) VALUES (?,?,?,?)",
                (notice_id, trip_id, message, to_db(now)),
            )
            if key is not None:
                await conn.execute(
                    "INSERT INTO auto_checkins (trip_id, key, notice_id) VALUES (?,?,?)",
                    (trip_id, key, notice_id),
                )
        return notice_id, rows

    async def auto_checkin_asked(self, trip_id: str, key: str) -> bool:
        """Whether the automatic check-in of that key was asked already."""
        async with self.db.execute(
            "SELECT 1 FROM auto_checkins WHERE trip_id=? AND key=?", (trip_id, key)
        ) as cur:
            return await cur.fetchone() is not None

    async def is_checkin(self, notice_id: int) -> bool:
        """Whether the notice is a check-in (it then carries the 平安 / 需要協助 buttons)."""
        async with self.db.execute("SELECT 1 FROM checkins WHERE notice_id=?", (notice_id,)) as cur:
            return await cur.fetchone() is not None

    async def answer_checkin(
        self, notice_id: int, user_id: int, answer: Answer, now: datetime
    ) -> bool:
        """Record (or change) a member's answer; it also acknowledges the notice, so it is not
        asked again. False if the member was not asked."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE outbox SET acked_at=COALESCE(acked_at, ?)"
                " WHERE kind='notice' AND ref=? AND user_id=?",
                (to_db(now), str(notice_id), user_id),
            )
            if cur.rowcount != 1:
                return False
            await conn.execute(
                "INSERT INTO checkin_answers (notice_id, user_id, answer, at) VALUES (?,?,?,?)"
                " ON CONFLICT (notice_id, user_id) DO UPDATE SET answer=excluded.answer,"
                " at=excluded.at",
                (notice_id, user_id, answer, to_db(now)),
            )
        return True

    async def latest_checkin(self, trip_id: str) -> tuple[int, str, datetime] | None:
        """The trip's latest check-in: notice id, message and when it was asked."""
        async with self.db.execute(
            "SELECT notice_id, message, created_at FROM checkins WHERE trip_id=?"
            " ORDER BY notice_id DESC LIMIT 1",
            (trip_id,),
        ) as cur:
            row = await cur.fetchone()
        return (row[0], row[1], from_db(row[2])) if row else None

    async def checkin_states(self, notice_id: int) -> list[CheckinState]:
        """Everyone asked in a check-in, with their answer."""
        async with self.db.execute(
            "SELECT s.user_id, u.member_id, u.name, s.state, s.attempts, a.answer, a.at"
            " FROM outbox s JOIN users u ON u.user_id = s.user_id"
            " LEFT JOIN checkin_answers a ON CAST(a.notice_id AS TEXT) = s.ref"
            " AND a.user_id = s.user_id"
            " WHERE s.kind='notice' AND s.ref=? ORDER BY s.user_id",
            (str(notice_id),),
        ) as cur:
            rows = await cur.fetchall()
        return [
            CheckinState(
                r[0], r[1], r[2] or r[1], r[3], r[4], r[5], from_db(r[6]) if r[6] else None
            )
            for r in rows
        ]

    async def last_location(self, user_id: int) -> tuple[float, float, datetime] | None:
        """The latest location the account shared in a note: latitude, longitude, when."""
        async with self.db.execute(
            "SELECT f.latitude, f.longitude, n.taken_at FROM note_files f"
            " JOIN notes n ON n.id = f.note_id WHERE n.user_id=? AND f.kind='location'"
            " AND f.latitude IS NOT NULL AND n.deleted_at IS NULL"
            " ORDER BY n.taken_at DESC, f.id DESC LIMIT 1",
            (user_id,),
        ) as cur:
            row = await cur.fetchone()
        return (row[0], row[1], from_db(row[2])) if row else None
