"""The field kit: /sos (it reads only the trip in memory, never storage, so it answers while
the database cannot be written), contact cards and exports, safety check-ins."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.changes.broadcast import button_lang
from bot.fieldkit.cards import trip_csv, trip_vcf, vcard, visible_phones
from bot.fieldkit.checkins import answer_checkin, checkins_report, start_checkin
from bot.fieldkit.packs import kept_pack, pack_of
from bot.fieldkit.sos import sos_card
from bot.i18n import t, tn
from bot.report.pdf import PdfUnavailable
from bot.state import BotContext
from handlers.common import argument, is_coordinator, reply

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


async def send_card(update: Update, context: BotContext) -> None:
    """The contact as a Telegram contact with its vCard, so a phone saves it in one tap."""
    query, lang, private = update.callback_query, context.lang, context.member.is_coordinator
    assert query is not None and query.data is not None
    contact = context.trip.contacts_by_id.get(query.data.removeprefix("card:"))
    phones = visible_phones(contact, private=private) if contact else []
    if contact is None or not phones:
        await query.answer(t(lang, "card_gone"), show_alert=True)
        return
    await query.answer()
    await context.bot.send_contact(
        chat_id=query.message.chat.id if query.message else context.member.chat_id,
        phone_number=phones[0].number,
        first_name=contact.name.get(lang)[:64],
        vcard=vcard(contact, lang, private=private),
    )


async def export_contacts(update: Update, context: BotContext) -> None:
    """/export contacts: the trip's contacts as a .vcf and a .csv."""
    trip, lang, private = context.trip, context.lang, context.member.is_coordinator
    message = update.effective_message
    assert message is not None
    caption = t(lang, "contacts_export_caption", n=len(trip.contacts))
    await message.reply_document(
        trip_vcf(trip, lang, private=private), filename=f"contacts-{trip.id}.vcf", caption=caption
    )
    await message.reply_document(
        trip_csv(trip, lang, private=private), filename=f"contacts-{trip.id}.csv"
    )


async def ask_checkin(update: Update, context: BotContext) -> None:
    """/checkin [message]: ask every travelling member 「平安嗎？」 through the outbox."""
    if not await is_coordinator(update, context):
        return
    n = await start_checkin(context.bot_data, context.member, argument(context))
    await reply(update, tn(context.lang, "checkin_sent", n))


async def on_checkin_button(update: Update, context: BotContext) -> None:
    """「平安」 or 「需要協助」 on a check-in."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _, answer, notice_id = query.data.split(":")[:3]
    key = await answer_checkin(
        context.bot_data, context.member, int(notice_id), "help" if answer == "help" else "safe"
    )
    lang = button_lang(query.data, context.lang)
    await query.answer(t(lang, key), show_alert=key == "checkin_help_sent")
    if key != "checkin_not_asked":
        with contextlib.suppress(BadRequest):
            await query.edit_message_reply_markup(reply_markup=None)


async def show_checkins(update: Update, context: BotContext) -> None:
    """/checkins: who answered the latest check-in, when, and who has not."""
    if not await is_coordinator(update, context):
        return
    storage, lang = context.bot_data.storage, context.lang
    latest = await storage.latest_checkin(context.member.trip_id)
    if latest is None:
        await reply(update, t(lang, "checkins_none"))
        return
    notice_id, message, asked = latest
    states = await storage.checkin_states(notice_id)
    await reply(
        update,
        checkins_report(context.trip, (message, asked), states, context.bot_data.now(), lang),
    )


async def send_pack(update: Update, context: BotContext) -> None:
    """/pack: the member's briefing pack as one PDF in their language, to read offline."""
    member, lang, message = context.member, context.lang, update.effective_message
    assert message is not None
    data = kept_pack(context.bot_data, member)
    try:
        if data is None:
            await reply(update, t(lang, "pack_building"))
            data = await pack_of(context.bot_data, member)
    except PdfUnavailable:
        log.warning("pack for %s not built", member.member_id, exc_info=True)
        await reply(update, t(lang, "pack_unavailable"))
        return
    name = f"pack-{member.trip_id}-{member.member_id}-{lang}.pdf"
    await message.reply_document(data, filename=name, caption=t(lang, "pack_caption"))


async def get_pack(update: Update, context: BotContext) -> None:
    """📦 on a "pack vN is ready" notice: acknowledge it and send the pack."""
    query = update.callback_query
    assert query is not None and query.data is not None
    data = context.bot_data
    await data.storage.ack_notice(int(query.data.split(":")[1]), context.member.user_id, data.now())
    await query.answer()
    with contextlib.suppress(BadRequest):
        await query.edit_message_reply_markup(reply_markup=None)
    await send_pack(update, context)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The field-kit commands (before /export of notes: `/export contacts` is ours)."""
    return [
        CommandHandler("sos", show_sos),
        CommandHandler(
            "export", export_contacts, filters=filters.Regex(r"^/export(@\w+)?\s+contacts\s*$")
        ),
        CallbackQueryHandler(send_card, pattern=r"^card:[a-z0-9][a-z0-9_-]{0,63}$"),
        CommandHandler("pack", send_pack),
        CallbackQueryHandler(get_pack, pattern=r"^pack:\d+$"),
        CommandHandler("checkin", ask_checkin),
        CommandHandler("checkins", show_checkins),
        CallbackQueryHandler(on_checkin_button, pattern=r"^chk:(safe|help):\d+(:(zh|en))?$"),
    ]
