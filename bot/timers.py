"""Every timed job of the bot, on the bot's clock.

Jobs are due at instants of the bot's clock (or every so long of it); PTB's JobQueue runs them
after the matching real delay. A rehearsal clock can jump (`:at` in the console) or run faster
(`:speed`): then every job is timed again from the new instant, and the re-planners run (the
reminders reconcile, as after a restart: due and still useful goes out, too late is recorded
as missed, nothing goes out twice). With the real clock nothing ever moves.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from apscheduler.jobstores.base import JobLookupError
from telegram.ext import Job, JobQueue

from bot.clock import Clock, ManualClock, RehearsalClock

log = logging.getLogger(__name__)
JobCallback = Callable[[Any], Coroutine[Any, Any, None]]
Replan = Callable[[], Awaitable[object]]
# A repeating job never runs more often than this in real time, however fast the rehearsal.
MIN_REAL_INTERVAL = 0.5
SOON = 0.01  # seconds: "now" for the first run of a repeating job


@dataclass
class _Once:
    instant: datetime
    callback: JobCallback
    data: object
    job: Job[Any] | None = None


@dataclass
class _Every:
    interval: timedelta
    callback: JobCallback
    first: timedelta
    job: Job[Any] | None = None


class Timers:
    """The bot's timed jobs: one-shot at an instant, or repeating; re-timed when the clock moves."""

    def __init__(self, jobs: JobQueue[Any], clock: Clock) -> None:
        self.jobs, self.clock = jobs, clock
        self._once: dict[str, _Once] = {}
        self._every: dict[str, _Every] = {}
        self._replans: list[Replan] = []
        self._replanning: asyncio.Task[None] | None = None
        if isinstance(clock, RehearsalClock) or (
            isinstance(clock, ManualClock) and clock.tells_timers
        ):
            clock.subscribe(self.retime)

    def at(self, name: str, instant: datetime, callback: JobCallback, data: object = None) -> None:
        """Run `callback` at `instant` of the bot's clock (at once if it is past); a job of the
        same name is replaced."""
        self.cancel(name)
        entry = self._once[name] = _Once(instant, callback, data)
        self._start_once(name, entry)

    def cancel(self, name: str) -> None:
        """Drop the one-shot job of that name, if it is still to run."""
        entry = self._once.pop(name, None)
        if entry is not None:
            _remove(entry.job)

    def due(self) -> dict[str, datetime]:
        """The one-shot jobs still to run, by name, with their instants."""
        return {name: entry.instant for name, entry in self._once.items()}

    def every(
        self, name: str, interval: timedelta, callback: JobCallback, *, first: timedelta
    ) -> None:
        """Run `callback` every `interval` of the bot's clock, the first time after `first`."""
        old = self._every.pop(name, None)
        if old is not None:
            _remove(old.job)
        entry = self._every[name] = _Every(interval, callback, first)
        self._start_every(name, entry, entry.first)

    def on_clock_moved(self, replan: Replan) -> None:
        """Await `replan()` after every jump or change of speed of the clock."""
        self._replans.append(replan)

    def retime(self) -> None:
        """The clock jumped or changed speed: time every job again from its new instant."""
        for name, entry in list(self._once.items()):
            _remove(entry.job)
            self._start_once(name, entry)
        for name, every in self._every.items():
            _remove(every.job)
            self._start_every(name, every, timedelta(0))  # what fell due meanwhile: now
        log.info(
            "clock at %s: %d job(s) timed again",
            f"{self.clock.now():%Y-%m-%d %H:%M:%S}Z",
            len(self._once) + len(self._every),
        )
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # moved outside the bot's loop: the jobs are re-timed, no more
            return
        self._replanning = loop.create_task(self._replan(self._replanning))

    async def settled(self) -> None:
        """Wait until the re-planning after the last move of the clock is done."""
        if self._replanning is not None:
            await asyncio.shield(self._replanning)

    async def _replan(self, before: asyncio.Task[None] | None) -> None:
        if before is not None:
            with contextlib.suppress(Exception):
                await before
        for replan in self._replans:
            try:
                await replan()
            except Exception:
                log.exception("re-planning after the clock moved failed")

    def _start_once(self, name: str, entry: _Once) -> None:
        async def run(context: Any) -> None:
            if self._once.get(name) is entry:
                del self._once[name]
            await entry.callback(context)

        delay = max(0.0, self.clock.real_seconds(entry.instant - self.clock.now()))
        # No misfire grace limit: a late job still runs, and its callback decides what is late.
        entry.job = self.jobs.run_once(
            run, delay, data=entry.data, name=name, job_kwargs={"misfire_grace_time": None}
        )

    def _start_every(self, name: str, entry: _Every, first: timedelta) -> None:
        interval = max(MIN_REAL_INTERVAL, self.clock.real_seconds(entry.interval))
        # An interval trigger whose start has just passed waits a whole interval: start ahead.
        start = max(SOON, self.clock.real_seconds(first))
        entry.job = self.jobs.run_repeating(
            entry.callback,
            interval,
            first=start,
            name=name,
            job_kwargs={"misfire_grace_time": None, "coalesce": True},
        )


def _remove(job: Job[Any] | None) -> None:
    if job is not None:
        # It may have just started running, and then the scheduler has let go of it already.
        with contextlib.suppress(JobLookupError):
            job.schedule_removal()
