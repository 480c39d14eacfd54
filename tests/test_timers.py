"""The rehearsal clock drives PTB's job queue through the timers: jumps (across midnight and
across a change of daylight saving time) and speed re-time every job; nothing runs twice."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from telegram.ext import ApplicationBuilder

from bot.clock import RehearsalClock
from bot.timers import MIN_REAL_INTERVAL, Timers

BA = ZoneInfo("America/Argentina/Buenos_Aires")
LA = ZoneInfo("America/Los_Angeles")


class Log:
    """What ran, with the rehearsal instant it ran at."""

    def __init__(self, clock: RehearsalClock) -> None:
        self.clock = clock
        self.runs: list[tuple[str, datetime]] = []
        self._ran = asyncio.Event()

    def callback(self, name: str) -> Any:
        async def run(context: Any) -> None:
            self.runs.append((name, self.clock.now()))
            self._ran.set()

        return run

    def names(self) -> list[str]:
        return [name for name, _ in self.runs]

    def at(self, name: str) -> datetime:
        return next(when for n, when in self.runs if n == name)

    async def wait_for(self, count: int, within: float = 10.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while len(self.runs) < count and loop.time() < deadline:
            self._ran.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._ran.wait(), deadline - loop.time())
        assert len(self.runs) >= count, self.runs


@pytest.fixture
async def queue() -> AsyncIterator[Any]:
    """A real JobQueue (APScheduler) of an Application that never talks to Telegram."""
    app = ApplicationBuilder().token("123456:timers-test-token-000000000000").updater(None).build()
    assert app.job_queue is not None
    await app.job_queue.start()
    yield app.job_queue
    await app.job_queue.stop(wait=False)


def local(zone: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=zone).astimezone(UTC)  # type: ignore[misc]


async def test_a_jump_across_midnight_runs_what_fell_due_once_and_retimes_the_rest(
    queue: Any,
) -> None:
    clock = RehearsalClock(local(BA, 2015, 5, 18, 23, 50), speed=600)  # a trip minute: 0.1 s
    timers, log = Timers(queue, clock), Log(clock)
    timers.at("before midnight", local(BA, 2015, 5, 18, 23, 55), log.callback("before midnight"))
    timers.at("after midnight", local(BA, 2015, 5, 19, 0, 5), log.callback("after midnight"))
    timers.at("half past", local(BA, 2015, 5, 19, 0, 30), log.callback("half past"))
    await log.wait_for(1)
    assert log.names() == ["before midnight"]
    assert local(BA, 2015, 5, 18, 23, 55) <= log.at("before midnight")
    assert log.at("before midnight") < local(BA, 2015, 5, 18, 23, 58)

    clock.set(local(BA, 2015, 5, 19, 0, 10))  # jump into the next day, past 00:05
    await log.wait_for(2)
    assert log.names() == ["before midnight", "after midnight"]
    assert log.at("after midnight") >= local(BA, 2015, 5, 19, 0, 10)  # at once, after the jump
    assert log.at("after midnight") < local(BA, 2015, 5, 19, 0, 13)
    assert set(timers.due()) == {"half past"}

    await log.wait_for(3, within=5.0)  # 20 trip minutes: 2 s
    assert local(BA, 2015, 5, 19, 0, 30) <= log.at("half past") < local(BA, 2015, 5, 19, 0, 33)
    await asyncio.sleep(0.5)
    assert log.names() == ["before midnight", "after midnight", "half past"]  # each once


async def test_a_jump_back_and_a_change_of_speed_across_the_dst_change(queue: Any) -> None:
    # Los Angeles springs forward at 02:00 on 8 March 2015: 01:50 PST to 03:10 PDT is 20 min.
    clock = RehearsalClock(local(LA, 2015, 3, 8, 1, 0))
    timers, log = Timers(queue, clock), Log(clock)
    early, late = datetime(2015, 3, 8, 9, 55, tzinfo=UTC), datetime(2015, 3, 8, 10, 10, tzinfo=UTC)
    assert early.astimezone(LA).strftime("%H:%M %Z") == "01:55 PST"
    assert late.astimezone(LA).strftime("%H:%M %Z") == "03:10 PDT"
    timers.at("01:55 PST", early, log.callback("01:55 PST"))
    timers.at("03:10 PDT", late, log.callback("03:10 PDT"))
    await asyncio.sleep(0.3)
    assert log.runs == []  # an hour of real time away

    clock.set(local(LA, 2015, 3, 8, 1, 56))  # PST, just past the first
    await log.wait_for(1)
    assert log.names() == ["01:55 PST"]

    clock.set(local(LA, 2015, 3, 8, 1, 0))  # back: nothing runs again, the rest waits
    await asyncio.sleep(0.3)
    assert log.names() == ["01:55 PST"] and set(timers.due()) == {"03:10 PDT"}

    clock.set(local(LA, 2015, 3, 8, 1, 50))
    clock.set_speed(600)  # 20 trip minutes across the change: 2 s, not the 8 s of 80 minutes
    began = asyncio.get_running_loop().time()
    await log.wait_for(2, within=6.0)
    took = asyncio.get_running_loop().time() - began
    assert 1.8 <= took <= 4.0, took
    assert late <= log.at("03:10 PDT") < late + timedelta(minutes=3)
    assert log.at("03:10 PDT").astimezone(LA).strftime("%H:%M %Z").endswith("PDT")


async def test_a_repeating_job_follows_the_speed_and_runs_at_once_after_a_jump(
    queue: Any,
) -> None:
    clock = RehearsalClock(datetime(2015, 5, 19, 12, 0, tzinfo=UTC))
    timers, log = Timers(queue, clock), Log(clock)
    timers.every("look", timedelta(minutes=10), log.callback("look"), first=timedelta(minutes=10))
    await asyncio.sleep(0.3)
    assert log.runs == []
    clock.set(datetime(2015, 5, 19, 13, 0, tzinfo=UTC))
    await log.wait_for(1, within=1.0)  # what fell due meanwhile is looked at now
    clock.set_speed(600)  # every 10 trip minutes is 1 s
    await log.wait_for(4, within=5.0)
    gaps = [b - a for (_, a), (_, b) in zip(log.runs[1:], log.runs[2:], strict=False)]
    assert all(timedelta(minutes=8) <= gap <= timedelta(minutes=13) for gap in gaps), gaps


async def test_speed_never_makes_a_repeating_job_busier_than_its_floor(queue: Any) -> None:
    clock = RehearsalClock(datetime(2015, 5, 19, 12, 0, tzinfo=UTC), speed=10_000)
    timers, log = Timers(queue, clock), Log(clock)
    timers.every("look", timedelta(seconds=2), log.callback("look"), first=timedelta(0))
    await asyncio.sleep(1.6)
    assert 2 <= len(log.runs) <= 1 + 1.6 / MIN_REAL_INTERVAL + 1
