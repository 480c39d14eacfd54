"""The itinerary as an iCalendar file whose events keep their own zones (with VTIMEZONEs).

Each event carries its SEQUENCE (how many published changes touched the leg) and
LAST-MODIFIED, so that a re-import or a subscribed calendar updates the event in place; a
cancelled leg stays in the calendar as STATUS:CANCELLED, so that phones remove it.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime

import icalendar

from bot.changes.model import Published
from bot.invites import hash_code
from bot.storage import Storage
from bot.trip.models import Leg, Trip
from bot.trip.types import Lang

# leg id -> (SEQUENCE, LAST-MODIFIED)
Revisions = dict[str, tuple[int, datetime]]


def leg_revisions(log: Sequence[Published]) -> Revisions:
    """How many published changes touched each leg, and when the last one was published."""
    out: Revisions = {}
    for entry in log:
        for leg in entry.legs:
            count, _ = out.get(leg, (0, entry.at))
            out[leg] = (count + 1, entry.at)
    return out


def trip_calendar(
    content: Trip,
    effective: Trip,
    log: Sequence[Published],
    lang: Lang,
    *,
    base: datetime,
    stamp: datetime | None = None,
) -> bytes:
    """The effective itinerary with its revisions; legs of the content that the log removed
    are kept as cancelled. `base` is LAST-MODIFIED of a leg no change touched; `stamp`, the
    DTSTAMP, defaults to the latest change (so that an unchanged feed is the same bytes)."""
    revisions = leg_revisions(log)
    latest = max([base, *(at for _, at in revisions.values())])
    present = {leg.id for leg in effective.legs}
    cancelled = [leg for leg in content.legs if leg.id not in present]
    return itinerary_ics(
        effective, lang, stamp or latest, revisions=revisions, base=base, cancelled=cancelled
    )


async def subscribe(storage: Storage, public_url: str, user_id: int, now: datetime) -> str:
    """A new private feed URL (https) for the account; only the secret's hash is stored."""
    token = secrets.token_urlsafe(24)
    await storage.add_feed(hash_code(token), user_id, now)
    return f"{public_url.rstrip('/')}/cal/{token}.ics"


def webcal(url: str) -> str:
    """The same feed as a webcal:// link, which phones open as a subscription."""
    return "webcal://" + url.split("://", 1)[1]


def etag(body: bytes) -> str:
    """A strong entity tag for a calendar body."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def itinerary_ics(
    trip: Trip,
    lang: Lang,
    stamp: datetime,
    *,
    revisions: Revisions | None = None,
    base: datetime | None = None,
    cancelled: Sequence[Leg] = (),
) -> bytes:
    """One VEVENT per leg, start and end in their local zones, with the zones' definitions."""
    revisions = revisions or {}
    cal = icalendar.Calendar()
    cal.add("prodid", "-//delegation-bot//itinerary//ZH-TW")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", trip.title.get(lang))
    legs = [(leg, False) for leg in trip.legs] + [(leg, True) for leg in cancelled]
    for leg, gone in sorted(legs, key=lambda pair: pair[0].start_at):
        sequence, modified = revisions.get(leg.id, (0, base or stamp))
        cal.add_component(_event(trip, leg, lang, stamp, sequence, modified, gone))
    cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    return data


def _event(
    trip: Trip,
    leg: Leg,
    lang: Lang,
    stamp: datetime,
    sequence: int,
    modified: datetime,
    cancelled: bool,
) -> icalendar.Event:
    event = icalendar.Event()
    # Stable per trip and leg, so a re-import updates events instead of duplicating them.
    event.add("uid", f"{trip.id}.{leg.id}@delegation-bot")
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("last-modified", modified)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
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
    return event
