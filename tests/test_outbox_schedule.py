"""The outbox's schedule: earliest deadline first, within the lead window, never earlier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.outbox.schedule import Batch, earliest, start_times

T0 = datetime(2015, 5, 18, 11, 30, tzinfo=UTC)
S = timedelta(seconds=1)
LEAD = timedelta(minutes=2)


@pytest.mark.parametrize(
    ("batches", "per_second", "lead", "expected"),
    [
        # One small batch: it starts just early enough to be done at its due instant.
        ([Batch("a", T0, 30)], 30.0, LEAD, {"a": T0 - S}),
        # Nothing to send: it starts at its due instant, never before.
        ([Batch("a", T0, 0)], 30.0, LEAD, {"a": T0}),
        # Two due at once: the later key after the earlier, each 1 s at 30/s.
        ([Batch("a", T0, 30), Batch("b", T0, 30)], 30.0, LEAD, {"b": T0 - S, "a": T0 - 2 * S}),
        # 1,000 due in the same second at 25/s: 40 s of sends, all started within the lead.
        ([Batch("a", T0, 1000)], 25.0, LEAD, {"a": T0 - 40 * S}),
        # Too many for the window: it starts at due - lead, no earlier (and will be late).
        ([Batch("a", T0, 6000)], 25.0, LEAD, {"a": T0 - LEAD}),
        # A later batch that needs time pushes an earlier one back to before its start.
        (
            [Batch("early", T0, 30), Batch("late", T0 + S, 60)],
            30.0,
            LEAD,
            {"late": T0 - S, "early": T0 - 2 * S},
        ),
        # Far apart, they do not touch each other.
        (
            [Batch("a", T0, 30), Batch("b", T0 + timedelta(hours=1), 30)],
            30.0,
            LEAD,
            {"a": T0 - S, "b": T0 + timedelta(hours=1) - S},
        ),
        # No lead window: everything starts at its due instant.
        ([Batch("a", T0, 30), Batch("b", T0, 30)], 30.0, timedelta(0), {"a": T0, "b": T0}),
        # A lead per batch (each trip sets its own).
        (
            [Batch("a", T0, 300), Batch("b", T0 + timedelta(hours=1), 300)],
            30.0,
            {"a": timedelta(seconds=5), "b": LEAD},
            {"a": T0 - 5 * S, "b": T0 + timedelta(hours=1) - 10 * S},
        ),
    ],
)
def test_start_times(
    batches: list[Batch],
    per_second: float,
    lead: timedelta | dict[str, timedelta],
    expected: dict[str, datetime],
) -> None:
    assert start_times(batches, per_second, lead) == expected


@pytest.mark.parametrize(
    ("batches", "expected"),
    [
        # Within the slack a small batch is on time at its due instant: it is not sent ahead.
        ([Batch("a", T0, 12)], {"a": T0}),
        # A bigger one goes ahead only by what exceeds the slack.
        ([Batch("a", T0, 1000)], {"a": T0 - 39 * S - S / 2}),
        # Two small ones due together, both sent within the slack: neither goes ahead.
        ([Batch("a", T0, 5), Batch("b", T0, 5)], {"b": T0, "a": T0}),
        # Three of 10 (1.2 s at 25/s): done by due + slack, so the first two go ahead.
        (
            [Batch("a", T0, 10), Batch("b", T0, 10), Batch("c", T0, 10)],
            {"c": T0, "b": T0 - 3 * S / 10, "a": T0 - 7 * S / 10},
        ),
    ],
)
def test_a_small_batch_within_the_slack_is_not_sent_ahead(
    batches: list[Batch], expected: dict[str, datetime]
) -> None:
    assert start_times(batches, 25.0, LEAD, slack=S / 2) == expected


def test_a_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="per_second"):
        start_times([Batch("a", T0, 1)], 0, LEAD)


batch_lists = st.lists(
    st.tuples(st.integers(0, 600), st.integers(0, 400)), min_size=1, max_size=30
).map(lambda xs: [Batch(f"k{i}", T0 + s * S, n) for i, (s, n) in enumerate(xs)])


@given(batch_lists, st.floats(1.0, 60.0), st.integers(0, 600))
def test_never_before_the_lead_window_nor_after_due(
    batches: list[Batch], per_second: float, lead_s: int
) -> None:
    lead = timedelta(seconds=lead_s)
    starts = start_times(batches, per_second, lead)
    assert set(starts) == {b.key for b in batches}
    for b in batches:
        assert earliest(b.due, lead) <= starts[b.key] <= b.due


@given(batch_lists, st.floats(1.0, 60.0))
def test_with_room_enough_each_is_done_by_its_due_instant_in_deadline_order(
    batches: list[Batch], per_second: float
) -> None:
    # A lead longer than all the sends together never binds: nothing is late, nothing overlaps.
    room = timedelta(seconds=sum(b.messages for b in batches) / per_second + 1)
    starts = start_times(batches, per_second, room + timedelta(seconds=600))
    order = sorted(batches, key=lambda b: (b.due, b.key))
    for b, after in pairwise(order):
        done = starts[b.key] + timedelta(seconds=b.messages / per_second)
        assert done <= b.due + timedelta(microseconds=1)
        assert done <= starts[after.key] + timedelta(microseconds=1)
    last = order[-1]
    assert starts[last.key] + timedelta(seconds=last.messages / per_second) <= last.due + timedelta(
        microseconds=1
    )
