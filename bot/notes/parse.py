"""What a note's words say: its report sections (hashtags), the contacts it names, its leg."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import cast

from bot.itinerary import latest_started, ordered, position
from bot.notes.model import SECTION_TAGS, Section
from bot.trip.models import Leg, Trip
from bot.trip.types import fold

# Both the tag and the English section name work: #心得 or #reflection.
_HASHTAG = re.compile(r"[#＃](\w+)")
SECTION_BY_WORD: dict[str, Section] = {
    **{tag[1:]: cast(Section, name) for tag, name in SECTION_TAGS.items()},
    **{name: cast(Section, name) for name in SECTION_TAGS.values()},
}
TAG_OF: dict[str, str] = {name: tag for tag, name in SECTION_TAGS.items()}
# Longer than this away from the bot's clock, a message date is not the trip's time (rehearsal).
_REHEARSAL_GAP = timedelta(hours=12)


def sections_in(text: str) -> frozenset[Section]:
    """The report sections a text's hashtags name."""
    found = {SECTION_BY_WORD.get(m[1].casefold()) for m in _HASHTAG.finditer(text)}
    return frozenset(s for s in found if s is not None)


def section_of(word: str) -> Section | None:
    """A section from '#心得', '心得' or 'reflection'."""
    return SECTION_BY_WORD.get(word.strip().lstrip("#＃").casefold())


def contacts_in(trip: Trip, text: str) -> tuple[str, ...]:
    """Ids of the trip's contacts a text names (any name or alias, accents ignored)."""
    haystack = fold(text)
    return tuple(c.id for c in trip.contacts if c.name_pattern and c.name_pattern.search(haystack))


def taken_at(message_date: datetime, now: datetime) -> datetime:
    """When a note was taken: the message date, unless the bot rehearses another time."""
    if abs(message_date - now) > _REHEARSAL_GAP:
        return now
    return message_date


def leg_for(trip: Trip, at: datetime) -> Leg | None:
    """The leg in progress at `at` (the innermost), else the latest that ended, else the first."""
    return latest_started(trip, at) or (ordered(trip)[0] if trip.legs else None)


def nearby_legs(trip: Trip, at: datetime, limit: int = 6) -> list[Leg]:
    """Legs a note taken at `at` may belong to, the closest in time first."""

    def distance(leg: Leg) -> timedelta:
        if leg.contains(at):
            return timedelta(0)
        return min(abs(leg.start_at - at), abs(leg.end_at - at))

    closest = sorted(trip.legs, key=lambda leg: (distance(leg), leg.end_at - leg.start_at))
    return closest[:limit]


def local_time(trip: Trip, at: datetime) -> datetime:
    """An instant on the clock of where the delegation was."""
    return at.astimezone(position(trip, at).zone)


def local_day(trip: Trip, at: datetime) -> date:
    """The calendar day of an instant where the delegation was."""
    return local_time(trip, at).date()
