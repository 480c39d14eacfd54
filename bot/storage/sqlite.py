"""SQLite: one sqlite3 connection (WAL, foreign keys) owned by one thread of this module."""

from __future__ import annotations

import asyncio
import os
import queue
import sqlite3
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from bot.storage import dialect
from bot.storage.db import (
    Database,
    Lease,
    Params,
    Query,
    Result,
    Tx,
    check_database,
    consume,
)
from bot.storage.migrations import MIGRATIONS

T = TypeVar("T")
_PRAGMAS = ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL", "busy_timeout=5000")


def _private(path: Path) -> None:
    """The data directory 0700, the database and its journals 0600, whatever the umask."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists():
            file.chmod(0o600)


def _run(raw: sqlite3.Connection, sql: str, params: Params) -> Result:
    cur = raw.execute(dialect.sqlite(sql), tuple(params))
    rows = cur.fetchall() if cur.description else []
    return Result(rows, cur.rowcount, cur.lastrowid)


class _Thread:
    """The one thread that touches the connection; a call costs one hop there and back."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name="sqlite", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while (job := self._jobs.get()) is not None:
            fn, future, loop = job
            try:
                value = fn()
            except BaseException as exc:  # handed back to the awaiting task
                loop.call_soon_threadsafe(_settle, future, None, exc)
            else:
                loop.call_soon_threadsafe(_settle, future, value, None)

    async def call(self, fn: Callable[[], T]) -> T:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put((fn, future, loop))
        return await future

    def stop(self) -> None:
        self._jobs.put(None)
        self._thread.join()


def _settle(future: asyncio.Future[Any], value: Any, exc: BaseException | None) -> None:
    if future.cancelled():
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(value)


class _HereTx(Tx):
    """Statements run at once on the calling thread (the database's own)."""

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Params = ()) -> Query:
        async def run() -> Result:
            return _run(self.raw, sql, params)

        return Query(run)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        self.raw.executemany(sql, [tuple(r) for r in rows])


class _AwayTx(Tx):
    """Statements sent to the database's thread one by one (a transaction() block)."""

    def __init__(self, db: SqliteDatabase) -> None:
        self.db = db

    def execute(self, sql: str, params: Params = ()) -> Query:
        return self.db.execute(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        batch = [tuple(r) for r in rows]
        await self.db._thread.call(lambda: self.db._raw.executemany(sql, batch))


def _in_transaction(raw: sqlite3.Connection, fn: Callable[[Tx], Awaitable[T]]) -> T:
    raw.execute("BEGIN IMMEDIATE")
    try:
        result = consume(fn(_HereTx(raw)))
    except BaseException:
        if raw.in_transaction:  # SQLite itself rolled back already on some errors (SQLITE_FULL)
            raw.execute("ROLLBACK")
        raise
    raw.execute("COMMIT")
    return result


class _AlwaysHeld(Lease):
    """SQLite's sender lease: one process, always the sender."""

    @property
    def held(self) -> bool:
        return True

    async def renew(self) -> bool:
        """Held."""
        self.started = True
        return True

    def fence(self) -> tuple[str, Params]:
        """Nothing to check."""
        return "", ()

    async def release(self) -> None:
        """Nothing to give up."""


class SqliteDatabase(Database):
    """One connection; writes go through one transaction at a time."""

    kind = "sqlite"

    def __init__(self, raw: sqlite3.Connection, thread: _Thread, path: Path) -> None:
        self._raw = raw
        self._thread = thread
        self.path = path
        self.where = str(path)
        # One connection is shared by concurrent handlers: serialise transactions so that
        # statements of two updates never interleave inside one BEGIN ... COMMIT.
        self._write_lock = asyncio.Lock()
        self._lease = _AlwaysHeld()

    @classmethod
    async def connect(cls, path: Path) -> SqliteDatabase:
        """Open (creating if needed) the database at `path` and bring its schema up to date;
        StorageError, before anything is written, if the file is not a sound database."""
        check_database(path)
        _private(path)
        thread = _Thread()

        def open_() -> sqlite3.Connection:
            raw = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            raw.row_factory = sqlite3.Row
            for pragma in _PRAGMAS:
                raw.execute(f"PRAGMA {pragma}")
            return raw

        try:
            raw = await thread.call(open_)
        except BaseException:
            thread.stop()
            raise
        db = cls(raw, thread, path)
        try:
            await db.migrate()
        except BaseException:
            await db.close()
            raise
        return db

    async def migrate(self) -> int:
        """Apply the migrations not yet applied; return the schema version."""

        def run() -> int:
            version = int(self._raw.execute("PRAGMA user_version").fetchone()[0])
            if version > len(MIGRATIONS):
                raise RuntimeError(
                    f"{self.path} has schema version {version}, newer than this bot knows "
                    f"({len(MIGRATIONS)}): upgrade the bot"
                )
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                # executescript commits first; the version bump is part of the same script.
                self._raw.executescript(
                    f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
                )
            return len(MIGRATIONS)

        async with self._write_lock:
            return await self._thread.call(run)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """A write transaction: committed when the block ends, rolled back on error."""
        async with self._write_lock:
            await self._thread.call(lambda: self._raw.execute("BEGIN IMMEDIATE"))
            try:
                yield _AwayTx(self)
            except BaseException:
                await self._thread.call(self._rollback)
                raise
            await self._thread.call(lambda: self._raw.execute("COMMIT"))

    def _rollback(self) -> None:
        if self._raw.in_transaction:  # not after SQLite's own rollback (SQLITE_FULL)
            self._raw.execute("ROLLBACK")

    async def write(self, fn: Callable[[Tx], Awaitable[T]]) -> T:
        """Run `fn` as one write transaction on the connection's thread, in one round trip."""
        async with self._write_lock:
            return await self._thread.call(lambda: _in_transaction(self._raw, fn))

    async def read(self, fn: Callable[[Tx], Awaitable[T]]) -> T:
        """Run `fn`, which only reads, on the connection's thread in one round trip."""
        return await self._thread.call(lambda: consume(fn(_HereTx(self._raw))))

    def execute(self, sql: str, params: Params = ()) -> Query:
        """One statement on the connection's thread."""

        async def run() -> Result:
            return await self._thread.call(lambda: _run(self._raw, sql, params))

        return Query(run)

    async def tables(self) -> list[str]:
        """The bot's tables, in the order the migrations created them."""
        rows = await (
            await self.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")
        ).fetchall()
        return [str(r[0]) for r in rows if not str(r[0]).startswith("sqlite_")]

    def sender_lease(self, heartbeat: float = 1.0) -> Lease:
        """One process owns a SQLite file (its run lock says so): the lease is always held."""
        return self._lease

    async def close(self) -> None:
        """Close the connection (everything is already committed) and end its thread."""
        try:
            await self._thread.call(self._raw.close)
        finally:
            self._thread.stop()
