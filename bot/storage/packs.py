"""Briefing-pack notices: a notice marked as "pack vN is ready", sent through the one outbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.storage.access import Membership
from bot.storage.changes import _insert_notice
from bot.storage.db import Database, to_db
from bot.storage.outbox import Push


class PacksStore:
    """Storage methods for briefing-pack notices."""

    db: Database

    async def create_pack_notice(
        self,
        trip_id: str,
        version: int,
        texts: tuple[str, str],
        recipients: Sequence[Membership],
        now: datetime,
    ) -> list[Push]:
        """ "Pack vN is ready": its notice and one outbox row per member, atomically."""
        async with self.db.transaction() as conn:
            notice_id, rows = await _insert_notice(
                conn, trip_id, "announce", None, "pack", texts, recipients, now
            )
            await conn.execute(
                "INSERT INTO pack_notices (notice_id, trip_id, version, created_at)"
                " VALUES (?,?,?,?)",
                (notice_id, trip_id, version, to_db(now)),
            )
        return rows

    async def is_pack_notice(self, notice_id: int) -> bool:
        """Whether the notice says a briefing pack is ready (it carries a "get it" button)."""
        async with self.db.execute(
            "SELECT 1 FROM pack_notices WHERE notice_id=?", (notice_id,)
        ) as cur:
            return await cur.fetchone() is not None

    async def pack_versions(self) -> dict[str, int]:
        """Per trip, the latest version whose "pack is ready" notice was queued."""
        async with self.db.execute(
            "SELECT trip_id, MAX(version) FROM pack_notices GROUP BY trip_id"
        ) as cur:
            return {row[0]: int(row[1]) for row in await cur.fetchall()}
