"""Coordinators change the schedule (/delay /move /cancel /restore, a YAML upload), preview,
publish or discard; /announce, /changes, /acks; delegates acknowledge."""

from __future__ import annotations

import contextlib
import logging
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.changes.broadcast import button_lang
from bot.changes.model import Change, ChangeKind, ChangeRefused, Draft
from bot.changes.notices import announcement
from bot.changes.parse import ParseError, Pick, from_pick, parse_quick
from bot.changes.revision import PARSE_SECONDS, is_empty, problem_text, revision_off_loop
from bot.changes.views import acks_text, log_text, notice_labels, refusal
from bot.formatting.buttons import button_label
from bot.formatting.people import member_name
from bot.i18n import t
from bot.routing import REVISION
from bot.state import BotContext
from bot.trip.loader import LIMITS, ContentError, YamlLimitError
from bot.trip.types import Lang
from handlers.common import argument, is_coordinator, reply

log = logging.getLogger(__name__)


async def quick_change(update: Update, context: BotContext) -> None:
    """/delay, /move, /cancel, /restore: preview the change, or list legs to pick from."""
    if not await is_coordinator(update, context):
        return
    assert update.effective_message and update.effective_message.text
    kind: ChangeKind = update.effective_message.text.split()[0][1:].split("@")[0]  # type: ignore[assignment]
    service, lang = context.bot_data.changes, context.lang
    trip_id = context.member.trip_id
    try:
        found = parse_quick(
            kind,
            list(context.args or []),
            service.content[trip_id],
            context.trip,
            context.bot_data.now(),
        )
    except ParseError as exc:
        await reply(update, refusal(kind, exc, context.trip, context.bot_data.now(), lang))
        return
    if isinstance(found, Pick):
        await _offer(update, context, found)
        return
    await _preview(update, context, found)


async def _offer(update: Update, context: BotContext, pick: Pick) -> None:
    trip, lang = context.trip, context.lang
    header = t(lang, "chg_no_leg", leg=pick.unknown) if pick.unknown else t(lang, "chg_pick")
    if not pick.legs:
        await reply(update, escape(header) + "\n" + t(lang, "chg_pick_none"))
        return
    titles = {**context.bot_data.changes.content[trip.id].legs_by_id, **trip.legs_by_id}
    rows = [
        [InlineKeyboardButton(button_label(titles[i].title.get(lang)), callback_data=d)]
        for i, d in pick.legs
    ]
    assert update.effective_message is not None
    await update.effective_message.reply_text(header, reply_markup=InlineKeyboardMarkup(rows))


async def _preview(update: Update, context: BotContext, change: Change) -> None:
    """Show the diff with Publish / Discard, or why the change does not apply."""
    service, lang, member = context.bot_data.changes, context.lang, context.member
    try:
        diff = service.preview(member.trip_id, change, lang)
    except ValueError as exc:
        await reply(update, _refused(exc, lang))
        return
    draft_id = await service.draft(member, change)
    await _send_preview(update, context, draft_id, diff, change, "chg_draft")


async def _send_preview(
    update: Update, context: BotContext, draft_id: int, diff: str, change: Change, header: str
) -> None:
    lang, service = context.lang, context.bot_data.changes
    version = service.versions.get(context.member.trip_id, 0)
    text = f"{t(lang, header, version=version)}\n{diff}"
    if change.reason:
        text += "\n" + t(lang, "chg_reason", reason=escape(change.reason))
    warnings = service.warnings(context.member.trip_id, change, lang)
    if warnings:
        text += "\n\n" + "\n".join([*warnings, t(lang, "chg_warn_hint")])
    await _with_buttons(update, text, lang, f"chg:pub:{draft_id}", f"chg:del:{draft_id}")


async def _with_buttons(
    update: Update, text: str, lang: Lang, publish: str, discard: str, label: str = "btn_publish"
) -> None:
    """A preview with its Publish / Discard buttons."""
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(t(lang, label), callback_data=publish),
                InlineKeyboardButton(t(lang, "btn_discard"), callback_data=discard),
            ]
        ]
    )
    message = update.effective_message
    assert message is not None
    await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=buttons)


