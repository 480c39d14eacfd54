"""Safety check-ins through the notice outbox: ask, answer, alert the coordinators, report."""

from __future__ import annotations

from datetime import datetime
from html import escape

from bot.formatting.clock import clock
from bot.i18n import t
from bot.itinerary import position
from bot.state import BotData
from bot.storage import Membership
from bot.storage.checkins import Answer, CheckinState
from bot.trip.models import Trip
from bot.trip.types import LANGS, Lang


def ask_text(message: str, author: str, lang: Lang) -> str:
    """「🙋 平安嗎？」 with the coordinator's message, if any."""
    lines = [t(lang, "checkin_ask")]
    if message:
        lines.append(escape(message))
    lines.append(t(lang, "checkin_from", author=escape(author)))
    return "\n".join(lines)


async def start_checkin(data: BotData, author: Membership, message: str) -> int:
    """Ask every travelling member who can be reached, coordinators (the author too) included:
    a coordinator on the trip is as much at risk as a delegate. How many were asked."""
    trip = data.trips[author.trip_id]
    name = author.name or author.member_id
    zh, en = (
        ask_text(message, member_name(trip, author.member_id, name, lang), lang) for lang in LANGS
    )
    return await ask_travellers(data, author.trip_id, name, (zh, en), message)


async def ask_travellers(
    data: BotData,
    trip_id: str,
    author: str,
    texts: tuple[str, str],
    message: str,
    except_user: int | None = None,
    key: str | None = None,
) -> int:
    """The one path of every check-in: the notice outbox to each reachable traveller; how many."""
    trip = data.trips[trip_id]
    travelling = {m.id for m in trip.members if m.travelling}
    recipients = [
        m
        for m in await data.storage.reachable_members(trip_id)
        if m.member_id in travelling and m.user_id != except_user
    ]
    _, queued = await data.storage.create_checkin(
        trip_id, author, texts, message, recipients, data.now(), key=key
    )
    data.changes.broadcaster.send(queued)
    return len(queued)


def member_name(trip: Trip, member_id: str, fallback: str, lang: Lang) -> str:
    """The member's name as the content writes it, in the reader's language."""
    member = trip.members_by_id.get(member_id)
    return member.name.get(lang) if member else fallback


def alert_text(
    trip: Trip,
    member: Membership,
    place: tuple[float, float, datetime] | None,
    now: datetime,
    lang: Lang,
) -> str:
    """The coordinators' alert: who needs help, and where they last shared their location."""
    zone = position(trip, now).zone
    lines = [
        t(
            lang,
            "checkin_alert",
            name=escape(member_name(trip, member.member_id, member.name, lang)),
            at=escape(clock(now, zone, lang, with_day=True, places=trip.zone_places)),
        )
    ]
    if place is None:
        lines.append(t(lang, "checkin_no_location"))
    else:
        lat, lon, when = place
        shared = clock(when, zone, lang, with_day=True, places=trip.zone_places)
        link = f"https://maps.google.com/?q={lat:.6f},{lon:.6f}"
        lines.append(
            t(
                lang,
                "checkin_location",
                lat=f"{lat:.5f}",
                lon=f"{lon:.5f}",
                at=escape(shared),
                link=link,
            )
        )
    return "\n".join(lines)


async def answer_checkin(data: BotData, member: Membership, notice_id: int, answer: Answer) -> str:
    """Record the answer; 「需要協助」 alerts every coordinator at once. The reply's key."""
    storage, now = data.storage, data.now()
    if not await storage.answer_checkin(notice_id, member.user_id, answer, now):
        return "checkin_not_asked"
    if answer == "help":
        trip = data.trips[member.trip_id]
        place = await storage.last_location(member.user_id)
        texts = tuple(alert_text(trip, member, place, now, lang) for lang in LANGS)
        coordinators = [
            m
            for m in await storage.reachable_members(member.trip_id)
            if m.is_coordinator and m.user_id != member.user_id
        ]
        queued = await storage.create_notice(
            member.trip_id, member.name or member.member_id, (texts[0], texts[1]), coordinators, now
        )
        data.changes.broadcaster.send(queued)
        return "checkin_help_sent"
    return "checkin_safe_thanks"


def checkins_report(
    trip: Trip, asked: tuple[str, datetime], states: list[CheckinState], now: datetime, lang: Lang
) -> str:
    """Who answered and when, who asked for help, who has not answered yet."""
    zone = position(trip, now).zone

    def at(instant: datetime) -> str:
        return escape(clock(instant, zone, lang, with_day=True, places=trip.zone_places))

    message, when = asked
    lines = [t(lang, "checkins_header", at=at(when))]
    if message:
        lines.append(escape(message))
    for group in ("help", "safe", None):
        for s in (s for s in states if s.answer == group):
            name = escape(member_name(trip, s.member_id, s.name, lang))
            if s.answer is not None and s.answered_at is not None:
                key = "checkins_help" if s.answer == "help" else "checkins_safe"
                lines.append(t(lang, key, name=name, at=at(s.answered_at)))
            else:
                lines.append(t(lang, "checkins_silent", name=name, n=max(s.sends, 1)))
    return "\n".join(lines)
