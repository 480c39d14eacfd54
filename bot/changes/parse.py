"""Reading /delay, /move, /cancel and /restore: the leg (or a list to pick from) and the change."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot import itinerary
from bot.changes.model import Change, ChangeKind
from bot.dates import DateError, read_day
from bot.reminders.rules import parse_duration
from bot.trip.models import Leg, Trip

PICK_LIMIT = 8
_CLOCK = re.compile(r"^(\d{1,2})[:：](\d{2})$")
# Callback data is at most 64 bytes: "chg:p:<k>:<arg>:<leg>".
_SHORT = {"delay": "d", "move": "m", "cancel": "c", "restore": "r"}
_LONG: dict[str, ChangeKind] = {v: k for k, v in _SHORT.items()}  # type: ignore[misc]


class ParseError(ValueError):
    """The arguments could not be read; `key` names the message, `values` fill it."""

    def __init__(self, key: str, **values: str) -> None:
        super().__init__(key)
        self.key, self.values = key, values


@dataclass(frozen=True)
class Pick:
    """No leg was named: offer these legs as buttons, each carrying the rest of the command."""

    legs: list[tuple[str, str]]  # (leg id, callback data)
    unknown: str | None = None  # the word given as a leg that names none


def parse_quick(
    kind: ChangeKind, words: list[str], content: Trip, effective: Trip, now: datetime
) -> Change | Pick:
    """A quick change from the command's words; a Pick when no leg is named."""
    if words and (words[0] in effective.legs_by_id or words[0] in content.legs_by_id):
        leg, rest = words[0], words[1:]
    elif words and _reads_without_first(kind, words, effective, now):
        # The rest still reads (/delay nosuchleg 30m): say so, and offer the legs instead.
        rest = words[1:]
        return Pick(_choices(kind, rest, content, effective, now), unknown=words[0])
    else:
        leg, rest = None, words
    if leg is None:  # each leg's button carries the argument read on that leg (its own day)
        return Pick(_choices(kind, rest, content, effective, now))
    arg, reason_words = _argument(kind, rest, effective.legs_by_id.get(leg), effective, now)
    return _change(kind, leg, arg, " ".join(reason_words))


def _reads_without_first(kind: ChangeKind, words: list[str], trip: Trip, now: datetime) -> bool:
    """Whether the first word stands where a leg would and names none: the words do not read
    as the command's argument, and do once that word is taken for a leg."""
    if kind in ("cancel", "restore"):
        return True
    try:
        _argument(kind, words, None, trip, now)
        return False
    except ParseError:
        pass
    try:
        _argument(kind, words[1:], trip.legs[0] if trip.legs else None, trip, now)
    except ParseError:
        return False
    return True


def from_pick(data: str) -> Change | None:
    """The change a picked button stands for (None if the data is not ours)."""
    parts = data.split(":", 4)
    if len(parts) != 5 or parts[:2] != ["chg", "p"] or parts[2] not in _LONG:
        return None
    kind, arg = _LONG[parts[2]], parts[3]
    if kind == "move":
        arg = f"{arg[:4]}-{arg[4:6]}-{arg[6:8]} {arg[8:10]}:{arg[10:12]}"
    return _change(kind, parts[4], arg or None, "")


def _argument(
    kind: ChangeKind, rest: list[str], leg: Leg | None, trip: Trip, now: datetime
) -> tuple[str | None, list[str]]:
    """The duration (delay) or local start (move) at the front of `rest`, and the reason."""
    if kind == "delay":
        if not rest:
            raise ParseError(f"chg_usage_{kind}")
        try:
            by = parse_duration(rest[0])
        except ValueError:
            raise ParseError("bad_duration", arg=rest[0]) from None
        return f"{int(by.total_seconds())}s", rest[1:]
    if kind == "move":
        # [DATE] HH:MM [reason]: the date may be several words ("18 May"), the clock has a colon.
        at = next((i for i, w in enumerate(rest[:4]) if _CLOCK.match(w)), None)
        if at is None:
            raise ParseError(f"chg_usage_{kind}")
        day_text, (hour, minute) = " ".join(rest[:at]), _clock(rest[at])
        if day_text:
            try:
                day = read_day(day_text, trip.start, trip.end, itinerary.today(trip, now))
            except DateError as exc:
                raise ParseError(exc.key, **exc.values) from None
        elif leg is not None:
            day = leg.start.date()
        else:  # a clock alone needs the leg's own date: name the leg
            raise ParseError(f"chg_usage_{kind}")
        when = datetime(day.year, day.month, day.day, hour, minute)
        return when.isoformat(" "), rest[at + 1 :]
    return None, rest


def _clock(word: str) -> tuple[int, int]:
    """HH:MM as (hour, minute); a clock that cannot be is refused in the reader's language."""
    m = _CLOCK.match(word)
    assert m is not None
    hour, minute = int(m[1]), int(m[2])
    if hour > 23 or minute > 59:
        raise ParseError("bad_clock", arg=word)
    return hour, minute


def _change(kind: ChangeKind, leg: str, arg: str | None, reason: str) -> Change:
    if kind == "delay":
        return Change("delay", leg, by=parse_duration(arg), reason=reason)
    if kind == "move":
        assert arg is not None
        return Change("move", leg, start=datetime.fromisoformat(arg), reason=reason)
    return Change(kind, leg, reason=reason)


def _choices(
    kind: ChangeKind, rest: list[str], content: Trip, effective: Trip, now: datetime
) -> list[tuple[str, str]]:
    """The legs to pick, each button carrying the argument read on that leg (its own day)."""
    if kind == "restore":
        # What a cancel took away, without the parts it took with it.
        gone = {leg.id for leg in content.legs if leg.id not in effective.legs_by_id}
        legs = [
            leg for leg in itinerary.ordered(content) if leg.id in gone and leg.part_of not in gone
        ]
    else:
        legs = itinerary.upcoming(effective, now, PICK_LIMIT)
    out = []
    for leg in legs[:PICK_LIMIT]:
        arg, _ = _argument(kind, rest, leg, effective, now)
        packed = (arg or "").replace("-", "").replace(" ", "").replace(":", "")[:12]
        if kind == "delay":
            packed = arg or ""
        out.append((leg.id, f"chg:p:{_SHORT[kind]}:{packed}:{leg.id}"))
    return [(leg_id, data) for leg_id, data in out if len(data.encode()) <= 64]
