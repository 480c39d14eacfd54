"""The filing deadline: months after return, counted as the Civil Code counts, on a workday."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from bot.report.settings import DeadlineRule


@dataclass(frozen=True)
class Deadline:
    """The last day to file, the day counting started, and why it moved, if it did."""

    due: date
    counted_from: date
    moved_from: date | None = None  # the period's last day, when it fell on a day off
    unknown_years: tuple[int, ...] = ()  # years the official calendar does not cover


def add_months(d: date, months: int) -> date:
    """`d` plus whole months, clamped to the month's last day (11-30 + 3 → 02-28/29)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, monthrange(year, month)[1]))


def period_end(start: date, months: int) -> date:
    """The last day of `months` from `start`: the day before the same date (民法 §121)."""
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    if start.day > monthrange(year, month)[1]:
        return date(year, month, monthrange(year, month)[1])  # no such day: the month's last
    return date(year, month, start.day) - timedelta(days=1)


@cache
def _calendar() -> Any:
    # Imported and loaded once, on the first deadline asked for: it reads years of CSV with pandas.
    from taiwan_holidays.taiwan_calendar import TaiwanCalendar

    return TaiwanCalendar()


def day_off(d: date) -> bool | None:
    """Whether government offices are closed on `d` (official calendar); None if not covered."""
    try:
        return bool(_calendar().is_holiday(f"{d:%Y-%m-%d}"))
    except ValueError:  # the package raises this for a day outside its calendar
        return None


def deadline_for(returned: date, rule: DeadlineRule) -> Deadline:
    """The deadline for a trip back home on `returned`, under the office's `rule`."""
    start = returned + timedelta(days=1) if rule.from_next_day else returned
    last = period_end(start, rule.months)
    if not rule.next_workday:
        return Deadline(last, start)
    due, unknown = last, set()
    while True:
        off = day_off(due)
        if off is None:  # outside the official calendar: only weekends are known
            unknown.add(due.year)
            off = due.weekday() >= 5
        if not off:
            break
        due += timedelta(days=1)
    return Deadline(due, start, last if due != last else None, tuple(sorted(unknown)))
