"""Itinerary queries at a given instant: where the delegation is, today, now and next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.trip.models import Leg, Trip
from bot.trip.types import Lang


@dataclass(frozen=True)
class Position:
    """Where the delegation is at an instant: a zone, and the flight it is on, if any."""

    zone: ZoneInfo
    in_flight: Leg | None = None
    place: Leg | None = None  # the leg whose end (or start) defines the place
    arrived: bool = False  # the place leg has ended: they are at its end

    def label(self, lang: Lang) -> str:
        """Where they are: a city, or 'Rome → Buenos Aires' while in flight."""
        leg = self.place
        if leg is None:
            return ""
        if leg.destination and self.arrived:
            return leg.destination.city.get(lang)
        if leg.origin and not self.in_flight:
            return leg.origin.city.get(lang)
        return leg.where(lang)


def ordered(trip: Trip) -> list[Leg]:
    """Legs by start instant; a container leg before the legs inside it."""
    return sorted(trip.legs, key=lambda leg: (leg.start_at, leg.part_of is not None, leg.id))


def position(trip: Trip, now: datetime) -> Position:
    """Where the latest leg leaves the delegation; in flight, the departure zone rules."""
    best: tuple[datetime, ZoneInfo, Leg] | None = None
    for leg in trip.legs:
        if leg.start_at > now:
            continue
        if leg.kind == "flight" and leg.contains(now):
            return Position(leg.start_zone, in_flight=leg, place=leg)
        # An ended leg leaves them at its end; a running one holds them where it started.
        mark = (leg.end_at, leg.end_zone) if leg.end_at <= now else (leg.start_at, leg.start_zone)
        if best is None or mark[0] > best[0]:
            best = (*mark, leg)
    if best is None:
        return Position(trip.home_zone)
    return Position(best[1], place=best[2], arrived=best[2].end_at <= now)


def today(trip: Trip, now: datetime) -> date:
    """The calendar date where the delegation is."""
    return now.astimezone(position(trip, now).zone).date()


def legs_on(trip: Trip, day: date) -> list[Leg]:
    """Legs that touch `day`: it starts there (start zone's clock) or ends there (end zone's)."""
    return [leg for leg in ordered(trip) if day in days_of(leg)]


def days_of(leg: Leg) -> frozenset[date]:
    """The local days a leg touches; a flight across the date line may skip the one between."""
    return leg.local_days


def in_progress(trip: Trip, now: datetime) -> list[Leg]:
    """Legs in progress at `now`, innermost (most specific) first."""
    running = [leg for leg in ordered(trip) if leg.contains(now)]
    return sorted(running, key=lambda leg: (leg.part_of is None, leg.end_at - leg.start_at))


def upcoming(trip: Trip, now: datetime, limit: int = 1) -> list[Leg]:
    """The next legs to start after `now`, soonest first."""
    return [leg for leg in ordered(trip) if leg.start_at > now][:limit]


def latest_started(trip: Trip, now: datetime) -> Leg | None:
    """The leg in progress, or else the last one that ended (notes are tied to it)."""
    running = in_progress(trip, now)
    if running:
        return running[0]
    ended = [leg for leg in ordered(trip) if leg.end_at <= now]
    return max(ended, key=lambda leg: leg.end_at) if ended else None


def until(now: datetime, instant: datetime) -> timedelta:
    """The time left from `now` to `instant` (negative if past)."""
    return instant - now


def trip_phase(trip: Trip, now: datetime) -> str:
    """'before', 'during' or 'after' the trip, by the first and last legs."""
    legs = ordered(trip)
    if now < legs[0].start_at:
        return "before"
    if now >= max(leg.end_at for leg in legs):
        return "after"
    return "during"
