"""Cross-field checks of a trip: duplicate ids, references that lead nowhere, impossible times."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel

from bot.trip.fieldkit_checks import fieldkit_problems
from bot.trip.types import Path, Said, Text

if TYPE_CHECKING:  # the checks read a built Trip; only its type is needed here
    from bot.trip.models import Trip


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


def trip_problems(trip: Trip) -> Iterator[tuple[Path, str]]:
    """Cross-field problems that single fields cannot show: ids, references, times (the
    loader asks this of every trip it validates, and so does a change before it applies)."""
    yield from duplicates(trip)
    yield from references(trip)
    yield from leg_times(trip)
    yield from arrival_zones(trip)
    yield from fieldkit_problems(trip)
    if trip.end < trip.start:
        yield (
            ("end",),
            Said(
                "content_trip_ends_before",
                f"the trip ends ({trip.end}) before it starts ({trip.start})",
                end=str(trip.end),
                start=str(trip.start),
            ),
        )
    if trip.event.end < trip.event.start:
        yield (
            ("event", "end"),
            Said("content_event_ends_before", "the event ends before it starts"),
        )


def duplicates(trip: Trip) -> Iterator[tuple[Path, str]]:
    """An id used twice within one list (members, legs, contacts, …)."""
    groups: dict[str, Sequence[_HasId]] = {
        "members": trip.members,
        "prep": trip.prep,
        "sections": trip.sections,
        "legs": trip.legs,
        "contacts": trip.contacts,
        "talking_points": trip.talking_points,
        "glossary": trip.glossary,
        "hotels": trip.hotels,
        "emergency": trip.emergency,
        "budget.items": trip.budget.items,
    }
    for name, items in groups.items():
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            if item.id in seen:
                yield (
                    (*name.split("."), i, "id"),
                    Said(
                        "content_duplicate_id",
                        f"duplicate id {item.id!r} (first at {name}[{seen[item.id]}])",
                        id=item.id,
                        first=f"{name}[{seen[item.id]}]",
                    ),
                )
            seen.setdefault(item.id, i)


def references(trip: Trip) -> Iterator[tuple[Path, str]]:
    """A leg, section, contact or talking point named but not defined."""
    legs, sections = trip.legs_by_id, {s.id for s in trip.sections}
    contacts, points = trip.contacts_by_id, trip.points_by_id
    for i, leg in enumerate(trip.legs):
        if leg.part_of is not None and leg.part_of not in legs:
            yield ("legs", i, "part_of"), _unknown("leg", leg.part_of)
        if leg.section is not None and leg.section not in sections:
            yield ("legs", i, "section"), _unknown("programme section", leg.section)
        for j, c in enumerate(leg.contacts):
            if c not in contacts:
                yield ("legs", i, "contacts", j), _unknown("contact", c)
        for j, p in enumerate(leg.talking_points):
            if p not in points:
                yield ("legs", i, "talking_points", j), _unknown("talking point", p)
    for i, point in enumerate(trip.talking_points):
        for j, c in enumerate(point.contacts):
            if c not in contacts:
                yield ("talking_points", i, "contacts", j), _unknown("contact", c)
    for i, contact in enumerate(trip.contacts):
        for j, p in enumerate(contact.talking_points):
            if p not in points:
                yield ("contacts", i, "talking_points", j), _unknown("talking point", p)


def _unknown(what: str, ref: str) -> Said:
    return Said("content_unknown_ref", f"unknown {what} {ref!r}", ref=ref)


def leg_times(trip: Trip) -> Iterator[tuple[Path, str]]:
    """A flight without both ends, a leg without a zone, or an end before its start."""
    for i, leg in enumerate(trip.legs):
        if leg.kind == "flight":
            for key, end in (("from", leg.origin), ("to", leg.destination)):
                if end is None:
                    yield (
                        ("legs", i, key),
                        Said(
                            "content_flight_ends",
                            "a flight needs 'from' and 'to' with airport and zone",
                        ),
                    )
            if leg.origin is None or leg.destination is None:
                continue
        elif leg.zone is None:
            yield (
                ("legs", i, "zone"),
                Said(
                    "content_missing_zone",
                    "missing zone: name the IANA zone the times are local to",
                ),
            )
            continue
        if leg.end_at <= leg.start_at:
            yield (
                ("legs", i, "end"),
                Said(
                    "content_ends_before",
                    f"ends ({leg.end:%Y-%m-%d %H:%M} {leg.end_zone}) before it starts "
                    f"({leg.start:%Y-%m-%d %H:%M} {leg.start_zone})",
                    end=f"{leg.end:%Y-%m-%d %H:%M} {leg.end_zone}",
                    start=f"{leg.start:%Y-%m-%d %H:%M} {leg.start_zone}",
                ),
            )


def arrival_zones(trip: Trip) -> Iterator[tuple[Path, str]]:
    """An arrival zone on anything but a ground leg (a flight's is its `to.zone`)."""
    for i, leg in enumerate(trip.legs):
        if leg.arrival_zone is not None and leg.kind != "ground":
            yield (
                ("legs", i, "arrival_zone"),
                Said(
                    "content_arrival_zone",
                    "only a ground leg takes 'arrival_zone' (a flight's is 'to.zone')",
                ),
            )


# A reference to a section of the sources, e.g. （陸.五）, (伍.三), （肆.二 104.05.16）.
SECTION_REF = re.compile(r"[（(](?:report |報告)?[壹貳參叄肆伍陸柒][.．、][^）)]*[）)]")


def editorial_marks(trip: Trip) -> Iterator[tuple[Path, str]]:
    """Display texts holding a source reference: it belongs in the item's `source:` field."""

    def walk(value: Any, path: Path) -> Iterator[tuple[Path, str]]:
        if isinstance(value, Text):
            for lang in ("zh", "en"):
                text = getattr(value, lang) or ""
                if m := SECTION_REF.search(text):
                    yield (
                        (*path, lang),
                        Said(
                            "content_source_in_text",
                            f"warning: source reference {m[0]} in display text; "
                            "move it to the item's 'source:' field",
                            ref=m[0],
                        ),
                    )
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                yield from walk(getattr(value, name), (*path, name))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield from walk(item, (*path, i))

    yield from walk(trip, ())
