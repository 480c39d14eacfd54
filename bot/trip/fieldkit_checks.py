"""Cross-field checks of the field kit: hotel nights, budget total, participation, emergency."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from bot.trip.types import Path, Said

if TYPE_CHECKING:
    from bot.trip.models import Trip


def participation(trip: Trip) -> Iterator[tuple[Path, str]]:
    """A leg or hotel naming a member who is unknown or does not travel."""
    members = trip.members_by_id
    named: list[tuple[str, int, list[str] | None]] = [
        ("legs", i, leg.members) for i, leg in enumerate(trip.legs)
    ] + [("hotels", i, hotel.members) for i, hotel in enumerate(trip.hotels)]
    for name, i, ids in named:
        for j, member_id in enumerate(ids or []):
            member = members.get(member_id)
            if member is None:
                said = Said(
                    "content_unknown_member", f"unknown member {member_id!r}", ref=member_id
                )
                yield (name, i, "members", j), said
            elif not member.travelling:
                english = f"member {member_id!r} does not travel (travelling: false)"
                yield (name, i, "members", j), Said("content_member_home", english, ref=member_id)


def hotel_nights(trip: Trip) -> Iterator[tuple[Path, str]]:
    """A hotel left before it is entered, a night outside the trip, a night booked twice."""
    booked: dict[tuple[str, object], int] = {}
    travellers = [m.id for m in trip.members if m.travelling]
    for i, hotel in enumerate(trip.hotels):
        if hotel.check_out <= hotel.check_in:
            yield (
                ("hotels", i, "check_out"),
                Said("content_hotel_order", "check_out must be after check_in"),
            )
            continue
        if hotel.check_in < trip.start or hotel.check_out > trip.end:
            bad = "check_in" if hotel.check_in < trip.start else "check_out"
            yield (
                ("hotels", i, bad),
                Said(
                    "content_hotel_outside",
                    f"a night outside the trip ({trip.start} to {trip.end})",
                    start=str(trip.start),
                    end=str(trip.end),
                ),
            )
        for night in hotel.nights():
            for member in hotel.members or travellers:
                first = booked.setdefault((member, night), i)
                if first != i:
                    yield (
                        ("hotels", i, "check_in"),
                        Said(
                            "content_hotel_twice",
                            f"the night of {night} is already at hotels[{first}]",
                            night=str(night),
                            first=f"hotels[{first}]",
                        ),
                    )
                    break


def budget_total(trip: Trip) -> Iterator[tuple[Path, str]]:
    """Budget items that do not add up to the amount, or a foreign item without `converted`."""
    budget = trip.budget
    if not budget.items:
        return
    total, complete = 0, True
    for i, item in enumerate(budget.items):
        if item.currency is None or item.currency == budget.currency:
            total += item.amount
        elif item.converted is None:
            complete = False
            yield (
                ("budget", "items", i, "converted"),
                Said(
                    "content_budget_converted",
                    f"an item in {item.currency} needs 'converted': its amount in "
                    f"{budget.currency}",
                    currency=item.currency,
                    home=budget.currency,
                ),
            )
        else:
            total += item.converted
    if complete and total != budget.amount:
        yield (
            ("budget", "amount"),
            Said(
                "content_budget_total",
                f"the items add up to {total} {budget.currency}, not {budget.amount}",
                total=str(total),
                amount=str(budget.amount),
                currency=budget.currency,
            ),
        )


def emergency_refs(trip: Trip) -> Iterator[tuple[Path, str]]:
    """An emergency entry naming an unknown contact, or a zone given to two countries."""
    seen: dict[str, int] = {}
    for i, entry in enumerate(trip.emergency):
        for j, c in enumerate(entry.contacts):
            if c not in trip.contacts_by_id:
                yield (
                    ("emergency", i, "contacts", j),
                    Said("content_unknown_ref", f"unknown contact {c!r}", ref=c),
                )
        for j, zone in enumerate(entry.zones):
            first = seen.setdefault(str(zone), i)
            if first != i:
                yield (
                    ("emergency", i, "zones", j),
                    Said(
                        "content_zone_twice",
                        f"zone {zone} is already in emergency[{first}]",
                        zone=str(zone),
                        first=f"emergency[{first}]",
                    ),
                )


def checkin_rules(trip: Trip) -> Iterator[tuple[Path, str]]:
    """An automatic check-in that names both or neither of its triggers, or an unknown leg."""
    for i, rule in enumerate(trip.checkins):
        if (rule.after_flights_over is None) == (not rule.legs):
            yield (
                ("checkins", i, "after_flights_over"),
                Said(
                    "content_checkin_trigger",
                    "give either after_flights_over (e.g. 8h) or legs (leg ids), not both",
                ),
            )
        for j, leg_id in enumerate(rule.legs):
            if leg_id not in trip.legs_by_id:
                yield (
                    ("checkins", i, "legs", j),
                    Said("content_unknown_ref", f"unknown leg {leg_id!r}", ref=leg_id),
                )


def fieldkit_problems(trip: Trip) -> Iterator[tuple[Path, str]]:
    """Every field-kit cross-field problem."""
    yield from checkin_rules(trip)
    yield from participation(trip)
    yield from hotel_nights(trip)
    yield from budget_total(trip)
    yield from emergency_refs(trip)
