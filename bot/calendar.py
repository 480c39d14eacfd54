"""The itinerary as an iCalendar file whose events keep their own zones (with VTIMEZONEs)."""

from __future__ import annotations

from datetime import datetime

import icalendar

from bot.trip.models import Trip
from bot.trip.types import Lang


def itinerary_ics(trip: Trip, lang: Lang, stamp: datetime) -> bytes:
    """One VEVENT per leg, start and end in their local zones, with the zones' definitions."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//delegation-bot//itinerary//ZH-TW")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", trip.title.get(lang))
    for leg in sorted(trip.legs, key=lambda leg: leg.start_at):
        event = icalendar.Event()
        # Stable per trip and leg, so a re-import updates events instead of duplicating them.
        event.add("uid", f"{trip.id}.{leg.id}@delegation-bot")
        event.add("dtstamp", stamp)
        event.add("summary", leg.title.get(lang))
        event.add("dtstart", leg.start_at.astimezone(leg.start_zone))
        event.add("dtend", leg.end_at.astimezone(leg.end_zone))
        location = leg.where(lang)
        if leg.venue:
            location = f"{leg.venue.get(lang)}, {location}" if location else leg.venue.get(lang)
        if location:
            event.add("location", location)
        description = []
        if leg.summary:
            description.append(leg.summary.get(lang))
        if leg.assumed:
            description.append("時間為預估" if lang == "zh" else "Times are assumed")
        if description:
            event.add("description", "\n".join(description))
        cal.add_component(event)
    cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    return data
