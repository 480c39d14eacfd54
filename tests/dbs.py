"""The test database: SQLite in tmp_path, or, with BOT_TEST_DATABASE_URL set, a fresh PostgreSQL
database on that server for each data folder (the same folder gets the same database again, so
a bot restarted over its data finds it)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import threading
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

SERVER = os.environ.get("BOT_TEST_DATABASE_URL", "").strip() or None
_made: set[str] = set()
_lock = threading.Lock()


def on_postgres() -> bool:
    """Whether this run stores on PostgreSQL."""
    return SERVER is not None


def _with_database(name: str) -> str:
    assert SERVER is not None
    parts = urlsplit(SERVER)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _run(coro_fn: object) -> None:
    # Called from inside a running loop (fixtures, the harness): a loop of its own on a thread.
    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coro_fn())  # type: ignore[operator]
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


def database_url(data_dir: Path) -> str | None:
    """None on SQLite; on PostgreSQL the URL of the database that belongs to `data_dir`."""
    if SERVER is None:
        return None
    name = "t_" + hashlib.sha1(str(data_dir.resolve()).encode()).hexdigest()[:20]
    with _lock:
        if name not in _made:

            async def create() -> None:
                conn = await asyncpg.connect(SERVER)
                try:
                    await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                    await conn.execute(f'CREATE DATABASE "{name}"')
                finally:
                    await conn.close()

            _run(create)
            _made.add(name)
    return _with_database(name)


def drop_all() -> None:
    """Drop every database this run made."""
    if SERVER is None or not _made:
        return

    async def drop() -> None:
        conn = await asyncpg.connect(SERVER)
        try:
            for name in sorted(_made):
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    _run(drop)
    _made.clear()
