"""End to end: every push is previewed. /announce waits for Publish; a change that moves a leg
outside the trip's dates, past another leg or by more than a day warns, and asks twice."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.changes.warnings import change_warnings
from bot.trip.models import Trip
from tests.e2e import bot_harness
from tests.test_e2e_changes import KEYNOTE, T0, TRIP, answer


async def test_an_announcement_is_previewed_and_sent_only_on_publish(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        desk = await h.join("intl-desk", "coordinator")
        yi = await h.join("yi-rongzong")
        preview = await h.ask(desk, "/announce 明早 8 點大廳集合")
        await asyncio.sleep(0.5)
        before = h.emu.drain(yi)
        discarded = await h.ask(desk, "/announce 打錯了")
        await h.emu.press(desk, discarded, "🗑 捨棄")
        assert "捨棄" in ((await answer(h, desk)).text or "")
        await h.emu.press(desk, preview, "📣 發布")
        sent = (await answer(h, desk)).text or ""
        notice = await h.emu.wait_for(yi)
        await asyncio.sleep(0.5)
        after = h.emu.drain(yi)
        again = await h.emu.press(desk, preview, "📣 發布")  # pressed twice: gone
        assert again
        gone = (await answer(h, desk)).text or ""
    assert "公告預覽" in (preview.text or "") and "明早 8 點大廳集合" in (preview.text or "")
    assert before == []  # nothing went out before Publish
    assert "1 人" in sent and "明早 8 點大廳集合" in (notice.text or "")
    assert after == [] and "打錯了" not in (notice.text or "")  # the discarded one never went
    assert gone == "此預覽已處理過。"


@pytest.mark.parametrize(
    ("command", "needle"),
    [
        ("/move statutory-board 2015-06-01 10:00", "行程日期"),
        ("/delay workshop-women 900h", "超過 24 小時"),
        (f"/delay {KEYNOTE} 5h", "越過"),
    ],
)
async def test_a_risky_change_warns_and_needs_a_second_confirmation(
    tmp_path: Path, command: str, needle: str
) -> None:
    async with bot_harness(tmp_path, T0) as h:
        desk = await h.join("intl-desk", "coordinator")
        preview = await h.ask(desk, command)
        assert needle in (preview.text or ""), preview.text
        await h.emu.press(desk, preview, "📣 發布")
        confirm = await answer(h, desk)
        version_after_first = await h.app.bot_data.storage.trip_version(TRIP)
        await h.emu.press(desk, confirm, "⚠️ 確定發布")
        done = (await answer(h, desk)).text or ""
    assert "確定要發布" in (confirm.text or "") and needle in (confirm.text or "")
    assert version_after_first == 0  # the first press published nothing
    assert done.startswith("✅ 已發布 v1")


async def test_a_small_change_publishes_at_the_first_press(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        desk = await h.join("intl-desk", "coordinator")
        preview = await h.ask(desk, f"/delay {KEYNOTE} 15m")
        await h.emu.press(desk, preview, "📣 發布")
        done = (await answer(h, desk)).text or ""
    assert "⚠️" not in (preview.text or "") and done.startswith("✅ 已發布 v1")


def test_an_unchanged_trip_has_no_warnings(metropolis: Trip) -> None:
    assert change_warnings(metropolis, metropolis, "en") == []
