"""Legs and days of the itinerary as short phone-sized text (Telegram HTML)."""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from typing import Literal

from bot.formatting.clock import Places, clock, day_label, home_clock, zone_label, zone_name
from bot.formatting.punct import bar, paren
from bot.i18n import t
from bot.trip.models import Leg, Trip
from bot.trip.types import Lang

ICONS = {
    "flight": "✈️",
    "ground": "🚐",
    "conference": "🏛",
    "session": "🎤",
    "meeting": "🤝",
    "visit": "🚶",
    "social": "🍽",
    "standby": "⏳",
}


def end_places(leg: Leg, trip: Trip, end: Literal["start", "end"]) -> Places:
    """Names for the zone of one end of a leg: a flight's own airport city, else the trip's."""
    point = leg.origin if end == "start" else leg.destination
    if point is None:
        return trip.zone_places
    return {**trip.zone_places, point.zone.key: point.city}


def leg_times(leg: Leg, trip: Trip, lang: Lang) -> str:
    """Start and end in their own zones, then Taipei time where it differs."""
    start, end = leg.start_at, leg.end_at
    spans_days = leg.start.date() != leg.end.date()
    arrow = leg.kind == "flight" or spans_days or leg.start_zone.key != leg.end_zone.key
    if arrow:
        text = f"{clock(start, leg.start_zone, lang, places=end_places(leg, trip, 'start'))} → "
        text += clock(
            end, leg.end_zone, lang, with_day=spans_days, places=end_places(leg, trip, "end")
        )
    else:
        label = zone_label(start, leg.start_zone, lang, trip.zone_places)
        text = f"{leg.start:%H:%M}–{leg.end:%H:%M} {label}"
    home = _home_span(leg, trip, lang, " → " if arrow else "–")
    return f"{text}{bar(lang)}{home}" if home else text


def _home_span(leg: Leg, trip: Trip, lang: Lang, sep: str) -> str:
    """'臺北 17:55 → 5/18 07:30', or '' when both ends already read Taipei time."""
    home = trip.home_zone
    ends = ((leg.start_at, leg.start_zone), (leg.end_at, leg.end_zone))
    if all(x.astimezone(z).utcoffset() == x.astimezone(home).utcoffset() for x, z in ends):
        return ""
    ref = leg.start.date()
    there = leg.start_at.astimezone(home), leg.end_at.astimezone(home)

    def fmt(instant: datetime, since: date) -> str:
        day = f"{day_label(instant.date(), lang)} " if instant.date() != since else ""
        return f"{day}{instant:%H:%M}"

    start, end = fmt(there[0], ref), fmt(there[1], there[0].date())
    return f"{zone_name(home, lang, trip.zone_places)} {start}{sep}{end}"


def _where(leg: Leg, lang: Lang) -> str:
    """Cities (and airports) or the place and venue, in the reader's punctuation."""
    where = leg.where(lang)
    if leg.origin and leg.destination:
        where += paren(f"{leg.origin.airport}→{leg.destination.airport}", lang)
        if leg.origin.terminal:
            where += f" T{leg.origin.terminal}"
    elif leg.venue:
        dot = "・" if lang == "zh" else " · "
        where = f"{where}{dot}{leg.venue.get(lang)}" if where else leg.venue.get(lang)
    return where


def leg_block(leg: Leg, trip: Trip, lang: Lang, *, changed: bool = False) -> str:
    """A leg in two or three lines: what, when (with zones), where."""
    title = escape(leg.title.get(lang))
    mark = " 🔄" if changed else ""
    lines = [f"{ICONS[leg.kind]} <b>{title}</b>{mark}", leg_times(leg, trip, lang)]
    where = _where(leg, lang)
    if where:
        lines.append(f"📍 {escape(where)}")
    if leg.assumed:
        lines[-1] += f" {t(lang, 'assumed')}"
    return "\n".join(lines)


def carried_over(leg: Leg, day: date) -> bool:
    """Whether `leg` started before `day` (it is shown there as a continuation)."""
    return leg.start.date() < day


def _carried(leg: Leg, day: date, trip: Trip, lang: Lang) -> str:
    """On a later day: '抵達 08:55 阿姆斯特丹 UTC+2｜臺北 14:55', or that it goes on."""
    if leg.end.date() != day:
        return t(lang, "leg_continues", day=day_label(leg.start.date(), lang))
    when = clock(leg.end_at, leg.end_zone, lang, places=end_places(leg, trip, "end"))
    home = home_clock(leg.end_at, leg.end_zone, trip.home_zone, lang, trip.zone_places)
    return t(lang, "leg_arrives", clock=when + (f"{bar(lang)}{home}" if home else ""))


def continued_block(leg: Leg, day: date, trip: Trip, lang: Lang, *, changed: bool = False) -> str:
    """A leg begun on an earlier day: its title, its arrival, and when it set off."""
    title = escape(leg.title.get(lang))
    lines = [f"{ICONS[leg.kind]} <b>{title}</b>{' 🔄' if changed else ''}"]
    lines.append(_carried(leg, day, trip, lang))
    since = clock(
        leg.start_at, leg.start_zone, lang, with_day=True, places=end_places(leg, trip, "start")
    )
    lines.append(t(lang, "leg_departed", clock=since))
    return "\n".join(lines)


def day_block(trip: Trip, day: date, legs: list[Leg], lang: Lang, changed: set[str]) -> str:
    """One day of the itinerary with its legs; one begun the day before shows its arrival."""
    header = f"<b>{day_label(day, lang)}</b>"
    if not legs:
        return f"{header}\n{t(lang, 'no_legs_day', day=day_label(day, lang))}"
    blocks = [
        continued_block(leg, day, trip, lang, changed=leg.id in changed)
        if carried_over(leg, day)
        else leg_block(leg, trip, lang, changed=leg.id in changed)
        for leg in legs
    ]
    return header + "\n" + "\n\n".join(blocks)


def leg_line(leg: Leg, trip: Trip, lang: Lang, day: date | None = None) -> str:
    """A leg for lists: icon and title first, its times beneath (its arrival on a later day)."""
    head = f"{ICONS[leg.kind]} <b>{escape(leg.title.get(lang))}</b>"
    if day is not None and carried_over(leg, day):
        return f"{head}\n{_carried(leg, day, trip, lang)}"
    return f"{head}\n{leg_times(leg, trip, lang)}"


def split_message(text: str, limit: int = 4000) -> list[str]:
    """Cut a long reply into Telegram-sized messages at blank lines, then at lines."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for para in text.split("\n\n"):
        pieces = [para] if len(para) <= limit else para.split("\n")
        for piece in pieces:
            joiner = "\n\n" if piece is para else "\n"
            if current and len(current) + len(joiner) + len(piece) > limit:
                parts.append(current)
                current = ""
            current = f"{current}{joiner}{piece}" if current else piece[:limit]
    if current:
        parts.append(current)
    return parts
