"""A second trip, written from content/README.md alone: Kaohsiung to Brussels via Istanbul, Sofia
and Vienna, across the end of European summer time (2024-10-27 01:00 UTC).

Every instant below is computed by hand from the offsets, not by the code under test:
Istanbul is UTC+3 all year; Sofia is UTC+3 until 04:00 local on the 27th, UTC+2 after; Vienna
and Brussels are UTC+2 until 03:00 local on the 27th, UTC+1 after; Taipei is UTC+8.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import icalendar
import pytest

from bot import itinerary
from bot.briefing import itinerary_reply
from bot.calendar import itinerary_ics
from bot.reminders.plan import morning_of, plan, rules_of
from bot.reminders.render import reminder_text
from bot.trip.loader import ContentError, load_trip
from bot.trip.models import Trip

FOLDER = Path(__file__).resolve().parent / "fixtures" / "trips" / "brussels-2024"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.fixture(scope="module")
def brussels() -> Trip:
    return load_trip(FOLDER)


# leg id: (start, end) in UTC, by hand.
INSTANTS = {
    "flight-khh-ist": (utc(2024, 10, 25, 15, 20), utc(2024, 10, 26, 3, 45)),
    "visit-istanbul-metro": (utc(2024, 10, 26, 7, 0), utc(2024, 10, 26, 9, 0)),
    "train-ist-sof": (utc(2024, 10, 26, 18, 40), utc(2024, 10, 27, 6, 10)),
    "flight-sof-vie": (utc(2024, 10, 27, 10, 30), utc(2024, 10, 27, 12, 10)),
    "train-vie-bru": (utc(2024, 10, 27, 19, 38), utc(2024, 10, 28, 9, 0)),
    "congress-opening": (utc(2024, 10, 28, 13, 0), utc(2024, 10, 28, 17, 0)),
    "meeting-dubois": (utc(2024, 10, 29, 9, 0), utc(2024, 10, 29, 10, 0)),
    "flight-bru-tpe": (utc(2024, 10, 30, 10, 0), utc(2024, 10, 30, 23, 30)),
}


@pytest.mark.parametrize("leg_id", INSTANTS)
def test_every_leg_at_its_hand_computed_instants(brussels: Trip, leg_id: str) -> None:
    leg = brussels.legs_by_id[leg_id]
    assert (leg.start_at, leg.end_at) == INSTANTS[leg_id]


# Each day: the legs it shows, and text its zh and en views must hold.
DAYS = {
    date(2024, 10, 25): (["flight-khh-ist"], "23:20 高雄 UTC+8", "23:20 Kaohsiung UTC+8"),
    date(2024, 10, 26): (
        ["flight-khh-ist", "visit-istanbul-metro", "train-ist-sof"],
        "21:40 伊斯坦堡 UTC+3 → 10/27（日） 08:10 索菲亞 UTC+2｜臺北 10/27（日） 02:40 → 14:10",
        "→ arrives 06:45 Istanbul UTC+3 | Taipei 11:45",
    ),
    date(2024, 10, 27): (
        ["train-ist-sof", "flight-sof-vie", "train-vie-bru"],
        "→ 抵達 08:10 索菲亞 UTC+2｜臺北 14:10",
        "12:30 Sofia UTC+2 → 13:10 Vienna UTC+1 | Taipei 18:30 → 20:10",
    ),
    date(2024, 10, 28): (
        ["train-vie-bru", "congress-opening"],
        "→ 抵達 10:00 布魯塞爾 UTC+1｜臺北 17:00",
        "14:00–18:00 Brussels UTC+1 | Taipei 21:00–Tue 29 Oct 01:00",
    ),
    date(2024, 10, 29): (["meeting-dubois"], "10:00–11:00 布魯塞爾 UTC+1", "Marie"),
    date(2024, 10, 30): (["flight-bru-tpe"], "11:00 布魯塞爾 UTC+1", "Brussels UTC+1"),
    date(2024, 10, 31): (["flight-bru-tpe"], "→ 抵達 07:30 臺北 UTC+8", "arrives 07:30 Taipei"),
}


@pytest.mark.parametrize("day", DAYS)
def test_itinerary_of_each_day(brussels: Trip, day: date) -> None:
    legs, zh_text, en_text = DAYS[day]
    assert [leg.id for leg in itinerary.legs_on(brussels, day)] == legs
    zh = itinerary_reply(brussels, [day], "zh", set())
    en = itinerary_reply(brussels, [day], "en", set())
    if day != date(2024, 10, 29):
        assert zh_text in zh, zh
        assert en_text in en, en
    else:
        assert zh_text in zh and "Meeting the Brussels-Capital" in en
    for text in (zh, en):  # the title comes first on each leg's line, then its times
        for leg_id in legs:
            leg = brussels.legs_by_id[leg_id]
            title = leg.title.get("zh" if text is zh else "en")
            after = text.split(title, 1)[1]
            assert after.startswith("</b>\n"), text


def test_the_night_train_arrives_in_sofia_time_not_istanbul_time(brussels: Trip) -> None:
    train = brussels.legs_by_id["train-ist-sof"]
    assert train.end_zone.key == "Europe/Sofia"
    # In Istanbul's zone the same wall clock would be an hour earlier: 05:10 UTC.
    assert train.end_at != utc(2024, 10, 27, 5, 10)
    assert itinerary.position(brussels, utc(2024, 10, 27, 7, 0)).zone.key == "Europe/Sofia"


def test_the_calendar_keeps_the_arrival_zone(brussels: Trip) -> None:
    cal = icalendar.Calendar.from_ical(itinerary_ics(brussels, "en", utc(2024, 10, 1)))
    events = {str(e["uid"]).split(".", 1)[1].split("@")[0]: e for e in cal.walk("VEVENT")}
    train = events["train-ist-sof"]
    start, end = train.decoded("dtstart"), train.decoded("dtend")
    assert (str(start.tzinfo), start.replace(tzinfo=None)) == (
        "Europe/Istanbul",
        datetime(2024, 10, 26, 21, 40),
    )
    assert (str(end.tzinfo), end.replace(tzinfo=None)) == (
        "Europe/Sofia",
        datetime(2024, 10, 27, 8, 10),
    )
    assert end.astimezone(UTC) == utc(2024, 10, 27, 6, 10)
    zones = {str(z["tzid"]) for z in cal.walk("VTIMEZONE")}
    assert {"Europe/Istanbul", "Europe/Sofia", "Europe/Vienna", "Europe/Brussels"} <= zones
    for leg_id, (a, b) in INSTANTS.items():
        event = events[leg_id]
        assert event.decoded("dtstart").astimezone(UTC) == a
        assert event.decoded("dtend").astimezone(UTC) == b


def test_the_trains_reminder_falls_at_its_instant_and_names_both_zones(brussels: Trip) -> None:
    planned = {r.key: r for r in plan(brussels, rules_of(brussels), utc(2024, 10, 1))}
    (train,) = [r for r in planned.values() if r.subject == "train-ist-sof"]
    assert train.due_at == utc(2024, 10, 26, 18, 10)  # 30 min before 21:40 Istanbul (UTC+3)
    text = reminder_text(brussels, train, "zh", train.due_at)
    assert "21:40 伊斯坦堡 UTC+3 → 10/27（日） 08:10 索菲亞 UTC+2" in text
    en = reminder_text(brussels, train, "en", train.due_at)
    assert "08:10 Sofia UTC+2" in en and not any("\u4e00" <= c <= "\u9fff" for c in en)


def test_the_morning_after_the_clocks_went_back(brussels: Trip) -> None:
    # At 07:30 on the 28th they are on the night train from Vienna (on the ground, so the
    # briefing is not held back): 07:30 Vienna time, now UTC+1 after the change, is 06:30 UTC.
    # Before the change it would have been 05:30 UTC.
    found = morning_of(brussels, date(2024, 10, 28), datetime(2024, 1, 1, 7, 30).time())
    assert found is not None and found[0] == utc(2024, 10, 28, 6, 30)


def test_check_validates_the_arrival_zone(tmp_path: Path) -> None:
    legs = (FOLDER / "legs.yaml").read_text(encoding="utf-8")
    (tmp_path / "trip.yaml").write_text((FOLDER / "trip.yaml").read_text(encoding="utf-8"))
    bad = legs.replace("arrival_zone: Europe/Sofia", "arrival_zone: Europe/Sofija")
    (tmp_path / "legs.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_trip(tmp_path)
    (problem,) = err.value.problems
    line = bad.splitlines().index("    arrival_zone: Europe/Sofija") + 1
    assert (problem.line, problem.field) == (line, "legs[2].arrival_zone")
    assert "Europe/Sofija" in problem.message
    on_flight = legs.replace(
        "    to: {airport: IST", "    arrival_zone: Europe/Istanbul\n    to: {airport: IST"
    )
    (tmp_path / "legs.yaml").write_text(on_flight, encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_trip(tmp_path)
    assert [p.field for p in err.value.problems] == ["legs[0].arrival_zone"]
    assert "only a ground leg" in err.value.problems[0].message
