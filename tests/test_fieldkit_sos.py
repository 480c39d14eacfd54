"""The emergency card's pure parts: which country entry, which night, which hotel."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.fieldkit.sos import emergency_at, hotel_for, night_of, sos_card
from bot.trip.fieldkit import Everywhere
from bot.trip.loader import load_trip

TRIP = load_trip(Path(__file__).resolve().parent.parent / "content" / "metropolis-2015")


@pytest.mark.parametrize(
    ("now", "night", "country"),
    [
        (datetime(2015, 5, 16, 3, 0, tzinfo=UTC), date(2015, 5, 16), "taiwan"),  # 11:00 Taipei
        (datetime(2015, 5, 16, 14, 30, tzinfo=UTC), date(2015, 5, 16), "india"),  # 20:00 Delhi
        (datetime(2015, 5, 17, 6, 0, tzinfo=UTC), date(2015, 5, 17), "italy"),  # 08:00 in Rome
        (datetime(2015, 5, 18, 8, 59, tzinfo=UTC), date(2015, 5, 17), "argentina"),  # 05:59 BA
        (datetime(2015, 5, 18, 9, 0, tzinfo=UTC), date(2015, 5, 18), "argentina"),  # 06:00 BA
        (datetime(2015, 5, 23, 2, 0, tzinfo=UTC), date(2015, 5, 22), "argentina"),  # 23:00 BA
        (datetime(2015, 5, 24, 10, 0, tzinfo=UTC), date(2015, 5, 24), "netherlands"),  # AMS
        (datetime(2015, 5, 25, 1, 0, tzinfo=UTC), date(2015, 5, 25), "thailand"),  # 08:00 BKK
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
    # Argentina's three and MOFA's two lines, none of them from the report.
    assert len(lines) == 5 and all(line.endswith("⚠️to verify") for line in lines)
    assert [v.title for v in card.venues] == ["Taipei representative office in Argentina"]


@pytest.mark.parametrize(
    "now",
    [datetime(2015, 5, 16, 3, tzinfo=UTC), datetime(2015, 5, 17, 6, tzinfo=UTC)]
    + [datetime(2015, 5, d, 13, tzinfo=UTC) for d in range(18, 24)]
    + [datetime(2015, 5, 24, 10, tzinfo=UTC), datetime(2015, 5, 25, 1, tzinfo=UTC)],
)
def test_every_country_of_the_trip_has_a_local_number_and_mofas_line(now: datetime) -> None:
    card = sos_card(TRIP, now, "zh", "cao-kaiwen", private=False).text
    local = card.split("📞 各地皆可撥打：")[0]
    assert "當地緊急電話：" in local and "🚨" in local
    assert "<code>+886 800 085 095</code> ⚠️待確認" in card
    assert "臺中市政府國際事務委員會" in card and "+886 4 2228 9111" in card


def test_where_no_entry_applies_the_card_still_has_mofas_line_and_the_home_office() -> None:
    away = TRIP.model_copy(update={"emergency": [e for e in TRIP.emergency if e.id != "italy"]})
    card = sos_card(away, datetime(2015, 5, 17, 6, tzinfo=UTC), "en", "yi-rongzong", private=False)
    assert "No emergency entry for where you are" in card.text
    assert "MOFA emergency line for nationals abroad <code>+886 800 085 095</code>" in card.text
    assert "🏠 <b>International Affairs Commission" in card.text
    assert "☎ <code>+886 4 2228 9111</code> (City Hall switchboard) ⚠️to verify" in card.text
    bare = away.model_copy(update={"everywhere": Everywhere()})
    text = sos_card(bare, datetime(2015, 5, 17, 6, tzinfo=UTC), "zh", "yi-rongzong", private=False)
    assert text.text.splitlines()[2] == "🏠 <b>臺中市政府</b>"  # the organiser, at least
