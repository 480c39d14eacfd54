"""The Bot API transport: JSON bodies, multipart uploads and a bounded pool, via the emulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import TimedOut

from bot.transport import JsonRequest
from emulator import BotApiEmulator

TOKEN = "123456:TEST-TOKEN"


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(bot_username="delegation_bot") as emulator:
        yield emulator


def bot_on(emu: BotApiEmulator, request: JsonRequest) -> Bot:
    """A bot whose every call, getUpdates included, goes through `request`."""
    return Bot(
        TOKEN,
        base_url=emu.base_url,
        base_file_url=emu.base_file_url,
        request=request,
        get_updates_request=request,
    )


async def test_plain_calls_go_as_json_and_uploads_as_multipart(emu: BotApiEmulator) -> None:
    user = emu.user("曹", started=True)
    button = InlineKeyboardMarkup([[InlineKeyboardButton("收到 Got it", callback_data="ack:7")]])
    async with bot_on(emu, JsonRequest()) as bot:
        emu.stats.encodings.clear()  # getMe at start-up was a call too
        sent = await bot.send_message(
            user.id, "臺中 <b>花博</b> 2018", parse_mode=ParseMode.HTML, reply_markup=button
        )
        assert emu.stats.encodings == {"application/json": 1}
        await bot.send_document(user.id, b"BEGIN:VCALENDAR\r\n", filename="trip.ics")
    assert emu.stats.encodings == {"application/json": 1, "multipart/form-data": 1}
    text, document = emu.messages(user)
    assert text.text == "臺中 花博 2018" == sent.text
    assert [(e["type"], e["offset"], e["length"]) for e in text.entities or []] == [("bold", 3, 2)]
    assert text.reply_markup == button.to_dict()
    assert document.document is not None
    assert document.document.file_name == "trip.ics"


async def test_a_call_with_no_free_connection_times_out_unsent(emu: BotApiEmulator) -> None:
    user = emu.user("Alice", started=True)
    async with bot_on(emu, JsonRequest(pool_size=1, pool_timeout=0.1)) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=2))  # holds the only connection
        await asyncio.sleep(0.2)
        with pytest.raises(TimedOut, match="no free connection"):
            await bot.send_message(user.id, "lost?")
        await poll
    assert emu.messages(user) == []


async def test_the_transport_reopens_after_shutdown(emu: BotApiEmulator) -> None:
    user = emu.user("Alice", started=True)
    request = JsonRequest()
    async with bot_on(emu, request) as bot:
        await bot.send_message(user.id, "one")
    async with bot_on(emu, request) as bot:  # PTB initialises the same request again
        await bot.send_message(user.id, "two")
    assert [m.text for m in emu.messages(user)] == ["one", "two"]
