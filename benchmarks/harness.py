"""Benchmark plumbing: a bot subprocess against the in-process emulator, RSS and latency figures."""

from __future__ import annotations

import asyncio
import contextlib
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


# A setting of the shell's own deployment must not leak into a benchmarked bot: each run says
# where it stores and how it is served.
_DEPLOYMENT = (
    "BOT_DATABASE_URL",
    "BOT_WORKERS",
    "BOT_WORKER_ID",
    "BOT_WEBHOOK_URL",
    "BOT_HTTP_PORT",
)


def start_process(
    emu: BotApiEmulator, argv: Sequence[str], env: dict[str, str], stderr: IO[bytes] | None = None
) -> subprocess.Popen[bytes]:
    """Start `python ARGV…` as a bot of the emulator (its log to `stderr` if given)."""
    inherited = {k: v for k, v in os.environ.items() if k not in _DEPLOYMENT}
    full = {
        **inherited,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": emu.base_url,
        "TELEGRAM_BASE_FILE_URL": emu.base_file_url,
        "BOT_LOG_LEVEL": "WARNING",
        **env,
    }
    return subprocess.Popen([sys.executable, *argv], cwd=ROOT, env=full, stderr=stderr)


def start_bot(
    emu: BotApiEmulator, module: Sequence[str], env: dict[str, str], stderr: IO[bytes] | None = None
) -> subprocess.Popen[bytes]:
    """Start `python -m …` as a bot polling the emulator (its log to `stderr` if given)."""
    return start_process(emu, ["-m", *module], env, stderr)


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
    """Samples the resident memory of a process and its children (a runner's workers) in the
    background; keeps the peak of their sum, and counts their CPU."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self._cpu_start: dict[int, float] = {}
        self._task: asyncio.Task[None] | None = None

    def _tree(self) -> list[psutil.Process]:
        return [self.process, *self.process.children(recursive=True)]

    async def _run(self) -> None:
        while True:
            total = 0
            try:
                for proc in self._tree():
                    with contextlib.suppress(psutil.NoSuchProcess):
                        total += proc.memory_info().rss
            except psutil.NoSuchProcess:
                return
            self.peak = max(self.peak, total)
            await asyncio.sleep(0.05)

    def _cpu(self) -> dict[int, float]:
        out = {}
        for proc in self._tree():
            with contextlib.suppress(psutil.NoSuchProcess):
                times = proc.cpu_times()
                out[proc.pid] = float(times.user + times.system)
        return out

    def cpu_by_process(self) -> dict[int, float]:
        """CPU seconds each process has used since sampling began, by pid."""
        return {pid: t - self._cpu_start.get(pid, 0.0) for pid, t in self._cpu().items()}

    def cpu_seconds(self) -> float:
        """User and system CPU the processes have used since sampling began."""
        return sum(self.cpu_by_process().values())

    def workers_share(self) -> str:
        """How the children's CPU was shared among them, e.g. "33/35/32 %" (whether the kernel
        spread the connections over the workers); "" for a process without children."""
        children = {p: t for p, t in self.cpu_by_process().items() if p != self.process.pid}
        total = sum(children.values())
        if len(children) < 2 or total <= 0:
            return ""
        return "/".join(f"{t / total * 100:.0f}" for t in children.values()) + " %"

    def start(self) -> None:
        """Begin sampling."""
        self._cpu_start = self._cpu()
        self._task = asyncio.create_task(self._run())

    def stop(self) -> int:
        """Stop sampling; the peak in bytes."""
        if self._task:
            self._task.cancel()
        return self.peak


async def stop_bot(proc: subprocess.Popen[bytes]) -> int:
    """SIGTERM, then wait without blocking the loop (the emulator must answer the last poll);
    a runner forwards it to its workers. After 40 s the whole tree is killed."""
    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    proc.terminate()
    try:
        return await asyncio.wait_for(asyncio.to_thread(proc.wait), timeout=40)
    except TimeoutError:
        for child in children:
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()
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
