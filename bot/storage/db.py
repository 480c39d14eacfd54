"""The one storage interface: transactions and statements with `?` parameters, on SQLite or
PostgreSQL (`sqlite.py`, `postgres.py`); the SQL is written once and `dialect.py` adapts it."""

from __future__ import annotations

import errno
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Generator, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeAlias, TypeVar

T = TypeVar("T")
# sqlite3.Row and asyncpg.Record: both index by column name and by position, and iterate values.
Row: TypeAlias = Any
Params: TypeAlias = Sequence[Any]


def to_db(instant: datetime) -> str:
    """An aware instant as the UTC text stored in the database."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime given to storage; pass an aware instant")
    return instant.astimezone(UTC).isoformat(timespec="microseconds")


def from_db(text: str) -> datetime:
    """Stored UTC text back to an aware instant."""
    return datetime.fromisoformat(text)


class StorageError(RuntimeError):
    """The database cannot be used; the message names the file or server."""


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
    """Whether a failed write failed for want of space (SQLite's SQLITE_FULL, PostgreSQL's
    disk_full, or ENOSPC)."""
    if isinstance(exc, sqlite3.OperationalError):
        return exc.sqlite_errorcode == sqlite3.SQLITE_FULL or "disk is full" in str(exc)
    if getattr(exc, "sqlstate", None) == "53100":
        return True
    return isinstance(exc, OSError) and exc.errno == errno.ENOSPC


class Result:
    """What a statement gave: its rows, how many rows it changed, the id it inserted."""

    def __init__(self, rows: list[Row], rowcount: int, lastrowid: int | None) -> None:
        self.rows = rows
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    async def fetchone(self) -> Row | None:
        """The first row, if any."""
        return self.rows[0] if self.rows else None

    async def fetchall(self) -> list[Row]:
        """Every row."""
        return self.rows


class Query:
    """A statement on its way: awaited, or used as `async with ... as cur`, it gives a Result."""

    def __init__(self, run: Callable[[], Awaitable[Result]]) -> None:
        self._run = run

    def __await__(self) -> Generator[Any, None, Result]:
        return self._run().__await__()

    async def __aenter__(self) -> Result:
        return await self._run()

    async def __aexit__(self, *exc: object) -> None:
        return None


class Tx(ABC):
    """A connection inside one transaction (or, for reads, outside any)."""

    @abstractmethod
    def execute(self, sql: str, params: Params = ()) -> Query:
        """Run one statement."""

    @abstractmethod
    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement once per parameter row."""


class Lease(ABC):
    """The sender lease of one process: which worker sends the outbox (bot/outbox/lease.py)."""

    started = False  # True once tried: from then on, claims are fenced by it
    shared = False  # whether other processes may queue rows (then the holder sweeps)

    @property
    @abstractmethod
    def held(self) -> bool:
        """Whether this process holds it, as last seen."""

    @abstractmethod
    async def renew(self) -> bool:
        """Take it if free, or prove it is still held (a heartbeat); whether it is held now."""

    @abstractmethod
    def fence(self) -> tuple[str, Params] | None:
        """A condition to AND into a claim so that it claims only while the lease is held
        ("" when nothing need be checked); None when it is not held: claim nothing."""

    @abstractmethod
    async def release(self) -> None:
        """Give it up (another worker may take it at once)."""


class Database(ABC):
    """The storage interface both backends implement."""

    kind: str  # "sqlite" or "postgresql"
    where: str  # the file or server, for messages

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Tx]:
        """A write transaction: committed when the block ends, rolled back on error. Write
        transactions run one at a time, as SQLite's BEGIN IMMEDIATE makes them."""

    @abstractmethod
    async def write(self, fn: Callable[[Tx], Awaitable[T]]) -> T:
        """Run `fn` as one write transaction (on SQLite in one round trip to its thread)."""

    @abstractmethod
    async def read(self, fn: Callable[[Tx], Awaitable[T]]) -> T:
        """Run `fn`, which only reads."""

    @abstractmethod
    def execute(self, sql: str, params: Params = ()) -> Query:
        """One statement outside a transaction (a read, or a write committed on its own)."""

    @abstractmethod
    async def tables(self) -> list[str]:
        """The bot's tables, in the order the migrations created them."""

    @abstractmethod
    def sender_lease(self, heartbeat: float = 1.0) -> Lease:
        """This process's sender lease on this database (one object, made on first use);
        `heartbeat`: the seconds between its renewals."""

    @abstractmethod
    async def close(self) -> None:
        """Close the connection(s); everything is already committed."""


def consume(coro: Awaitable[T]) -> T:
    """Run a coroutine that never suspends (every await in it is answered at once) to its end,
    here and now; a coroutine that does wait is an error."""
    gen = coro.__await__()
    try:
        waited = next(gen)
    except StopIteration as done:
        result: T = done.value
        return result
    gen.close()
    raise RuntimeError(f"a write function awaited {waited!r}; it may await only its transaction")
