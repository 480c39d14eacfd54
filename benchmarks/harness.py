"""Benchmark plumbing: a bot subprocess against the in-process emulator, RSS and latency figures."""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import psutil

from emulator import BotApiEmulator

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456789:BenchmarkTokenBenchmarkToken_0000"


def start_bot(
    emu: BotApiEmulator, module: Sequence[str], env: dict[str, str], stderr: IO[bytes] | None = None
) -> subprocess.Popen[bytes]:
    """Start `python -m …` as a bot polling the emulator (its log to `stderr` if given)."""
    full = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": emu.base_url,
        "TELEGRAM_BASE_FILE_URL": emu.base_file_url,
        "BOT_LOG_LEVEL": "WARNING",
        **env,
    }
    return subprocess.Popen([sys.executable, "-m", *module], cwd=ROOT, env=full, stderr=stderr)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (for a bot's webhook server)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def wait_polling(emu: BotApiEmulator, limit: float = 30.0) -> None:
    """Wait until the bot has started long polling."""
    deadline = time.monotonic() + limit
    while emu.stats.calls.get("getUpdates", 0) == 0:
        if time.monotonic() > deadline:
            raise TimeoutError("the bot did not start polling")
        await asyncio.sleep(0.05)


class RssSampler:
    """Samples a process's resident memory in the background; keeps the peak."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self._cpu_start = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            try:
                self.peak = max(self.peak, self.process.memory_info().rss)
            except psutil.NoSuchProcess:
                return
            await asyncio.sleep(0.05)

    def cpu_seconds(self) -> float:
        """User and system CPU the process has used since sampling began."""
        now = self.process.cpu_times()
        return float(now.user + now.system) - self._cpu_start

    def start(self) -> None:
        """Begin sampling."""
        times = self.process.cpu_times()
        self._cpu_start = float(times.user + times.system)
        self._task = asyncio.create_task(self._run())

    def stop(self) -> int:
        """Stop sampling; the peak in bytes."""
        if self._task:
            self._task.cancel()
        return self.peak


async def stop_bot(proc: subprocess.Popen[bytes]) -> int:
    """SIGTERM, then wait without blocking the loop (the emulator must answer the last poll)."""
    proc.terminate()
    try:
        return await asyncio.wait_for(asyncio.to_thread(proc.wait), timeout=20)
    except TimeoutError:
        proc.kill()
        return -9


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) of the values."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def spread(values: list[float], unit: str = "") -> str:
    """The median, and the range when there is more than one value."""
    unit = f" {unit}" if unit else ""
    median = f"median {statistics.median(values):.2f}{unit}"
    return median if len(values) == 1 else f"{median} (range {min(values):.2f}–{max(values):.2f})"
