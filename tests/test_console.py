"""The console: a newcomer chats with the bot in the terminal, offline, in either role."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _console(tmp_path: Path, lines: list[str], *args: str) -> str:
    env = {**os.environ, "BOT_DATA_DIR": str(tmp_path), "TELEGRAM_BOT_TOKEN": ""}
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, input="\n".join(lines) + "\n",
        capture_output=True, text=True, timeout=90,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_run_without_a_token_opens_the_console_as_coordinator(tmp_path: Path) -> None:
    out = _console(tmp_path, ["/itinerary 104.05.17", "/members"], "run")
    assert "TELEGRAM_BOT_TOKEN is not set" in out
    assert "承辦人" in out and "羅馬 UTC+2 → 20:30 布宜諾斯艾利斯 UTC−3" in out
    assert "已加入成員" in out


def test_console_as_a_delegate_with_clock_travel(tmp_path: Path) -> None:
    lines = [":at 2015-05-17T18:00+02:00", "/now", "/invite yi-rongzong"]
    out = _console(tmp_path, lines, "console", "--as", "cao-kaiwen", "--role", "delegate")
    assert "曹凱雯" in out and "clock set to 2015-05-17 16:00 UTC" in out
    assert "進行中" in out and "FCO→EZE" in out and "僅限承辦人" in out
