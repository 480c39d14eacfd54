"""The pure planner: trip, rules and the current instant in; reminders with UTC instants out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot import itinerary
from bot.reminders.rules import DEFAULT_RULES, ReminderRule, TripReminders
from bot.trip.models import Leg, Trip

Kind = Literal["leg", "morning", "prep"]
Audience = Literal["travellers", "coordinators"]
# A reminder due at its leg's start (before: 0) still gets this long to go out.
MIN_WINDOW = timedelta(minutes=1)
DST_GAP = timedelta(hours=3)  # more than any zone's clock has ever skipped at once


@dataclass(frozen=True)
class PlannedReminder:
    """One reminder of one trip; `key` is stable across restarts and plan changes."""

    key: str
    trip_id: str
    kind: Kind
    subject: str  # a leg id, a local date (ISO) or a milestone id
    rule: str
    message: str  # check_in, leave_for_airport, before_leg, morning or prep
    audience: Audience
    zone: str  # the zone its time is shown in
    due_at: datetime  # UTC
    deadline: datetime  # UTC: not sent by then, it is recorded as missed


def make_key(trip_id: str, kind: Kind, subject: str, rule: str) -> str:
    """The stable key of a reminder: (trip, leg/day/milestone, rule)."""
    return f"{trip_id}/{kind}:{subject}/{rule}"


def rules_of(trip: Trip) -> TripReminders:
    """The trip's declared reminder rules, else the built-in defaults."""
    return trip.reminders if trip.reminders is not None else DEFAULT_RULES


def leg_rules(leg: Leg, rules: TripReminders) -> list[ReminderRule]:
    """The leg's own rules if it declares any (an empty list silences it), else its kind's."""
    return leg.reminders if leg.reminders is not None else rules.legs.get(leg.kind, [])


def plan(trip: Trip, rules: TripReminders, now: datetime) -> list[PlannedReminder]:
    """Every reminder of the trip that can still go out at `now`, soonest first."""
    found = [*_leg_reminders(trip, rules), *_mornings(trip, rules), *_milestones(trip, rules)]
    return sorted((r for r in found if r.deadline > now), key=lambda r: (r.due_at, r.key))


def _leg_reminders(trip: Trip, rules: TripReminders) -> list[PlannedReminder]:
    out = []
    for leg in trip.legs:
        for rule in leg_rules(leg, rules):
            due = leg.start_at - rule.before
            if rule.grace is not None:
                deadline = due + rule.grace
            else:
                deadline = max(leg.start_at, due + MIN_WINDOW)
            out.append(
                PlannedReminder(
                    make_key(trip.id, "leg", leg.id, rule.id),
                    trip.id,
                    "leg",
                    leg.id,
                    rule.id,
                    rule.say,
                    "travellers",
                    str(leg.start_zone),
                    due,
                    deadline,
                )
            )
    return out


def _mornings(trip: Trip, rules: TripReminders) -> list[PlannedReminder]:
    if rules.morning is None or not trip.legs:
        return []
    last_end = max(leg.end_at for leg in trip.legs)
    out = []
    for day in trip.days():
        found = morning_of(trip, day, rules.morning)
        if found is None or found[0] >= last_end:
            continue  # the morning never comes where they are (date line), or the trip is over
        due, zone = found
        out.append(
            PlannedReminder(
                make_key(trip.id, "morning", day.isoformat(), "brief"),
                trip.id,
                "morning",
                day.isoformat(),
                "brief",
                "morning",
                "travellers",
                str(zone),
                due,
                due + rules.morning_grace,
            )
        )
    return out


def morning_of(trip: Trip, day: date, at: time) -> tuple[datetime, ZoneInfo] | None:
    """The first instant, on the ground, when the clock where the delegation is reads `day`
    at `at` or later.

    That is `at` local wherever they are; if they are in the air then, or a change of zone
    makes the local clock jump past `at`, the moment they land. None if `day` never comes
    on the ground (a night flight across the date line skips it).
    """
    # The local clock where they are is smooth except where `position` changes zone, which can
    # only happen at a leg's start or end: the answer is one of these candidates. None well
    # before the earliest of `at` in the trip's zones can be it: every clock they may read is
    # short of it (the margin: a clock that skips `at` in a DST gap reads past it earlier).
    candidates = {datetime.combine(day, at, tzinfo=z).astimezone(UTC) for z in trip.zones}
    lo = min(candidates) - DST_GAP
    hi = datetime.combine(day, time(0), tzinfo=UTC) + timedelta(hours=24 + 15)
    candidates |= {x for leg in trip.legs for x in (leg.start_at, leg.end_at) if lo <= x <= hi}
    for instant in sorted(candidates):
        where = itinerary.position(trip, instant)
        local = instant.astimezone(where.zone)
        # Nobody reads a briefing at 07:30 of the zone they took off from, over the ocean.
        if where.in_flight is None and local.date() == day and local.time() >= at:
            return instant, where.zone
    return None


def _milestones(trip: Trip, rules: TripReminders) -> list[PlannedReminder]:
    if rules.prep is None:
        return []
    out = []
    for step in trip.prep:
        due = datetime.combine(step.date, rules.prep, tzinfo=trip.home_zone).astimezone(UTC)
        out.append(
            PlannedReminder(
                make_key(trip.id, "prep", step.id, "due"),
                trip.id,
                "prep",
                step.id,
                "due",
                "prep",
                "coordinators",
                str(trip.home_zone),
                due,
                due + rules.prep_grace,
            )
        )
    return out
