"""/itinerary, /now, /next, /brief and /calendar."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.briefing import (
    ArgumentError,
    brief_reply,
    itinerary_reply,
    next_reply,
    now_reply,
    parse_day,
)
from bot.calendar import itinerary_ics
from bot.i18n import t
from bot.state import BotContext
from handlers.common import argument, reply


async def show_itinerary(update: Update, context: BotContext) -> None:
    """The legs of a day (today by default), or the whole trip."""
    trip, lang, now = context.trip, context.lang, context.bot_data.now()
    try:
        days = parse_day(argument(context), trip, now)
    except ArgumentError as exc:
        await reply(update, t(lang, "bad_argument", arg=exc.arg, why=exc.why) + "\n"
                    + t(lang, "itinerary_usage"))  # fmt: skip
        return
    await reply(update, itinerary_reply(trip, days, lang, changed=set()))


async def show_now(update: Update, context: BotContext) -> None:
    """The leg in progress and the next one."""
    await reply(update, now_reply(context.trip, context.bot_data.now(), context.lang, set()))


async def show_next(update: Update, context: BotContext) -> None:
    """The next leg and how long until it starts."""
    await reply(update, next_reply(context.trip, context.bot_data.now(), context.lang, set()))


async def show_brief(update: Update, context: BotContext) -> None:
    """Today's briefing on one screen."""
    await reply(update, brief_reply(context.trip, context.bot_data.now(), context.lang, set()))


async def send_calendar(update: Update, context: BotContext) -> None:
    """The itinerary as an .ics file."""
    trip, lang = context.trip, context.lang
    data = itinerary_ics(trip, lang, context.bot_data.now())
    assert update.effective_message is not None
    await update.effective_message.reply_document(
        data, filename=f"{trip.id}.ics", caption=t(lang, "calendar_caption")
    )


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The briefing commands."""
    return [
        CommandHandler("itinerary", show_itinerary),
        CommandHandler("now", show_now),
        CommandHandler("next", show_next),
        CommandHandler("brief", show_brief),
        CommandHandler("calendar", send_calendar),
    ]
