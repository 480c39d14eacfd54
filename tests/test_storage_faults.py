"""Storage faults: a damaged database stops the start at once and is left untouched; files are
private whatever the umask; a full disk gets the member a short reply and loses no note."""

from __future__ import annotations

import asyncio
import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.report.compile import compile_report
from bot.storage import Storage, StorageError, check_database
from bot.trip.models import Trip
from tests.e2e import ROOT, bot_harness
from tests.test_report_build import NOW, seed_notes

T0 = datetime(2015, 5, 19, 13, 0, tzinfo=UTC)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """Umask 022, as on a stock server."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _damaged(tmp_path: Path, how: str) -> Path:
    path = tmp_path / "data" / "bot.sqlite3"
    path.parent.mkdir()
    if how == "random":
        path.write_bytes(os.urandom(8192))
        return path
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (x TEXT)")
        db.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 200)
    db.close()
    raw = bytearray(path.read_bytes())
    raw[4096 + 8 : 4096 + 600] = os.urandom(592)  # garble the second page, keep the header
    path.write_bytes(bytes(raw))
    return path


@pytest.mark.parametrize("how", ["random", "garbled-page"])
@pytest.mark.sqlite_only
def test_a_damaged_database_is_refused_naming_the_file(tmp_path: Path, how: str) -> None:
    path = _damaged(tmp_path, how)
    with pytest.raises(StorageError, match=str(path)):
        check_database(path)


@pytest.mark.sqlite_only
def test_the_bot_exits_at_once_on_a_damaged_database_and_leaves_it(tmp_path: Path) -> None:
    path = _damaged(tmp_path, "random")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": "123456:DamagedDbTokenDamagedDbToken_00",
        "TELEGRAM_BASE_URL": "http://127.0.0.1:9/bot",
        "BOT_DATA_DIR": str(path.parent),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode != 0
    assert str(path) in done.stderr and "not a database" in done.stderr
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    # nothing beside it but the run lock: no -wal, no -shm, no journal
    assert sorted(p.name for p in path.parent.iterdir()) == ["bot.lock", "bot.sqlite3"]


async def test_data_dir_and_database_are_private_whatever_the_umask(
    tmp_path: Path, loose_umask: None
) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    store = await Storage.open(data / "bot.sqlite3")
    try:
        await store.set_reminders_muted(1, True, T0)  # something in the WAL
        files = sorted(data.iterdir())
        modes = {p.name: _mode(p) for p in files}
    finally:
        await store.close()
    assert _mode(data) == 0o700
    assert "bot.sqlite3-wal" in modes and set(modes.values()) == {0o600}, modes


@pytest.mark.sqlite_only
async def test_a_full_disk_gets_a_short_reply_and_the_notes_come_again(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        yi = await h.join("yi-rongzong")
        conn = h.app.bot_data.storage.db
        async with conn.execute("PRAGMA page_count") as cur:
            row = await cur.fetchone()
        assert row is not None
        # The database may not grow by one page: every write that needs space fails SQLITE_FULL.
        await conn.execute(f"PRAGMA max_page_count = {row[0]}")
        texts = [f"第 {i} 則筆記：" + "會議紀錄內容" * 200 for i in range(5)]
        for text in texts:
            await h.emu.send_text(yi, text)
        await h.emu.wait_until(
            lambda: any("暫時無法儲存" in (m.text or "") for m in h.emu.messages(yi)), 10, "reply"
        )
        await asyncio.sleep(1.0)
        during = [m.text or "" for m in h.emu.messages(yi)]
        await conn.execute("PRAGMA max_page_count = 1073741823")  # space again
        await h.emu.wait_until(
            lambda: len(h.emu.messages(yi)) >= len(during) + len(texts),
            20,
            "a reply to each note after recovery",
        )
        await asyncio.sleep(1.0)
        notes = await h.app.bot_data.storage.notes_of_trip("metropolis-2015")
    assert all("暫時無法儲存" in text for text in during[1:]) and len(during) >= 2
    assert sorted(n.text for n in notes) == sorted(texts)  # each stored, once


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_reports_are_private_whatever_the_umask(
    metropolis: Trip, tmp_path: Path, loose_umask: None, fmt: str
) -> None:
    notes = seed_notes(metropolis, tmp_path / "data")
    done = compile_report(
        metropolis,
        notes.items,
        now=NOW,
        data_dir=tmp_path / "data",
        out=tmp_path / "out" / f"report.{fmt}",
        fmt=fmt,
    )
    assert done.files and {_mode(path) for path in done.files} == {0o600}
