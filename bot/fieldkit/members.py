"""Per-member itineraries: each member sees only the legs they take part in."""

from __future__ import annotations

from datetime import date
from functools import cached_property

from bot.trip.models import Leg, Member, Trip
from bot.trip.types import fold


def takes_part(leg: Leg, member_id: str) -> bool:
    """Whether the member is in the leg (a leg without `members` is every traveller's)."""
    return leg.includes(member_id)


def member_trip(trip: Trip, member_id: str) -> Trip:
    """The trip as one member lives it: only their legs. A member who does not travel (the home
    desk) or is unknown follows the whole trip."""
    member = trip.members_by_id.get(member_id)
    if member is None or not member.travelling:
        return trip
    legs = [leg for leg in trip.legs if takes_part(leg, member_id)]
    if len(legs) == len(trip.legs) or not legs:
        return trip
    own = trip.model_copy(update={"legs": legs})
    # The copy carries the whole trip's cached lookups; they are worked out again from its legs.
    for name, attr in vars(Trip).items():
        if isinstance(attr, cached_property):
            own.__dict__.pop(name, None)
    return own


def has_day(trip: Trip, member_id: str, day: date) -> bool:
    """Whether the member has a leg on that local day, so that day's briefing is theirs."""
    member = trip.members_by_id.get(member_id)
    if member is None or not member.travelling:
        return True
    return day in trip.member_days.get(member_id, frozenset())


def find_member(trip: Trip, text: str) -> Member | None:
    """The member named by id or name, with or without a leading '@'."""
    wanted = fold(text.strip().removeprefix("@"))
    for member in trip.members:
        names = (member.id, member.name.zh, member.name.en or "")
        if wanted and wanted in {fold(n) for n in names}:
            return member
    return None
