"""`python -m bot run` starting in production: loud without a token or with a refused one,
patient while the Bot API cannot be reached, and stopped at once by SIGTERM meanwhile."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from emulator import BotApiEmulator

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "987654321:SecretTokenThatMustNeverBeLogged_x"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "BOT_DATA_DIR": str(tmp_path / "data"), **extra}
    env.pop("BOT_CLOCK_START", None)
    return env


def _closed_port() -> int:
    """A local port nobody listens on: connections to it are refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_no_token_and_no_terminal_fails_with_one_line_naming_the_token_and_the_console(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=_env(tmp_path, TELEGRAM_BOT_TOKEN=""),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "TELEGRAM_BOT_TOKEN" in lines[0] and "python -m bot console" in lines[0]
    assert "Console:" not in done.stdout  # no console was opened on nobody


def test_an_unreachable_bot_api_is_retried_one_line_each_and_sigterm_stops_it_at_once(
    tmp_path: Path,
) -> None:
    env = _env(
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=f"http://127.0.0.1:{_closed_port()}/bot",
    )
    log = tmp_path / "bot.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=sink,
        )
    try:
        deadline = time.monotonic() + 30
        while log.read_text(encoding="utf-8").count("not reachable") < 2:
            assert proc.poll() is None, log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.1)
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=10)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
    text = log.read_text(encoding="utf-8")
    assert took < 5.0, took
    assert code == 0, text
    assert "Traceback" not in text and TOKEN not in text
    attempts = [line for line in text.splitlines() if "not reachable" in line]
    assert "(attempt 1:" in attempts[0] and "next try in 1 s" in attempts[0]
    assert "(attempt 2:" in attempts[1] and "next try in 2 s" in attempts[1]  # backoff
    assert len(text.splitlines()) == len(attempts) + 1  # and one line saying it stopped


async def test_a_token_the_bot_api_refuses_exits_non_zero_with_one_line_without_the_token(
    tmp_path: Path,
) -> None:
    async with BotApiEmulator(token="123456:TheOnlyTokenThisEmulatorAccepts_0") as emu:
        env = _env(
            tmp_path,
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_BASE_URL=emu.base_url,
            TELEGRAM_BASE_FILE_URL=emu.base_file_url,
        )
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=ROOT,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(proc.communicate(), 60)
    text = (out + err).decode()
    assert proc.returncode == 2, text
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "TELEGRAM_BOT_TOKEN was refused" in lines[0] and "@BotFather" in lines[0]
    assert TOKEN not in text and TOKEN.split(":")[1] not in text and "Traceback" not in text
