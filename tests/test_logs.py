"""Logs of `python -m bot run` at DEBUG: JSON lines with the update's context; no token and no
invite code in any line, as text or JSON."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.invites import issue_invite
from bot.logformat import redact_invites
from bot.storage import Storage
from bot.trip.loader import load_trip
from emulator import BotApiEmulator
from tests.test_run import CLOCK, ROOT, TOKEN, _env, _sigterm, _spawn

CODE = re.compile(r"/start ([A-Za-z0-9_-]{16})")
FEED = re.compile(r"/cal/([A-Za-z0-9_-]{16,64})\.ics")


async def _codes(tmp_path: Path) -> list[str]:
    storage = await Storage.open(tmp_path / "data" / "bot.sqlite3")
    trip = load_trip(ROOT / "content" / "metropolis-2015")
    now = datetime.fromisoformat(CLOCK).astimezone(UTC)
    codes = []
    for member, role in (("yi-rongzong", "delegate"), ("intl-desk", "coordinator")):
        invite = await issue_invite(
            storage, trip, member, role, created_by="test", now=now, ttl=timedelta(days=1)
        )
        codes.append(invite.code)
    await storage.close()
    return codes


@pytest.mark.parametrize("fmt", ["json", "text"])
async def test_debug_logs_carry_the_context_and_never_a_token_or_an_invite(
    tmp_path: Path, fmt: str
) -> None:
    codes = await _codes(tmp_path)
    async with BotApiEmulator(bot_username="log_test_bot") as emu:
        env = _env(
            tmp_path,
            TELEGRAM_BASE_URL=emu.base_url,
            TELEGRAM_BASE_FILE_URL=emu.base_file_url,
            BOT_LOG_LEVEL="DEBUG",
            BOT_LOG_FORMAT=fmt,
            BOT_PUBLIC_URL="https://bot.example.gov.tw",
        )
        proc = _spawn(env, tmp_path / "bot.log")
        yi, desk = emu.user("Yi", language_code="zh-hant"), emu.user("Desk")
        await emu.send_text(yi, f"/start {codes[0]}")
        await emu.send_text(desk, f"/start {codes[1]}")
        await emu.wait_for(yi, timeout=30)
        await emu.wait_for(desk, timeout=30)
        await emu.send_text(emu.user("Stranger"), "/start not-a-real-code-123")
        await emu.send_text(yi, "與市長會談")
        await emu.wait_for(yi, timeout=10)
        await emu.send_text(yi, "/calendar")
        await emu.wait_for(yi, timeout=10)  # the .ics file, then the private feed link
        feed = FEED.search((await emu.wait_for(yi, timeout=10)).text or "")
        assert feed, "no feed link"
        await emu.send_text(desk, "/invite cao-kaiwen")
        shown = await emu.wait_for(desk, timeout=10)
        made = CODE.search(shown.text or "")
        assert made, shown.text
        assert await _sigterm(proc) == 0
    log = (tmp_path / "bot.log").read_text(encoding="utf-8")
    secrets = (TOKEN, TOKEN.split(":")[1], *codes, made[1], "not-a-real-code-123", feed[1])
    for secret in secrets:
        assert secret not in log
    assert "/start <invite>" in log  # DEBUG did log the updates, redacted
    if fmt == "text":
        return
    lines = [json.loads(line) for line in log.splitlines()]
    handled = [x for x in lines if x["event"] == "update handled"]
    assert {"time", "level", "event", "update_id", "chat_id", "handler"} <= set(lines[0])
    note = next(x for x in handled if x["chat_id"] == yi.id and x["handler"].endswith("take_note"))
    assert note["update_id"] > 0 and note["latency_ms"] >= 0 and note["level"] == "INFO"


def test_redaction_keeps_the_rest_of_the_line() -> None:
    text = "send /start@my_bot abcDEF123_-x then https://t.me/b?start=Zz9-_abcdef ok"
    assert (
        redact_invites(text) == "send /start@my_bot <invite> then https://t.me/b?start=<invite> ok"
    )
