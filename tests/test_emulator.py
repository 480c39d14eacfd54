"""The Bot API emulator, exercised by a real python-telegram-bot over HTTP."""

from __future__ import annotations

import asyncio
import hashlib
import struct
import time
import zlib
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import (
    AIORateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    filters,
)

from emulator import ApiError, BotApiEmulator, EmuUser, RateLimit
from emulator.formatting import parse_html, parse_markdown_v2
from emulator.ptb import AnyApplication, application_builder, running

TOKEN = "123456:TEST-TOKEN"
Ctx = ContextTypes.DEFAULT_TYPE


def png(width: int = 3, height: int = 2) -> bytes:
    """A tiny valid PNG, so sendPhoto accepts it as an image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def seconds(exc: RetryAfter) -> float:
    """RetryAfter.retry_after in seconds (a timedelta once PTB_TIMEDELTA is set)."""
    value: Any = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


@pytest.fixture(autouse=True)
def _timedelta_periods(monkeypatch: pytest.MonkeyPatch) -> None:
    # Opt in to PTB's future behaviour so RetryAfter.retry_after does not warn.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(bot_username="delegation_bot") as emulator:
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=emu.base_url, base_file_url=emu.base_file_url) as raw:
        yield raw


async def started_user(emu: BotApiEmulator, name: str = "Alice") -> EmuUser:
    """A user who has written to the bot, so the bot may message them."""
    user = emu.user(name)
    user.started = True
    return user


# -- the bot under test ------------------------------------------------------------------------


async def on_start(update: Update, context: Ctx) -> None:
    assert update.message is not None
    await update.message.reply_text(f"start:{context.args}")


async def on_menu(update: Update, context: Ctx) -> None:
    assert update.message is not None
    keyboard = [
        [InlineKeyboardButton("Publish", callback_data="publish")],
        [InlineKeyboardButton("Discard", callback_data="discard")],
    ]
    await update.message.reply_text("Draft ready", reply_markup=InlineKeyboardMarkup(keyboard))


async def on_button(update: Update, context: Ctx) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(f"ok:{query.data}")
    undo = InlineKeyboardMarkup([[InlineKeyboardButton("Undo", callback_data="undo")]])
    await query.edit_message_text(f"done:{query.data}", reply_markup=undo)


async def on_photo(update: Update, context: Ctx) -> None:
    message = update.message
    assert message is not None and message.photo
    data = await (await message.photo[-1].get_file()).download_as_bytearray()
    await message.reply_document(bytes(data), filename="copy.png", caption=f"{len(data)} bytes")


async def on_file(update: Update, context: Ctx) -> None:
    message = update.message
    assert message is not None
    media = message.document or message.voice
    assert media is not None
    data = await (await media.get_file()).download_as_bytearray()
    await message.reply_text(f"{len(data)}:{hashlib.sha256(data).hexdigest()}")


async def on_text(update: Update, context: Ctx) -> None:
    assert update.message is not None and update.message.text is not None
    context.bot_data.setdefault("seen", []).append(update.message.text)
    await update.message.reply_text(update.message.text)


async def on_edit(update: Update, context: Ctx) -> None:
    assert update.edited_message is not None
    await update.edited_message.reply_text(f"edited:{update.edited_message.text}")


def build_app(emu: BotApiEmulator) -> AnyApplication:
    app = application_builder(emu, TOKEN).build()
    app.add_handler(CommandHandler("start", on_start))
    app.add_handler(CommandHandler("menu", on_menu))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(filters.PHOTO, on_photo))
    app.add_handler(MessageHandler(filters.Document.ALL | filters.VOICE, on_file))
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, on_edit))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    return app


# -- routing, long polling, offsets -------------------------------------------------------------


async def test_command_routing_and_echo(emu: BotApiEmulator) -> None:
    alice = emu.user("Alice", language_code="zh-hant")
    async with running(build_app(emu)):
        await emu.send_text(alice, "/start abc")
        assert (await emu.wait_for(alice)).text == "start:['abc']"
        await emu.send_text(alice, "/start@delegation_bot x")
        assert (await emu.wait_for(alice)).text == "start:['x']"
        await emu.send_text(alice, "/start@some_other_bot y")
        # Non-JSON-looking and JSON-looking text must both stay text.
        for text in ("hello", "42", "true", '{"a": 1}', "[1, 2]"):
            await emu.send_text(alice, text)
            reply = await emu.wait_for(alice)
            assert reply.text == text
            assert reply.chat_id == alice.id
            assert reply.message_id > 0
    # The command for the other bot produced no reply: "hello" was answered right after "/start x".
    assert [m.text for m in emu.messages(alice)][2] == "hello"


async def test_long_polling_does_not_spin_and_stops_promptly(emu: BotApiEmulator) -> None:
    app = build_app(emu)
    async with running(app, poll_timeout=10):
        before = emu.stats.calls["getUpdates"]
        await asyncio.sleep(1.0)
        idle_polls = emu.stats.calls["getUpdates"] - before
        stop_started = time.monotonic()
    assert idle_polls <= 2, f"{idle_polls} getUpdates calls in 1 s of idling"
    assert time.monotonic() - stop_started < 2.0


async def test_long_poll_answers_as_soon_as_an_update_arrives(
    emu: BotApiEmulator, bot: Bot
) -> None:
    alice = emu.user("Alice")
    started = time.monotonic()
    empty = await bot.get_updates(timeout=1)
    assert empty == ()
    assert time.monotonic() - started >= 0.9  # held open, not answered at once

    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    await emu.send_text(alice, "hi")
    updates = await asyncio.wait_for(poll, 1.0)
    assert [u.message.text for u in updates if u.message] == ["hi"]
    update_id = updates[0].update_id
    assert emu.queued_at[update_id] <= emu.delivered_at[update_id]
    assert emu.last_update_id == update_id


async def test_newer_get_updates_ends_older_one_with_conflict(
    emu: BotApiEmulator, bot: Bot
) -> None:
    # A Bot polls over a one-connection pool, so a second instance plays the rival process.
    async with Bot(TOKEN, base_url=emu.base_url, base_file_url=emu.base_file_url) as rival:
        older = asyncio.create_task(bot.get_updates(timeout=3))
        await asyncio.sleep(0.2)
        newer = asyncio.create_task(rival.get_updates(timeout=0))
        with pytest.raises(Conflict):
            await asyncio.wait_for(older, 1.0)
        assert await newer == ()


async def test_confirmed_updates_are_not_redelivered_after_restart(emu: BotApiEmulator) -> None:
    alice = emu.user("Alice")
    first = build_app(emu)
    async with running(first):
        await emu.send_text(alice, "one")
        assert (await emu.wait_for(alice)).text == "one"
    second = build_app(emu)
    async with running(second):
        await emu.send_text(alice, "two")
        assert (await emu.wait_for(alice)).text == "two"
    assert first.bot_data["seen"] == ["one"]
    assert second.bot_data["seen"] == ["two"]
    assert emu.pending_updates == 0


async def test_drop_pending_updates_on_start(emu: BotApiEmulator) -> None:
    alice = emu.user("Alice")
    await emu.send_text(alice, "stale")
    app = build_app(emu)
    async with running(app, drop_pending_updates=True):
        await emu.send_text(alice, "fresh")
        assert (await emu.wait_for(alice)).text == "fresh"
    assert app.bot_data["seen"] == ["fresh"]


# -- files -------------------------------------------------------------------------------------


async def test_photo_download_and_document_upload_round_trip(emu: BotApiEmulator, bot: Bot) -> None:
    alice = emu.user("Alice")
    image = png()
    async with running(build_app(emu)):
        await emu.send_photo(alice, image, caption="slide 1")
        reply = await emu.wait_for(alice)
    assert reply.method == "sendDocument"
    assert reply.document is not None
    assert reply.document.data == image
    assert reply.document.file_name == "copy.png"
    assert reply.document.mime_type == "image/png"
    assert reply.caption == f"{len(image)} bytes"
    assert emu.stats.file_downloads == 1
    # What the bot uploaded can be fetched back through getFile as well.
    fetched = await (await bot.get_file(reply.document.file_id)).download_as_bytearray()
    assert bytes(fetched) == image


async def test_user_document_and_voice_are_downloadable(emu: BotApiEmulator) -> None:
    alice = emu.user("Alice")
    pdf = b"%PDF-1.4\n" + bytes(range(256)) * 40
    voice = b"OggS" + b"\x01" * 500
    async with running(build_app(emu)):
        await emu.send_document(alice, pdf, file_name="handout.pdf", mime_type="application/pdf")
        assert (await emu.wait_for(alice)).text == f"{len(pdf)}:{hashlib.sha256(pdf).hexdigest()}"
        await emu.send_voice(alice, voice, duration=12)
        expected = f"{len(voice)}:{hashlib.sha256(voice).hexdigest()}"
        assert (await emu.wait_for(alice)).text == expected


async def test_failed_download_can_be_retried(emu: BotApiEmulator, bot: Bot) -> None:
    alice = emu.user("Alice")
    await emu.send_document(alice, b"agenda", file_name="agenda.txt", mime_type="text/plain")
    updates = await bot.get_updates()
    document = updates[0].message.document if updates[0].message else None
    assert document is not None and document.file_name == "agenda.txt"
    file = await bot.get_file(document.file_id)
    emu.fail_file_downloads(times=1)
    with pytest.raises(NetworkError):
        await file.download_as_bytearray()
    assert bytes(await file.download_as_bytearray()) == b"agenda"


async def test_uploads_are_validated(emu: BotApiEmulator, bot: Bot) -> None:
    alice = await started_user(emu)
    with pytest.raises(BadRequest, match=r"(?i)IMAGE_PROCESS_FAILED"):
        await bot.send_photo(alice.id, b"not an image", filename="x.jpg")
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_document(alice.id, "no-such-file-id")
    sent = await bot.send_photo(alice.id, png(5, 4), caption="123")
    assert sent.caption == "123"  # a numeric-looking caption in multipart stays a string
    assert (sent.photo[-1].width, sent.photo[-1].height) == (5, 4)
    again = await bot.send_photo(alice.id, sent.photo[-1].file_id)
    assert again.photo[-1].file_unique_id == sent.photo[-1].file_unique_id
    album = [InputMediaPhoto(sent.photo[-1].file_id), InputMediaPhoto(png(7, 7), caption="new")]
    group = await bot.send_media_group(alice.id, album)
    assert len({m.media_group_id for m in group}) == 1
    assert group[1].caption == "new" and group[1].photo[-1].width == 7
    assert emu.messages(alice)[-1].photo is not None


# -- buttons and edits -------------------------------------------------------------------------


async def test_callback_press_answers_and_edits(emu: BotApiEmulator) -> None:
    alice = emu.user("Alice")
    async with running(build_app(emu)):
        await emu.send_text(alice, "/menu")
        draft = await emu.wait_for(alice)
        assert draft.button_texts() == ["Publish", "Discard"]
        assert draft.callback_data() == ["publish", "discard"]
        query_id = await emu.press(alice, draft, "Publish")
        answer = await emu.wait_for_answer(query_id)
        assert answer.text == "ok:publish"
        await emu.wait_until(lambda: draft.text == "done:publish", what="edit")
        assert draft.button_texts() == ["Undo"]
        assert draft.history[0].text == "Draft ready"
        second = await emu.press(alice, draft.message_id, "undo")  # by callback_data and id
        assert (await emu.wait_for_answer(second)).text == "ok:undo"
    kinds = [(e.kind, e.method) for e in emu.events]
    assert ("edit", "editMessageText") in kinds
    assert emu.messages(alice) == [draft]  # edits change the message, they add none
    with pytest.raises(LookupError, match=r"(?i)no button 'Nope'"):
        await emu.press(alice, draft, "Nope")


async def test_edit_rules_match_telegram(emu: BotApiEmulator, bot: Bot) -> None:
    alice = await started_user(emu)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    sent = await bot.send_message(alice.id, "same", reply_markup=markup)
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_text("same", alice.id, sent.message_id, reply_markup=markup)
    # Editing the text without reply_markup drops the inline keyboard, as on Telegram.
    await bot.edit_message_text("changed", alice.id, sent.message_id)
    stored = emu.message(alice, sent.message_id)
    assert stored.text == "changed" and stored.reply_markup is None
    await bot.edit_message_reply_markup(alice.id, sent.message_id, reply_markup=markup)
    assert stored.callback_data() == ["a"]
    await bot.delete_message(alice.id, sent.message_id)
    assert stored.deleted
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", alice.id, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        long_data = InlineKeyboardMarkup([[InlineKeyboardButton("B", callback_data="x" * 65)]])
        await bot.send_message(alice.id, "too long", reply_markup=long_data)


async def test_user_edit_and_reply_keyboard(emu: BotApiEmulator, bot: Bot) -> None:
    alice = emu.user("Alice")
    async with running(build_app(emu)):
        mid = await emu.send_text(alice, "draft")
        await emu.wait_for(alice)
        await emu.edit_text(alice, mid, "final")
        assert (await emu.wait_for(alice)).text == "edited:final"
    await bot.send_message(alice.id, "pick", reply_markup=ReplyKeyboardMarkup([["Agenda"]]))
    keyboard = emu.reply_keyboard(alice)
    assert keyboard is not None and keyboard["keyboard"][0][0]["text"] == "Agenda"
    assert emu.last_message(alice).button_texts() == ["Agenda"]


# -- errors and failure injection ----------------------------------------------------------------


async def test_retry_after_is_raised_and_retried_by_aio_rate_limiter(
    emu: BotApiEmulator, bot: Bot
) -> None:
    alice = await started_user(emu)
    emu.fail_next("sendMessage", status=429, retry_after=1)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(alice.id, "flood")
    assert seconds(caught.value) == 1

    limited = ExtBot(
        TOKEN,
        base_url=emu.base_url,
        base_file_url=emu.base_file_url,
        rate_limiter=AIORateLimiter(max_retries=1),
    )
    async with limited:
        emu.fail_next("sendMessage", status=429, retry_after=1)
        started = time.monotonic()
        await limited.send_message(alice.id, "after retry")
        assert time.monotonic() - started >= 1.0
    assert [m.text for m in emu.messages(alice)] == ["after retry"]
    assert emu.stats.injected == 2
    assert emu.stats.statuses[429] == 2


async def test_blocked_user_and_injected_forbidden(emu: BotApiEmulator, bot: Bot) -> None:
    alice = await started_user(emu, "Alice")
    bob = await started_user(emu, "Bob")
    emu.block(alice)
    with pytest.raises(Forbidden, match=r"(?i)blocked"):
        await bot.send_message(alice.id, "hello")
    await bot.send_message(bob.id, "bob is fine")
    updates = await bot.get_updates()
    assert updates[-1].my_chat_member is not None
    assert updates[-1].my_chat_member.new_chat_member.status == "kicked"
    emu.unblock(alice)
    await bot.send_message(alice.id, "welcome back")
    emu.fail_next("sendMessage", status=403, chat_id=bob)
    await bot.send_message(alice.id, "alice unaffected")
    with pytest.raises(Forbidden):
        await bot.send_message(bob.id, "bob now fails once")
    await bot.send_message(bob.id, "and recovers")


async def test_telegram_like_errors(emu: BotApiEmulator, bot: Bot) -> None:
    stranger = emu.user("Stranger")  # never wrote to the bot
    with pytest.raises(Forbidden, match=r"(?i)can't initiate"):
        await bot.send_message(stranger.id, "hi")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(987654321, "hi")
    with pytest.raises(BadRequest, match=r"(?i)not implemented in emulator: banChatMember"):
        await bot.ban_chat_member(-100123, 42)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(stranger.id, "")
    emu.fail_next("getMe", status=500)
    with pytest.raises(NetworkError):
        await bot.get_me()
    assert (await bot.get_me()).username == "delegation_bot"


async def test_wrong_token_is_unauthorized() -> None:
    async with BotApiEmulator(token=TOKEN) as emu:
        async with Bot(TOKEN, base_url=emu.base_url, base_file_url=emu.base_file_url) as good:
            assert (await good.get_me()).id == 123456
        bad = Bot("999:WRONG", base_url=emu.base_url, base_file_url=emu.base_file_url)
        with pytest.raises(InvalidToken):
            await bad.initialize()  # initialize() calls getMe
        await bad.request.shutdown()  # a Bot that failed to initialize skips shutdown()


async def test_rate_limit_answers_429(bot: Bot) -> None:
    del bot  # the fixture's emulator has no rate limit; this test builds its own
    limit = RateLimit(per_second=30, per_chat_per_second=1, per_chat_burst=1)
    async with BotApiEmulator(rate_limit=limit) as emu:
        alice, bob = await started_user(emu, "Alice"), await started_user(emu, "Bob")
        async with Bot(TOKEN, base_url=emu.base_url, base_file_url=emu.base_file_url) as raw:
            await raw.send_message(alice.id, "one")
            with pytest.raises(RetryAfter) as caught:
                await raw.send_message(alice.id, "two")
            assert seconds(caught.value) >= 1
            await raw.send_message(bob.id, "other chats are not affected")
        assert emu.stats.rate_limited == 1
        assert emu.stats.calls["sendMessage"] == 3


async def test_wait_for_timeout_explains_what_was_sent(emu: BotApiEmulator, bot: Bot) -> None:
    alice = await started_user(emu)
    await bot.send_message(alice.id, "first reply")
    assert (await emu.wait_for(alice)).text == "first reply"
    with pytest.raises(BadRequest):
        await bot.send_message(alice.id, "<b>broken", parse_mode="HTML")
    with pytest.raises(TimeoutError) as caught:
        await emu.wait_for(alice, timeout=0.2)
    assert "first reply" in str(caught.value)
    assert "can't find end tag" in str(caught.value)


# -- menus, groups, formatting -----------------------------------------------------------------


async def test_set_my_commands_per_scope(emu: BotApiEmulator, bot: Bot) -> None:
    lead = emu.user("Lead")
    member = emu.user("Member")
    reader = emu.user("Reader", language_code="zh-hant")
    await bot.set_my_commands([BotCommand("help", "Help")])
    await bot.set_my_commands([BotCommand("help", "說明")], language_code="zh")
    await bot.set_my_commands(
        [BotCommand("publish", "Publish the report"), BotCommand("help", "Help")],
        scope=BotCommandScopeChat(lead.id),
    )
    scoped = await bot.get_my_commands(scope=BotCommandScopeChat(lead.id))
    assert [c.command for c in scoped] == ["publish", "help"]
    assert emu.visible_commands(lead) == [("publish", "Publish the report"), ("help", "Help")]
    assert emu.visible_commands(member) == [("help", "Help")]
    assert emu.visible_commands(reader) == [("help", "說明")]
    assert emu.commands("chat", chat=lead) == emu.visible_commands(lead)
    await bot.delete_my_commands(scope=BotCommandScopeChat(lead.id))
    assert emu.visible_commands(lead) == [("help", "Help")]
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Bad Command", "x")])
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.set_my_commands([BotCommand("x", "x")], scope=BotCommandScopeChat(-5))


async def test_group_privacy_mode(emu: BotApiEmulator, bot: Bot) -> None:
    alice = emu.user("Alice")
    team = emu.group("Delegation", members=[alice])
    await emu.send_text(alice, "chatting among ourselves", chat=team)
    await emu.send_text(alice, "/start@delegation_bot", chat=team)
    updates = await bot.get_updates()
    assert [u.message.text for u in updates if u.message] == ["/start@delegation_bot"]
    assert updates[0].message is not None and updates[0].message.chat.type == "supergroup"
    sent = await bot.send_message(team.id, "hello group")
    assert sent.chat.title == "Delegation"


async def test_parse_modes_are_parsed_and_validated(emu: BotApiEmulator, bot: Bot) -> None:
    alice = await started_user(emu)
    sent = await bot.send_message(alice.id, "<b>Día 1</b> &amp; <i>más</i>", parse_mode="HTML")
    assert sent.text == "Día 1 & más"
    assert sent.text_html == "<b>Día 1</b> &amp; <i>más</i>"
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(alice.id, "a <br> b", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)reserved"):
        await bot.send_message(alice.id, "Version 1.2", parse_mode="MarkdownV2")
    ok = await bot.send_message(alice.id, r"*bold* Version 1\.2", parse_mode="MarkdownV2")
    assert ok.text == "bold Version 1.2"
    assert ok.entities[0].type == "bold"


def test_entity_offsets_are_utf16() -> None:
    text, entities = parse_html("🇦🇷 <b>Buenos Aires</b>")
    assert text == "🇦🇷 Buenos Aires"
    assert entities == [{"type": "bold", "offset": 5, "length": 12}]
    text, entities = parse_markdown_v2("[site](https://example.org) ||x||")
    assert text == "site x"
    assert entities[0] == {
        "type": "text_link",
        "offset": 0,
        "length": 4,
        "url": "https://example.org",
    }
    assert entities[1]["type"] == "spoiler"
    text, entities = parse_markdown_v2(">quoted\n>lines\nafter [x](http://a.b/\\)c)")
    assert text == "quoted\nlines\nafter x"
    assert entities[0] == {"type": "blockquote", "offset": 0, "length": 12}
    assert entities[1]["url"] == "http://a.b/)c"
    with pytest.raises(ApiError, match=r"(?i)end tag"):
        parse_html("<b><i>x</b></i>")
    with pytest.raises(ApiError, match=r"(?i)find end of Bold"):
        parse_markdown_v2("*unclosed")


async def test_location_venue_contact_and_chat_action(emu: BotApiEmulator, bot: Bot) -> None:
    alice = emu.user("Alice")
    await emu.send_location(alice, -34.6037, -58.3816)
    await emu.send_contact(alice, "+54 11 5555 0000")
    updates = await bot.get_updates()
    assert updates[0].message is not None and updates[0].message.location is not None
    assert updates[0].message.location.latitude == pytest.approx(-34.6037)
    assert updates[1].message is not None and updates[1].message.contact is not None
    assert updates[1].message.contact.user_id == alice.id
    await bot.send_chat_action(alice.id, "typing")
    venue = await bot.send_venue(alice.id, -34.6, -58.4, "Casa Rosada", "Balcarce 50")
    assert venue.venue is not None and venue.venue.title == "Casa Rosada"
    await bot.send_location(alice.id, 1.5, 2.5)
    await bot.send_contact(alice.id, "+1 555", "Embassy")
    assert [m.method for m in emu.messages(alice)] == ["sendVenue", "sendLocation", "sendContact"]
    assert any(e.kind == "action" for e in emu.events)
