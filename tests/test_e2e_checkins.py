"""End to end: a check-in round through the notice outbox. One member answers 平安, one asks
for help (the coordinator is alerted with the last shared location), the silent one is asked
again, and /checkins shows all three states."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from emulator import BotMessage, EmuUser
from tests import e2e
from tests.e2e import Harness, bot_harness

T0 = datetime(2015, 5, 19, 13, 0, tzinfo=UTC)  # 10:00 in Buenos Aires
AIDE = """
  - id: aide
    name: {zh: 隨行人員, en: Aide}
    title: {zh: 專員, en: Officer}
    unit: {zh: 臺中市政府秘書處, en: "Secretariat, Taichung City Government"}
"""


@pytest.fixture(autouse=True)
def three_travellers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "content"
    shutil.copytree(e2e.TRIP_DIRS["metropolis-2015"], folder)
    members = folder / "members.yaml"
    members.write_text(members.read_text("utf-8") + AIDE, "utf-8")
    monkeypatch.setitem(e2e.TRIP_DIRS, "metropolis-2015", folder)


def labels(message: BotMessage) -> list[str]:
    assert message.reply_markup is not None
    return [b["text"] for row in message.reply_markup["inline_keyboard"] for b in row]


async def asked(h: Harness, user: EmuUser) -> BotMessage:
    message = await h.emu.wait_for(user)
    assert (message.text or "").startswith(("🙋 平安嗎？", "🙋 Are you safe?")), message.text
    assert message.reply_markup is not None
    return message


async def test_a_check_in_round_with_one_call_for_help(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        desk = await h.join("intl-desk", "coordinator")
        yi, cao = await h.join("yi-rongzong"), await h.join("cao-kaiwen", language_code="en")
        aide = await h.join("aide")
        await h.emu.send_location(cao, -34.6037, -58.3816)  # a note with her location
        await h.emu.wait_for(cao)
        sent = await h.ask(desk, "/checkin 地鐵停駛，請回報")
        assert sent.text == "🙋 已詢問 3 位團員是否平安。"
        to_yi, to_cao, to_aide = [await asked(h, u) for u in (yi, cao, aide)]
        assert "地鐵停駛，請回報" in (to_yi.text or "")
        assert labels(to_yi) == ["🟢 平安", "🆘 需要協助"]
        assert labels(to_cao) == ["🟢 I'm safe", "🆘 I need help"]
        await h.emu.press(yi, to_yi, "🟢 平安")
        await h.emu.wait_until(lambda: to_yi.reply_markup is None, 5, "yi's buttons removed")
        await h.emu.press(cao, to_cao, "🆘 I need help")
        alert = await h.emu.wait_for(desk)
        text = alert.text or ""
        assert text.startswith("🆘 曹凱雯 需要協助（5/19（二） 10:00 布宜諾斯艾利斯 UTC−3）"), text
        assert "-34.60370, -58.38160" in text and "maps.google.com" in text
        # The silent member is asked again after the trip's re-send interval; the others not.
        h.clock.advance(timedelta(minutes=31))
        await h.app.bot_data.changes.resend_due()
        again = await asked(h, aide)
        assert again.message_id != to_aide.message_id
        report = (await h.ask(desk, "/checkins")).text or ""
        lines = report.splitlines()
        assert lines[0].startswith("🙋 平安回報（5/19（二） 10:00")
        assert any(line.startswith("🆘 ") and "需要協助" in line for line in lines)
        assert any(line.startswith("🟢 ") and "平安（5/19（二） 10:" in line for line in lines)
        assert any(line.startswith("⏳ ") and "已詢問 2 次" in line for line in lines), report
        assert sum("平安嗎" in (m.text or "") for m in h.emu.messages(yi)) == 1


async def test_a_travelling_coordinator_is_asked_too_and_listed(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        yi = await h.join("yi-rongzong", "coordinator")
        cao = await h.join("cao-kaiwen")
        await h.join("intl-desk", "coordinator")  # stays home: not asked
        replies = await h.ask_all(yi, "/checkin")
        said = [m.text or "" for m in replies]
        assert "🙋 已詢問 2 位團員是否平安。" in said, said
        to_yi = next(m for m in replies if (m.text or "").startswith("🙋 平安嗎？"))
        await asked(h, cao)
        await h.emu.press(yi, to_yi, "🟢 平安")
        await h.emu.wait_until(lambda: to_yi.reply_markup is None, 5, "yi's buttons removed")
        report = (await h.ask(yi, "/checkins")).text or ""
        assert any(line.startswith("🟢 易榮宗") for line in report.splitlines()), report
        assert any(line.startswith("⏳ 曹凱雯") for line in report.splitlines()), report
        assert "承辦窗口" not in report


async def test_acks_labels_each_notice_in_one_language(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        desk = await h.join("intl-desk", "coordinator")
        cao = await h.join("cao-kaiwen")
        preview = await h.ask(desk, "/announce 明早 8 點大廳集合，請穿正式服裝")
        await h.emu.press(desk, preview, "📣 發布")
        await h.emu.wait_for(desk)
        await asked_after_announcement(h, cao)
        assert (await h.ask(desk, "/checkin")).text == "🙋 已詢問 1 位團員是否平安。"
        await h.emu.press(cao, await asked(h, cao), "🆘 需要協助")
        alert = await h.emu.wait_for(desk)
        assert (alert.text or "").startswith("🆘 曹凱雯 需要協助")
        lines = ((await h.ask(desk, "/acks")).text or "").splitlines()
        heads = [line for line in lines if "已收到" in line]
        assert heads[0].startswith("公告「明早 8 點大廳集合，請穿正式…」 "), lines
        assert heads[1].startswith("平安回報 ") and heads[2].startswith("求助通知 "), lines
        assert "　未確認：曹凱雯（已送達）" in lines, lines
        assert not [line for line in lines if re.search(r"[A-Za-z×]", line.replace("UTC", ""))]
        en = await h.join("yi-rongzong", "coordinator", language_code="en")
        english = ((await h.ask(en, "/acks")).text or "").splitlines()
        assert english[0].startswith('Announcement "') and english[2].startswith("Check-in ")
        assert "  not yet: Cao Kai-wen (delivered)" in english, english


async def asked_after_announcement(h: Harness, user: EmuUser) -> None:
    message = await h.emu.wait_for(user)
    assert (message.text or "").startswith("📢"), message.text
