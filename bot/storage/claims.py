"""Leases on note files being downloaded, so that of several workers on one database only one
fetches a file at a time, and a dead worker's claim runs out.

`claimed_by` names the worker (a token made per run) and `claimed_until` ends the lease, on
the caller's clock. A worker that failed keeps the file as `<token>/wait` until its backoff
ends: others leave it alone until then, and the worker itself may end its own wait early."""

from __future__ import annotations

from datetime import datetime

from bot.storage.db import Database, to_db
from bot.storage.notes import PendingFile

WAITING = "/wait"  # suffix of `claimed_by` while a failed file waits out its backoff


class FileClaimsStore:
    """Storage methods for download leases on `note_files`."""

    db: Database

    async def claim_file(self, file_row: int, worker: str, now: datetime, until: datetime) -> bool:
        """Take the lease on a pending file until `until`; False if it is not pending, or
        another worker holds it, or this worker is fetching it already."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE note_files SET claimed_by = ?, claimed_until = ?"
                " WHERE id = ? AND status = 'pending' AND (claimed_until IS NULL"
                " OR claimed_until < ? OR claimed_by = ?)",
                (worker, to_db(until), file_row, to_db(now), worker + WAITING),
            )
            return cur.rowcount == 1

    async def claimable_files(self, worker: str, now: datetime) -> list[PendingFile]:
        """The pending files `worker` may lease now (no live lease of another's), oldest first."""
        async with self.db.execute(
            "SELECT f.id, f.note_id, n.user_id, n.chat_id, f.file_id, f.mime_type, f.kind,"
            " f.attempts, f.message_id FROM note_files f JOIN notes n ON n.id = f.note_id"
            " WHERE f.status = 'pending' AND (f.claimed_until IS NULL OR f.claimed_until < ?"
            " OR f.claimed_by = ?) ORDER BY f.id",
            (to_db(now), worker + WAITING),
        ) as cur:
            return [PendingFile(*row) for row in await cur.fetchall()]

    async def wait_file(self, file_row: int, worker: str, until: datetime) -> None:
        """After a failed try: keep others off the file until its backoff ends at `until`."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE note_files SET claimed_by = ?, claimed_until = ?"
                " WHERE id = ? AND claimed_by = ?",
                (worker + WAITING, to_db(until), file_row, worker),
            )

    async def release_file(self, file_row: int, worker: str) -> None:
        """Give the lease back (the fetch stopped for a reason that is not the file's)."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE note_files SET claimed_by = NULL, claimed_until = NULL"
                " WHERE id = ? AND claimed_by IN (?, ?)",
                (file_row, worker, worker + WAITING),
            )

    async def release_all_files(self, worker: str) -> int:
        """Free every lease but `worker`'s own: this process is the database's only user
        (SQLite's run lock), so any other lease is a dead run's. How many."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE note_files SET claimed_by = NULL, claimed_until = NULL"
                " WHERE claimed_by IS NOT NULL AND claimed_by NOT IN (?, ?)",
                (worker, worker + WAITING),
            )
            return cur.rowcount
