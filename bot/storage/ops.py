"""Storage for operating the bot: a heartbeat write for the health check, counts for metrics."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.storage.db import Database, Row, Tx, from_db, to_db

# The kinds of the one outbox (bot/storage/outbox.py), by their name in /metrics and /healthz:
# a row is queued, then claimed just before its HTTP call, then recorded.
OUTBOXES = {"notices": "notice", "reminders": "reminder", "digests": "digest"}


@dataclass(frozen=True)
class OpsCounts:
    """What the database counts for /metrics and /healthz; no trip data."""

    notes: int = 0
    downloads_pending: int = 0
    reminder_sends: dict[str, int] = field(default_factory=dict)
    outboxes: dict[str, tuple[int, float]] = field(default_factory=dict)  # depth, oldest age s
    sender: bool | None = None  # whether this worker holds the sender lease (not the database's)


class OpsStore:
    """Storage methods for health checks and metrics."""

    db: Database

    async def heartbeat(self, now: datetime) -> None:
        """Write one row and commit it: proves the database takes writes."""

        async def write(conn: Tx) -> None:
            await conn.execute(
                "INSERT INTO heartbeat (id, at) VALUES (1, ?)"
                " ON CONFLICT (id) DO UPDATE SET at = excluded.at",
                (to_db(now),),
            )

        await self.db.write(write)

    async def ops_counts(self, now: datetime) -> OpsCounts:
        """Notes, pending downloads, reminder sends by state, and each outbox's backlog."""

        async def one(conn: Tx, sql: str) -> Row:
            return await (await conn.execute(sql)).fetchone()

        async def read(conn: Tx) -> OpsCounts:
            notes = await one(conn, "SELECT count(*) FROM notes WHERE deleted_at IS NULL")
            pending = await one(conn, "SELECT count(*) FROM note_files WHERE status = 'pending'")
            by_state = "SELECT state, count(*) FROM outbox WHERE kind = 'reminder' GROUP BY state"
            sends = {row[0]: int(row[1]) for row in await (await conn.execute(by_state)).fetchall()}
            outboxes = {}
            for name, kind in OUTBOXES.items():
                depth, oldest = await one(
                    conn,
                    "SELECT count(*), min(CASE WHEN state = 'queued' THEN at END) FROM outbox"
                    f" WHERE kind = '{kind}' AND state IN ('queued', 'claimed')",
                )
                age = (now - from_db(oldest)).total_seconds() if oldest else 0.0
                outboxes[name] = (int(depth), max(0.0, age))
            return OpsCounts(int(notes[0]), int(pending[0]), sends, outboxes)

        return await self.db.read(read)
