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
from bot.changes.service import service_of
from bot.dates import DateError
from bot.i18n import t
from bot.state import BotContext
from bot.trip.models import Trip
from handlers.common import argument, reply


async def _view(context: BotContext) -> tuple[Trip, set[str]]:
    """The effective itinerary and the legs changed since this member last looked."""
    return await service_of(context.bot_data).view(context.member)


async def show_itinerary(update: Update, context: BotContext) -> None:
    """The legs of a day (today by default), or the whole trip."""
    (trip, changed), lang, now = await _view(context), context.lang, context.bot_data.now()
    try:
        days = parse_day(argument(context), trip, now)
    except DateError as exc:
        usage = t(lang, "itinerary_usage")
        await reply(update, escape(t(lang, exc.key, **exc.values)) + "\n" + usage)
        return
    await reply(update, itinerary_reply(trip, days, lang, changed=changed))


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
    changes, now = service_of(data), data.now()
    content, log = changes.content[trip.id], changes.logs.get(trip.id, [])
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
