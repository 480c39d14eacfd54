"""End to end: publishing a change rebuilds every member's briefing pack off the event loop and
tells them "簡報包第 1 版已備妥" through the notice outbox, with a button that sends the new pack.
Skipped only where LibreOffice is absent and not in CI (tests/test_report_pdf.py's rule)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.report.pdf import page_texts
from emulator import BotMessage, EmuUser
from tests.e2e import Harness, bot_harness
from tests.test_report_pdf import require_office

T0 = datetime(2015, 5, 18, 20, 0, tzinfo=UTC)  # 17:00 in Buenos Aires, the day before
KEYNOTE = "plenary-live-the-city"  # 19 May 09:30–12:00 Buenos Aires


@pytest.fixture(autouse=True)
def office() -> None:
    require_office()


async def next_starting(h: Harness, user: EmuUser, prefix: str, wait: float = 60) -> BotMessage:
    """The user's next message that starts with `prefix` (others, e.g. the change, skipped)."""
    while True:
        message = await h.emu.wait_for(user, timeout=wait)
        if (message.text or message.caption or "").startswith(prefix):
            return message


async def test_a_published_change_rebuilds_the_packs_and_tells_each_member(
    tmp_path: Path,
) -> None:
    async with bot_harness(tmp_path, T0, pack_on_publish=True) as h:
        desk = await h.join("intl-desk", "coordinator")
        yi, cao = await h.join("yi-rongzong"), await h.join("cao-kaiwen", language_code="en")
        preview = await h.ask(desk, f"/delay {KEYNOTE} 90m 交通管制")
        await h.emu.press(desk, preview, "📣 發布")
        published = await next_starting(h, desk, "✅ 已發布 v1", wait=10)
        assert published.text is not None  # the publish is answered before any pack is built
        ready_yi = await next_starting(h, yi, "📦")
        ready_cao = await next_starting(h, cao, "📦")
        assert (ready_yi.text or "").startswith("📦 簡報包第 1 版已備妥")
        assert (ready_cao.text or "").startswith("📦 Briefing pack v1 is ready")
        assert ready_yi.button_texts() == ["📦 取得簡報包"]
        # The coordinator who published gets one too: their pack has the private numbers.
        await next_starting(h, desk, "📦 簡報包第 1 版已備妥")
        await h.emu.press(cao, ready_cao, "📦 Get the pack")
        sent = await next_starting(h, cao, "📘 Your briefing pack")
        assert sent.document is not None and sent.document.data is not None
        # "Pack v1 is ready" is said once: the re-send rule asks again about the change only.
        h.clock.advance(timedelta(minutes=31))
        # Unacknowledged: the change to yi and cao; "pack v1" to yi and the desk, not again.
        assert await h.app.bot_data.changes.resend_due() == 2
        await next_starting(h, yi, "🔄 行程變更", wait=10)
        assert sum((m.text or "").startswith("📦") for m in h.emu.messages(yi)) == 1
        # /pack now sends the kept pack at once, without building it again.
        again = await h.ask(yi, "/pack")
        assert again.document is not None and again.caption == "📘 行前簡報手冊（離線可讀）"
        acks = await h.app.bot_data.storage.notice_acks("metropolis-2015")
        pack_notice = acks[-1]
        acked = {name: when for name, _, _, when in pack_notice.recipients}
        assert acked["cao-kaiwen"] is not None and acked["yi-rongzong"] is None
    pdf = tmp_path / "cao.pdf"
    pdf.write_bytes(sent.document.data)
    text = re.sub(r"\s+", "", "".join(page_texts(pdf)))
    # The keynote moved 90 minutes: 11:00–13:30 in Buenos Aires (09:30–12:00 before).
    assert "11:00–13:30BuenosAires" in text, text[:3000]
    shelf = tmp_path / "data" / "packs" / "metropolis-2015" / "v1"
    kept = sorted(p.name.rsplit("-", 1)[0] for p in shelf.iterdir())
    assert kept == ["cao-kaiwen-en-d", "intl-desk-zh-c", "yi-rongzong-zh-d"]


async def test_a_rebuild_cut_short_by_a_stop_is_done_on_the_next_start(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:  # rebuilds off: as if stopped before its notice
        desk = await h.join("intl-desk", "coordinator")
        yi = await h.join("yi-rongzong")
        preview = await h.ask(desk, f"/delay {KEYNOTE} 90m")
        await h.emu.press(desk, preview, "📣 發布")
        await next_starting(h, desk, "✅ 已發布 v1", wait=10)
        ids = (desk.id, yi.id)
    async with bot_harness(tmp_path, T0, pack_on_publish=True) as h:
        # The same accounts, known to the database, who have written to the bot before.
        desk = h.emu.user(first_name="intl-desk", language_code="zh-hant", started=True)
        yi = h.emu.user(first_name="yi-rongzong", language_code="zh-hant", started=True)
        assert (desk.id, yi.id) == ids
        ready = await next_starting(h, yi, "📦 簡報包第 1 版已備妥")
        assert ready.button_texts() == ["📦 取得簡報包"]
        assert await h.app.bot_data.storage.pack_versions() == {"metropolis-2015": 1}
