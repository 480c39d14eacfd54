"""The pure planner at the hard places: other dates than Taipei's, overnight flights, DST, the
date line, and 07:30 local on a day the delegation changes zones."""

from __future__ import annotations

import typing
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import itinerary
from bot.reminders.plan import PlannedReminder, morning_of, plan, rules_of
from bot.reminders.render import due_line, reminder_text
from bot.reminders.rules import DEFAULT_RULES, RuleKind, parse_duration
from bot.trip.loader import ContentError, load_trip
from bot.trip.models import LegKind, Trip

EARLY = datetime(2015, 1, 1, tzinfo=UTC)
TAIPEI = ZoneInfo("Asia/Taipei")


def _by_key(trip: Trip, now: datetime = EARLY) -> dict[str, PlannedReminder]:
    return {r.key: r for r in plan(trip, rules_of(trip), now)}


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def test_rule_kinds_match_leg_kinds() -> None:
    assert typing.get_args(RuleKind) == typing.get_args(LegKind)


def test_durations_read_as_written() -> None:
    assert parse_duration("24h") == timedelta(hours=24)
    assert parse_duration("1h30m") == timedelta(minutes=90)
    assert parse_duration("90s") == timedelta(seconds=90)
    assert parse_duration("0") == timedelta(0)
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration("soon")


def test_the_bundled_trip_declares_the_issue_defaults(metropolis: Trip) -> None:
    rules = rules_of(metropolis)
    assert metropolis.reminders is not None
    assert [(r.id, r.before) for r in rules.legs["flight"]] == [
        ("check-in", timedelta(hours=24)),
        ("leave", timedelta(hours=3)),
    ]
    assert rules.morning == time(7, 30) and rules.prep == time(9, 0)


def test_keys_are_stable_and_plans_are_sorted(metropolis: Trip) -> None:
    rules = rules_of(metropolis)
    first, again = plan(metropolis, rules, EARLY), plan(metropolis, rules, EARLY)
    assert first == again
    assert [r.due_at for r in first] == sorted(r.due_at for r in first)
    assert len({r.key for r in first}) == len(first)
    assert "metropolis-2015/leg:flight-fco-eze/check-in" in {r.key for r in first}


def test_a_leg_whose_local_date_is_not_taipeis(metropolis: Trip) -> None:
    opening = _by_key(metropolis)["metropolis-2015/leg:opening-ceremony/before"]
    # 18:00 in Buenos Aires on the 18th is 05:00 on the 19th in Taipei.
    assert opening.due_at == _utc(2015, 5, 18, 21, 0)
    assert opening.zone == "America/Argentina/Buenos_Aires"
    line = due_line(metropolis, opening, "zh")
    assert "5/18（一） 18:00 布宜諾斯艾利斯 UTC−3｜臺北 5/19（二） 05:00" in line


def test_the_overnight_rome_to_buenos_aires_flight(metropolis: Trip) -> None:
    plans = _by_key(metropolis)
    check_in = plans["metropolis-2015/leg:flight-fco-eze/check-in"]
    leave = plans["metropolis-2015/leg:flight-fco-eze/leave"]
    assert check_in.due_at == _utc(2015, 5, 16, 9, 55)  # 24 h before 11:55 Rome (UTC+2)
    assert leave.due_at == _utc(2015, 5, 17, 6, 55)
    assert leave.deadline == _utc(2015, 5, 17, 9, 55)  # useful until the doors close
    text = reminder_text(metropolis, leave, "en", leave.due_at)
    assert text.startswith("🧳 Time to leave for the airport (departure in 3 h)")
    assert "FCO" in text and "Arriving EZE" in text
    assert "Sun 17 May 20:30 Buenos Aires UTC−3 local time" in text
    zh = reminder_text(metropolis, check_in, "zh", check_in.due_at)
    assert "11:55 羅馬 UTC+2" in zh and "臺北" in zh


def test_a_meeting_reminder_names_venue_people_and_points(metropolis: Trip) -> None:
    plans = _by_key(metropolis)
    call = plans["metropolis-2015/leg:call-representative-office/before"]
    assert call.due_at == _utc(2015, 5, 19, 15, 0)  # 12:00 Buenos Aires
    text = reminder_text(metropolis, call, "zh", call.due_at)
    assert text.startswith("⏰ 30 分後開始") and "12:30–14:00 布宜諾斯艾利斯 UTC−3" in text
    assert "會面對象" in text and "黃聯昇" in text and "談話要點" in text


