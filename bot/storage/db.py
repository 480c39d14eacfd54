"""The one SQLite connection (WAL, foreign keys), its migrations and its write transactions."""

from __future__ import annotations

import asyncio
import errno
import os
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TypeVar

import aiosqlite

from bot.storage.migrations import MIGRATIONS

T = TypeVar("T")


def to_db(instant: datetime) -> str:
    """An aware instant as the UTC text stored in the database."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime given to storage; pass an aware instant")
    return instant.astimezone(UTC).isoformat(timespec="microseconds")


def from_db(text: str) -> datetime:
    """Stored UTC text back to an aware instant."""
    return datetime.fromisoformat(text)


class StorageError(RuntimeError):
    """The database cannot be used; the message names the file."""


def check_database(path: Path) -> None:
    """Refuse a database file that cannot be opened or fails `PRAGMA quick_check`. It is
    opened read-only, so a damaged file is left exactly as it was."""
    if not path.exists():
        return
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StorageError(f"{path}: cannot be opened as a database ({exc})") from None
    if rows != [("ok",)]:
        found = "; ".join(str(row[0]) for row in rows[:3])
        raise StorageError(f"{path}: fails PRAGMA quick_check ({found})")


def is_disk_full(exc: BaseException) -> bool:
    """Whether a failed write failed for want of space (SQLite's SQLITE_FULL, or ENOSPC)."""
    if isinstance(exc, sqlite3.OperationalError):
        return exc.sqlite_errorcode == sqlite3.SQLITE_FULL or "disk is full" in str(exc)
    return isinstance(exc, OSError) and exc.errno == errno.ENOSPC


def _private(path: Path) -> None:
    """The data directory 0700, the database and its journals 0600, whatever the umask."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists():
            file.chmod(0o600)


def _in_transaction(fn: Callable[[sqlite3.Connection], T], raw: sqlite3.Connection) -> T:
    raw.execute("BEGIN IMMEDIATE")
    try:
        result = fn(raw)
    except BaseException:
        if raw.in_transaction:  # SQLite itself rolled back already on some errors (SQLITE_FULL)
            raw.execute("ROLLBACK")
        raise
    raw.execute("COMMIT")
    return result


class Database:
    """One aiosqlite connection; writes go through `transaction()` one at a time."""

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        # One connection is shared by concurrent handlers: serialise transactions so that
        # statements of two updates never interleave inside one BEGIN ... COMMIT.
        self._write_lock = asyncio.Lock()

    @classmethod
    async def connect(cls, path: Path) -> Database:
        """Open (creating if needed) the database at `path` and bring its schema up to date;
        StorageError, before anything is written, if the file is not a sound database."""
        check_database(path)
        _private(path)
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        for pragma in (
            "journal_mode=WAL",
            "foreign_keys=ON",
            "synchronous=NORMAL",
            "busy_timeout=5000",
        ):
            await conn.execute(f"PRAGMA {pragma}")
        db = cls(conn, path)
        try:
            await db.migrate()
        except BaseException:
            await conn.close()
            raise
        return db

    async def migrate(self) -> int:
        """Apply the migrations not yet applied; return the schema version."""
        async with self.conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        version = int(row[0]) if row else 0
        if version > len(MIGRATIONS):
            raise RuntimeError(
                f"{self.path} has schema version {version}, newer than this bot knows "
                f"({len(MIGRATIONS)}): upgrade the bot"
            )
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            async with self._write_lock:
                # executescript commits first; the version bump is part of the same script.
                await self.conn.executescript(
                    f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
                )
        return len(MIGRATIONS)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction: committed when the block ends, rolled back on error."""
        async with self._write_lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:  # not after SQLite's own rollback (SQLITE_FULL)
                    await self.conn.execute("ROLLBACK")
                raise
            await self.conn.execute("COMMIT")

    async def write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run `fn` as one write transaction on the connection's thread, in one round trip."""
        async with self._write_lock:
            return await self._on_thread(partial(_in_transaction, fn))

    async def read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run `fn`, which only reads, on the connection's thread."""
        return await self._on_thread(fn)

    async def _on_thread(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        # aiosqlite queues every statement to its thread and back; a function that runs all of a
        # transaction's statements there costs one round trip instead of one per statement.
        # `_execute` and `_conn` are aiosqlite's own queue and sqlite3 connection (0.17–0.22).
        raw: sqlite3.Connection = self.conn._conn
        result: T = await self.conn._execute(fn, raw)  # type: ignore[no-untyped-call]
        return result

    async def close(self) -> None:
        """Close the connection (everything is already committed)."""
        await self.conn.close()
