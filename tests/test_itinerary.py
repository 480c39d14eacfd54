"""Itinerary queries at chosen instants across zones: today, now, next, where."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import itinerary
from bot.briefing import parse_day
from bot.dates import DateError
from bot.trip.models import Trip

ROME = ZoneInfo("Europe/Rome")
BA = ZoneInfo("America/Argentina/Buenos_Aires")
TAIPEI = ZoneInfo("Asia/Taipei")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_in_rome_between_flights_today_is_romes_date(metropolis: Trip) -> None:
    now = at("2015-05-17T10:00+02:00")
    pos = itinerary.position(metropolis, now)
    assert pos.zone == ROME and pos.in_flight is None and pos.label("en") == "Rome"
    assert itinerary.today(metropolis, now) == date(2015, 5, 17)
    assert [leg.id for leg in itinerary.upcoming(metropolis, now)] == ["flight-fco-eze"]
    assert itinerary.in_progress(metropolis, now) == []


def test_at_2330_in_rome_on_the_overnight_flight(metropolis: Trip) -> None:
    # 23:30 in Rome on the 17th is already the 18th in Taipei; the delegation is over the Atlantic.
    now = at("2015-05-17T23:30+02:00")
    pos = itinerary.position(metropolis, now)
    assert pos.in_flight is not None and pos.in_flight.id == "flight-fco-eze"
    assert pos.zone == ROME
    assert itinerary.today(metropolis, now) == date(2015, 5, 17)
    assert now.astimezone(TAIPEI).date() == date(2015, 5, 18)
    assert [leg.id for leg in itinerary.in_progress(metropolis, now)] == ["flight-fco-eze"]
    nxt = itinerary.upcoming(metropolis, now)[0]
    assert nxt.id == "meeting-day-1" and nxt.start_at.astimezone(BA).hour == 8


def test_after_landing_today_follows_buenos_aires(metropolis: Trip) -> None:
    now = at("2015-05-17T22:00-03:00")  # landed at 20:30; in Taipei it is 09:00 on the 18th
    pos = itinerary.position(metropolis, now)
    assert pos.zone == BA and pos.in_flight is None and pos.label("zh") == "布宜諾斯艾利斯"
    assert itinerary.today(metropolis, now) == date(2015, 5, 17)
    assert "flight-fco-eze" in [leg.id for leg in itinerary.legs_on(metropolis, date(2015, 5, 17))]


def test_innermost_leg_first_while_a_session_runs_inside_a_conference_day(metropolis: Trip) -> None:
    running = itinerary.in_progress(metropolis, at("2015-05-19T10:00-03:00"))
    assert [leg.id for leg in running] == ["plenary-live-the-city", "meeting-day-2"]


def test_latest_started_is_the_last_ended_leg_between_legs(metropolis: Trip) -> None:
    now = at("2015-05-22T21:00-03:00")  # after the standby day ended
    leg = itinerary.latest_started(metropolis, now)
    assert leg is not None and leg.id == "standby"


def test_before_and_after_the_trip(metropolis: Trip) -> None:
    assert itinerary.trip_phase(metropolis, at("2015-05-10T09:00+08:00")) == "before"
    assert itinerary.position(metropolis, at("2015-05-10T09:00+08:00")).zone == TAIPEI
    assert itinerary.trip_phase(metropolis, at("2015-05-19T09:00-03:00")) == "during"
    assert itinerary.trip_phase(metropolis, at("2015-06-01T09:00+08:00")) == "after"


def test_zone_changes_every_leg_on_the_way_home(metropolis: Trip) -> None:
    zones = [
        itinerary.position(metropolis, at(t)).zone.key
        for t in ("2015-05-24T10:00+02:00", "2015-05-25T08:00+07:00", "2015-05-25T20:00+08:00")
    ]
    assert zones == ["Europe/Amsterdam", "Asia/Bangkok", "Asia/Taipei"]


def test_day_arguments(metropolis: Trip) -> None:
    now = at("2015-05-17T22:00-03:00")
    assert parse_day("", metropolis, now) == [date(2015, 5, 17)]
    assert parse_day("tomorrow", metropolis, now) == [date(2015, 5, 18)]
    assert parse_day("104.05.20", metropolis, now) == [date(2015, 5, 20)]
    assert parse_day("104/05/21", metropolis, now) == [date(2015, 5, 21)]
    assert parse_day("2015-05-19", metropolis, now) == [date(2015, 5, 19)]
    assert parse_day("all", metropolis, now) == metropolis.days()
    with pytest.raises(DateError) as err:
        parse_day("next week", metropolis, now)
    assert err.value.values["arg"] == "next week"


def test_dst_change_in_frankfurt(smart_city: Trip) -> None:
    night = smart_city.legs_by_id["visit-night-grid"]
    assert night.end_at - night.start_at == timedelta(hours=4)
    mid = night.start_at + timedelta(hours=2, minutes=30)  # 02:30 CET, after the clocks went back
    assert [leg.id for leg in itinerary.in_progress(smart_city, mid)] == ["visit-night-grid"]
    assert itinerary.today(smart_city, mid) == date(2015, 10, 25)


def test_date_line_flight_lands_two_calendar_days_later(smart_city: Trip) -> None:
    flight = smart_city.legs_by_id["flight-sfo-tpe"]
    during = flight.start_at + timedelta(hours=6)
    pos = itinerary.position(smart_city, during)
    assert pos.in_flight == flight and pos.zone.key == "America/Los_Angeles"
    after = flight.end_at + timedelta(minutes=5)
    assert itinerary.today(smart_city, after) == date(2015, 10, 31)
    assert itinerary.legs_on(smart_city, date(2015, 10, 30)) == []
