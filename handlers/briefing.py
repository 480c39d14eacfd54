"""/itinerary, /now, /next, /brief and /calendar."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.briefing import (
    brief_reply,
    itinerary_reply,
    next_reply,
    now_reply,
    parse_day,
)
from bot.calendar import subscribe, trip_calendar, webcal
from bot.dates import DateError, examples
from bot.fieldkit.members import find_member, member_trip
from bot.i18n import t
from bot.state import BotContext
from bot.trip.models import Trip
from handlers.common import argument, is_coordinator, reply


async def _view(context: BotContext) -> tuple[Trip, set[str]]:
    """The member's own legs of the effective itinerary, and those changed since they looked."""
    trip, changed = await context.bot_data.changes.view(context.member)
    return member_trip(trip, context.member.member_id), changed


async def show_itinerary(update: Update, context: BotContext) -> None:
    """The legs of a day (today by default), or the whole trip; a coordinator may name a
    member first (`/itinerary @cao-kaiwen all`) to see that member's legs."""
    (trip, changed), lang, now = await _view(context), context.lang, context.bot_data.now()
    text, header = argument(context), ""
    if text.startswith("@"):
        if not await is_coordinator(update, context):
            return
        who, _, text = text.partition(" ")
        member = find_member(context.trip, who)
        if member is None:
            await reply(update, t(lang, "itinerary_no_member", who=escape(who)))
            return
        trip = member_trip(context.trip, member.id)
        header = t(lang, "itinerary_of", name=escape(member.name.get(lang))) + "\n"
    try:
        days = parse_day(text.strip(), trip, now)
    except DateError as exc:
        usage = [t(lang, "itinerary_usage"), t(lang, "itinerary_example", **examples(trip.start))]
        await reply(update, "\n".join([escape(t(lang, exc.key, **exc.values)), *usage]))
        return
    await reply(update, header + itinerary_reply(trip, days, lang, changed=changed))


async def show_now(update: Update, context: BotContext) -> None:
    """The leg in progress and the next one."""
    trip, changed = await _view(context)
    await reply(update, now_reply(trip, context.bot_data.now(), context.lang, changed))


async def show_next(update: Update, context: BotContext) -> None:
    """The next leg and how long until it starts."""
    trip, changed = await _view(context)
    await reply(update, next_reply(trip, context.bot_data.now(), context.lang, changed))


async def show_brief(update: Update, context: BotContext) -> None:
    """Today's briefing on one screen."""
    trip, changed = await _view(context)
    await reply(update, brief_reply(trip, context.bot_data.now(), context.lang, changed))


async def send_calendar(update: Update, context: BotContext) -> None:
    """The itinerary as an .ics file, and a private subscription link that follows changes."""
    (trip, _), lang, member = await _view(context), context.lang, context.member
    data = context.bot_data
    changes, now = data.changes, data.now()
    # The member's own legs in both: a leg they take no part in is left out, not cancelled.
    content = member_trip(changes.content[trip.id], member.member_id)
    log = changes.logs.get(trip.id, [])
    body = trip_calendar(content, trip, log, lang, base=member.joined_at, stamp=now)
    assert update.effective_message is not None
    await update.effective_message.reply_document(
        body, filename=f"{trip.id}.ics", caption=t(lang, "calendar_caption")
    )
    public = data.settings.public_base
    if public:  # the bot's HTTP server serves the feed
        url = await subscribe(data.storage, public, member.user_id, now)
        await reply(update, t(lang, "calendar_feed", webcal=webcal(url), https=url))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The briefing commands."""
    return [
        CommandHandler("itinerary", show_itinerary),
        CommandHandler("now", show_now),
        CommandHandler("next", show_next),
        CommandHandler("brief", show_brief),
        CommandHandler("calendar", send_calendar),
    ]