async def revision_upload(update: Update, context: BotContext) -> None:
    """A coordinator sends an edited itinerary YAML: refuse it with the lines, or preview it."""
    message, lang = update.effective_message, context.lang
    if not context.member.is_coordinator:  # routing.REVISION takes every .yaml before notes do
        name = message.document.file_name if message and message.document else None
        await reply(update, t(lang, "rev_coordinators_only", file=escape(name or ".yaml")))
        return
    assert message is not None and message.document is not None
    doc = message.document
    if (doc.file_size or 0) > LIMITS.max_bytes:
        what = t(lang, "yaml_limit_bytes", maximum=LIMITS.max_bytes)
        await reply(update, t(lang, "rev_limit", file=escape(doc.file_name or ""), limit=what))
        return
    raw = await (await doc.get_file()).download_as_bytearray()
    name = doc.file_name or "itinerary.yaml"
    try:
        change = await revision_off_loop(context.trip, bytes(raw).decode("utf-8"), name)
    except YamlLimitError as exc:
        what = t(lang, f"yaml_limit_{exc.limit}", maximum=exc.maximum)
        await reply(update, t(lang, "rev_limit", file=escape(name), limit=what))
        return
    except TimeoutError:
        await reply(update, t(lang, "rev_timeout", file=escape(name), seconds=int(PARSE_SECONDS)))
        return
    except ContentError as exc:
        problems = "\n".join(escape(problem_text(p, lang)) for p in exc.problems[:10])
        await reply(update, t(lang, "rev_invalid", problems=problems))
        return
    except UnicodeDecodeError:
        not_utf8 = t(lang, "content_not_utf8")
        await reply(update, t(lang, "rev_invalid", problems=f"{escape(name)}:1: {not_utf8}"))
        return
    if is_empty(change):
        await reply(update, t(lang, "chg_no_change"))
        return
    reason = (message.caption or "").strip()
    await _preview(update, context, change.with_reason(reason) if reason else change)


async def on_button(update: Update, context: BotContext) -> None:
    """Publish / Discard of a preview, or a leg picked from the list."""
    query, lang = update.callback_query, context.lang
    assert query is not None and query.data is not None
    if not context.member.is_coordinator:
        await query.answer(t(lang, "coordinator_only"), show_alert=True)
        return
    await query.answer()
    picked = from_pick(query.data)
    if picked is not None:
        await _preview(update, context, picked)
        return
    _, action, raw_id = query.data.split(":")
    service, storage = context.bot_data.changes, context.bot_data.storage
    draft = await storage.draft(int(raw_id))
    if draft is None or draft.trip_id != context.member.trip_id:
        await reply(update, t(lang, "chg_gone"))
        return
    if action == "del":
        done = await storage.discard_draft(draft.id)
        await reply(update, t(lang, "chg_discarded" if done else "chg_gone"))
        return
    warnings = service.warnings(draft.trip_id, draft.change, lang)
    if action == "pub" and warnings and draft.state == "open":  # the first press: ask again
        text = "\n".join([t(lang, "chg_warn_confirm"), *warnings])
        await _with_buttons(
            update, text, lang, f"chg:sure:{draft.id}", f"chg:del:{draft.id}", "btn_publish_anyway"
        )
        return
    outcome = await service.publish(draft, context.member)
    if outcome.status == "published":
        await reply(update, t(lang, "chg_published", version=outcome.version, n=outcome.recipients))
    elif outcome.status == "moved":
        await _moved(update, context, draft)
    elif outcome.status == "invalid" and outcome.why is not None:
        await reply(update, t(lang, "chg_cannot", why=escape(outcome.why.text(lang))))
    else:
        await reply(update, t(lang, "chg_gone"))


def _refused(exc: ValueError, lang: Lang) -> str:
    """Why a previewed change does not apply, in the reader's language."""
    if isinstance(exc, ChangeRefused):
        return t(lang, "chg_cannot", why=escape(exc.refusal.text(lang)))
    if str(exc) == "no_change":
        return t(lang, "chg_no_change")
    return t(lang, "chg_cannot", why=escape(t(lang, "why_invalid", detail=str(exc))))


