"""The kept timetable: re-planning part of it gives what planning everything afresh gives."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


KEYS = [f"t{t}/{i}" for t in range(4) for i in range(6)]
# A batch: due on a coarse grid (many at one instant, or crowding the next), its messages (up
# to 8 s of sends at 25/s), its lead (0 s: bounded at its due; 1-5 s: the lead bounds it).
BATCH = st.tuples(st.integers(0, 12), st.integers(0, 200), st.sampled_from((0, 1, 5, 30, 120)))
CHANGE = st.tuples(
    st.dictionaries(st.sampled_from(KEYS), BATCH),  # added or updated
    st.sets(st.sampled_from(KEYS)),  # dropped (unless updated)
    st.sampled_from((25.0, 25.0, 25.0, 10.0)),  # now and then the pacer's rate changes
)


def _made(key: str, spec: tuple[int, int, int]) -> tuple[Batch, timedelta]:
    due, messages, lead = spec
    return Batch(key, T0 + timedelta(seconds=10 * due), messages), timedelta(seconds=lead)


@given(st.dictionaries(st.sampled_from(KEYS), BATCH), st.lists(CHANGE, max_size=8))
@settings(max_examples=400, deadline=None)
def test_any_changes_give_the_full_plan(
    first: dict[str, tuple[int, int, int]],
    changes: list[tuple[dict[str, tuple[int, int, int]], set[str], float]],
) -> None:
    made = {k: _made(k, spec) for k, spec in first.items()}
    table = Timetable(25.0, SLACK)
    leads = {k: lead for k, (_, lead) in made.items()}
    assert table.reset([b for b, _ in made.values()], leads) == start_times(
        [b for b, _ in made.values()], 25.0, leads, SLACK
    )
    for updates, drops, rate in changes:
        new = {k: _made(k, spec) for k, spec in updates.items()}
        for key in drops:
            made.pop(key, None)
        made.update(new)
        leads = {k: lead for k, (_, lead) in made.items()}
        before = dict(table.starts)
        table.per_second = rate
        moved = table.replace(drops, [b for b, _ in new.values()], leads)
        full = start_times([b for b, _ in made.values()], rate, leads, SLACK)
        assert table.starts == full
        assert moved == {k: v for k, v in full.items() if before.get(k) != v}


def _copies(trips: int) -> list[Batch]:
    # The scale benchmark's shape: every trip's reminders at the same instants, 30 accounts each.
    return [
        Batch(f"trip-{t}:leg:{leg}:r", T0 + timedelta(hours=leg), 30)
        for t in range(trips)
        for leg in range(3)
    ]


@pytest.mark.parametrize("trip", [0, 99, 250])
def test_one_trip_among_many_at_one_instant_costs_what_moves(trip: int) -> None:
    # 500 batches at each instant, 150 s of sends in a 2-minute lead: the first in key order
    # (trip-0) is bounded by its lead, the last (trip-99) bounds 100 others.
    batches = _copies(500)
    leads = {b.key: timedelta(minutes=2) for b in batches}
    table = Timetable(25.0, SLACK)
    table.reset(batches, leads)
    assert table.walked == len(batches)
    mine = {b.key for b in batches if b.key.startswith(f"trip-{trip}:")}
    later = [
        Batch(b.key, b.due + timedelta(minutes=5), b.messages) if b.key in mine else b
        for b in batches
    ]
    moved = table.replace(mine, [b for b in later if b.key in mine], leads)
    assert table.starts == start_times(later, 25.0, leads, SLACK)
    # Each change costs the batches whose start moves, and a few where the walk stops.
    assert table.walked <= len(moved) + 2 * len(mine)
    assert table.walked < 500
