"""`python -m bot run` as a process: bad settings and content stop it; SIGTERM loses nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.invites import issue_invite
from bot.storage import Storage
from bot.trip.loader import load_trip
from emulator import BotApiEmulator

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "987654321:SecretTokenThatMustNeverBeLogged_x"
CLOCK = "2015-05-19T10:00:00-03:00"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "BOT_DATA_DIR": str(tmp_path / "data"),
        "BOT_CLOCK_START": CLOCK,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        **extra,
    }


def test_a_malformed_setting_names_the_variable(tmp_path: Path) -> None:
    env = _env(tmp_path, TELEGRAM_BASE_URL="localhost:1234")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "TELEGRAM_BASE_URL" in done.stderr


def test_invalid_content_stops_the_start_with_file_and_line(tmp_path: Path) -> None:
    trip = tmp_path / "content" / "broken"
    trip.mkdir(parents=True)
    (trip / "trip.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    env = _env(
        tmp_path,
        BOT_CONTENT_DIR=str(tmp_path / "content"),
        TELEGRAM_BASE_URL="http://127.0.0.1:9/bot",
    )
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "trip.yaml:" in done.stderr and "YAML syntax" in done.stderr


async def _invite(tmp_path: Path) -> str:
    storage = await Storage.open(tmp_path / "data" / "bot.sqlite3")
    trip = load_trip(ROOT / "content" / "metropolis-2015")
    now = datetime.fromisoformat(CLOCK).astimezone(UTC)
    invite = await issue_invite(
        storage, trip, "yi-rongzong", "delegate", created_by="test", now=now, ttl=timedelta(days=1)
    )
    await storage.close()
    return invite.code


def _spawn(env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    with log_path.open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=log, stderr=log
        )


async def _start(emu: BotApiEmulator, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = _env(tmp_path, TELEGRAM_BASE_URL=emu.base_url, TELEGRAM_BASE_FILE_URL=emu.base_file_url)
    proc = _spawn(env, tmp_path / "bot.log")
    calls = emu.stats.calls.get("getUpdates", 0)
    await emu.wait_until(
        lambda: emu.stats.calls.get("getUpdates", 0) > calls, timeout=30, what="the bot to poll"
    )
    return proc


async def _sigterm(proc: subprocess.Popen[bytes]) -> int:
    proc.send_signal(signal.SIGTERM)
    return await asyncio.wait_for(asyncio.to_thread(proc.wait), timeout=30)


async def test_sigterm_finishes_work_confirms_the_offset_and_never_logs_the_token(
    tmp_path: Path,
) -> None:
    code = await _invite(tmp_path)
    async with BotApiEmulator(bot_username="run_test_bot") as emu:
        proc = await _start(emu, tmp_path)
        yi = emu.user(first_name="Yi", language_code="zh-hant")
        await emu.send_text(yi, f"/start {code}")
        await emu.wait_for(yi, timeout=20)
        for day in range(16, 21):
            await emu.send_text(yi, f"/itinerary 104.05.{day}")
        assert await _sigterm(proc) == 0
        answered = len(emu.drain(yi))
        # Each update was either answered before the stop or left unconfirmed for the next run.
        assert answered + emu.pending_updates == 5
        proc = await _start(emu, tmp_path)
        if answered < 5:
            await emu.wait_for_many(yi, 5 - answered, timeout=20)
        await asyncio.sleep(1.0)
        assert emu.drain(yi) == [] and emu.pending_updates == 0  # nothing twice
        assert await _sigterm(proc) == 0
    log = (tmp_path / "bot.log").read_text(encoding="utf-8")
    assert "serving 1 trip(s): metropolis-2015" in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
