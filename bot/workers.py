"""`run --workers N`: N webhook worker processes serving one port, kept alive by a small runner.

Each child is a plain `python -m bot run` with BOT_WORKER_ID set; it binds the same host:port
with SO_REUSEPORT, so the kernel spreads Telegram's connections among the live ones. The runner
forwards SIGTERM/SIGINT, restarts a child that dies (backing off), and exits when all stopped.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import FrameType

log = logging.getLogger(__name__)
BACKOFF_FIRST = 1.0  # seconds before the first restart of a child; doubles each time
BACKOFF_CAP = 30.0
STEADY = 60.0  # a child up this long is healthy again: its next death restarts at once
REFUSED_WITHIN = 10.0  # a child refused (exit 2: configuration) this soon will be again
STOP_GRACE = 30.0  # seconds a child gets to finish its updates after SIGTERM
REFUSED = 2


def worker_command() -> list[str]:
    """The command each worker runs: this interpreter, `-m bot run`."""
    return [sys.executable, "-m", "bot", "run"]


@dataclass
class Child:
    """One worker: its process, when it started, and the wait before its next restart."""

    worker_id: int
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    backoff: float = BACKOFF_FIRST
    restart_at: float | None = None
    restarts: int = field(default=0)


class Runner:
    """Spawn `n` workers of `command` with `env`, and keep them running until told to stop."""

    def __init__(
        self,
        n: int,
        env: Mapping[str, str],
        command: Sequence[str] | None = None,
        poll: float = 0.2,
    ) -> None:
        self.children = [Child(i) for i in range(n)]
        self.env = dict(env)
        self.command = list(command or worker_command())
        self.poll = poll
        self.stopping = False

    def spawn(self, child: Child) -> None:
        """Start (or restart) one worker with its number in BOT_WORKER_ID."""
        # BOT_WORKER_ID makes the child a worker, never a runner of its own. BOT_RUNNER_PID lets it
        # tell that this runner is gone even if it died before the child could look at its parent.
        env = self.env | {"BOT_WORKER_ID": str(child.worker_id), "BOT_RUNNER_PID": str(os.getpid())}
        child.process = subprocess.Popen(self.command, env=env)
        child.started = time.monotonic()
        child.restart_at = None
        log.info("worker %d started (pid %d)", child.worker_id, child.process.pid)

    def stop(self, signum: int = signal.SIGTERM, frame: FrameType | None = None) -> None:
        """Forward the signal to every live worker; the loop then waits for them."""
        self.stopping = True
        for child in self.children:
            if child.process is not None and child.process.poll() is None:
                child.process.send_signal(signal.SIGTERM if signum == signal.SIGINT else signum)

    def run(self) -> int:
        """Serve until SIGTERM/SIGINT (then 0), or a worker's configuration is refused (its
        exit code, after stopping the others)."""
        previous = {s: signal.signal(s, self.stop) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            self.spawn_all()
            code = self.watch()
            self.reap()
            return code
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def spawn_all(self) -> None:
        """Start every worker."""
        for child in self.children:
            self.spawn(child)

    def watch(self) -> int:
        """Keep the workers running until stopped (0), or a refused start (its exit code)."""
        while not self.stopping:
            now = time.monotonic()
            for child in self.children:
                code = self._check(child, now)
                if code is not None:
                    self.stop()
                    return code
            time.sleep(self.poll)
        return 0

    def _check(self, child: Child, now: float) -> int | None:
        """Restart a dead child when its backoff is over; an exit code when the runner must end."""
        if child.restart_at is not None:
            if now >= child.restart_at and not self.stopping:
                self.spawn(child)
            return None
        assert child.process is not None
        code = child.process.poll()
        if code is None:
            return None
        up = now - child.started
        if code == REFUSED and up < REFUSED_WITHIN:
            log.error("worker %d refused to start (exit %d): stopping", child.worker_id, code)
            return code
        if up >= STEADY:
            child.backoff = BACKOFF_FIRST
        child.restart_at = now + child.backoff
        log.warning(
            "worker %d (pid %d) exited with %s after %.0f s; restarting in %.0f s",
            child.worker_id,
            child.process.pid,
            code,
            up,
            child.backoff,
        )
        child.backoff = min(child.backoff * 2, BACKOFF_CAP)
        child.restarts += 1
        return None

    def reap(self) -> None:
        """Wait for every worker to finish; kill the ones still running after the grace."""
        deadline = time.monotonic() + STOP_GRACE
        for child in self.children:
            if child.process is None:
                continue
            try:
                child.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("worker %d did not stop in time: killing it", child.worker_id)
                child.process.kill()
                child.process.wait()


def run_workers(n: int, env: Mapping[str, str] | None = None) -> int:
    """Run `n` workers of this bot until a signal; the process's exit code."""
    return Runner(n, os.environ if env is None else env).run()


async def watch_runner(stop: asyncio.Event, runner: int, every: float = 1.0) -> None:
    """Set `stop` once this worker's runner is gone (its parent changed: the runner was killed)."""
    # A runner killed by SIGKILL cannot forward anything; without this its workers would serve on,
    # orphaned, beside the next runner's.
    while not stop.is_set():
        if os.getppid() != runner:
            log.warning("the runner (pid %d) is gone: stopping this worker", runner)
            stop.set()
            return
        await asyncio.sleep(every)
