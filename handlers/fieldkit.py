"""/sos: the emergency card. It reads only the trip in memory, never storage, so it answers
while the database cannot be written."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CommandHandler

from bot.fieldkit.sos import sos_card
from bot.state import BotContext
from handlers.common import reply

log = logging.getLogger(__name__)


async def show_sos(update: Update, context: BotContext) -> None:
    """The office, the emergency numbers and tonight's hotel, then each place as a venue."""
    member = context.member
    card = sos_card(
        context.trip,
        context.bot_data.now(),
        context.lang,
        member.member_id,
        private=member.is_coordinator,
    )
    await reply(update, card.text)
    message = update.effective_message
    assert message is not None
    for venue in card.venues:
        try:
            await message.reply_venue(
                latitude=venue.location.lat,
                longitude=venue.location.lon,
                title=venue.title,
                address=venue.address,
            )
        except TelegramError:  # the text is out: a map pin that fails must not hide the rest
            log.warning("sos venue %r not sent", venue.title, exc_info=True)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The field-kit commands."""
    return [CommandHandler("sos", show_sos)]
