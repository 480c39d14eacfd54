"""Find contacts and talking points by what a delegate types: names in any script, roles."""

from __future__ import annotations

from bot.trip.models import Contact, TalkingPoint, Trip
from bot.trip.types import fold


def find_contacts(trip: Trip, query: str) -> list[Contact]:
    """Contacts matching every word of the query, by name, organisation, city or role."""
    words = fold(query).split()
    if not words:
        return list(trip.contacts)
    exact = [c for c in trip.contacts if fold(c.id) == fold(query.strip())]
    if exact:
        return exact
    return [c for c in trip.contacts if all(w in c.search_text for w in words)]


def find_points(trip: Trip, query: str) -> list[TalkingPoint]:
    """Talking points whose id, topic or tags match every word of the query."""
    words = fold(query).split()
    if not words:
        return list(trip.talking_points)
    return [p for p in trip.talking_points if all(w in p.search_text for w in words)]


def legs_with_contact(trip: Trip, contact_id: str) -> list[str]:
    """Ids of the legs where a contact is expected, in itinerary order."""
    legs = sorted(trip.legs, key=lambda leg: leg.start_at)
    return [leg.id for leg in legs if contact_id in leg.contacts]
