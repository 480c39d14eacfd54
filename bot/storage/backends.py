"""Which database a URL names: the one place that knows both backends (the interface in
`db.py` knows neither)."""

from __future__ import annotations

from pathlib import Path

from bot.storage.db import Database
from bot.storage.postgres import PostgresDatabase
from bot.storage.sqlite import SqliteDatabase


async def open_database(target: Path | str) -> Database:
    """A SQLite file (a path, or `sqlite:///path`) or a PostgreSQL server (`postgresql://…`),
    migrated to the current schema."""
    text = str(target)
    if text.startswith(("postgresql://", "postgres://")):
        return await PostgresDatabase.connect(text)
    if text.startswith("sqlite://"):
        text = text.removeprefix("sqlite://")
    return await SqliteDatabase.connect(Path(text))