def test_assumed_times_say_so(smart_city: Trip) -> None:
    r = _by_key(smart_city)["smart-city-2015/leg:visit-mobility-lab/before"]
    assert "（時間為預估）" in reminder_text(smart_city, r, "zh", r.due_at)


def test_a_visit_across_the_end_of_summer_time(smart_city: Trip) -> None:
    plans = _by_key(smart_city)
    visit = plans["smart-city-2015/leg:visit-night-grid/before"]
    assert visit.due_at == _utc(2015, 10, 24, 22, 30)  # 01:00 CEST is 23:00 UTC
    # 07:30 in Frankfurt is 05:30 UTC in summer time and 06:30 UTC the morning after it ends.
    assert plans["smart-city-2015/morning:2015-10-24/brief"].due_at == _utc(2015, 10, 24, 5, 30)
    assert plans["smart-city-2015/morning:2015-10-25/brief"].due_at == _utc(2015, 10, 25, 6, 30)


def test_the_date_line_skips_a_morning(smart_city: Trip) -> None:
    plans = _by_key(smart_city)
    # SFO 23:55 on the 29th to Taipei 05:35 on the 31st: the 30th never comes on the ground.
    assert "smart-city-2015/morning:2015-10-30/brief" not in plans
    landing = plans["smart-city-2015/morning:2015-10-31/brief"]
    assert landing.due_at == _utc(2015, 10, 30, 23, 30) and landing.zone == "Asia/Taipei"
    check_in = plans["smart-city-2015/leg:flight-sfo-tpe/check-in"]
    assert check_in.due_at == _utc(2015, 10, 29, 6, 55)  # 23:55 PDT minus 24 h


def test_morning_on_days_the_delegation_changes_zones(metropolis: Trip, smart_city: Trip) -> None:
    # In the air at 07:30 Taipei on the 23rd; on the ground in Frankfurt by 07:30 there.
    frankfurt = _by_key(smart_city)["smart-city-2015/morning:2015-10-23/brief"]
    assert frankfurt.due_at == _utc(2015, 10, 23, 5, 30) and frankfurt.zone == "Europe/Berlin"
    # Landed in Rome at 04:30 from Delhi: 07:30 Rome, not 07:30 Delhi (over the sea).
    rome = _by_key(metropolis)["metropolis-2015/morning:2015-05-17/brief"]
    assert rome.due_at == _utc(2015, 5, 17, 5, 30) and rome.zone == "Europe/Rome"
    # From Buenos Aires overnight, landing in Amsterdam at 08:55: the briefing comes at landing.
    amsterdam = _by_key(metropolis)["metropolis-2015/morning:2015-05-24/brief"]
    assert amsterdam.due_at == _utc(2015, 5, 24, 6, 55) and amsterdam.zone == "Europe/Amsterdam"
    text = reminder_text(metropolis, amsterdam, "zh", amsterdam.due_at)
    assert text.startswith("📋 5/24（日） 簡報")
    assert morning_of(metropolis, date(2015, 5, 19), time(7, 30)) == (
        _utc(2015, 5, 19, 10, 30),
        ZoneInfo("America/Argentina/Buenos_Aires"),
    )


def test_milestones_remind_coordinators_at_nine_in_taipei(metropolis: Trip) -> None:
    approval = _by_key(metropolis)["metropolis-2015/prep:approval/due"]
    assert approval.audience == "coordinators" and approval.due_at == _utc(2015, 3, 26, 1, 0)
    assert "104" not in reminder_text(metropolis, approval, "en", approval.due_at)


def test_now_drops_what_can_no_longer_go_out(metropolis: Trip) -> None:
    now = _utc(2015, 5, 19, 13, 0)
    plans = _by_key(metropolis, now)
    assert all(r.deadline > now for r in plans.values())
    assert "metropolis-2015/leg:flight-fco-eze/leave" not in plans
    assert "metropolis-2015/leg:call-representative-office/before" in plans


