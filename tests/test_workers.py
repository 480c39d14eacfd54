"""The worker runner: settings it refuses, each child's env, restart after a death, signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot.backup import DataDirInUse, hold_run_lock
from bot.config import ConfigError, Settings
from bot.workers import Runner

TOKEN = "123456:abcdefghijklmnopqrstuvwxyz"
PG = "postgresql://u@localhost/db"
HOOK = "https://bot.example/hook"

# A worker stand-in: notes its number and pid, dies once if told to, else waits for SIGTERM.
CHILD = """
import os, signal, sys, time
from pathlib import Path
out = Path(os.environ["OUT"]); wid = os.environ["BOT_WORKER_ID"]
seen = out / f"{wid}.{os.getpid()}"
seen.write_text("started")
(out / f"runner.{wid}").write_text(os.environ["BOT_RUNNER_PID"])
if wid == "1" and not (out / "died").exists():
    (out / "died").write_text(str(os.getpid()))
    sys.exit(1)
signal.signal(signal.SIGTERM, lambda *_: (seen.write_text("stopped"), sys.exit(0)))
while True:
    time.sleep(0.05)
"""


def test_several_workers_need_postgresql_and_a_webhook() -> None:
    with pytest.raises(ConfigError, match="BOT_WORKERS=3 needs BOT_DATABASE_URL"):
        Settings(token=TOKEN, webhook_url=HOOK).check_workers(3)
    with pytest.raises(ConfigError, match="BOT_WORKERS=2 needs BOT_WEBHOOK_URL"):
        Settings(token=TOKEN, database_url=PG).check_workers(2)
    Settings(token=TOKEN, database_url=PG, webhook_url=HOOK).check_workers(3)
    Settings(token=TOKEN).check_workers(1)  # one worker: SQLite and polling as ever


def test_bad_counts_and_secrets_name_their_setting() -> None:
    with pytest.raises(ConfigError, match="BOT_WORKERS must be a whole number"):
        Settings.from_env({"BOT_WORKERS": "0"})
    with pytest.raises(ConfigError, match="BOT_WORKERS must be a whole number"):
        Settings.from_env({"BOT_WORKERS": "two"})
    with pytest.raises(ConfigError, match="BOT_WEBHOOK_SECRET"):
        Settings.from_env({"BOT_WEBHOOK_SECRET": "has spaces"})
    with pytest.raises(ConfigError, match="BOT_RUNNER_PID must be a whole number"):
        Settings.from_env({"BOT_RUNNER_PID": "-4"})
    s = Settings.from_env({"BOT_WORKERS": "3", "BOT_WORKER_ID": "0", "BOT_RUNNER_PID": "41"})
    assert (s.workers, s.worker_id, s.runner_pid) == (3, 0, 41)


def test_every_worker_derives_the_same_secret_unless_one_is_set() -> None:
    a, b = Settings(token=TOKEN), Settings(token=TOKEN, worker_id=2)
    assert a.secret_token == b.secret_token and TOKEN not in a.secret_token
    assert Settings(token="123456:" + "z" * 26).secret_token != a.secret_token
    assert Settings(token=TOKEN, webhook_secret="mine").secret_token == "mine"


def test_run_refuses_several_workers_on_sqlite(tmp_path: Path) -> None:
    env = os.environ | {"TELEGRAM_BOT_TOKEN": TOKEN, "BOT_DATA_DIR": str(tmp_path)}
    env.pop("BOT_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--workers", "3"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "BOT_WORKERS=3 needs BOT_DATABASE_URL" in done.stderr


def test_workers_share_the_run_lock_but_a_lone_bot_and_restore_do_not(tmp_path: Path) -> None:
    first = hold_run_lock(tmp_path, shared=True)
    second = hold_run_lock(tmp_path, shared=True)
    with pytest.raises(DataDirInUse):
        hold_run_lock(tmp_path)  # a lone bot, or `restore`, wants the folder alone
    first.close()
    second.close()
    hold_run_lock(tmp_path).close()


def test_runner_numbers_its_workers_restarts_a_dead_one_and_forwards_sigterm(
    tmp_path: Path,
) -> None:
    runner = Runner(3, os.environ | {"OUT": str(tmp_path)}, [sys.executable, "-c", CHILD], 0.05)
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(_run_in_thread(runner)))
    thread.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        started = sorted(p.name for p in tmp_path.glob("?.*"))
        if len([n for n in started if n.startswith("1.")]) == 2 and len(started) == 4:
            break
        time.sleep(0.05)
    ids = sorted(p.name.split(".")[0] for p in tmp_path.glob("?.*"))
    assert ids == ["0", "1", "1", "2"]  # worker 1 died once and was started again
    assert runner.children[1].restarts == 1
    assert {p.read_text() for p in tmp_path.glob("runner.*")} == {str(os.getpid())}
    runner.stop(signal.SIGTERM)
    thread.join(60)
    assert result == [0]
    died = (tmp_path / "died").read_text()
    states = {p.name: p.read_text() for p in tmp_path.glob("?.*")}
    assert states.pop(f"1.{died}") == "started"
    assert set(states.values()) == {"stopped"}  # each live worker got SIGTERM and finished


def _run_in_thread(runner: Runner) -> int:
    # signal.signal works only in the main thread: this test calls stop() itself.
    runner.spawn_all()
    code = runner.watch()
    runner.reap()
    return code
