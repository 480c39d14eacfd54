"""The effective itinerary: the content with the published log applied, and what no longer fits.

Pure: a trip and changes in, a trip and conflicts out. Times are shifted as instants, not wall
clocks, so a delay across a DST change keeps its length; a flight's two ends move together.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from bot.changes.model import Change, ChangeRefused, Conflict, LegData, Published, Refusal
from bot.trip.checks import trip_problems
from bot.trip.models import Trip


class _State:
    """The legs (by id, content order) and the legs cancelled so far, with their parts."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.legs: dict[str, LegData] = {leg["id"]: leg for leg in data["legs"]}
        self.cancelled: dict[str, list[LegData]] = {}

    def snapshot(self) -> tuple[dict[str, LegData], dict[str, list[LegData]], Any]:
        return copy.deepcopy((self.legs, self.cancelled, self.data.get("sections")))

    def rollback(self, snap: tuple[dict[str, LegData], dict[str, list[LegData]], Any]) -> None:
        self.legs, self.cancelled, self.data["sections"] = snap

    def build(self) -> Trip:
        self.data["legs"] = list(self.legs.values())
        trip = Trip.model_validate(self.data)
        problems = list(trip_problems(trip))
        if problems:
            path, message = problems[0]
            raise ValueError(f"{'.'.join(str(p) for p in path)}: {message}")
        return trip


def effective_trip(trip: Trip, log: Sequence[Published]) -> tuple[Trip, list[Conflict]]:
    """The trip as the published log leaves it; changes that no longer apply become conflicts."""
    if not log:
        return trip, []
    state = _State(trip.model_dump(mode="json", by_alias=True))
    conflicts: list[Conflict] = []
    built = trip
    for entry in log:
        snap = state.snapshot()
        problem = _apply(state, entry.change)
        if problem is None and entry.change.kind == "revision":
            # Only a revision can break references (a quick change moves or hides whole legs).
            try:
                built = state.build()
            except (ValidationError, ValueError) as exc:
                problem = Refusal("why_invalid", (("detail", str(exc).splitlines()[0]),))
        if problem is not None:
            state.rollback(snap)
            conflicts.append(Conflict(entry.version, entry.change.leg or "(revision)", problem))
    built = state.build()
    return built, conflicts


def apply_change(trip: Trip, change: Change) -> Trip:
    """One change on top of a trip; ChangeRefused says why it does not apply."""
    state = _State(trip.model_dump(mode="json", by_alias=True))
    problem = _apply(state, change)
    if problem is not None:
        raise ChangeRefused(problem)
    try:
        return state.build()
    except (ValidationError, ValueError) as exc:
        detail = str(exc).splitlines()[0]
        raise ChangeRefused(Refusal("why_invalid", (("detail", detail),))) from None


def _apply(state: _State, change: Change) -> Refusal | None:
    """Apply in place; a message if the change does not fit the legs as they are."""
    if change.kind == "revision":
        return _revise(state, change)
    leg_id = change.leg or ""
    if change.kind == "restore":
        parts = state.cancelled.pop(leg_id, None)
        if parts is None:
            within = [
                k for k, group in state.cancelled.items() if any(p["id"] == leg_id for p in group)
            ]
            if within:
                return Refusal("why_cancelled_with", (("leg", within[0]),))
            return Refusal("why_not_cancelled" if leg_id in state.legs else "why_no_leg")
        state.legs.update({p["id"]: p for p in parts})
        return None
    leg = state.legs.get(leg_id)
    if leg is None:
        return Refusal("why_cancelled" if leg_id in state.cancelled else "why_no_leg")
    if change.kind == "cancel":
        gone = [leg_id, *_parts_of(state.legs, leg_id)]
        state.cancelled[leg_id] = [state.legs.pop(i) for i in gone]
    elif change.kind in ("delay", "move"):
        start = _instant(leg["start"], start_zone(leg))
        if change.kind == "delay":
            assert change.by is not None
            delta = change.by
        else:
            assert change.start is not None
            delta = change.start.replace(tzinfo=start_zone(leg)).astimezone(UTC) - start
        # A day (or any leg with parts) moves with what is inside it, like a cancel takes them.
        for moving in [leg_id, *_parts_of(state.legs, leg_id)]:
            part = state.legs[moving]
            _shift(part, _instant(part["start"], start_zone(part)) + delta)
    return None


def _revise(state: _State, change: Change) -> Refusal | None:
    missing = [
        i
        for i, d in change.legs.items()
        if i not in state.legs and (d is None or i not in change.added)
    ]
    if missing:
        return Refusal("why_no_legs", (("legs", ", ".join(sorted(missing))),))
    for leg_id, data in change.legs.items():
        if data is None:
            del state.legs[leg_id]
        else:
            state.legs[leg_id] = copy.deepcopy(data)
    if change.sections is not None:
        state.data["sections"] = copy.deepcopy(change.sections)
    return None


def _parts_of(legs: dict[str, LegData], parent: str) -> list[str]:
    """Legs inside `parent`, at any depth: cancelling a day cancels what is in it."""
    found: list[str] = []
    frontier = [parent]
    while frontier:
        current = frontier.pop()
        inside = [i for i, leg in legs.items() if leg.get("part_of") == current]
        found += inside
        frontier += inside
    return found


def start_zone(leg: LegData) -> ZoneInfo:
    """The zone a leg's start is local to (a flight's origin)."""
    origin = leg.get("from")
    return ZoneInfo(origin["zone"] if origin else leg["zone"])


def end_zone(leg: LegData) -> ZoneInfo:
    """The zone a leg's end is local to (a flight's destination)."""
    dest = leg.get("to")
    return ZoneInfo(dest["zone"] if dest else (leg.get("arrival_zone") or leg["zone"]))


def _instant(wall: str, zone: ZoneInfo) -> datetime:
    return datetime.fromisoformat(wall).replace(tzinfo=zone).astimezone(UTC)


def _wall(instant: datetime, zone: ZoneInfo) -> str:
    return instant.astimezone(zone).replace(tzinfo=None).isoformat(" ")


def _shift(leg: LegData, new_start: datetime) -> None:
    """Start the leg at `new_start` (UTC), keeping its length in real time."""
    start = _instant(leg["start"], start_zone(leg))
    length: timedelta = _instant(leg["end"], end_zone(leg)) - start
    leg["start"] = _wall(new_start, start_zone(leg))
    leg["end"] = _wall(new_start + length, end_zone(leg))
