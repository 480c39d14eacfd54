"""`python -m bot run` in webhook mode as a process: SIGTERM drains, SIGKILL loses no note."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path
from typing import IO

from bot.storage import Storage
from emulator import BotApiEmulator, EmuUser
from tests.e2e import ROOT, free_port, until
from tests.test_notes_crash import SAVED, START, TOKEN, _members

DELEGATES, EACH = 10, 30


async def _spawn(
    emu: BotApiEmulator,
    data: Path,
    port: int,
    stderr: int | IO[bytes] | None = None,
    level: str = "WARNING",
) -> asyncio.subprocess.Process:
    quiet = asyncio.subprocess.DEVNULL
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=_env(emu, data, port, level),
        cwd=ROOT,
        stdout=quiet,
        stderr=stderr,
    )


def _env(emu: BotApiEmulator, data: Path, port: int, level: str) -> dict[str, str]:
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": emu.base_url,
        "TELEGRAM_BASE_FILE_URL": emu.base_file_url,
        "BOT_DATA_DIR": str(data),
        "BOT_CONTENT_DIR": str(ROOT / "content"),
        "BOT_CLOCK_START": START.isoformat(),
        "BOT_RATE_LIMIT": "0",
        "BOT_LOG_LEVEL": level,
        "BOT_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
        "BOT_HTTP_PORT": str(port),
    }


def _answered_200(emu: BotApiEmulator) -> set[int]:
    return {a.update_id for a in emu.webhook.attempts if a.status == 200}


async def _notes(data: Path) -> list[str]:
    store = await Storage.open(data / "bot.sqlite3")
    try:
        return [n.text for n in await store.notes_of_trip("metropolis-2015")]
    finally:
        await store.close()


async def test_sigkill_mid_webhook_burst_loses_no_note_answered_200_and_stores_none_twice(
    tmp_path: Path,
) -> None:
    data, port = tmp_path / "data", free_port()
    async with BotApiEmulator(token=TOKEN) as emu:
        emu.webhook.retry_max = 0.5  # Telegram waits longer between attempts; the test need not
        users = [emu.user(f"d{i}", language_code="zh-hant") for i in range(DELEGATES)]
        await _members(data, users)
        text_of: dict[int, str] = {}

        async def delegates_write() -> None:
            for j in range(EACH):
                for i, user in enumerate(users):
                    await emu.send_text(user, f"hook u{i} n{j}")
                    assert emu.last_update_id is not None
                    text_of[emu.last_update_id] = f"hook u{i} n{j}"
                await asyncio.sleep(0.05)

        bot = await _spawn(emu, data, port)
        await emu.wait_until(lambda: emu.webhook.active, 30, "the bot to set its webhook")
        writing = asyncio.create_task(delegates_write())
        try:
            await emu.wait_until(lambda: len(_answered_200(emu)) >= 60, 30, "60 answers")
            bot.send_signal(signal.SIGKILL)
            await bot.wait()
            told = {text_of[u] for u in _answered_200(emu)}  # Telegram forgot these
            bot = await _spawn(emu, data, port)
            await writing
            await emu.wait_until(lambda: emu.pending_updates == 0, 60, "every update delivered")
            await asyncio.sleep(1.0)  # the last notes are handled and answered
        finally:
            writing.cancel()
            if bot.returncode is None:
                bot.send_signal(signal.SIGTERM)
                assert await asyncio.wait_for(bot.wait(), 20) == 0
    texts = await _notes(data)
    assert len(told) < DELEGATES * EACH  # the kill landed mid-burst
    assert told <= set(texts)  # every note Telegram was told was received is stored
    assert len(texts) == len(set(texts))  # none twice
    assert sorted(texts) == sorted(text_of.values())  # the rest came again and were stored
    for user in users:
        for msg in emu.messages(user):
            assert SAVED.search(msg.text or ""), msg.text


def _replied(emu: BotApiEmulator, users: list[EmuUser]) -> int:
    return sum(len(emu.messages(u)) for u in users)


async def test_sigterm_stops_taking_updates_finishes_those_in_flight_and_exits(
    tmp_path: Path,
) -> None:
    data, port = tmp_path / "data", free_port()
    async with BotApiEmulator(token=TOKEN) as emu:
        emu.webhook.retry_max = 0.5
        users = [emu.user(f"d{i}", language_code="zh-hant") for i in range(10)]
        await _members(data, users)
        bot = await _spawn(emu, data, port)
        await emu.wait_until(lambda: emu.webhook.active, 30, "the bot to set its webhook")

        async def delegates_ask() -> None:
            for day in range(11, 21):
                for user in users:
                    await emu.send_text(user, f"/itinerary 104.05.{day}")
                await asyncio.sleep(0.2)  # a steady stream, so that the stop lands mid-way

        asking = asyncio.create_task(delegates_ask())
        await emu.wait_until(lambda: len(_answered_200(emu)) >= 20, 20, "some answers")
        bot.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(bot.wait(), 30) == 0
        await asking
        accepted = _answered_200(emu)
        # Every update answered 200 was handled before the exit; the rest wait at Telegram.
        assert _replied(emu, users) == len(accepted)
        assert emu.pending_updates == 100 - len(accepted)
        assert len(accepted) < 100  # the stop landed mid-burst
        bot = await _spawn(emu, data, port)
        await emu.wait_until(lambda: _replied(emu, users) == 100, 30, "the rest handled")
        await asyncio.sleep(0.5)
        assert _replied(emu, users) == 100 and emu.pending_updates == 0  # nothing twice
        bot.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(bot.wait(), 20) == 0


async def test_a_taken_port_stops_the_start_with_a_message_naming_it(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        async with BotApiEmulator(token=TOKEN) as emu:
            bot = await _spawn(emu, tmp_path / "data", port, stderr=asyncio.subprocess.PIPE)
            _, err = await asyncio.wait_for(bot.communicate(), 60)
    assert bot.returncode == 2
    assert f"BOT_HTTP_HOST/BOT_HTTP_PORT: cannot listen on 127.0.0.1:{port}" in err.decode()


async def test_a_second_run_on_the_same_data_dir_is_refused_at_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    async with BotApiEmulator(token=TOKEN) as emu:
        first = await _spawn(emu, data, free_port())
        try:
            await emu.wait_until(lambda: emu.webhook.active, 30, "the bot to set its webhook")
            secret, calls = emu.webhook.secret, dict(emu.stats.calls)
            pipe = asyncio.subprocess.PIPE
            second = await _spawn(emu, data, free_port(), stderr=pipe)
            _, err = await asyncio.wait_for(second.communicate(), 60)
            assert second.returncode == 2
            lines = err.decode().strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("BOT_DATA_DIR: another bot"), lines
            assert str(data) in lines[0]
            # The first bot keeps its webhook: no second setWebhook, no new secret.
            assert emu.webhook.secret == secret
            for method in ("getMe", "setWebhook"):  # the second never reached the Bot API
                assert emu.stats.calls.get(method, 0) == calls.get(method, 0), method
        finally:
            first.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(first.wait(), 20) == 0


async def test_debug_logs_never_show_the_webhook_secret(tmp_path: Path) -> None:
    data = tmp_path / "data"
    async with BotApiEmulator(token=TOKEN) as emu:
        users = [emu.user("d0", language_code="zh-hant")]
        await _members(data, users)
        with (tmp_path / "bot.log").open("wb") as log:
            bot = await _spawn(emu, data, free_port(), stderr=log, level="DEBUG")
            try:
                await emu.wait_until(lambda: emu.webhook.active, 30, "the bot to set its webhook")
                await emu.send_text(users[0], "與市長會談")
                await emu.wait_for(users[0], timeout=20)
            finally:
                bot.send_signal(signal.SIGTERM)
                assert await asyncio.wait_for(bot.wait(), 20) == 0
    secret, text = emu.webhook.secret, (tmp_path / "bot.log").read_text(encoding="utf-8")
    assert secret and len(secret) >= 16
    assert secret not in text
    assert "'secret_token': '<secret>'" in text  # DEBUG did log the setWebhook call, masked


# The runner, reduced to what matters here: it starts one worker, notes its pid, and waits.
RUNNER = (
    "import os, pathlib, subprocess, sys;"
    " env = os.environ | {'BOT_RUNNER_PID': str(os.getpid())};"
    " p = subprocess.Popen([sys.executable, '-m', 'bot', 'run'], env=env);"
    " pathlib.Path(os.environ['PID_FILE']).write_text(str(p.pid)); p.wait()"
)


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited


async def test_a_worker_stops_when_its_runner_is_killed(tmp_path: Path) -> None:
    data, port, log = tmp_path / "data", free_port(), tmp_path / "worker.log"
    async with BotApiEmulator(token=TOKEN) as emu:
        pid_file = tmp_path / "worker.pid"
        env = _env(emu, data, port, "WARNING") | {"BOT_WORKER_ID": "0", "PID_FILE": str(pid_file)}
        with log.open("wb") as err:  # a file, not a pipe: the worker outlives the runner
            runner = await asyncio.create_subprocess_exec(
                sys.executable, "-c", RUNNER, env=env, cwd=ROOT, stderr=err
            )
            await emu.wait_until(lambda: emu.webhook.active, 30, "the worker to set its webhook")
            worker = int(pid_file.read_text())
            assert _alive(worker)
            runner.kill()  # SIGKILL: the runner forwards nothing
            await runner.wait()
            try:
                await until(lambda: not _alive(worker), 10, "the orphaned worker to stop")
            finally:
                if _alive(worker):
                    os.kill(worker, signal.SIGKILL)
    assert "the runner (pid" in log.read_text()
