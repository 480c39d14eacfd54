"""Reading a day as people type it: the forms the bot itself prints, ISO, ROC and words.

Accepted: 2015-05-18, 2015-5-18, 2015/5/18, 104.05.18, 104/5/18, 104年5月18日, 1040518,
5/18, 5/18（一）, 18 May, May 18, Mon 18 May, today, tomorrow, 今天, 明天, 後天, and weekday
names in both languages (the next such day within the trip). A year left out is the trip's.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal

from babel.dates import get_day_names, get_month_names

from bot.trip.types import ROC_OFFSET, roc

# Month and weekday names from CLDR (Babel): 'May', 'may', 'Mon', 'monday', '週一', '星期一', '一'.
MONTHS = {
    str(name).lower(): n
    for width in ("wide", "abbreviated")
    for n, name in get_month_names(width, locale="en").items()
} | {"sept": 9}
_DAY_WIDTHS: tuple[tuple[str, tuple[Literal["wide", "abbreviated", "short"], ...]], ...] = (
    ("en", ("wide", "abbreviated")),
    ("zh_Hant_TW", ("wide", "abbreviated", "short")),
)
WEEKDAYS = {
    str(name).lower(): n
    for locale, widths in _DAY_WIDTHS
    for width in widths
    for n, name in get_day_names(width, locale=locale).items()
} | {"tues": 1, "thur": 3, "thurs": 3, "禮拜天": 6, "星期天": 6, "週天": 6}
RELATIVE = {
    "today": 0,
    "今天": 0,
    "今日": 0,
    "tomorrow": 1,
    "明天": 1,
    "明日": 1,
    "後天": 2,
    "后天": 2,
    "yesterday": -1,
    "昨天": -1,
}

_YMD = re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$")
_ROC = re.compile(r"^(\d{2,3})[./](\d{1,2})[./](\d{1,2})$")
_ROC_WORDS = re.compile(r"^(?:民國)?(\d{2,3})年(\d{1,2})月(\d{1,2})日$")
_ROC_COMPACT = re.compile(r"^(\d{3})(\d{2})(\d{2})$")
_MONTH_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})$")
_DAY_NAME = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?(?:\s+(\d{4}))?$")
_NAME_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:,?\s+(\d{4}))?$")
# A weekday in brackets after a date, as the bot prints it: 5/18（一）, 5/18 (Mon).
_WEEKDAY_SUFFIX = re.compile(r"^(.*?)\s*[（(]\s*(?:週|星期|周)?([^()（）\s]+)\s*[)）]$")
_WEEKDAY_PREFIX = re.compile(r"^([a-z]+)\.?,?\s+(.+)$")


class DateError(ValueError):
    """A day that could not be read; `key` names the message, `values` fill it."""

    def __init__(self, key: str, **values: str) -> None:
        super().__init__(key)
        self.key, self.values = key, values


def weekday_of(word: str) -> int | None:
    """0 for Monday … 6 for Sunday: 'Mon', 'monday', '一', '週一', '周一', '星期日', '禮拜一'."""
    w = word.strip().lower().rstrip(".")
    w = w.replace("禮拜", "星期").replace("礼拜", "星期").replace("周", "週")
    return WEEKDAYS.get(w)


def examples(first: date) -> dict[str, str]:
    """The trip's first day in the forms a usage message shows: ISO, ROC, and short."""
    return {"iso": first.isoformat(), "roc": roc(first), "short": f"{first.month}/{first.day}"}


def read_day(text: str, start: date, end: date, today: date) -> date:
    """The day `text` names, for a trip from `start` to `end` seen on `today`."""
    raw = text.strip()
    word = raw.lower()
    if word in RELATIVE:
        return today + timedelta(days=RELATIVE[word])
    weekday = weekday_of(word)
    if weekday is not None:
        return _next_weekday(weekday, word, start, end, today)
    said: int | None = None
    if m := _WEEKDAY_SUFFIX.match(word):
        said = weekday_of(m[2])
        if said is None:
            raise DateError("date_unreadable", arg=raw, **examples(start))
        word = m[1]
    elif (m := _WEEKDAY_PREFIX.match(word)) and weekday_of(m[1]) is not None:
        said, word = weekday_of(m[1]), m[2]
    day = _calendar_day(word, raw, start, end)
    if said is not None and said != day.weekday():
        n = day.weekday()
        raise DateError(
            "date_weekday_mismatch",
            arg=raw,
            day=day.isoformat(),
            weekday=str(get_day_names("short", locale="zh_Hant_TW")[n]),
            en=str(get_day_names("abbreviated", locale="en")[n]),
        )
    return day


def _calendar_day(word: str, raw: str, start: date, end: date) -> date:
    """A date with or without its year (a year left out is the trip's)."""
    year: int | None
    if m := _YMD.match(word):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _ROC.match(word) or _ROC_WORDS.match(word) or _ROC_COMPACT.match(word):
        year, month, day = int(m[1]) + ROC_OFFSET, int(m[2]), int(m[3])
    elif m := _MONTH_DAY.match(word):
        year, month, day = None, int(m[1]), int(m[2])
    elif (m := _DAY_NAME.match(word)) and m[2] in MONTHS:
        year, month, day = (int(m[3]) if m[3] else None), MONTHS[m[2]], int(m[1])
    elif (m := _NAME_DAY.match(word)) and m[1] in MONTHS:
        year, month, day = (int(m[3]) if m[3] else None), MONTHS[m[1]], int(m[2])
    else:
        raise DateError("date_unreadable", arg=raw, **examples(start))
    try:
        if year is not None:
            return date(year, month, day)
        return _in_trip_year(month, day, start, end)
    except ValueError:
        raise DateError("date_impossible", arg=raw) from None


def _in_trip_year(month: int, day: int, start: date, end: date) -> date:
    """The date in whichever of the trip's years puts it inside the trip (else the first)."""
    for year in range(start.year, end.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if start <= candidate <= end:
            return candidate
    return date(start.year, month, day)


def _next_weekday(weekday: int, raw: str, start: date, end: date, today: date) -> date:
    """The next such weekday from today (or from the first day, before the trip) in the trip."""
    day = max(today, start)
    while day <= end:
        if day.weekday() == weekday:
            return day
        day += timedelta(days=1)
    raise DateError("date_weekday_none", arg=raw)
