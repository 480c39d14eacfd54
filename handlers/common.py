"""Small helpers every handler uses: replying in parts, the coordinator check, the argument text."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode

from bot.formatting.legs import split_message
from bot.i18n import t
from bot.state import BotContext


async def reply(update: Update, text: str) -> None:
    """Reply in the update's chat, split to Telegram's message size."""
    message = update.effective_message
    if message is None:
        return
    for part in split_message(text):
        await message.reply_text(part, parse_mode=ParseMode.HTML, disable_web_page_preview=True)


async def is_coordinator(update: Update, context: BotContext) -> bool:
    """True for a coordinator; anybody else is told the command is not theirs."""
    if context.member.is_coordinator:
        return True
    await reply(update, t(context.lang, "coordinator_only"))
    return False


def argument(context: BotContext) -> str:
    """Everything after the command, as typed."""
    return " ".join(context.args or []).strip()
