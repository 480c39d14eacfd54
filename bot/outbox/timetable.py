"""The start instants of every batch of the bot, kept between re-plans: re-planning one trip
recomputes only the stretches of time its changed batches fall in, not the whole bot's.

`start_times` plans backwards, each batch bounded by the start of the next later one. A batch
whose successor (in (due, key) order) cannot start before the batch's own due + slack is not
bounded by it: the order splits there into independent stretches, and `start_times` over a
stretch gives exactly what it gives over everything. So a change re-plans the stretches that
hold its old and new batches, whatever the number of trips. Pure: no clock, no I/O.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from bot.outbox.schedule import Batch, start_times


class Timetable:
    """Batches by key, in (due, key) order, and the start instant of each."""

    def __init__(self, per_second: float, slack: timedelta) -> None:
        self.per_second, self.slack = per_second, slack
        self.batches: dict[str, Batch] = {}
        self.leads: dict[str, timedelta] = {}
        self.starts: dict[str, datetime] = {}
        self._order: list[tuple[datetime, str]] = []

    def reset(
        self, batches: Iterable[Batch], leads: Mapping[str, timedelta]
    ) -> dict[str, datetime]:
        """Plan everything afresh from these batches; every start instant."""
        self.batches = {b.key: b for b in batches}
        self.leads = {k: leads[k] for k in self.batches}
        self._order = sorted((b.due, b.key) for b in self.batches.values())
        self.starts = start_times(self.batches.values(), self.per_second, self.leads, self.slack)
        return dict(self.starts)

    def replace(
        self, drop: Iterable[str], batches: Iterable[Batch], leads: Mapping[str, timedelta]
    ) -> dict[str, datetime]:
        """Drop the batches `drop`, add or update `batches`; the start instants that are new or
        moved (a dropped key is gone from `starts`)."""
        new = {b.key: b for b in batches}
        touched: list[datetime] = []
        for key in set(drop) | new.keys():
            old = self.batches.get(key)
            if old is not None and new.get(key) == old and self.leads[key] == leads[key]:
                continue  # unchanged: nothing around it moves
            if old is not None:
                touched.append(old.due)
                self._order.pop(bisect.bisect_left(self._order, (old.due, key)))
                del self.batches[key], self.leads[key]
                self.starts.pop(key, None)
            if key in new:
                b = new[key]
                touched.append(b.due)
                bisect.insort(self._order, (b.due, key))
                self.batches[key], self.leads[key] = b, leads[key]
        moved: dict[str, datetime] = {}
        done: set[int] = set()
        # Around each instant: the stretch after it, and the one before it (which a dropped or
        # moved batch may have bounded).
        for at in {i for due in touched for i in self._around(due)}:
            lo, hi = self._stretch(at)
            if lo in done:
                continue
            done.add(lo)
            stretch = [self.batches[k] for _, k in self._order[lo:hi]]
            for key, start in start_times(stretch, self.per_second, self.leads, self.slack).items():
                if self.starts.get(key) != start:
                    self.starts[key] = moved[key] = start
        return moved

    def _independent(self, i: int) -> bool:
        """Whether batch i is not bounded by batch i + 1 (a stretch ends at i)."""
        due, _ = self._order[i]
        after, key = self._order[i + 1]
        return after - self.leads[key] >= due + self.slack

    def _around(self, due: datetime) -> tuple[int, ...]:
        """The positions just before and at the instant `due` in `_order`."""
        at = bisect.bisect_left(self._order, (due, ""))
        return tuple(i for i in (at - 1, at) if 0 <= i < len(self._order))

    def _stretch(self, at: int) -> tuple[int, int]:
        """The slice of `_order` of the stretch that holds position `at`."""
        lo = hi = at
        while lo > 0 and not self._independent(lo - 1):
            lo -= 1
        while hi < len(self._order) - 1 and not self._independent(hi):
            hi += 1
        return lo, hi + 1