async def _moved(update: Update, context: BotContext, draft: Draft) -> None:
    """The schedule moved under the coordinator: the same draft, diffed against the new one."""
    try:
        diff = context.bot_data.changes.preview(draft.trip_id, draft.change, context.lang)
    except ValueError as exc:
        await context.bot_data.storage.discard_draft(draft.id)
        await reply(update, _refused(exc, context.lang))
        return
    await _send_preview(update, context, draft.id, diff, draft.change, "chg_moved")


async def announce(update: Update, context: BotContext) -> None:
    """/announce TEXT: a notice to everyone on the trip."""
    if not await is_coordinator(update, context):
        return
    text = argument(context)
    if not text:
        await reply(update, t(context.lang, "ann_usage"))
        return
    service, member, lang = context.bot_data.changes, context.member, context.lang
    held = await service.hold_announcement(member, text)
    n = len(await context.bot_data.storage.notice_recipients(member.trip_id, member.user_id))
    preview = announcement(text, member_name(context.trip, member.member_id, lang), lang)
    await _with_buttons(
        update,
        f"{t(lang, 'ann_preview', n=n)}\n{preview}",
        lang,
        f"ann:pub:{held}",
        f"ann:del:{held}",
    )


async def on_announce_button(update: Update, context: BotContext) -> None:
    """Publish / Discard of an announcement preview."""
    query, lang, member = update.callback_query, context.lang, context.member
    assert query is not None and query.data is not None
    if not member.is_coordinator:
        await query.answer(t(lang, "coordinator_only"), show_alert=True)
        return
    await query.answer()
    _, action, held = query.data.split(":")
    service = context.bot_data.changes
    if action == "del":
        done = await service.discard_announcement(int(held), member)
        await reply(update, t(lang, "chg_discarded" if done else "chg_gone"))
        return
    n = await service.publish_announcement(int(held), member)
    await reply(update, t(lang, "chg_gone") if n is None else t(lang, "ann_sent", n=n))


async def show_changes(update: Update, context: BotContext) -> None:
    """/changes: the log — who changed what, when and why — and any conflicts."""
    if not await is_coordinator(update, context):
        return
    service, trip_id = context.bot_data.changes, context.member.trip_id
    entries = await context.bot_data.storage.change_log(trip_id)
    await reply(
        update,
        log_text(
            context.trip,
            entries,
            service.conflicts.get(trip_id, []),
            context.lang,
            context.bot_data.now(),
            service.content[trip_id],
        ),
    )


async def show_acks(update: Update, context: BotContext) -> None:
    """/acks: for each notice, who acknowledged it and who has not."""
    if not await is_coordinator(update, context):
        return
    storage, lang = context.bot_data.storage, context.lang
    notices = await storage.notice_acks(context.member.trip_id)
    labels = await notice_labels(storage, notices, lang)
    await reply(update, acks_text(notices, labels, context.trip, lang, context.bot_data.now()))


async def acknowledge(update: Update, context: BotContext) -> None:
    """The "收到 / Got it" button."""
    query = update.callback_query
    assert query is not None and query.data is not None
    done = await context.bot_data.storage.ack_notice(
        int(query.data.split(":")[1]), context.member.user_id, context.bot_data.now()
    )
    lang = button_lang(query.data, context.lang)
    await query.answer(t(lang, "ack_thanks" if done else "ack_already"))
    # The button has done its work: take it off, so the notice reads as settled on the phone.
    with contextlib.suppress(BadRequest):
        await query.edit_message_reply_markup(reply_markup=None)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The change commands, buttons and the YAML upload (before notes take documents)."""
    return [
        CommandHandler(["delay", "move", "cancel", "restore"], quick_change),
        CommandHandler("announce", announce),
        CommandHandler("changes", show_changes),
        CommandHandler("acks", show_acks),
        CallbackQueryHandler(on_button, pattern=r"^chg:"),
        CallbackQueryHandler(on_announce_button, pattern=r"^ann:(pub|del):\d+$"),
        CallbackQueryHandler(acknowledge, pattern=r"^ack:\d+(:(zh|en))?$"),
        MessageHandler(filters.ChatType.PRIVATE & REVISION, revision_upload),
    ]
