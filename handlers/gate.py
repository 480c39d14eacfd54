"""The access gate: runs first for every update; strangers learn nothing about any trip."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from bot.i18n import lang_from_telegram, t
from bot.state import BotContext

log = logging.getLogger(__name__)


def _is_start_with_code(update: Update) -> bool:
    message = update.message
    return bool(message and message.text and message.text.split()[0].startswith("/start")
                and len(message.text.split()) == 2)  # fmt: skip


async def admit_member(update: Update, context: BotContext) -> None:
    """Load the caller's membership, or refuse and stop every later handler."""
    user = update.effective_user
    if user is None:
        raise ApplicationHandlerStop
    journal = context.bot_data.journal
    if journal is not None and journal.is_repeat(update.update_id):
        raise ApplicationHandlerStop  # replayed from the journal already, before Telegram's copy
    context.membership = await context.bot_data.storage.membership(user.id)
    if context.membership is not None or _is_start_with_code(update):
        return
    log.info("refused update %s from unknown user %s", update.update_id, user.id)
    text = t(lang_from_telegram(user.language_code), "refuse_stranger")
    if update.callback_query:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_chat is not None and update.effective_chat.type == "private":
        await context.bot.send_message(update.effective_chat.id, text)
    raise ApplicationHandlerStop


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The gate, for group -1."""
    return [TypeHandler(Update, admit_member)]
