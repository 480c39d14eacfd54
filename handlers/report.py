"""/report: a coordinator compiles the trip's report (DOCX + self-check), then other formats,
the 審核表, the 提要 and the 資訊網 fields from the buttons under the self-check."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.i18n import t
from bot.report.choices import CHOICES, is_required, output_of
from bot.state import BotContext
from handlers.common import is_coordinator, reply


async def compile_report(update: Update, context: BotContext) -> None:
    """Build the DOCX from every note of the trip, send it, then the self-check with buttons."""
    if not await is_coordinator(update, context):
        return
    await _send(update, context, "docx", with_check=True)


async def press_button(update: Update, context: BotContext) -> None:
    """A format or form from the buttons: compile it and send the file."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    if not await is_coordinator(update, context):
        return
    choice = query.data.removeprefix("rpt:")
    if choice in CHOICES:
        await _send(update, context, choice, with_check=False)


async def _send(update: Update, context: BotContext, choice: str, *, with_check: bool) -> None:
    # Imported here: python-docx is heavy, and only a compile needs it, not the bot's start-up.
    from bot.report.compile import compile_trip
    from bot.report.pdf import PdfUnavailable

    message, data, trip, lang = (
        update.effective_message,
        context.bot_data,
        context.trip,
        context.lang,
    )
    assert message is not None
    await message.reply_chat_action(ChatAction.UPLOAD_DOCUMENT)
    request = output_of(choice, data.settings.data_dir / "reports", trip.id)
    try:
        # The trip as its content plans it: the compile applies the published changes itself.
        content = data.changes.content[trip.id]
        done = await compile_trip(
            data.storage,
            content,
            now=data.now(),
            data_dir=data.settings.data_dir,
            **request.kwargs(),
        )
    except PdfUnavailable:
        await reply(update, t(lang, "report_no_pdf"))
        return
    sent = request.metadata_out or done.files[-1]
    caption = t(lang, "report_caption") if with_check else sent.name
    if done.pages and not with_check:
        pages = t(lang, "report_pages", n=done.pages)
        caption = t(lang, "report_file_caption", name=sent.name, pages=pages)
    # A file from a button carries the buttons again: the next one is a press away.
    markup = None if with_check else _buttons(context)
    with sent.open("rb") as f:
        await message.reply_document(f, filename=sent.name, caption=caption, reply_markup=markup)
    if with_check:
        from bot.report.check import check_text

        await reply(update, escape(check_text(list(done.checks))))
        await message.reply_text(t(lang, "report_more"), reply_markup=_buttons(context))


def _buttons(context: BotContext) -> InlineKeyboardMarkup:
    trip, lang = context.trip, context.lang
    pairs = [("pdf", "odt"), ("review", "summary"), ("json", "csv")]

    def button(choice: str) -> InlineKeyboardButton:
        mark = "★ " if is_required(trip, choice) else ""
        return InlineKeyboardButton(
            mark + t(lang, f"report_btn_{choice}"), callback_data=f"rpt:{choice}"
        )

    return InlineKeyboardMarkup([[button(c) for c in pair] for pair in pairs])


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The report command and its buttons."""
    return [
        CommandHandler("report", compile_report),
        CallbackQueryHandler(press_button, pattern=r"^rpt:"),
    ]
