"""The parts of an album seen so far, counted in the database: Telegram sends each part as an
update of its own, and on several workers the parts of one album may reach different ones."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.storage.db import Database, to_db

# A count older than this is a crash's or a lost part's: no album takes this long to arrive.
ALBUM_STALE = timedelta(hours=1)


class AlbumsStore:
    """Storage methods that tell the last part of an album from the others."""

    db: Database

    async def album_part(self, chat_id: int, album: str, now: datetime) -> int:
        """Count one more part of the album; its number (1 for the first seen). The chat's
        counts left stale are dropped in the same transaction."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "DELETE FROM album_parts WHERE chat_id = ? AND album <> ?"
                " AND (seen_at IS NULL OR seen_at < ?)",
                (chat_id, album, to_db(now - ALBUM_STALE)),
            )
            cur = await conn.execute(
                "INSERT INTO album_parts (chat_id, album, parts, seen_at) VALUES (?, ?, 1, ?)"
                " ON CONFLICT (chat_id, album)"
                " DO UPDATE SET parts = album_parts.parts + 1, seen_at = excluded.seen_at"
                " RETURNING parts",
                (chat_id, album, to_db(now)),
            )
            row = await cur.fetchone()
        assert row is not None
        return int(row[0])

    async def last_album_part(self, chat_id: int, album: str, part: int) -> bool:
        """Whether part number `part` is still the album's last; if it is, the count is done
        with (a later part, should one come, starts a new one)."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "DELETE FROM album_parts WHERE chat_id = ? AND album = ? AND parts = ?",
                (chat_id, album, part),
            )
            return cur.rowcount == 1
