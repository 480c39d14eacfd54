"""PostgreSQL through an asyncpg pool: the shared store when several workers serve one bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import asyncpg

from bot.storage import dialect
from bot.storage.db import Database, Lease, Params, Query, Result, StorageError, Tx
from bot.storage.migrations import MIGRATIONS

T = TypeVar("T")
# pg_advisory_lock keys (any two constant numbers the bot alone uses)
_MIGRATE_LOCK = 0x7464_6201
_WRITE_LOCK = 0x7464_6202
SENDER_LOCK = 0x7464_6203  # session-level, held by the one worker that sends the outbox
# The lease's own session: a frozen holder (no heartbeat) is cut off by the server, a dead
# host's connection by TCP keepalives, both within a few seconds; then its lock is free.
_LEASE_SESSION = {
    "tcp_keepalives_idle": "2",
    "tcp_keepalives_interval": "1",
    "tcp_keepalives_count": "2",
    "application_name": "bot sender lease",
}
_LEASE_TIMEOUT = 2.0  # seconds a lease query may take before the lease is counted lost
_IDENTITY = dialect.identity_tables(MIGRATIONS)


def _rowcount(status: str) -> int:
    """asyncpg's command tag ("UPDATE 3", "INSERT 0 1") as a row count."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


async def _run(conn: Any, sql: str, params: Params) -> Result:
    table = dialect.inserted_table(sql)
    returning = table in _IDENTITY
    text = dialect.statement(sql, returning)
    gives_rows = sql.lstrip()[:4].upper() in ("SELE", "WITH") or "RETURNING" in sql.upper()
    if returning or gives_rows:
        rows = list(await conn.fetch(text, *params))
        lastrowid = int(rows[0][0]) if returning and rows else None
        return Result(rows, len(rows), lastrowid)
    status = await conn.execute(text, *params)
    return Result([], _rowcount(status), None)


