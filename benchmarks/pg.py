"""A fresh PostgreSQL database on a server, for a benchmark run on PostgreSQL."""

from __future__ import annotations

import itertools
import os
from urllib.parse import urlsplit, urlunsplit

import asyncpg

_serial = itertools.count()
_made: list[str] = []  # the databases this process made, to drop when its run is over


async def fresh_database(server: str, label: str) -> str:
    """Create an empty database on `server` (dropping one of the same name) and its URL."""
    name = f"bench_{label}_{os.getpid()}_{next(_serial)}"
    conn = await asyncpg.connect(server)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await conn.execute(f'CREATE DATABASE "{name}"')
        _made.append(name)
    finally:
        await conn.close()
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


async def drop_made(server: str) -> int:
    """Drop every database `fresh_database` made on `server` (a long-lived server given by
    URL keeps nothing of a benchmark run); how many."""
    conn = await asyncpg.connect(server)
    try:
        dropped = 0
        while _made:
            # WITH (FORCE): a bot process of the run may still hold a connection (PG 13+).
            await conn.execute(f'DROP DATABASE IF EXISTS "{_made.pop()}" WITH (FORCE)')
            dropped += 1
    finally:
        await conn.close()
    return dropped
