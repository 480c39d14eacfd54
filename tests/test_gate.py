"""The access gate cannot fail open: every update shape, from strangers, reaches no later handler.

The real Application (against the emulator) processes each generated update; a spy handler
placed first after the gate records whatever gets through, and errors are collected.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import threading
from collections.abc import Coroutine, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram import Update
from telegram.ext import TypeHandler

from bot.invites import start_code
from bot.state import BotContext
from tests.e2e import Harness, bot_harness

NOW = datetime(2015, 5, 18, 12, 0, tzinfo=UTC)
BOT = "delegation_test_bot"
T = TypeVar("T")
_ids = itertools.count(10_000)


class Live:
    """A harness running on its own event loop, so synchronous Hypothesis tests can drive it."""

    def __init__(self, tmp: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self._cm = bot_harness(tmp, NOW)
        self.h: Harness = self.run(self._cm.__aenter__())
        self.reached: list[tuple[int, object]] = []
        self.errors: list[BaseException] = []
        self.h.app.handlers[0].insert(0, TypeHandler(Update, self._spy))
        self.h.app.add_error_handler(self._error)

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the harness's loop and wait for it."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(30)

    async def _spy(self, update: Update, context: BotContext) -> None:
        self.reached.append((update.update_id, context.membership))

    async def _error(self, update: object, context: BotContext) -> None:
        assert context.error is not None
        self.errors.append(context.error)

    def process(self, payload: dict[str, Any]) -> None:
        """Hand one update to the Application, as polling would."""
        update = Update.de_json(payload, self.h.app.bot)
        self.run(self.h.app.process_update(update))

    def close(self) -> None:
        """Stop the bot and the loop."""
        self.run(self._cm.__aexit__(None, None, None))
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """One running bot for the whole module."""
    env = Live(tmp_path_factory.mktemp("gate"))
    yield env
    env.close()


# fmt: off
TEXTS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "   ",
            "\n",
            "\t",
            "\u3000",
            "\u3000\u3000",
            " \n ",
            "/start",
            "/start ",
            "/start x",
            "/startx foo",
            "/start@otherbot foo",
            "/starting now",
            f"/start@{BOT}",
            f"/start@{BOT} a b",
            "/help",
            "/itinerary all",
            "/note hi",
            "/acks",
            "/START abc",
            "hello",
            "＃摘要",
        ]
    ),
    st.text(max_size=40),
    st.builds(
        lambda a, b: f"{a} {b}",
        st.sampled_from(["/start", f"/start@{BOT}"]),
        st.text(min_size=1, max_size=20),
    ),
)


def _chat(user_id: int, kind: str) -> dict[str, Any]:
    if kind == "private":
        return {"id": user_id, "type": "private", "first_name": "X"}
    return {"id": -100_000 - user_id, "type": kind, "title": "T"}


@st.composite
def updates(draw: st.DrawFn) -> dict[str, Any]:
    """An update of any shape, from a sender who is not a member (or from no sender)."""
    uid = 900_000_000 + draw(st.integers(0, 10**6))
    update_id = next(_ids)
    sender = draw(st.sampled_from(["user", "none", "bot"]))
    user = {"id": uid, "is_bot": sender == "bot", "first_name": "S",
            "language_code": draw(st.sampled_from(["zh-hant", "en", "fr", None]))}
    kind = draw(st.sampled_from(["message", "edited_message", "channel_post",
                                 "edited_channel_post", "callback_query"]))
    chat_kind = "channel" if "channel" in kind else draw(
        st.sampled_from(["private", "group", "supergroup"]))
    message: dict[str, Any] = {"message_id": draw(st.integers(1, 10**6)), "date": 1431950400,
                               "chat": _chat(uid, chat_kind)}
    if sender != "none" and "channel" not in kind:
        message["from"] = user
    body = draw(st.sampled_from(["text", "none", "caption", "location"]))
    text = draw(TEXTS)
    if body == "text":
        message["text"] = text
        if text.startswith("/") and draw(st.booleans()):
            length = len(text.split()[0]) if text.split() else 1
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    elif body == "caption":
        message["caption"] = text
        message["photo"] = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
    elif body == "location":
        message["location"] = {"latitude": 1.0, "longitude": 2.0}
    if kind == "callback_query":
        data = draw(st.sampled_from(["ack:1", "pub:1", "x", ""]))
        query: dict[str, Any] = {"id": str(update_id), "chat_instance": "c", "data": data}
        if sender != "none":
            query["from"] = user
        else:
            query["from"] = {"id": uid, "is_bot": False, "first_name": "S"}
        if draw(st.booleans()):
            query["message"] = message
        return {"update_id": update_id, "callback_query": query}
    return {"update_id": update_id, kind: message}


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=updates())
def test_no_update_from_a_stranger_gets_past_the_gate(
    live: Live, payload: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    reached, errors = len(live.reached), len(live.errors)
    live.process(payload)
    assert live.reached[reached:] == []
    assert live.errors[errors:] == []
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_a_member_does_get_past_it(live: Live) -> None:
    # The spy can see: a member's update reaches it, with the membership set.
    user = live.run(live.h.join("yi-rongzong"))
    live.process({"update_id": next(_ids), "message": {
        "message_id": 1, "date": 1431950400, "text": "   ",
        "chat": {"id": user.id, "type": "private", "first_name": "Y"},
        "from": {"id": user.id, "is_bot": False, "first_name": "Y"},
    }})
    (_, membership), *_ = live.reached[-1:]
    assert getattr(membership, "member_id", None) == "yi-rongzong"


def test_an_exception_inside_the_gate_denies(
    live: Live, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    user = live.run(live.h.join("cao-kaiwen"))
    storage = live.h.app.bot_data.storage

    async def broken(user_id: int) -> None:
        raise OSError("disk I/O error")

    monkeypatch.setattr(storage, "membership", broken)
    before = len(live.reached)
    live.process({"update_id": next(_ids), "message": {
        "message_id": 2, "date": 1431950400, "text": "/itinerary",
        "chat": {"id": user.id, "type": "private", "first_name": "T"},
        "from": {"id": user.id, "is_bot": False, "first_name": "T"},
    }})
    assert live.reached[before:] == []
    assert any("access gate failed" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("text", "code"),
    [("/start abc", "abc"), (f"/start@{BOT} abc", "abc"), (f"/start@{BOT.upper()} abc", "abc"),
     ("  /start   abc  ", "abc"), ("/startx abc", None), ("/start@otherbot abc", None),
     ("/starting now", None), ("/start", None), ("/start a b", None), ("   ", None), ("", None),
     ("\u3000", None), ("\n", None), (None, None)],
)
def test_only_an_exact_start_with_one_argument_is_onboarding(
    text: str | None, code: str | None
) -> None:
    assert start_code(text, BOT) == code
