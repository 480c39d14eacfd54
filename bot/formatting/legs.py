"""Legs and days of the itinerary as short phone-sized text (Telegram HTML)."""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.formatting.clock import clock, day_label, zone_label, zone_name
from bot.i18n import t
from bot.trip.models import Leg, Trip
from bot.trip.types import Lang

ICONS = {
    "flight": "✈️", "ground": "🚐", "conference": "🏛", "session": "🎤", "meeting": "🤝",
    "visit": "🚶", "social": "🍽", "standby": "⏳",
}  # fmt: skip


def leg_times(leg: Leg, trip: Trip, lang: Lang) -> str:
    """Start and end in their own zones, then Taipei time where it differs."""
    start, end = leg.start_at, leg.end_at
    spans_days = leg.start.date() != leg.end.date()
    if leg.kind == "flight" or spans_days:
        text = f"{clock(start, leg.start_zone, lang)} → "
        text += clock(end, leg.end_zone, lang, with_day=spans_days)
    else:
        text = f"{leg.start:%H:%M}–{leg.end:%H:%M} {zone_label(start, leg.start_zone, lang)}"
    home = _home_span(
        leg, trip.home_zone, lang, " → " if leg.kind == "flight" or spans_days else "–"
    )
    return f"{text}｜{home}" if home else text


def _home_span(leg: Leg, home: ZoneInfo, lang: Lang, sep: str) -> str:
    """'臺北 17:55 → 5/18 07:30', or '' when both ends already read Taipei time."""
    ends = ((leg.start_at, leg.start_zone), (leg.end_at, leg.end_zone))
    if all(x.astimezone(z).utcoffset() == x.astimezone(home).utcoffset() for x, z in ends):
        return ""
    ref = leg.start.date()
    there = leg.start_at.astimezone(home), leg.end_at.astimezone(home)

    def fmt(instant: datetime, since: date) -> str:
        day = f"{day_label(instant.date(), lang)} " if instant.date() != since else ""
        return f"{day}{instant:%H:%M}"

    start, end = fmt(there[0], ref), fmt(there[1], there[0].date())
    return f"{zone_name(home, lang)} {start}{sep}{end}"


def leg_block(leg: Leg, trip: Trip, lang: Lang, *, changed: bool = False) -> str:
    """A leg in two or three lines: what, when (with zones), where."""
    title = escape(leg.title.get(lang))
    mark = " 🔄" if changed else ""
    lines = [f"{ICONS[leg.kind]} <b>{title}</b>{mark}", leg_times(leg, trip, lang)]
    where = leg.where(lang)
    if leg.origin and leg.destination:
        where += f"（{leg.origin.airport}→{leg.destination.airport}）"
        if leg.origin.terminal:
            where += f" T{escape(leg.origin.terminal)}"
    elif leg.venue:
        where = f"{where}・{leg.venue.get(lang)}" if where else leg.venue.get(lang)
    if where:
        lines.append(f"📍 {escape(where)}")
    if leg.assumed:
        lines[-1] += f" {t(lang, 'assumed')}"
    return "\n".join(lines)


def day_block(trip: Trip, day: date, legs: list[Leg], lang: Lang, changed: set[str]) -> str:
    """One day of the itinerary with its legs."""
    header = f"<b>{day_label(day, lang)}</b>"
    if not legs:
        return f"{header}\n{t(lang, 'no_legs_day', day=day_label(day, lang))}"
    blocks = [leg_block(leg, trip, lang, changed=leg.id in changed) for leg in legs]
    return header + "\n" + "\n\n".join(blocks)


def leg_line(leg: Leg, trip: Trip, lang: Lang) -> str:
    """A leg on one line, for lists: icon, times with zones, title."""
    return f"{ICONS[leg.kind]} {leg_times(leg, trip, lang)} {escape(leg.title.get(lang))}"


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