def test_trip_defaults_leg_overrides_and_graces(tmp_path: Path, smart_city: Trip) -> None:
    src = Path(__file__).parent / "fixtures" / "trips" / "smart-city-2015"
    for f in src.glob("*.yaml"):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    legs = (tmp_path / "legs.yaml").read_text(encoding="utf-8")
    legs = legs.replace(
        "    contacts: [sam-example]\n",
        "    contacts: [sam-example]\n    reminders: []\n",
    ).replace(
        "    contacts: [erika-beispiel]\n",
        "    contacts: [erika-beispiel]\n"
        "    reminders:\n      - {id: eve, before: 3h, grace: 10m}\n",
    )
    (tmp_path / "legs.yaml").write_text(legs, encoding="utf-8")
    (tmp_path / "rules.yaml").write_text(
        "reminders:\n  legs:\n    flight:\n"
        "      - {id: leave, before: 2h30m, say: leave_for_airport}\n"
        "  morning: 08:00\n  prep: ~\n",
        encoding="utf-8",
    )
    trip = load_trip(tmp_path)
    plans = _by_key(trip)
    assert not any(":visit-mobility-lab/" in k for k in plans)  # an empty list silences a leg
    eve = plans["smart-city-2015/leg:visit-night-grid/eve"]
    assert eve.due_at == _utc(2015, 10, 24, 20, 0)
    assert eve.deadline == eve.due_at + timedelta(minutes=10)
    assert not any(":forum-opening/" in k for k in plans)  # sessions have no rule in this trip
    leave = plans["smart-city-2015/leg:flight-tpe-fra/leave"]
    assert leave.due_at == _utc(2015, 10, 22, 13, 10)
    assert plans["smart-city-2015/morning:2015-10-24/brief"].due_at == _utc(2015, 10, 24, 6, 0)
    assert not any("/prep:" in k for k in plans)
    assert smart_city.reminders is None and rules_of(smart_city) is DEFAULT_RULES


def test_a_bad_rule_is_a_content_error_with_file_and_line(tmp_path: Path) -> None:
    src = Path(__file__).parent / "fixtures" / "trips" / "smart-city-2015"
    for f in src.glob("*.yaml"):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "rules.yaml").write_text(
        "reminders:\n  legs:\n    flight:\n      - {id: x, before: soon}\n", encoding="utf-8"
    )
    with pytest.raises(ContentError) as err:
        load_trip(tmp_path)
    assert "rules.yaml:4: reminders.legs.flight[0].before: " in str(err.value)
    assert "not a duration" in str(err.value)


@pytest.mark.parametrize(
    ("leg_id", "lang", "shown", "more"),
    [
        ("opening-ceremony", "zh", 3, "……另有 5 項，請用 /talkingpoints 查看"),
        ("plenary-voice-of-mayors", "en", 3, "…and 4 more: /talkingpoints"),
        ("statutory-board", "en", 2, None),
    ],
)
def test_a_reminder_shows_at_most_three_talking_points_and_says_where_the_rest_are(
    metropolis: Trip, leg_id: str, lang: typing.Literal["zh", "en"], shown: int, more: str | None
) -> None:
    before = _by_key(metropolis)[f"metropolis-2015/leg:{leg_id}/before"]
    text = reminder_text(metropolis, before, lang, before.due_at)
    assert text.count("🎯") == shown
    assert (more in text) if more else ("/talkingpoints" not in text)


def _morning_by_every_candidate(trip: Trip, day: date, at: time) -> object:
    # The planner before it skipped the candidates well before `at` in every zone: each zone's
    # `at`, and every leg boundary within a day and more around it, in order.
    zones = {trip.home_zone, *(z for leg in trip.legs for z in (leg.start_zone, leg.end_zone))}
    found = {datetime.combine(day, at, tzinfo=z).astimezone(UTC) for z in zones}
    lo = datetime.combine(day, time(0), tzinfo=UTC) - timedelta(hours=15)
    found |= {
        x
        for leg in trip.legs
        for x in (leg.start_at, leg.end_at)
        if lo <= x <= lo + timedelta(hours=54)
    }
    for instant in sorted(found):
        where = itinerary.position(trip, instant)
        local = instant.astimezone(where.zone)
        if where.in_flight is None and local.date() == day and local.time() >= at:
            return instant, where.zone
    return None


@settings(max_examples=400, deadline=None)
@given(which=st.booleans(), offset=st.integers(-1, 12), minute=st.integers(0, 24 * 60 - 1))
def test_the_morning_is_found_as_among_every_candidate(
    metropolis: Trip, smart_city: Trip, which: bool, offset: int, minute: int
) -> None:
    trip = smart_city if which else metropolis
    day, at = trip.start + timedelta(days=offset), time(minute // 60, minute % 60)
    assert morning_of(trip, day, at) == _morning_by_every_candidate(trip, day, at)