class _PgTx(Tx):
    """One pooled connection, in a transaction or not."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Params = ()) -> Query:
        return Query(lambda: _run(self.conn, sql, params))

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        batch = [tuple(r) for r in rows]
        if batch:
            await self.conn.executemany(dialect.statement(sql), batch)


class _PgLease(Lease):
    """A session-level advisory lock on a connection of its own (not the pool's): the lock
    lives exactly as long as that session, so a holder that dies or freezes loses it."""

    shared = True

    def __init__(self, url: str, heartbeat: float) -> None:
        self.url = url
        # Four heartbeats missed: the server ends the session (PostgreSQL 14's setting, in ms).
        idle = max(4000, int(heartbeat * 4000))
        self._session = {**_LEASE_SESSION, "idle_session_timeout": str(idle)}
        self._conn: Any = None
        self._pid: int | None = None  # the holding session's backend, for the claim fence

    @property
    def held(self) -> bool:
        return self._pid is not None and self._conn is not None and not self._conn.is_closed()

    async def renew(self) -> bool:
        """Take the lock if free, or run the heartbeat on the session that holds it."""
        self.started = True
        try:
            if self._conn is None or self._conn.is_closed():
                self._pid = None
                self._conn = await asyncpg.connect(
                    self.url, timeout=_LEASE_TIMEOUT, server_settings=self._session
                )
                self._conn.add_termination_listener(self._lost)
            if self._pid is not None:
                await self._conn.fetchval("SELECT 1", timeout=_LEASE_TIMEOUT)
            elif await self._conn.fetchval(
                "SELECT pg_try_advisory_lock($1)", SENDER_LOCK, timeout=_LEASE_TIMEOUT
            ):
                self._pid = int(self._conn.get_server_pid())
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
            await self._drop()
        return self.held

    def _lost(self, conn: Any) -> None:
        """The session ended (the server closed it, the network failed): not held, at once."""
        self._pid = None

    def fence(self) -> tuple[str, Params] | None:
        """The claim's own transaction checks that the lease's session still holds the lock."""
        if not self.held:
            return None
        return (
            " AND EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND classid = 0 AND objid::bigint = ? AND objsubid = 1 AND pid = ?)",
            (SENDER_LOCK, self._pid),
        )

    async def _drop(self) -> None:
        self._pid = None
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.terminate()  # no polite close: the server may be gone

    async def release(self) -> None:
        """Close the session: the lock goes with it."""
        self._pid = None
        conn, self._conn = self._conn, None
        if conn is not None and not conn.is_closed():
            try:
                await asyncio.wait_for(conn.close(), _LEASE_TIMEOUT)
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
                conn.terminate()


class PostgresDatabase(Database):
    """A pool of connections to one PostgreSQL database."""

    kind = "postgresql"

    def __init__(self, pool: Any, where: str, url: str = "") -> None:
        self.pool = pool
        self.where = where
        self.url = url
        self._lease: _PgLease | None = None

    @classmethod
    async def connect(cls, url: str, *, min_size: int = 1, max_size: int = 10) -> PostgresDatabase:
        """Connect to the server named by `url` and bring its schema up to date."""
        where = url.split("@")[-1]  # never the password
        try:
            pool = await asyncpg.create_pool(url, min_size=min_size, max_size=max_size)
        except (OSError, asyncpg.PostgresError) as exc:
            raise StorageError(f"{where}: cannot connect to PostgreSQL ({exc})") from None
        db = cls(pool, where, url)
        try:
            await db.migrate()
        except BaseException:
            await pool.close()
            raise
        return db

    async def migrate(self) -> int:
        """Apply the migrations not yet applied, under an advisory lock: several workers may
        start at once, and only one migrates."""
        async with self.pool.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock($1)", _MIGRATE_LOCK)
            try:
                await conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)"
                )
                version = await conn.fetchval("SELECT max(version) FROM schema_version") or 0
                if version > len(MIGRATIONS):
                    raise RuntimeError(
                        f"{self.where} has schema version {version}, newer than this bot knows "
                        f"({len(MIGRATIONS)}): upgrade the bot"
                    )
                for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                    async with conn.transaction():
                        await conn.execute(dialect.ddl(script))
                        await conn.execute("INSERT INTO schema_version VALUES ($1)", number)
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", _MIGRATE_LOCK)
        return len(MIGRATIONS)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Tx]:
        """A write transaction. Write transactions of all workers take one transaction-level
        advisory lock first: they run one at a time, as on SQLite, so a read-then-write inside
        one (the next version number, an unused invite, a stored message) cannot race."""
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", _WRITE_LOCK)
            yield _PgTx(conn)

    async def write(self, fn: Callable[[Tx], Awaitable[T]]) -> T:
        """Run `fn` as one write transaction."""
        async with self.transaction() as tx:
            return await fn(tx)

    async def read(self, fn: Callable[[Tx], Awaitable[T]]) -> T:
        """Run `fn`, which only reads, in one read-only snapshot."""
        async with self.pool.acquire() as conn, conn.transaction(readonly=True):
            return await fn(_PgTx(conn))

    def execute(self, sql: str, params: Params = ()) -> Query:
        """One statement on a pooled connection, committed on its own."""

        async def run() -> Result:
            async with self.pool.acquire() as conn:
                return await _run(conn, sql, params)

        return Query(run)

    async def tables(self) -> list[str]:
        """The bot's tables, in the order the migrations created them."""
        rows = await self.pool.fetch(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind = 'r' AND n.nspname = current_schema()"
            " AND c.relname <> 'schema_version' ORDER BY c.oid"
        )
        return [str(r[0]) for r in rows]

    def sender_lease(self, heartbeat: float = 1.0) -> Lease:
        """The advisory lock that makes one worker the sender, on a session of its own."""
        if self._lease is None:
            self._lease = _PgLease(self.url, heartbeat)
        return self._lease

    async def close(self) -> None:
        """Give up the lease, close the pool."""
        if self._lease is not None:
            await self._lease.release()
        await self.pool.close()
