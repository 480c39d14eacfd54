"""Storage of calendar subscriptions: each link's secret is kept only as its sha256."""

from __future__ import annotations

from datetime import datetime

from bot.storage.access import Membership, _membership
from bot.storage.db import Database, Tx, to_db

KEEP_PER_ACCOUNT = 5  # links handed out earlier keep working, up to this many per account


class FeedsStore:
    """Storage methods for calendar feeds."""

    db: Database

    async def add_feed(self, token_hash: str, user_id: int, now: datetime) -> None:
        """Record a new subscription link of the account; the oldest beyond the limit lapse."""

        async def write(conn: Tx) -> None:
            await conn.execute(
                "INSERT INTO calendar_feeds (token_hash, user_id, created_at) VALUES (?, ?, ?)",
                (token_hash, user_id, to_db(now)),
            )
            await conn.execute(
                "DELETE FROM calendar_feeds WHERE user_id = ? AND token_hash NOT IN"
                " (SELECT token_hash FROM calendar_feeds WHERE user_id = ?"
                "  ORDER BY created_at DESC, rowid DESC LIMIT ?)",
                (user_id, user_id, KEEP_PER_ACCOUNT),
            )

        await self.db.write(write)

    async def feed_member(self, token_hash: str) -> Membership | None:
        """The membership a link belongs to; None if unknown or the member was revoked."""
        async with self.db.execute(
            "SELECT u.* FROM calendar_feeds f JOIN users u ON u.user_id = f.user_id"
            " WHERE f.token_hash = ? AND u.revoked_at IS NULL",
            (token_hash,),
        ) as cur:
            row = await cur.fetchone()
        return _membership(row) if row else None
