"""The emergency card's pure parts: which country entry, which night, which hotel."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.fieldkit.sos import emergency_at, hotel_for, night_of, sos_card
from bot.trip.loader import load_trip

TRIP = load_trip(Path(__file__).resolve().parent.parent / "content" / "metropolis-2015")


@pytest.mark.parametrize(
    ("now", "night", "country"),
    [
        (datetime(2015, 5, 16, 3, 0, tzinfo=UTC), date(2015, 5, 16), None),  # 11:00 in Taipei
        (datetime(2015, 5, 18, 8, 59, tzinfo=UTC), date(2015, 5, 17), "argentina"),  # 05:59 BA
        (datetime(2015, 5, 18, 9, 0, tzinfo=UTC), date(2015, 5, 18), "argentina"),  # 06:00 BA
        (datetime(2015, 5, 23, 2, 0, tzinfo=UTC), date(2015, 5, 22), "argentina"),  # 23:00 BA
    ],
)
def test_the_night_and_the_country_follow_where_the_delegation_is(
    now: datetime, night: date, country: str | None
) -> None:
    entry = emergency_at(TRIP, now)
    assert (entry.id if entry else None) == country
    assert night_of(TRIP, now) == night


def test_tonights_hotel_covers_check_in_to_the_night_before_check_out() -> None:
    assert hotel_for(TRIP, date(2015, 5, 16), "yi-rongzong") is None
    assert hotel_for(TRIP, date(2015, 5, 17), "yi-rongzong") is not None
    assert hotel_for(TRIP, date(2015, 5, 22), "cao-kaiwen") is not None
    assert hotel_for(TRIP, date(2015, 5, 23), "cao-kaiwen") is None


def test_the_bundled_card_marks_every_assumed_number() -> None:
    card = sos_card(TRIP, datetime(2015, 5, 19, 13, tzinfo=UTC), "en", "yi-rongzong", private=False)
    lines = [line for line in card.text.splitlines() if line.startswith("🚨")]
    assert len(lines) == 4 and all(line.endswith("⚠️to verify") for line in lines)
    assert [v.title for v in card.venues] == ["Taipei representative office in Argentina"]
