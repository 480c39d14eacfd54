"""When to start pushing each batch so that it arrives on time: earliest deadline first.

A batch is one reminder to its whole audience: `messages` sends that should all have gone out
by `due`. The pacer sends at most `per_second` messages, so a thousand reminders due in the same
second would otherwise leave the last one half a minute late. Planned backwards from the latest
due instant, each batch starts as late as it can and still finish before its own due instant and
before the start of the batch after it — but never more than `lead` before its due instant: a
reminder sent too early is as misleading as one sent too late. When the lead window is too
short for the load, the batch starts at `due - lead` and the pacer's queue makes it late. A
small batch that the pacer sends within `slack` of its instant is not sent ahead at all.
Pure: a function of its arguments, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Batch:
    """Messages that should all have gone out by `due` (one reminder to its audience)."""

    key: str
    due: datetime
    messages: int


def earliest(due: datetime, lead: timedelta) -> datetime:
    """The earliest instant a message due at `due` may be sent."""
    return due - lead


def start_times(
    batches: Iterable[Batch],
    per_second: float,
    lead: timedelta | Mapping[str, timedelta],
    slack: timedelta = timedelta(0),
) -> dict[str, datetime]:
    """Key -> the instant to start sending each batch (never before `due - lead`, never after
    `due`); `lead` may differ per batch (by key), since each trip sets its own. A message up to
    `slack` after its instant counts as on time, so a batch sent within it starts at its due."""
    if per_second <= 0:
        raise ValueError(f"per_second must be positive, not {per_second}")
    starts: dict[str, datetime] = {}
    free: datetime | None = None  # when the next later batch starts: ours must be done by then
    for b in sorted(batches, key=lambda b: (b.due, b.key), reverse=True):
        window = lead if isinstance(lead, timedelta) else lead.get(b.key, timedelta(0))
        free = begins(b, free, per_second, window, slack)
        starts[b.key] = min(free, b.due)
    return starts


def begins(
    b: Batch, free: datetime | None, per_second: float, lead: timedelta, slack: timedelta
) -> datetime:
    """Where the sends of `b` would begin, the next later batch beginning at `free` (None: no
    later batch). It is fired no later than its due instant (`min(begins, due)`), but the batch
    before it need only be done by this (a batch within the slack is not pushed ahead)."""
    end = b.due + slack if free is None else min(b.due + slack, free)
    return max(end - timedelta(seconds=b.messages / per_second), earliest(b.due, lead))
