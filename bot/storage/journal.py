"""Storage of the update journal: note messages kept from their fetch until they are handled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.storage.db import Database, Tx, to_db

MAX_REPLAYS = 2


@dataclass(frozen=True)
class JournalEntry:
    """One fetched update: its id, the message it carries, and the update as Telegram sent it."""

    update_id: int
    chat_id: int
    message_id: int
    payload: str


class JournalStore:
    """Storage methods for the update journal."""

    db: Database

    async def journal_updates(
        self, entries: Sequence[JournalEntry], now: datetime, keep: timedelta
    ) -> None:
        """Keep these updates (committed on return); forget entries older than `keep`."""

        async def write(conn: Tx) -> None:
            await conn.executemany(
                "INSERT OR IGNORE INTO update_journal"
                " (update_id, chat_id, message_id, payload, received_at) VALUES (?, ?, ?, ?, ?)",
                [(e.update_id, e.chat_id, e.message_id, e.payload, to_db(now)) for e in entries],
            )
            # Handled long ago or never to be: a note is handled within seconds of its fetch.
            await conn.execute(
                "DELETE FROM update_journal WHERE received_at < ?", (to_db(now - keep),)
            )

        await self.db.write(write)

    async def take_unhandled_updates(
        self,
        limit: int = MAX_REPLAYS,
        received_before: datetime | None = None,
        now: datetime | None = None,
    ) -> list[JournalEntry]:
        """Journalled updates whose message never became a note, oldest first, each counted
        as replayed once more; those already replayed `limit` times are left out, and so are
        those received at or after `received_before` (another worker may be handling them).
        With `now`, a taken entry counts as received then: another worker's sweep leaves it to
        this one for the same grace again."""
        before = "" if received_before is None else " AND j.received_at < ?"
        params = (limit,) if received_before is None else (limit, to_db(received_before))

        # Write transactions run one at a time (PostgreSQL's write lock, SQLite's one writer):
        # a second sweeper's SELECT sees this one's new received_at, so it takes none of them.
        async def take(conn: Tx) -> list[JournalEntry]:
            found = await conn.execute(
                "SELECT j.update_id, j.chat_id, j.message_id, j.payload FROM update_journal j"
                " LEFT JOIN note_messages m"
                " ON m.chat_id = j.chat_id AND m.message_id = j.message_id"
                f" WHERE m.note_id IS NULL AND j.replays < ?{before} ORDER BY j.update_id",
                params,
            )
            rows = await found.fetchall()
            taken_at = None if now is None else to_db(now)
            await conn.executemany(
                "UPDATE update_journal SET replays = replays + 1,"
                " received_at = COALESCE(?, received_at) WHERE update_id = ?",
                [(taken_at, row[0]) for row in rows],
            )
            return [JournalEntry(*row) for row in rows]

        return await self.db.write(take)
