"""Reminder texts (Telegram HTML) in the reader's language: local time and zone, Taipei beside."""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.briefing import brief_reply
from bot.formatting.clock import clock, day_label, duration, home_clock
from bot.formatting.legs import ICONS, leg_times
from bot.formatting.people import contact_line
from bot.formatting.punct import bar, colon
from bot.i18n import t
from bot.reminders.plan import PlannedReminder
from bot.trip.models import Endpoint, Leg, Trip
from bot.trip.types import Lang

MAX_POINTS = 3  # talking points in one reminder; /talkingpoints has them all
HEADERS = {"check_in": "rem_check_in", "leave_for_airport": "rem_leave", "before_leg": "rem_before"}


def reminder_text(trip: Trip, r: PlannedReminder, lang: Lang, now: datetime) -> str:
    """The text of a reminder as sent at `now` (the morning briefing is that morning's)."""
    if r.kind == "morning":
        return brief_reply(trip, r.due_at, lang, set())
    if r.kind == "prep":
        step = next(s for s in trip.prep if s.id == r.subject)
        return t(lang, "rem_prep", day=day_label(step.date, lang), text=escape(step.text.get(lang)))
    return leg_text(trip, trip.legs_by_id[r.subject], r.message, lang, now)


def leg_text(trip: Trip, leg: Leg, say: str, lang: Lang, now: datetime) -> str:
    """A leg's reminder: what and when, then what is useful for a flight or a meeting."""
    left = duration(leg.start_at - now, lang)
    times = leg_times(leg, trip, lang)
    if leg.assumed:
        times += f" {t(lang, 'assumed')}"
    lines = [
        t(lang, HEADERS.get(say, "rem_before"), left=left),
        f"{ICONS[leg.kind]} <b>{escape(leg.title.get(lang))}</b>",
        times,
    ]
    if leg.origin and leg.destination:
        lines += _flight(trip, leg, leg.origin, leg.destination, lang)
    else:
        lines += _meeting(trip, leg, lang)
    return "\n".join(lines)


def _flight(trip: Trip, leg: Leg, origin: Endpoint, dest: Endpoint, lang: Lang) -> list[str]:
    terminal = t(lang, "rem_terminal", t=escape(origin.terminal)) if origin.terminal else ""
    lines = [
        t(
            lang,
            "rem_depart",
            airport=origin.airport,
            city=escape(origin.city.get(lang)),
            terminal=terminal,
        )
    ]
    arrive = clock(leg.end_at, dest.zone, lang, with_day=True, places={dest.zone.key: dest.city})
    lines.append(
        t(lang, "rem_arrive", airport=dest.airport, city=escape(dest.city.get(lang)), clock=arrive)
    )
    if leg.flight_no:
        lines.append(t(lang, "rem_flight_no", no=escape(leg.flight_no)))
    return lines


def _meeting(trip: Trip, leg: Leg, lang: Lang) -> list[str]:
    lines = []
    where = [x.get(lang) for x in (leg.venue, leg.place) if x]
    if where:
        lines.append(f"📍 {escape(('・' if lang == 'zh' else ' · ').join(where))}")
    if leg.contacts:
        lines.append(t(lang, "rem_people"))
        lines += [contact_line(trip.contacts_by_id[c], lang) for c in leg.contacts]
    points = list(
        dict.fromkeys(
            [*leg.talking_points, *(p.id for c in leg.contacts for p in trip.points_for_contact(c))]
        )
    )
    if points:
        lines.append(t(lang, "rem_points"))
        # A reminder is read on a phone in passing: the first few, and where the rest are.
        for pid in points[:MAX_POINTS]:
            point = trip.points_by_id[pid]
            topic, first = point.topic.get(lang), point.points[0].get(lang)
            lines.append(f"🎯 {escape(topic)}{colon(lang)}{escape(first)}")
        if len(points) > MAX_POINTS:
            lines.append(t(lang, "rem_points_more", n=len(points) - MAX_POINTS))
    return lines


def due_line(trip: Trip, r: PlannedReminder, lang: Lang) -> str:
    """One line for /reminders: when (local, zone, Taipei) and what."""
    zone = ZoneInfo(r.zone)
    when = clock(r.due_at, zone, lang, with_day=True, places=trip.zone_places)
    home = home_clock(r.due_at, zone, trip.home_zone, lang, trip.zone_places)
    if home:
        when += f"{bar(lang)}{home}"
    return f"• {when} — {escape(subject(trip, r, lang))}"


def subject(trip: Trip, r: PlannedReminder, lang: Lang) -> str:
    """What a reminder is about, in a few words."""
    if r.kind == "morning":
        return t(lang, "rem_what_morning", day=day_label(date.fromisoformat(r.subject), lang))
    if r.kind == "prep":
        step = next((s for s in trip.prep if s.id == r.subject), None)
        return t(lang, "rem_what_prep", text=step.text.get(lang) if step else r.subject)
    leg = trip.legs_by_id.get(r.subject)
    title = leg.title.get(lang) if leg else r.subject
    return t(lang, f"rem_what_{r.message}", title=title)
