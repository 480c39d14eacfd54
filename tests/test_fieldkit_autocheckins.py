"""Automatic check-ins: planned from the content's `checkins:` rules on the effective itinerary;
`check` names the file, line and field of a rule that is wrong."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.fieldkit.autocheckins import GRACE, checkin_message, plan_checkins, still_useful
from bot.trip.fieldkit import CheckinRule
from bot.trip.loader import load_trip
from tests.test_trip_fieldkit import METROPOLIS, edit, folder, line_of, run

__all__ = ["folder"]  # the fixture, shared


def test_the_bundled_trip_asks_two_hours_after_each_long_haul_arrival() -> None:
    trip = load_trip(METROPOLIS)
    (rule,) = trip.checkins
    assert rule.assumed and rule.after_flights_over == timedelta(hours=8)
    planned = plan_checkins(trip)
    # TPE→DEL (6h40) and BKK→TPE (3h40) are not long-haul; the four others are.
    assert [p.leg_id for p in planned] == [
        "flight-del-fco",
        "flight-fco-eze",
        "flight-eze-ams",
        "flight-ams-bkk",
    ]
    eze = planned[1]
    assert eze.at == trip.legs_by_id["flight-fco-eze"].end_at + timedelta(hours=2)
    assert eze.at == datetime(2015, 5, 18, 1, 30, tzinfo=UTC)  # 22:30 in Buenos Aires
    assert checkin_message(trip, eze, "zh") == "長程航班已抵達，請回報平安"


def test_named_legs_and_a_delayed_arrival_move_the_check_in() -> None:
    trip = load_trip(METROPOLIS)
    legs = CheckinRule(legs=["flight-bkk-tpe"], delay=timedelta(minutes=30))
    own = trip.model_copy(update={"checkins": [legs]})
    (home,) = plan_checkins(own)
    assert home.key == "0:flight-bkk-tpe"
    assert home.at == trip.legs_by_id["flight-bkk-tpe"].end_at + timedelta(minutes=30)
    assert checkin_message(own, home, "en") == trip.legs_by_id["flight-bkk-tpe"].title.en
    # As a published delay does it: the same leg landing two hours later.
    leg = trip.legs_by_id["flight-bkk-tpe"]
    late = leg.model_copy(update={"end": leg.end.replace(hour=leg.end.hour + 2)})
    for cached in ("start_at", "end_at"):
        late.__dict__.pop(cached, None)
    legs = [late if x.id == leg.id else x for x in own.legs]
    moved = own.model_copy(update={"legs": legs})
    moved.__dict__.pop("legs_by_id", None)
    (later,) = plan_checkins(moved)
    assert later.at == home.at + timedelta(hours=2)


def test_a_check_in_found_too_late_is_not_asked() -> None:
    trip = load_trip(METROPOLIS)
    first = plan_checkins(trip)[0]
    assert still_useful(first, first.at) and still_useful(first, first.at + GRACE)
    assert not still_useful(first, first.at + GRACE + timedelta(seconds=1))


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            "    delay: 2h\n",
            "    delay: 2h\n    legs: [flight-bkk-tpe]\n",
            "after_flights_over: 8h",
            "checkins[0].after_flights_over: give either after_flights_over",
        ),
        (
            "  - after_flights_over: 8h\n",
            "  - legs: [flight-bkk-tpe, nosuchleg]\n",
            "nosuchleg",
            "checkins[0].legs[1]: unknown leg 'nosuchleg'",
        ),
        ("    delay: 2h\n", "    delay: soon\n", "delay: soon", "checkins[0].delay:"),
    ],
)
def test_check_names_the_line_and_field_of_a_wrong_rule(
    folder: Path, old: str, new: str, needle: str, message: str
) -> None:
    kit = folder / "fieldkit.yaml"
    edit(kit, old, new)
    code, lines = run(folder)
    assert code == 1
    where = f"fieldkit.yaml:{line_of(kit, needle)}: "
    assert any(where in line and message in line for line in lines), lines
