"""The audience count the timetable plans with is the count of the accounts `wanted_by` keeps."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from bot.reminders.plan import plan, rules_of
from bot.reminders.service import Audience, wanted_by
from bot.storage import Membership
from bot.trip.loader import load_trip

ROOT = Path(__file__).resolve().parent.parent
EARLY = datetime(2015, 1, 1, tzinfo=UTC)


def test_audience_size_counts_what_wanted_by_keeps(tmp_path: Path) -> None:
    folder = tmp_path / "metropolis-2015"
    shutil.copytree(ROOT / "content" / "metropolis-2015", folder)
    legs = folder / "itinerary.yaml"
    text = legs.read_text(encoding="utf-8")
    # Legs of some members only: their reminders and their days are not everyone's.
    for leg, who in (("opening-ceremony", "yi-rongzong"), ("flight-tpe-del", "cao-kaiwen")):
        text = text.replace(f"  - id: {leg}\n", f"  - id: {leg}\n    members: [{who}]\n")
    legs.write_text(text, encoding="utf-8")
    trip = load_trip(folder)
    assert sum(leg.members is not None for leg in trip.legs) == 2

    def account(n: int, member_id: str, role: str = "delegate") -> Membership:
        return Membership(n, n, trip.id, member_id, role, "zh", member_id, EARLY)  # type: ignore[arg-type]

    accounts = [account(i, m.id) for i, m in enumerate(trip.members)]
    accounts += [
        account(100, trip.members[1].id),  # a second account of one member
        account(101, "nobody"),  # a member the trip no longer has
        account(102, trip.members[0].id, "coordinator"),
    ]
    audience = Audience(trip, accounts)
    counts = []
    for r in plan(trip, rules_of(trip), EARLY):
        wanted = sum(wanted_by({trip.id: trip}, r, a) for a in accounts)
        assert audience.size(r) == wanted, r.key
        counts.append(wanted)
    # Not one count for all: legs and days of their own, and the coordinators' reminders.
    assert len(set(counts)) >= 3 and min(counts) > 0
