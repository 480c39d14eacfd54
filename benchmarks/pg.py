"""A fresh PostgreSQL database on a server, for a benchmark run on PostgreSQL."""

from __future__ import annotations

import itertools
import os
from urllib.parse import urlsplit, urlunsplit

import asyncpg

_serial = itertools.count()


async def fresh_database(server: str, label: str) -> str:
    """Create an empty database on `server` (dropping one of the same name) and its URL."""
    name = f"bench_{label}_{os.getpid()}_{next(_serial)}"
    conn = await asyncpg.connect(server)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
