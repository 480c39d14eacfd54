"""Replies of the briefing commands: pure functions of the trip, the instant and the language."""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from bot import itinerary
from bot.dates import read_day
from bot.formatting.clock import clock, day_label, duration, home_clock, zone_label
from bot.formatting.legs import day_block, leg_block, leg_line
from bot.formatting.punct import bar, colon, paren
from bot.i18n import t
from bot.trip.models import Trip
from bot.trip.types import Lang


def parse_day(arg: str, trip: Trip, now: datetime) -> list[date]:
    """The days an /itinerary argument asks for: today, all, or any day `bot.dates` reads."""
    word = arg.strip().lower()
    today = itinerary.today(trip, now)
    if not word:
        return [today]
    if word in ("all", "全部"):
        return trip.days()
    return [read_day(arg, trip.start, trip.end, today)]


def itinerary_reply(trip: Trip, days: list[date], lang: Lang, changed: set[str]) -> str:
    """The legs of each asked day; a day outside the trip says so."""
    if len(days) == 1 and not trip.start <= days[0] <= trip.end:
        return t(
            lang,
            "day_outside_trip",
            day=day_label(days[0], lang),
            first=day_label(trip.start, lang),
            last=day_label(trip.end, lang),
        )
    if len(days) == 1:
        return day_block(trip, days[0], itinerary.legs_on(trip, days[0]), lang, changed)
    blocks = []
    for day in days:
        legs = itinerary.legs_on(trip, day)
        lines = [f"<b>{day_label(day, lang)}</b>"]
        lines += [_marked(leg_line(leg, trip, lang, day), leg.id in changed) for leg in legs]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _marked(line: str, changed: bool) -> str:
    """A leg's list entry with 🔄 after its title when it changed since last seen."""
    if not changed:
        return line
    head, sep, rest = line.partition("\n")
    return f"{head} 🔄{sep}{rest}"


def now_reply(trip: Trip, now: datetime, lang: Lang, changed: set[str]) -> str:
    """What is in progress, the local time where the delegation is, and what comes next."""
    pos = itinerary.position(trip, now)
    here = clock(now, pos.zone, lang, with_day=True, places=trip.zone_places)
    home = home_clock(now, pos.zone, trip.home_zone, lang, trip.zone_places)
    lines = [t(lang, "now_at", clock=here + (f"{bar(lang)}{home}" if home else ""))]
    running = itinerary.in_progress(trip, now)
    if running:
        lines.append(t(lang, "now_header"))
        lines += [leg_block(leg, trip, lang, changed=leg.id in changed) for leg in running]
    else:
        lines.append(t(lang, "now_none"))
    return "\n".join(lines) + "\n\n" + next_reply(trip, now, lang, changed)


def next_reply(trip: Trip, now: datetime, lang: Lang, changed: set[str]) -> str:
    """The next leg to start and how long until it does."""
    nxt = itinerary.upcoming(trip, now, 1)
    if not nxt:
        return t(lang, "next_none")
    leg = nxt[0]

    header = t(lang, "next_header", left=duration(leg.start_at - now, lang))
    return f"{header}\n{leg_block(leg, trip, lang, changed=leg.id in changed)}"


def brief_reply(trip: Trip, now: datetime, lang: Lang, changed: set[str]) -> str:
    """Today's briefing on one screen: where, today's legs, whom they meet and what to say."""
    pos = itinerary.position(trip, now)
    day = now.astimezone(pos.zone).date()
    lines = [t(lang, "brief_header", day=day_label(day, lang))]
    phase = itinerary.trip_phase(trip, now)
    if phase == "after":
        return "\n".join([*lines, t(lang, "brief_after")])
    if phase == "before":
        first = itinerary.ordered(trip)[0]
        days = (first.start_at.astimezone(trip.home_zone).date() - day).days
        return "\n".join([*lines, t(lang, "brief_before", days=days), leg_block(first, trip, lang)])
    place = escape(pos.label(lang))
    zone = zone_label(now, pos.zone, lang, trip.zone_places)
    lines.append(t(lang, "brief_where", place=place, zone=zone))
    legs = itinerary.legs_on(trip, day)
    lines.append(t(lang, "brief_legs") if legs else t(lang, "brief_nothing"))
    lines += [_marked(leg_line(leg, trip, lang, day), leg.id in changed) for leg in legs]
    people = [c for leg in legs for c in leg.contacts]
    if people:
        lines.append(t(lang, "brief_people"))
    for cid in dict.fromkeys(people):
        contact = trip.contacts_by_id[cid]
        role = escape(paren(contact.role.get(lang), lang))
        line = f"👤 <b>{escape(contact.name.get(lang))}</b>{role}"
        points = trip.points_for_contact(cid)
        if points:
            line += f"{colon(lang)}{escape(points[0].points[0].get(lang))}"
        if contact.careful:
            line += f"\n   ⚠️ {escape(contact.careful.get(lang))}"
        lines.append(line)
    return "\n".join(lines)
