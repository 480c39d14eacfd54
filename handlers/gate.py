"""The access gate: runs first for every update; strangers learn nothing about any trip.

It cannot fail open. A later handler runs only when the gate set the sender's membership: a
stranger's exact `/start CODE` in a private chat is handled here, by onboarding's join (a group
never becomes a member's chat), and every other update from a stranger, an update without a
sender, and any exception inside the gate stop there.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from bot.i18n import lang_from_telegram, t
from bot.invites import start_code
from bot.state import BotContext
from handlers.onboarding import join

log = logging.getLogger(__name__)


async def admit_member(update: Update, context: BotContext) -> None:
    """Load the caller's membership and let the update through, or stop every later handler."""
    try:
        admitted = await _admit(update, context)
    except ApplicationHandlerStop:
        raise
    except TelegramError as exc:  # a refusal or onboarding reply did not go out: still denied
        log.warning("access gate: reply for update %s failed: %s", update.update_id, exc)
        admitted = False
    except Exception:
        log.exception("access gate failed on update %s: denied", update.update_id)
        admitted = False
    if not admitted or context.membership is None:
        context.membership = None
        raise ApplicationHandlerStop


async def _admit(update: Update, context: BotContext) -> bool:
    """True with `context.membership` set; False when the update must go no further."""
    user = update.effective_user
    if user is None:
        return False
    journal = context.bot_data.journal
    if journal is not None and journal.is_repeat(update.update_id):
        return False  # replayed from the journal already, before Telegram's copy
    context.membership = await context.bot_data.storage.membership(user.id)
    if context.membership is not None:
        # Another worker may have published: the schedule this update sees is the latest.
        await context.bot_data.changes.refresh(context.membership.trip_id)
        return True
    message = update.message
    code = start_code(message.text if message else None, context.bot_data.bot_username)
    chat = update.effective_chat
    if code is not None and chat is not None and chat.type == "private":
        await join(update, context, code)  # onboarding, then nothing else for this update
        return False
    log.info("refused update %s from unknown user %s", update.update_id, user.id)
    text = t(lang_from_telegram(user.language_code), "refuse_stranger")
    if update.callback_query:
        await update.callback_query.answer(text, show_alert=True)
    elif chat is not None and chat.type == "private":
        await context.bot.send_message(chat.id, text)
    return False


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The gate, for group -1."""
    return [TypeHandler(Update, admit_member)]
