"""Times as people read them on a phone: local clock with its zone, and Taipei beside it."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.places import zone_city
from bot.trip.types import Lang, Text

# A trip's own names for the zones it passes through (Trip.zone_places): they win over CLDR,
# so a delegation in New Delhi reads 新德里, not the zone's city Kolkata.
Places = Mapping[str, Text]

WEEKDAYS: dict[Lang, tuple[str, ...]] = {
    "zh": ("一", "二", "三", "四", "五", "六", "日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
TAIPEI = ZoneInfo("Asia/Taipei")


def zone_name(zone: ZoneInfo, lang: Lang, places: Places | None = None) -> str:
    """A short human name for a zone: the trip's own place name, else CLDR's city for it."""
    key = str(zone)
    if places and key in places:
        return places[key].get(lang)
    return zone_city(key, lang)


def utc_offset(instant: datetime, zone: ZoneInfo) -> str:
    """The zone's offset at that instant: 'UTC+8', 'UTC−3', 'UTC+5:30'."""
    offset = instant.astimezone(zone).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{mins:02d}" if mins else "")


def zone_label(instant: datetime, zone: ZoneInfo, lang: Lang, places: Places | None = None) -> str:
    """'布宜諾斯艾利斯 UTC−3': the zone's name and its offset at that instant."""
    return f"{zone_name(zone, lang, places)} {utc_offset(instant, zone)}"


def day_label(day: date, lang: Lang) -> str:
    """'5/18（一）' or 'Mon 18 May'."""
    if lang == "zh":
        return f"{day.month}/{day.day}（{WEEKDAYS['zh'][day.weekday()]}）"
    return f"{WEEKDAYS['en'][day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


def clock(
    instant: datetime,
    zone: ZoneInfo,
    lang: Lang,
    *,
    with_day: bool = False,
    places: Places | None = None,
) -> str:
    """'09:00 布宜諾斯艾利斯 UTC−3', optionally with the local day in front."""
    local = instant.astimezone(zone)
    text = f"{local:%H:%M} {zone_label(instant, zone, lang, places)}"
    return f"{day_label(local.date(), lang)} {text}" if with_day else text


def stamp(instant: datetime, zone: ZoneInfo, lang: Lang, places: Places | None = None) -> str:
    """'05-18 07:25 布宜諾斯艾利斯 UTC−3': a short day and the time, with its zone."""
    return f"{instant.astimezone(zone):%m-%d} {clock(instant, zone, lang, places=places)}"


def home_clock(
    instant: datetime, zone: ZoneInfo, home: ZoneInfo, lang: Lang, places: Places | None = None
) -> str:
    """'臺北 20:00' (with the day when it differs from the local day), or '' if the zones agree."""
    local, there = instant.astimezone(zone), instant.astimezone(home)
    if local.utcoffset() == there.utcoffset():
        return ""
    day = f"{day_label(there.date(), lang)} " if there.date() != local.date() else ""
    return f"{zone_name(home, lang, places)} {day}{there:%H:%M}"


def dual_clock(
    instant: datetime, zone: ZoneInfo, home: ZoneInfo, lang: Lang, places: Places | None = None
) -> str:
    """'5/18（一） 09:00 布宜諾斯艾利斯 UTC−3｜臺北 20:00': the day and time, Taipei beside."""
    text = clock(instant, zone, lang, with_day=True, places=places)
    there = home_clock(instant, zone, home, lang, places)
    return f"{text}{'｜' if lang == 'zh' else ' | '}{there}" if there else text


def duration(delta: timedelta, lang: Lang) -> str:
    """'2 小時 5 分' or '2 h 5 min'; days for long spans. Minutes count up ("in 30 min" is
    never less than 30 min away), and under a minute reads as such."""
    seconds = delta.total_seconds()
    if seconds < 60:
        return "不到 1 分" if lang == "zh" else "under 1 min"
    minutes = math.ceil(seconds / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    units = (("天", "d"), ("小時", "h"), ("分", "min"))
    parts = [
        f"{n} {unit[0] if lang == 'zh' else unit[1]}"
        for n, unit in zip((days, hours, mins), units, strict=True)
        if n
    ]
    if days:
        parts = parts[:2]
    return " ".join(parts)
