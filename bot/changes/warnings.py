"""Warnings on a change before it is pushed: a leg moved outside the trip's dates, past another
leg, or by more than a day. Any of them makes Publish ask for a second confirmation."""

from __future__ import annotations

from datetime import timedelta
from html import escape

from bot.i18n import t
from bot.trip.models import Leg, Trip
from bot.trip.types import Lang

LARGE_SHIFT = timedelta(hours=24)
MAX_WARNINGS = 6


def _related(a: Leg, b: Leg) -> bool:
    """A leg and its parts move together; they are not 'passed'."""
    return a.part_of == b.id or b.part_of == a.id


def change_warnings(old: Trip, new: Trip, lang: Lang) -> list[str]:
    """What looks wrong in the move from `old` to `new`, one line each (Telegram HTML)."""
    found: list[str] = []
    for leg in new.legs:
        before = old.legs_by_id.get(leg.id)
        if before is None or (before.start_at, before.end_at) == (leg.start_at, leg.end_at):
            continue
        title = escape(leg.title.get(lang))
        shift = leg.start_at - before.start_at
        if abs(shift) > LARGE_SHIFT:
            hours = round(abs(shift).total_seconds() / 3600)
            found.append(t(lang, "chg_warn_shift", leg=title, hours=hours))
        if leg.start.date() < new.start or leg.end.date() > new.end:
            found.append(t(lang, "chg_warn_outside", leg=title, start=new.start, end=new.end))
        for other in new.legs:
            was = old.legs_by_id.get(other.id)
            if other.id == leg.id or was is None or _related(leg, other):
                continue
            if (before.start_at < was.start_at) != (leg.start_at < other.start_at):
                found.append(
                    t(lang, "chg_warn_passes", leg=title, other=escape(other.title.get(lang)))
                )
                break
    return found[:MAX_WARNINGS]
