"""The effective itinerary and the diff: pure functions, pinned at zones, DST and conflicts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.changes.apply import apply_change, effective_trip
from bot.changes.diff import changed_ids, compare, diff_lines
from bot.changes.model import Change, Published
from bot.changes.revision import revision_between, revision_from_yaml
from bot.trip.loader import ContentError
from bot.trip.models import Trip

AT = datetime(2015, 5, 1, tzinfo=UTC)


def logged(trip: Trip, *changes: Change) -> list[Published]:
    return [Published(trip.id, i, c, "tester", AT, frozenset()) for i, c in enumerate(changes, 1)]


def test_delay_moves_the_leg_by_real_time_and_nothing_else(metropolis: Trip) -> None:
    leg = metropolis.legs_by_id["plenary-live-the-city"]
    new, conflicts = effective_trip(
        metropolis, logged(metropolis, Change("delay", leg.id, by=timedelta(minutes=90)))
    )
    moved = new.legs_by_id[leg.id]
    assert conflicts == []
    assert moved.start_at - leg.start_at == timedelta(minutes=90)
    assert moved.end_at - moved.start_at == leg.end_at - leg.start_at
    assert changed_ids(metropolis, new) == {leg.id}


def test_the_diff_line_gives_local_zone_and_taipei(metropolis: Trip) -> None:
    leg = metropolis.legs_by_id["plenary-live-the-city"]  # 09:30 Buenos Aires (UTC−3)
    new = apply_change(metropolis, Change("delay", leg.id, by=timedelta(minutes=90)))
    (en,) = diff_lines(metropolis, new, "en")
    assert "09:30 → 11:00 (Buenos Aires UTC−3; Taipei 20:30 → 22:00)" in en
    (zh,) = diff_lines(metropolis, new, "zh")
    assert "09:30 → 11:00（布宜諾斯艾利斯 UTC−3；臺北 20:30 → 22:00）" in zh


def test_a_delay_across_the_end_of_dst_keeps_the_real_length(smart_city: Trip) -> None:
    # Berlin leaves summer time at 03:00 on 25 Oct 2015: the 01:00–04:00 visit lasts 4 h.
    leg = smart_city.legs_by_id["visit-night-grid"]
    new = apply_change(smart_city, Change("delay", leg.id, by=timedelta(hours=3)))
    moved = new.legs_by_id[leg.id]
    assert moved.start_at - leg.start_at == timedelta(hours=3)
    assert moved.end_at - moved.start_at == timedelta(hours=4)
    # 01:00 CEST + 3 h is 03:00 CET by the wall clock, not 04:00.
    assert (moved.start.hour, moved.end.hour) == (3, 7)
    (line,) = diff_lines(smart_city, new, "en")
    assert "01:00 → 03:00 (Frankfurt UTC+1; Taipei 07:00 → 10:00)" in line  # the trip names it


def test_moving_a_flight_keeps_each_end_in_its_own_zone(metropolis: Trip) -> None:
    leg = metropolis.legs_by_id["flight-eze-ams"]
    new = apply_change(metropolis, Change("move", leg.id, start=leg.start + timedelta(hours=3)))
    moved = new.legs_by_id[leg.id]
    assert moved.start_at - leg.start_at == timedelta(hours=3)
    assert moved.end_at - leg.end_at == timedelta(hours=3)
    assert moved.end_zone == leg.end_zone


def test_cancel_takes_the_parts_and_restore_brings_them_back(metropolis: Trip) -> None:
    day = "meeting-day-4"
    parts = {leg.id for leg in metropolis.legs if leg.part_of == day}
    cancelled, _ = effective_trip(metropolis, logged(metropolis, Change("cancel", day)))
    assert day not in cancelled.legs_by_id and not parts & set(cancelled.legs_by_id)
    kinds = {d.leg_id: d.kind for d in compare(metropolis, cancelled)}
    assert kinds == dict.fromkeys({day, *parts}, "removed")
    restored, conflicts = effective_trip(
        metropolis, logged(metropolis, Change("cancel", day), Change("restore", day))
    )
    assert conflicts == [] and changed_ids(metropolis, restored) == set()


def test_a_change_to_a_leg_the_content_lost_is_a_conflict_not_dropped(metropolis: Trip) -> None:
    log = logged(
        metropolis,
        Change("delay", "gone-leg", by=timedelta(hours=1)),
        Change("delay", "standby", by=timedelta(hours=1)),
    )
    new, conflicts = effective_trip(metropolis, log)
    assert [(c.version, c.leg) for c in conflicts] == [(1, "gone-leg")]
    assert "no such leg" in conflicts[0].message
    assert changed_ids(metropolis, new) == {"standby"}  # the later change still applies


def test_a_change_that_does_not_apply_is_refused(metropolis: Trip) -> None:
    with pytest.raises(ValueError, match="not cancelled"):
        apply_change(metropolis, Change("restore", "standby"))


def test_a_revision_round_trips_through_the_log(metropolis: Trip) -> None:
    revised = apply_change(metropolis, Change("cancel", "standby"))
    revised = apply_change(revised, Change("delay", "closing-ceremony", by=timedelta(hours=1)))
    change = revision_between(metropolis, revised)
    assert set(change.legs) == {"standby", "closing-ceremony"} and change.added == ()
    stored = Change.from_json(change.to_json())
    again, conflicts = effective_trip(metropolis, logged(metropolis, stored))
    assert conflicts == [] and changed_ids(revised, again) == set()


def test_an_invalid_revision_names_the_line_and_field(metropolis: Trip) -> None:
    text = "legs:\n  - id: only\n    kind: meeting\n    title: 會\n    start: 2015-05-18 9h\n"
    with pytest.raises(ContentError) as caught:
        revision_from_yaml(metropolis, text, "itinerary.yaml")
    found = [str(p) for p in caught.value.problems]
    assert any(p.startswith("itinerary.yaml:5: legs[0].start:") for p in found), found


def test_a_revision_adding_a_leg(metropolis: Trip) -> None:
    text = (
        "legs:\n"
        + "".join(
            f"  - {leg.model_dump_json(by_alias=True, exclude_none=True)}\n"
            for leg in metropolis.legs
        )
        + "  - {id: extra, kind: meeting, title: {zh: 加開會議, en: Extra meeting},"
        " start: 2015-05-20 08:00, end: 2015-05-20 08:45, zone: America/Argentina/Buenos_Aires}\n"
    )
    change = revision_from_yaml(metropolis, text, "itinerary.yaml")
    assert change.added == ("extra",) and set(change.legs) == {"extra"}
    (line,) = diff_lines(metropolis, apply_change(metropolis, change), "en")
    assert line.startswith("➕ Added: <b>Extra meeting</b> (Wed 20 May 08:00–08:45 Buenos Aires")


def test_delaying_a_day_moves_what_is_inside_it(metropolis: Trip) -> None:
    day = metropolis.legs_by_id["meeting-day-2"]
    inside = [leg for leg in metropolis.legs if leg.part_of == day.id]
    assert inside  # the keynote, the call on the office, the thematic sessions
    new = apply_change(metropolis, Change("delay", day.id, by=timedelta(hours=1)))
    for leg in [day, *inside]:
        assert new.legs_by_id[leg.id].start_at - leg.start_at == timedelta(hours=1), leg.id
    assert changed_ids(metropolis, new) == {day.id, *(leg.id for leg in inside)}
    untouched = metropolis.legs_by_id["meeting-day-3"]
    assert new.legs_by_id[untouched.id].start_at == untouched.start_at
