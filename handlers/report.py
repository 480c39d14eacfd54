"""/report: a coordinator compiles the trip's notes into the official report (DOCX + self-check)."""

from __future__ import annotations

import asyncio
from html import escape

from telegram import Update
from telegram.constants import ChatAction
from telegram.ext import BaseHandler, CommandHandler

from bot.i18n import t
from bot.state import BotContext
from handlers.common import is_coordinator, reply


async def compile_report(update: Update, context: BotContext) -> None:
    """Build the DOCX from every note of the trip, send it, then the self-check."""
    if not await is_coordinator(update, context):
        return
    # Imported here: python-docx is heavy, and only a compile needs it, not the bot's start-up.
    from bot.report.build import build_report
    from bot.report.check import check_text, self_check
    from bot.report.docx import write_docx

    message, data, trip = update.effective_message, context.bot_data, context.trip
    assert message is not None
    await message.reply_chat_action(ChatAction.UPLOAD_DOCUMENT)
    now = data.now()
    notes = await data.storage.notes_of_trip(trip.id)
    report = build_report(trip, notes, now=now, data_dir=data.settings.data_dir)
    checks = self_check(report, trip, notes, now)
    out = data.settings.data_dir / "reports" / f"{trip.id}.docx"
    out.parent.mkdir(parents=True, exist_ok=True)
    # python-docx is CPU-bound and reads every photo: off the event loop, so others get answers.
    await asyncio.to_thread(write_docx, report, out)
    # Compiled: from now on a delegate can no longer delete the notes it was built from.
    await data.storage.lock_notes(trip.id, now)
    with out.open("rb") as f:
        await message.reply_document(
            f, filename=f"{trip.id}-report.docx", caption=t(context.lang, "report_caption")
        )
    await reply(update, escape(check_text(checks)))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The report command."""
    return [CommandHandler("report", compile_report)]
