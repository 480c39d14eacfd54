"""The kept timetable: re-planning part of it gives what planning everything afresh gives."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.outbox.schedule import Batch, start_times
from bot.outbox.timetable import Timetable

T0 = datetime(2015, 5, 18, 11, 30, tzinfo=UTC)
SLACK = timedelta(seconds=0.5)


def _batches(rng: random.Random, trip: int, n: int) -> list[Batch]:
    # Dues on a coarse grid so that batches of different trips often coincide or crowd.
    return [
        Batch(f"t{trip}/{i}", T0 + timedelta(seconds=30 * rng.randrange(40)), rng.randrange(80))
        for i in range(n)
    ]


@pytest.mark.parametrize("seed", range(30))
def test_replacing_one_trip_gives_the_full_plan(seed: int) -> None:
    rng = random.Random(seed)
    trips = {t: _batches(rng, t, rng.randrange(1, 12)) for t in range(8)}
    leads = {
        b.key: timedelta(seconds=rng.choice((60, 120, 600))) for bs in trips.values() for b in bs
    }
    table = Timetable(25.0, SLACK)
    table.reset([b for bs in trips.values() for b in bs], leads)
    for _ in range(6):
        changed = rng.randrange(8)
        old = {b.key for b in trips[changed]}
        trips[changed] = _batches(rng, changed, rng.randrange(0, 12))  # moved, added, dropped
        for b in trips[changed]:
            leads[b.key] = timedelta(seconds=rng.choice((60, 120, 600)))
        before = dict(table.starts)
        moved = table.replace(old, trips[changed], leads)
        everything = [b for bs in trips.values() for b in bs]
        full = start_times(everything, 25.0, leads, SLACK)
        assert table.starts == full
        # `moved` is exactly what a caller must re-time: new or changed instants.
        assert moved == {k: v for k, v in full.items() if before.get(k) != v}


def test_an_unchanged_trip_moves_nothing() -> None:
    batches = [Batch(f"a/{i}", T0 + timedelta(minutes=i), 10) for i in range(5)]
    leads = {b.key: timedelta(minutes=2) for b in batches}
    table = Timetable(25.0, SLACK)
    table.reset(batches, leads)
    assert table.replace({b.key for b in batches}, batches, leads) == {}


def test_a_crowded_instant_pushes_the_other_trips_ahead() -> None:
    # 1,000 messages of one trip due with 10 of another: the other's batch now starts earlier.
    mine = Batch("a/x", T0, 10)
    table = Timetable(25.0, SLACK)
    table.reset([mine], {mine.key: timedelta(minutes=2)})
    crowd = Batch("b/y", T0, 1000)
    moved = table.replace(
        (), [crowd], {mine.key: timedelta(minutes=2), crowd.key: timedelta(minutes=2)}
    )
    assert moved["a/x"] < T0 and moved["b/y"] < T0
