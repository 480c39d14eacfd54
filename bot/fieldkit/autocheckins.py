"""Automatic check-ins from the content's `checkins:` rules: planned from the effective itinerary
(a delayed flight moves its check-in), timed on the bot's clock, asked like a coordinator's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.trip.models import Leg, Trip
from bot.trip.types import Lang

# A check-in found due this long after its instant (the bot was down) is no longer asked.
GRACE = timedelta(hours=1)


@dataclass(frozen=True)
class PlannedCheckin:
    """One automatic check-in: its stable key, when it is asked, after which leg."""

    key: str
    at: datetime
    leg_id: str
    rule: int


def _matches(trip: Trip, rule: int, leg: Leg) -> bool:
    r = trip.checkins[rule]
    if r.legs:
        return leg.id in r.legs
    long_haul = r.after_flights_over
    return leg.kind == "flight" and long_haul is not None and leg.end_at - leg.start_at >= long_haul


def plan_checkins(trip: Trip) -> list[PlannedCheckin]:
    """Every automatic check-in of the trip, in time order: `delay` after each matching arrival."""
    planned = [
        PlannedCheckin(f"{i}:{leg.id}", leg.end_at + rule.delay, leg.id, i)
        for i, rule in enumerate(trip.checkins)
        for leg in trip.legs
        if _matches(trip, i, leg)
    ]
    return sorted(planned, key=lambda p: (p.at, p.key))


def still_useful(planned: PlannedCheckin, now: datetime) -> bool:
    """Whether a check-in due at `planned.at` is still worth asking at `now`."""
    return now - planned.at <= GRACE


def checkin_message(trip: Trip, planned: PlannedCheckin, lang: Lang) -> str:
    """The rule's message under 「平安嗎？」, else the arrival leg's title."""
    rule = trip.checkins[planned.rule]
    if rule.message is not None:
        return rule.message.get(lang)
    return trip.legs_by_id[planned.leg_id].title.get(lang)
