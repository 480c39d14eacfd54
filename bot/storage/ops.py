"""Storage for operating the bot: a heartbeat write for the health check, counts for metrics."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime

from bot.storage.db import Database, from_db, to_db

# The outboxes: a send is queued, then claimed just before its HTTP call, then recorded.
OUTBOXES = {"notices": "notice_sends", "reminders": "reminder_sends"}


@dataclass(frozen=True)
class OpsCounts:
    """What the database counts for /metrics and /healthz; no trip data."""

    notes: int = 0
    downloads_pending: int = 0
    reminder_sends: dict[str, int] = field(default_factory=dict)
    outboxes: dict[str, tuple[int, float]] = field(default_factory=dict)  # depth, oldest age s


class OpsStore:
    """Storage methods for health checks and metrics."""

    db: Database

    async def heartbeat(self, now: datetime) -> None:
        """Write one row and commit it: proves the database takes writes."""

        def write(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT INTO heartbeat (id, at) VALUES (1, ?)"
                " ON CONFLICT (id) DO UPDATE SET at = excluded.at",
                (to_db(now),),
            )

        await self.db.write(write)

    async def ops_counts(self, now: datetime) -> OpsCounts:
        """Notes, pending downloads, reminder sends by state, and each outbox's backlog."""

        def read(conn: sqlite3.Connection) -> OpsCounts:
            notes = conn.execute("SELECT count(*) FROM notes WHERE deleted_at IS NULL").fetchone()
            pending = conn.execute(
                "SELECT count(*) FROM note_files WHERE status = 'pending'"
            ).fetchone()
            sends = dict(
                conn.execute("SELECT state, count(*) FROM reminder_sends GROUP BY state").fetchall()
            )
            outboxes = {}
            for name, table in OUTBOXES.items():
                depth, oldest = conn.execute(
                    f"SELECT count(*), min(CASE WHEN state = 'queued' THEN at END) FROM {table}"
                    " WHERE state IN ('queued', 'claimed')"
                ).fetchone()
                age = (now - from_db(oldest)).total_seconds() if oldest else 0.0
                outboxes[name] = (int(depth), max(0.0, age))
            return OpsCounts(int(notes[0]), int(pending[0]), sends, outboxes)

        return await self.db.read(read)
