"""The audience count the timetable plans with is the count of the accounts `wanted_by` keeps."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.reminders.plan import plan, rules_of
from bot.reminders.service import audience_size, travellers_of, wanted_by
from bot.storage import Membership
from bot.trip.loader import load_trip

ROOT = Path(__file__).resolve().parent.parent
EARLY = datetime(2015, 1, 1, tzinfo=UTC)


def test_audience_size_counts_what_wanted_by_keeps() -> None:
    trip = load_trip(ROOT / "content" / "metropolis-2015")

    def account(n: int, member_id: str, role: str = "delegate") -> Membership:
        return Membership(n, n, trip.id, member_id, role, "zh", member_id, EARLY)  # type: ignore[arg-type]

    accounts = [account(i, m.id) for i, m in enumerate(trip.members)]
    accounts += [
        account(100, trip.members[1].id),  # a second account of one member
        account(101, "nobody"),  # a member the trip no longer has
        account(102, trip.members[0].id, "coordinator"),
    ]
    coordinators = sum(a.is_coordinator for a in accounts)
    travellers = travellers_of(trip, accounts)
    counts = []
    for r in plan(trip, rules_of(trip), EARLY):
        wanted = sum(wanted_by({trip.id: trip}, r, a) for a in accounts)
        assert audience_size(trip, r, coordinators, travellers) == wanted, r.key
        counts.append(wanted)
    # Not one count for all: legs and days of their own, and the coordinators' reminders.
    assert len(set(counts)) >= 2 and min(counts) > 0
