"""`migrate-db`: copy every table of one database into another (SQLite to PostgreSQL, or back),
then check that each table holds as many rows on both sides."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.backends import open_database
from bot.storage.db import Database, StorageError, Tx

_BATCH = 1000


@dataclass(frozen=True)
class Copied:
    """One table: its rows in the source and in the target after the copy."""

    table: str
    source: int
    target: int


async def _count(db: Database | Tx, table: str) -> int:
    row = await (await db.execute(f"SELECT count(*) FROM {table}")).fetchone()
    return int(row[0]) if row else 0


async def transfer(source_url: str, target_url: str, *, replace: bool = False) -> list[Copied]:
    """Copy every table of `source_url` into `target_url` (both migrated to the current schema
    first) in one transaction of the target; a target that holds data is refused unless
    `replace`, which empties it first. The counts per table, checked equal."""
    source = await open_database(source_url)
    try:
        target = await open_database(target_url)
        try:
            return await _copy(source, target, replace)
        finally:
            await target.close()
    finally:
        await source.close()


async def _copy(source: Database, target: Database, replace: bool) -> list[Copied]:
    tables = await source.tables()
    missing = set(tables) - set(await target.tables())
    if missing:
        raise StorageError(f"{target.where}: no table {', '.join(sorted(missing))}")
    used = [t for t in tables if await _count(target, t)]
    if used and not replace:
        raise StorageError(
            f"{target.where} already holds data (in {', '.join(used)}): pass --replace to "
            "overwrite it"
        )
    out = []
    async with target.transaction() as tx:
        for table in reversed(tables):  # children before parents
            await tx.execute(f"DELETE FROM {table}")
        for table in tables:  # parents before children: the migrations' order
            result = await source.execute(f"SELECT * FROM {table}")
            rows = await result.fetchall()
            if rows:
                columns = list(rows[0].keys())
                marks = ", ".join("?" * len(columns))
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
                for start in range(0, len(rows), _BATCH):
                    await tx.executemany(sql, [tuple(r) for r in rows[start : start + _BATCH]])
            out.append(Copied(table, len(rows), await _count(tx, table)))
        if target.kind == "postgresql":
            # Ids were copied as they were: the identity sequences continue after them.
            for table in tables:
                if "id" in await _columns(tx, table):
                    await tx.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                        f" COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                    )
        wrong = [c for c in out if c.source != c.target]
        if wrong:
            raise StorageError(
                "counts differ after the copy: "
                + ", ".join(f"{c.table} {c.source} → {c.target}" for c in wrong)
            )
    return out


async def _columns(tx: Tx, table: str) -> set[str]:
    result = await tx.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?"
        " AND table_schema = current_schema() AND is_identity = 'YES'",
        (table,),
    )
    return {str(r[0]) for r in await result.fetchall()}
