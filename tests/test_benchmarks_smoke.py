"""The benchmarks run at tiny sizes and print their figures: on SQLite, and with the bot's storage
on PostgreSQL as 1, 2 and 3 webhook workers, with the `--compare` table. Nothing is timed: a
figure is printed, never asserted."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest

from tests import dbs

ROOT = Path(__file__).resolve().parent.parent
TINY_BRIEFING = ["--updates", "20", "--users", "4", "--rates", "0", "--paces", "0", "--repeat", "1"]
TINY_NOTES = ["--per-delegate", "2", "--repeat", "1"]
ROWS = ("| floor |", "| SQLite, 1 process |", "| PG, 1 worker |", "| PG, 3 workers |")
pg_only = pytest.mark.skipif(
    not dbs.on_postgres(), reason="the PostgreSQL deployments need BOT_TEST_DATABASE_URL"
)


def bench(module: str, *args: str) -> str:
    """Run `python -m benchmarks.MODULE ARGS…`; its output (it must exit 0)."""
    env = {k: v for k, v in os.environ.items() if k != "BOT_DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{module}", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_notes_on_sqlite_prints_its_ratio() -> None:
    out = bench("notes", *TINY_NOTES)
    assert "notes bot :" in out and "bare PTB + 1 INSERT:" in out
    assert "throughput ratio floor/notes: median" in out


@pg_only
def test_briefing_compare_prints_the_table() -> None:
    assert dbs.SERVER is not None
    out = bench("briefing", *TINY_BRIEFING, "--compare", "--postgres", dbs.SERVER)
    assert "| bot | upd/s | p50 ms | p99 ms |" in out and "SQLite/this throughput" in out
    assert "server CPU ms/upd" in out
    for row in ROWS:
        assert row in out, out
    assert asyncio.run(_bench_databases(dbs.SERVER)) == []  # a given server keeps none


async def _bench_databases(server: str) -> list[str]:
    conn = await asyncpg.connect(server)
    try:
        rows = await conn.fetch("SELECT datname FROM pg_database WHERE datname LIKE 'bench_%'")
    finally:
        await conn.close()
    return [row["datname"] for row in rows]


@pg_only
def test_notes_compare_prints_the_table_and_stores_each_note_once() -> None:
    assert dbs.SERVER is not None
    # Each run counts the notes stored and fails unless each was stored exactly once.
    out = bench("notes", *TINY_NOTES, "--compare", "--postgres", dbs.SERVER)
    assert "| bot | note/s |" in out
    for row in ROWS:
        assert row in out, out


@pg_only
def test_notes_with_two_workers_beside_sqlite() -> None:
    assert dbs.SERVER is not None
    out = bench("notes", *TINY_NOTES, "--workers", "2", "--postgres", dbs.SERVER)
    assert "notes bot on PG, 2 workers:" in out
    assert "throughput ratio floor/notes on PostgreSQL: median" in out
