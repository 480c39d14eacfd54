"""/reminders [on|off]: the caller's upcoming reminders, and what did not go out."""

from __future__ import annotations

import logging
from html import escape

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.i18n import t
from bot.reminders.render import due_line, subject
from bot.reminders.service import wanted_by
from bot.state import BotContext
from handlers.common import argument, reply

log = logging.getLogger(__name__)
LIST_LIMIT = 10
OFF, ON = ("off", "關", "關閉"), ("on", "開", "開啟")


async def show_reminders(update: Update, context: BotContext) -> None:
    """The caller's upcoming reminders; coordinators also see what did not go out."""
    word, member, data = argument(context).lower(), context.member, context.bot_data
    lang = context.lang
    if word in OFF + ON:
        await data.storage.set_reminders_muted(member.user_id, word in OFF, data.now())
        await reply(update, t(lang, "rem_off" if word in OFF else "rem_on"))
        return
    if word:
        await reply(update, t(lang, "rem_usage"))
        return
    trip, now = context.trip, data.now()
    mine = [
        row.plan
        for row in await data.storage.upcoming_reminders(trip.id, now)
        if wanted_by(data.trips, row.plan, member)
    ]
    lines = [t(lang, "rem_header", n=len(mine)) if mine else t(lang, "rem_none")]
    lines += [due_line(trip, r, lang) for r in mine[:LIST_LIMIT]]
    if len(mine) > LIST_LIMIT:
        lines.append(t(lang, "rem_more", n=len(mine) - LIST_LIMIT))
    if await data.storage.reminders_muted(member.user_id):
        lines.insert(0, t(lang, "rem_muted_note"))
    if member.is_coordinator:
        problems = await data.storage.reminder_problems(trip.id)
        if problems:
            lines += ["", t(lang, "rem_problems")]
        for row, outcome, n in problems[-LIST_LIMIT:]:
            count = f" ×{n}" if n else ""
            lines.append(
                f"• {escape(subject(trip, row.plan, lang))} — "
                f"{t(lang, f'rem_problem_{outcome}')}{count}"
            )
    await reply(update, "\n".join(lines))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The reminders command."""
    return [CommandHandler("reminders", show_reminders)]
