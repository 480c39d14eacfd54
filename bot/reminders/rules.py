"""Reminder rules as written in the content: offsets, what each reminder says, and graces."""

from __future__ import annotations

import re
from datetime import time, timedelta
from typing import Annotated, Any, Literal

from pydantic import Field, PlainSerializer, PlainValidator, field_validator

from bot.trip.types import Id, Strict

# Kept equal to bot.trip.models.LegKind (which imports this module); a test checks they agree.
RuleKind = Literal[
    "flight", "ground", "conference", "session", "meeting", "visit", "social", "standby"
]
# What a leg reminder says; render.py has one text per word.
Say = Literal["check_in", "leave_for_airport", "before_leg"]

_DURATION = re.compile(r"^(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m(?:in)?)?\s*(?:(\d+)s)?$")


def parse_duration(value: Any) -> timedelta:
    """A span such as '24h', '3h', '30m', '1h30m', '90s' or '0'."""
    if isinstance(value, timedelta):
        return value
    text = str(value).strip().lower().replace(" ", "")
    if text == "0":
        return timedelta(0)
    m = _DURATION.match(text)
    if not text or not m or not any(m.groups()):
        raise ValueError(f"not a duration {value!r}: write e.g. 24h, 3h, 30m, 1h30m or 90s")
    d, h, mins, s = (int(g or 0) for g in m.groups())
    return timedelta(days=d, hours=h, minutes=mins, seconds=s)


def parse_clock(value: Any) -> time:
    """A local clock time 'HH:MM'."""
    if isinstance(value, time):
        return value
    m = re.match(r"^(\d{1,2}):(\d{2})$", str(value).strip())
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise ValueError(f"not a clock time {value!r}: write HH:MM, e.g. 07:30")
    return time(int(m[1]), int(m[2]))


def _show(span: timedelta) -> str:
    return f"{int(span.total_seconds())}s"


Duration = Annotated[timedelta, PlainValidator(parse_duration), PlainSerializer(_show)]
ClockTime = Annotated[time, PlainValidator(parse_clock), PlainSerializer(lambda t: f"{t:%H:%M}")]


LEAD = timedelta(minutes=2)  # the default lead window
MAX_LEAD = timedelta(minutes=15)


class ReminderRule(Strict):
    """One reminder of a leg: `before` its start, saying `say`; late up to `grace` after due."""

    id: Id
    before: Duration
    say: Say = "before_leg"
    # How long after its due instant a reminder is still worth sending (after a restart);
    # without it, until the leg starts.
    grace: Duration | None = None


class TripReminders(Strict):
    """The trip's reminder defaults: rules per leg kind, the morning briefing, milestones."""

    legs: dict[RuleKind, list[ReminderRule]] = Field(default_factory=dict)
    morning: ClockTime | None = time(7, 30)  # local time where the delegation is; ~ = none
    morning_grace: Duration = timedelta(hours=2)
    prep: ClockTime | None = time(9, 0)  # local time in the home zone on each milestone's date
    prep_grace: Duration = timedelta(hours=12)
    # How long before its due instant the outbox may send a reminder when many fall due at once
    # (earliest deadline first, bot/outbox/schedule.py); never earlier than this.
    lead: Duration = LEAD

    @field_validator("lead")
    @classmethod
    def _lead_is_short(cls, value: timedelta) -> timedelta:
        if value > MAX_LEAD:
            raise ValueError("at most 15m (e.g. 2m): a longer lead sends reminders too early")
        return value


def _rule(rid: str, before: timedelta, say: Say = "before_leg") -> ReminderRule:
    return ReminderRule(id=rid, before=before, say=say)


_SOON = [_rule("before", timedelta(minutes=30))]
# What a trip without a `reminders:` key gets: the defaults.
DEFAULT_RULES = TripReminders(
    legs={
        "flight": [
            _rule("check-in", timedelta(hours=24), "check_in"),
            _rule("leave", timedelta(hours=3), "leave_for_airport"),
        ],
        "session": _SOON,
        "meeting": _SOON,
        "visit": _SOON,
    }
)
