"""Field notes: any plain message is a note; /note, /notes, /delnote, /export; note buttons."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.i18n import t
from bot.notes import service as notes
from bot.notes.export import build_zip
from bot.notes.model import Note
from bot.notes.views import confirmation, leg_keyboard, listing, main_keyboard, tag_keyboard
from bot.routing import NOTE_KINDS
from bot.state import BotContext
from bot.storage.notes import Outcome
from handlers.common import argument, reply

LIST_LIMIT = 30


async def _confirm(update: Update, context: BotContext, note: Note, outcome: Outcome) -> None:
    assert update.effective_message is not None
    lang = context.lang
    await update.effective_message.reply_text(
        confirmation(context.trip, note, lang, outcome),
        parse_mode=ParseMode.HTML,
        reply_markup=main_keyboard(note, lang),
    )


async def take_note(update: Update, context: BotContext) -> None:
    """Store the message as a note (after COMMIT), then confirm with its leg and buttons."""
    message, data = update.effective_message, context.bot_data
    assert message is not None
    is_command = bool(message.text and message.text.startswith("/"))
    if is_command and not argument(context):
        await reply(update, t(context.lang, "note_usage"))
        return
    rt, limit = data.notes, data.settings.max_file_bytes
    got = await notes.record(
        data.storage,
        rt.downloads,
        context.bot,
        context.trip,
        context.member,
        message,
        text=argument(context) if is_command else None,
        now=data.now(),
        max_bytes=limit,
    )
    mine = [a for a in got.note.attachments if a.message_id == message.message_id]
    for a in mine:
        if a.status == "refused" and got.outcome != "replay":
            size, most = f"{(a.size or 0) / 2**20:.1f}", f"{limit / 2**20:g}"
            await reply(update, t(context.lang, "note_file_too_big", size=size, limit=most))
    note = got.note
    if message.media_group_id:
        if not await rt.albums.is_last_part(message.chat_id, message.media_group_id):
            return
        note = await data.storage.note(note.id) or note  # with the parts that came since
    await _confirm(update, context, note, got.outcome)


async def edit_note(update: Update, context: BotContext) -> None:
    """An edited message updates its note; the old text goes to the note's history."""
    message, data = update.edited_message, context.bot_data
    assert message is not None
    note = await data.storage.note_of_message(message.chat_id, message.message_id)
    if note is None or not notes.may_change(context.member, note):
        return
    text = (message.text or message.caption or "").strip()
    if text.startswith("/note"):
        text = text.partition(" ")[2].strip()
    note = await notes.edit_text(data.storage, context.trip, note, text, data.now())
    await message.reply_text(
        t(context.lang, "note_edited", id=note.id), reply_markup=main_keyboard(note, context.lang)
    )


async def list_notes(update: Update, context: BotContext) -> None:
    """/notes [today|leg|tag]: own notes; a coordinator sees the whole trip's."""
    member, data = context.member, context.bot_data
    found = notes.select(
        await notes.visible_notes(data.storage, member), context.trip, argument(context), data.now()
    )
    if found is None:
        await reply(update, t(context.lang, "notes_usage"))
        return
    if not found:
        await reply(update, t(context.lang, "notes_none"))
        return
    shown = found[-LIST_LIMIT:]
    text = listing(
        context.trip, shown, context.lang, total=len(found), coordinator=member.is_coordinator
    )
    await reply(update, text)


async def delete_note(update: Update, context: BotContext) -> None:
    """/delnote N removes one's own note, recoverably; /delnote N undo brings it back."""
    words = argument(context).split()
    if not words or not words[0].lstrip("#").isdigit():
        await reply(update, t(context.lang, "delnote_usage"))
        return
    undo = len(words) > 1 and words[1].lower() in ("undo", "復原")
    number, data = int(words[0].lstrip("#")), context.bot_data
    key = await notes.delete_own(data.storage, context.member, number, undo, data.now())
    await reply(update, t(context.lang, key, id=number))


async def export_notes(update: Update, context: BotContext) -> None:
    """/export: the notes as a zip (one Markdown file and the media)."""
    member, data, message = context.member, context.bot_data, update.effective_message
    assert message is not None
    found = await notes.visible_notes(data.storage, member)
    if not found:
        await reply(update, t(context.lang, "notes_none"))
        return
    name = f"notes-{member.trip_id}-{'all' if member.is_coordinator else member.member_id}"
    blob = build_zip(context.trip, found, data.notes.media, context.lang, name)
    caption = t(context.lang, "export_caption", n=len(found))
    await message.reply_document(blob, filename=f"{name}.zip", caption=caption)


async def on_button(update: Update, context: BotContext) -> None:
    """Undo/Restore, Tag toggles and the leg fix on a note's confirmation."""
    query, lang = update.callback_query, context.lang
    assert query is not None and query.data is not None
    done = await notes.press(
        context.bot_data.storage, context.trip, context.member, query.data, context.bot_data.now()
    )
    if done.error or done.note is None:
        await query.answer(t(lang, done.error or "note_not_yours", id=""), show_alert=True)
        return
    await query.answer()
    note, trip = done.note, context.trip
    if done.view == "legs":
        markup = leg_keyboard(trip, note, notes.leg_choices(trip, note), lang)
    else:
        markup = tag_keyboard(note, lang) if done.view == "tags" else main_keyboard(note, lang)
    try:
        await query.edit_message_text(
            confirmation(trip, note, lang), parse_mode=ParseMode.HTML, reply_markup=markup
        )
    except BadRequest as exc:  # pressing the choice already shown changes nothing
        if "not modified" not in str(exc):
            raise


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """Note commands, edits and buttons, then plain messages as notes (before the fallback)."""
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("note", take_note, filters=private & ~filters.UpdateType.EDITED),
        CommandHandler("notes", list_notes),
        CommandHandler("delnote", delete_note),
        CommandHandler("export", export_notes),
        CallbackQueryHandler(on_button, pattern=r"^note:"),
        MessageHandler(private & filters.UpdateType.EDITED_MESSAGE, edit_note),
        MessageHandler(private & filters.UpdateType.MESSAGE & NOTE_KINDS, take_note),
    ]
