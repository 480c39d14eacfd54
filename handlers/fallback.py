"""The last word: an unknown command or a message no feature took gets a pointer to /help."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.i18n import t
from bot.state import BotContext
from handlers.common import reply


async def point_to_help(update: Update, context: BotContext) -> None:
    """Tell a member the command is unknown and where the list is."""
    await reply(update, t(context.lang, "unknown_command"))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Unknown commands."""
    return [MessageHandler(filters.COMMAND, point_to_help)]
