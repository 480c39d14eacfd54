"""/contacts and /talkingpoints."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import BaseHandler, CommandHandler

from bot.fieldkit.cards import save_buttons
from bot.formatting.people import contact_card, contact_line, point_block
from bot.i18n import t
from bot.people import find_contacts, find_points
from bot.state import BotContext
from handlers.common import argument, reply

MESSAGE_LIMIT = 4000  # as split_message: a longer text goes in parts, without the buttons


async def show_contacts(update: Update, context: BotContext) -> None:
    """Every contact in a list, or the full card of those matching the query."""
    trip, lang, query = context.trip, context.lang, argument(context)
    found = find_contacts(trip, query)
    if not found:
        await reply(update, t(lang, "contacts_none", query=query))
    elif query and len(found) <= 3:
        text = "\n\n".join(contact_card(trip, c, lang) for c in found)
        buttons = save_buttons(found, lang, private=context.member.is_coordinator)
        message = update.effective_message
        if buttons is None or message is None or len(text) > MESSAGE_LIMIT:
            await reply(update, text)
        else:
            await message.reply_text(
                text, parse_mode=ParseMode.HTML, reply_markup=buttons, disable_web_page_preview=True
            )
    else:
        lines = [t(lang, "contacts_header", n=len(found))]
        lines += [contact_line(c, lang) for c in found]
        await reply(update, "\n".join([*lines, "", t(lang, "contacts_more")]))


async def show_talking_points(update: Update, context: BotContext) -> None:
    """The trip's aims, or the points for one topic or one counterpart."""
    trip, lang, query = context.trip, context.lang, argument(context)
    points = find_points(trip, query)
    if query and not points:
        contacts = find_contacts(trip, query)
        if len(contacts) == 1:
            contact = contacts[0]
            header = t(lang, "points_for", name=contact.name.get(lang))
            blocks = [point_block(trip, p, lang) for p in trip.points_for_contact(contact.id)]
            card = contact_card(trip, contact, lang, with_points=False)  # the blocks list them
            await reply(update, "\n\n".join([header, card, *blocks]))
            return
        await reply(update, t(lang, "points_none", query=query))
        return
    header = t(lang, "points_header")
    await reply(update, "\n\n".join([header, *(point_block(trip, p, lang) for p in points)]))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The people and talking-point commands."""
    return [
        CommandHandler("contacts", show_contacts),
        CommandHandler("talkingpoints", show_talking_points),
    ]
