"""Backup while the bot takes notes, restore into a fresh folder, compile the report from it."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.storage import Storage
from tests.e2e import ROOT, bot_harness

# `backup` copies the .sqlite3 file itself; on PostgreSQL it refuses (pg_dump is the tool).
pytestmark = pytest.mark.sqlite_only

T0 = datetime(2015, 5, 19, 13, 0, tzinfo=UTC)  # 10:00 in Buenos Aires
PHOTO = b"\xff\xd8\xff\xe0" + b"plenary photo " * 300
SAVED = re.compile(r"已儲存筆記 #(\d+)")


async def _cli(data: Path, *args: str) -> tuple[int, str]:
    env = {**os.environ, "BOT_DATA_DIR": str(data), "BOT_CONTENT_DIR": str(ROOT / "content")}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    pipe, merged = asyncio.subprocess.PIPE, asyncio.subprocess.STDOUT
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, env=env, cwd=ROOT, stdout=pipe, stderr=merged
    )
    out, _ = await proc.communicate()
    return proc.returncode or 0, out.decode()


async def test_backup_under_a_note_burst_restores_and_compiles(tmp_path: Path) -> None:
    saved: set[int] = set()
    async with bot_harness(tmp_path, T0) as h:
        yi = await h.join("yi-rongzong")
        await h.emu.send_photo(yi, PHOTO, caption="全體大會 #附件")
        assert SAVED.search((await h.emu.wait_for(yi, timeout=10)).text or "")

        async def write(count: int) -> None:
            for i in range(count):
                reply = await h.ask(yi, f"會議紀要第 {i} 則", wait=10)
                found = SAVED.search(reply.text or "")
                assert found, reply.text
                saved.add(int(found[1]))

        await write(20)
        confirmed = set(saved) | {1}
        burst = asyncio.create_task(write(60))  # the bot keeps writing during the backup
        code, out = await _cli(tmp_path / "data", "backup", str(tmp_path / "backup"))
        assert code == 0, out
        await burst
        # A restore over the running bot is refused, and changes nothing.
        code, out = await _cli(tmp_path / "data", "restore", str(tmp_path / "backup"))
        assert code == 2 and "a bot is running" in out, out
        assert len(await h.app.bot_data.storage.notes_of_trip("metropolis-2015")) == 81
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    media = [p for p in manifest["files"] if p.startswith("media/")]
    assert sorted(manifest["files"]) == ["bot.sqlite3", "invite.key", *media] and len(media) == 1
    assert manifest["files"][media[0]] == hashlib.sha256(PHOTO).hexdigest()
    assert oct((tmp_path / "backup" / "bot.sqlite3").stat().st_mode & 0o777) == "0o600"

    fresh = tmp_path / "fresh"
    code, out = await _cli(fresh, "restore", str(tmp_path / "backup"))
    assert code == 0, out
    store = await Storage.open(fresh / "bot.sqlite3")
    try:
        restored = {n.id for n in await store.notes_of_trip("metropolis-2015")}
    finally:
        await store.close()
    assert confirmed <= restored  # every note confirmed before the backup started is in it
    report_md = str(tmp_path / "report.md")
    code, out = await _cli(fresh, "report", "--trip", "metropolis-2015", "--out", report_md)
    assert code == 0, out
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "會議紀要第 0 則" in report and "全體大會" in report


async def test_a_damaged_backup_is_refused_before_anything_is_replaced(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        yi = await h.join("yi-rongzong")
        await h.ask(yi, "第一則")
    code, out = await _cli(tmp_path / "data", "backup", str(tmp_path / "backup"))
    assert code == 0, out
    code, out = await _cli(tmp_path / "data", "backup", str(tmp_path / "backup"))
    assert code == 2 and "not empty" in out
    db = tmp_path / "backup" / "bot.sqlite3"
    damaged = bytearray(db.read_bytes())
    damaged[100:108] = b"\xff" * 8  # the schema table's b-tree page header
    db.write_bytes(bytes(damaged))
    target = tmp_path / "other"
    target.mkdir()
    (target / "bot.sqlite3").write_bytes(b"the current database")
    code, out = await _cli(target, "restore", str(tmp_path / "backup"))
    assert code == 2 and "sha256 does not match" in out, out
    assert (target / "bot.sqlite3").read_bytes() == b"the current database"
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    manifest["files"]["bot.sqlite3"] = hashlib.sha256(db.read_bytes()).hexdigest()
    (tmp_path / "backup" / "manifest.json").write_text(json.dumps(manifest))
    code, out = await _cli(target, "restore", str(tmp_path / "backup"))
    assert code == 2 and ("integrity_check" in out or "not a database" in out), out
    assert (target / "bot.sqlite3").read_bytes() == b"the current database"


async def test_an_invite_made_before_the_backup_admits_after_a_restore(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        code = await h.invite("metropolis-2015", "cao-kaiwen")
    code_, out = await _cli(tmp_path / "data", "backup", str(tmp_path / "backup"))
    assert code_ == 0 and "the invite key" in out, out
    key = tmp_path / "backup" / "invite.key"
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    fresh = tmp_path / "fresh"
    code_, out = await _cli(fresh / "data", "restore", str(tmp_path / "backup"))
    assert code_ == 0, out
    async with bot_harness(fresh, T0) as h:  # invites are keyed hashes: the key came along
        welcome = await h.ask(h.user("Cao"), f"/start {code}")
    assert "歡迎" in (welcome.text or ""), welcome.text


async def test_a_damaged_database_fails_the_backup_and_leaves_no_folder(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        yi = await h.join("yi-rongzong")
        await h.ask(yi, "第一則")
    db = tmp_path / "data" / "bot.sqlite3"
    damaged = bytearray(db.read_bytes())
    damaged[100:108] = b"\xff" * 8  # the schema table's b-tree page header
    db.write_bytes(bytes(damaged))
    code, out = await _cli(tmp_path / "data", "backup", str(tmp_path / "backup"))
    assert code == 2 and "bot.sqlite3" in out and "nothing was" in out, out
    assert not (tmp_path / "backup").exists()
    assert db.read_bytes() == bytes(damaged)  # the backup never writes to what it reads
