"""Per-member trips: only the member's legs, lookups rebuilt, the home desk sees everything."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.fieldkit.members import find_member, has_day, member_trip
from bot.trip.loader import build_trip, parse_yaml
from bot.trip.models import Trip

FOLDER = Path(__file__).resolve().parent.parent / "content" / "metropolis-2015"


@pytest.fixture(scope="module")
def trip() -> Trip:
    data: dict[str, object] = {}
    marks: dict[tuple[str | int, ...], tuple[str, int]] = {}
    for file in sorted(FOLDER.glob("*.yaml")):
        doc, doc_marks = parse_yaml(file.read_text("utf-8"), str(file))
        data |= doc
        marks |= doc_marks
    legs = data["legs"]
    assert isinstance(legs, list)
    for leg in legs:
        if leg["id"] in ("flight-tpe-del", "flight-del-fco"):
            leg["members"] = ["yi-rongzong"]
    return build_trip(data, marks, str(FOLDER))


def test_a_member_sees_only_their_legs_with_lookups_rebuilt(trip: Trip) -> None:
    _ = trip.legs_by_id, trip.zone_places  # cached on the whole trip first
    cao = member_trip(trip, "cao-kaiwen")
    assert len(cao.legs) == len(trip.legs) - 2
    assert set(cao.legs_by_id) == {leg.id for leg in cao.legs}
    assert "Asia/Kolkata" not in cao.zone_places and "Asia/Kolkata" in trip.zone_places
    assert member_trip(trip, "yi-rongzong") is trip
    assert member_trip(trip, "intl-desk") is trip  # the home desk follows everyone


@pytest.mark.parametrize(
    ("member", "day", "expected"),
    [
        ("cao-kaiwen", date(2015, 5, 16), False),
        ("cao-kaiwen", date(2015, 5, 17), True),
        ("yi-rongzong", date(2015, 5, 16), True),
        ("intl-desk", date(2015, 5, 16), True),
    ],
)
def test_whose_day_it_is(trip: Trip, member: str, day: date, expected: bool) -> None:
    assert has_day(trip, member, day) is expected


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("@cao-kaiwen", "cao-kaiwen"),
        ("曹凱雯", "cao-kaiwen"),
        ("@Yi Rong-zong", "yi-rongzong"),
        ("@nobody", None),
        ("@", None),
    ],
)
def test_find_member_by_id_or_name(trip: Trip, text: str, found: str | None) -> None:
    member = find_member(trip, text)
    assert (member.id if member else None) == found
