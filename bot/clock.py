"""Clocks: the only place that reads the wall clock; everything else is given `now`."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Something that tells the current instant, always aware and in UTC."""

    def now(self) -> datetime:
        """The current instant in UTC."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        """The current instant in UTC."""
        return datetime.now(UTC)


class RehearsalClock:
    """Time that starts at a chosen instant and runs at real speed, to rehearse a trip."""

    def __init__(self, start: datetime) -> None:
        self._start = start.astimezone(UTC)
        self._t0 = time.monotonic()

    def now(self) -> datetime:
        """The rehearsal instant in UTC."""
        return self._start + timedelta(seconds=time.monotonic() - self._t0)

    def set(self, instant: datetime) -> None:
        """Jump to `instant`; time runs on from there."""
        self._start, self._t0 = instant.astimezone(UTC), time.monotonic()


class ManualClock:
    """A clock that moves only when told to (tests, the console's /time travel)."""

    def __init__(self, start: datetime) -> None:
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """The set instant in UTC."""
        return self._now

    def set(self, instant: datetime) -> None:
        """Jump to `instant`."""
        self._now = instant.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        """Move forward by `delta`."""
        self._now += delta


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant with an offset, e.g. 2015-05-18T09:00-03:00 (or Z)."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"not an ISO 8601 instant: {text!r}") from None
    if value.tzinfo is None:
        raise ValueError(f"give an offset, e.g. {text}+08:00 or {text}Z")
    return value.astimezone(UTC)
