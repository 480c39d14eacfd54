"""Clocks: the only place that reads the wall clock; everything else is given `now`."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Something that tells the current instant, always aware and in UTC."""

    def now(self) -> datetime:
        """The current instant in UTC."""
        ...

    def real_seconds(self, span: timedelta) -> float:
        """How many seconds of real time `span` of this clock's time takes."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        """The current instant in UTC."""
        return datetime.now(UTC)

    def real_seconds(self, span: timedelta) -> float:
        """Real time runs at real speed."""
        return span.total_seconds()


class _Movable:
    """A clock that can be moved, and tells its subscribers each time it is."""

    _subscribers: list[Callable[[], None]]

    def subscribe(self, moved: Callable[[], None]) -> None:
        """Call `moved()` after every jump (or change of speed)."""
        self._subscribers.append(moved)

    def _moved(self) -> None:
        for moved in list(self._subscribers):
            moved()


class RehearsalClock(_Movable):
    """Time that starts at a chosen instant and runs `speed` times as fast as real time, to
    rehearse a trip. Jumps and changes of speed are told to every subscriber, so that each
    timed job can be timed again (see bot/timers.py)."""

    def __init__(self, start: datetime, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError(f"speed must be above 0, got {speed}")
        self._start, self._t0, self._speed = start.astimezone(UTC), time.monotonic(), speed
        self._subscribers: list[Callable[[], None]] = []

    @property
    def speed(self) -> float:
        """How many times as fast as real time the rehearsal runs."""
        return self._speed

    def now(self) -> datetime:
        """The rehearsal instant in UTC."""
        return self._start + timedelta(seconds=(time.monotonic() - self._t0) * self._speed)

    def real_seconds(self, span: timedelta) -> float:
        """Seconds of real time until `span` of rehearsal time has passed."""
        return span.total_seconds() / self._speed

    def set(self, instant: datetime) -> None:
        """Jump to `instant`; time runs on from there at the same speed."""
        self._start, self._t0 = instant.astimezone(UTC), time.monotonic()
        self._moved()

    def set_speed(self, speed: float) -> None:
        """Run `speed` times as fast as real time from now on (1 is real time)."""
        if speed <= 0:
            raise ValueError(f"speed must be above 0, got {speed}")
        self._start, self._t0, self._speed = self.now(), time.monotonic(), speed
        self._moved()


class ManualClock(_Movable):
    """A clock that moves only when told to (tests). With `tells_timers`, like the rehearsal
    clock, it tells its subscribers when it moves, so timed jobs due by then run at once;
    without, timed jobs are not told (they run after the real delay)."""

    def __init__(self, start: datetime, *, tells_timers: bool = False) -> None:
        self._now = start.astimezone(UTC)
        self.tells_timers = tells_timers
        self._subscribers: list[Callable[[], None]] = []

    def now(self) -> datetime:
        """The set instant in UTC."""
        return self._now

    def real_seconds(self, span: timedelta) -> float:
        """As real time: a job is due that long after it was timed."""
        return span.total_seconds()

    def set(self, instant: datetime) -> None:
        """Jump to `instant`."""
        self._now = instant.astimezone(UTC)
        self._moved()

    def advance(self, delta: timedelta) -> None:
        """Move forward by `delta`."""
        self._now += delta
        self._moved()


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant with an offset, e.g. 2015-05-18T09:00-03:00 (or Z)."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"not an ISO 8601 instant: {text!r}") from None
    if value.tzinfo is None:
        raise ValueError(f"give an offset, e.g. {text}+08:00 or {text}Z")
    return value.astimezone(UTC)
