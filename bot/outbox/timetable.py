"""The start instants of every batch of the bot, kept between re-plans: re-planning one trip
recomputes only the batches whose start really moves, whatever the number of trips.

`start_times` plans backwards in (due, key) order, and each batch's `begins` (where its sends
would begin; it starts at min(begins, due)) depends only on the batch and on the `begins` of
the next later batch. So the timetable keeps every `begins`, and a change is re-planned
backwards from the highest position whose inputs changed (a new or changed batch, or the one
just before a batch that left or moved away): the walk stops where a recomputed `begins`
equals the kept one and no such position is left below it, since nothing before it can move.
That is exactly what `start_times` over everything gives, at the cost of what moves: one
trip's batch among a thousand others due at the same instant costs the few it displaces, not
the thousand. Pure: no clock, no I/O.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from bot.outbox.schedule import Batch, begins


class Timetable:
    """Batches by key, in (due, key) order, and the start instant of each."""

    def __init__(self, per_second: float, slack: timedelta) -> None:
        self.per_second, self.slack = per_second, slack
        self.batches: dict[str, Batch] = {}
        self.leads: dict[str, timedelta] = {}
        self.starts: dict[str, datetime] = {}
        self._begins: dict[str, datetime] = {}
        self._order: list[tuple[datetime, str]] = []
        self._rate = per_second  # the rate the kept `_begins` were planned at
        self.walked = 0  # how many batches the last plan recomputed: what it cost

    def reset(
        self, batches: Iterable[Batch], leads: Mapping[str, timedelta]
    ) -> dict[str, datetime]:
        """Plan everything afresh from these batches; every start instant."""
        self.batches = {b.key: b for b in batches}
        self.leads = {k: leads[k] for k in self.batches}
        self._order = sorted((b.due, b.key) for b in self.batches.values())
        self.starts, self._begins, self._rate = {}, {}, self.per_second
        free: datetime | None = None  # `_walk` from the top, without its bookkeeping (start-up)
        for due, key in reversed(self._order):
            b = self.batches[key]
            free = self._begins[key] = begins(b, free, self._rate, self.leads[key], self.slack)
            self.starts[key] = min(free, due)
        self.walked = len(self._order)
        return dict(self.starts)

    def replace(
        self, drop: Iterable[str], batches: Iterable[Batch], leads: Mapping[str, timedelta]
    ) -> dict[str, datetime]:
        """Drop the batches `drop`, add or update `batches`; the start instants that are new or
        moved (a dropped key is gone from `starts`)."""
        new = {b.key: b for b in batches}
        left: list[tuple[datetime, str]] = []  # where a batch was
        for key in set(drop) | new.keys():
            old = self.batches.get(key)
            if old is not None and new.get(key) == old and self.leads[key] == leads[key]:
                continue  # unchanged: nothing around it moves
            if old is not None:
                left.append((old.due, key))
                self._order.pop(bisect.bisect_left(self._order, (old.due, key)))
                del self.batches[key], self.leads[key], self._begins[key]
            if key in new:
                b = new[key]
                bisect.insort(self._order, (b.due, key))
                self.batches[key], self.leads[key] = b, leads[key]
            else:
                self.starts.pop(key, None)
        order = self._order
        # A new or changed batch has no `begins` yet; the one before a place left is bounded
        # by another batch now. (`starts` keeps the old instants: `moved` is against them.)
        at = {bisect.bisect_left(order, (new[k].due, k)) for k in new if k not in self._begins}
        at.update(i - 1 for i in (bisect.bisect_left(order, e) for e in left) if i > 0)
        if self.per_second != self._rate:  # the pacer's rate changed: every instant moves
            self._begins, self._rate = {}, self.per_second
            at = {len(order) - 1} if order else set()
        return self._walk(sorted(at))

    def _walk(self, at: list[int]) -> dict[str, datetime]:
        """Plan backwards from the highest of the positions `at` (ascending), on down while a
        `begins` moves, then from the next of `at` below; the start instants that moved."""
        order, moved = self._order, dict[str, datetime]()
        self.walked = 0
        while at:
            i = at.pop()
            while True:
                due, key = order[i]
                free = self._begins[order[i + 1][1]] if i + 1 < len(order) else None
                b = begins(self.batches[key], free, self.per_second, self.leads[key], self.slack)
                self.walked += 1
                while at and at[-1] >= i:
                    at.pop()
                if self._begins.get(key) == b:
                    break  # the batches before it are bounded as they were
                self._begins[key] = b
                if self.starts.get(key) != min(b, due):
                    self.starts[key] = moved[key] = min(b, due)
                if i == 0:
                    break
                i -= 1
        return moved
