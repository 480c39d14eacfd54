"""End to end: two delegates' notes through the emulator become the report; /report and the CLI."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import cli
from bot.clock import SystemClock
from emulator import EmuUser
from tests.dbs import database_url
from tests.e2e import ROOT, Harness, bot_harness
from tests.test_report_build import (
    CHAPTERS,
    EMBASSY,
    RECOMMENDATIONS,
    REFLECTIONS,
    SUMMARY,
    VOICE,
    chapter,
    png,
    read_back,
)

TRIP = "metropolis-2015"
# (member, leg, text or caption, is_photo): legs no other sub-leg overlaps, so the match is sure.
SENT = [
    ("yi-rongzong", "call-representative-office", EMBASSY, False),
    ("cao-kaiwen", "call-representative-office", "易委員蒞駐阿根廷代表處拜會黃大使(中)", True),
    ("yi-rongzong", "thematic-mobility", "#摘要 " + SUMMARY, False),
    ("cao-kaiwen", "plenary-voice-of-mayors", VOICE, False),
    ("yi-rongzong", "plenary-voice-of-mayors", VOICE, False),
    ("cao-kaiwen", "plenary-voice-of-mayors", "易委員與新任秘書長 Mr. Blasco 合影", True),
    ("yi-rongzong", "closing-ceremony", "閉幕式後於 Colón Theater 合影", True),
    ("cao-kaiwen", "anniversary-dinner", "#心得 " + REFLECTIONS[0], False),
    ("yi-rongzong", "visit-city-tower-mdc", REFLECTIONS[1] + " #心得", False),
    ("yi-rongzong", "side-event-guangzhou-award", "#建議 " + RECOMMENDATIONS[0], False),
    ("cao-kaiwen", "standby", RECOMMENDATIONS[1] + " #建議", False),
]


async def send_all(h: Harness, users: dict[str, EmuUser]) -> None:
    for i, (member, leg, text, photo) in enumerate(SENT):
        h.clock.set(h.trips[TRIP].legs_by_id[leg].start_at + timedelta(minutes=5 + i))
        if photo:
            await h.emu.send_photo(users[member], png(30 + i, 20, i), caption=text)
        else:
            await h.emu.send_text(users[member], text)
        reply = await h.emu.wait_for(users[member])
        # A push due at the instant the clock was set to (a reminder, the morning brief) may
        # come first, on a slow start: the note's reply is the one after.
        while (reply.text or "").startswith(("⏰", "📋")):
            reply = await h.emu.wait_for(users[member])
        assert "#" in (reply.text or "")
    storage = h.app.bot_data.storage
    for _ in range(100):  # photos are fetched in the background
        notes = await storage.notes_of_trip(TRIP)
        if all(a.status == "stored" for n in notes for a in n.attachments):
            break
        await asyncio.sleep(0.1)
    for user in users.values():
        h.emu.drain(user)


async def test_faithful_rebuild_via_report_and_the_cli_gives_the_same_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = datetime(2015, 5, 19, 12, 0, tzinfo=UTC)
    async with bot_harness(tmp_path, start) as h:
        users = {m: await h.join(m) for m in ("yi-rongzong", "cao-kaiwen")}
        desk = await h.join("intl-desk", "coordinator")
        await send_all(h, users)
        h.clock.set(datetime(2015, 6, 1, 2, 0, tzinfo=UTC))

        refused = await h.ask(users["cao-kaiwen"], "/report")
        assert refused.text == "此指令僅限承辦人使用。" and refused.document is None

        await h.emu.send_text(desk, "/report")
        sent = await h.emu.wait_for(desk, timeout=20)
        assert sent.document is not None and sent.document.file_name == f"{TRIP}-report.docx"
        check = await h.emu.wait_for(desk, timeout=10)
        assert check.text is not None and check.text.startswith("自我檢查：")
        assert "期限 104.08.25，尚餘 85 天" in check.text

        # The notes are in the compiled report now: a delegate can no longer delete them.
        gone = await h.ask(users["yi-rongzong"], "/delnote 1")
        assert "已編入出國報告" in (gone.text or "")

        monkeypatch.setattr(SystemClock, "now", lambda self: h.clock.now())
        monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "data"))
        monkeypatch.setenv("BOT_CONTENT_DIR", str(ROOT / "content"))
        url = database_url(tmp_path / "data")
        if url:  # on PostgreSQL the CLI reads the same database as the bot
            monkeypatch.setenv("BOT_DATABASE_URL", url)
        out = tmp_path / "cli.docx"
        code = await asyncio.to_thread(cli.main, ["report", "--trip", TRIP, "--out", str(out)])
        assert code == 0

    assert sent.document.data == out.read_bytes()  # the CLI and /report: the same document
    (tmp_path / "bot.docx").write_bytes(sent.document.data or b"")
    paras, doc = read_back(tmp_path / "bot.docx")
    assert [t for s, t in paras if s == "Heading 1"] == CHAPTERS
    assert [[c.text for c in r.cells] for r in doc.tables[0].rows][1:] == [
        ["1", "臺中市政府國際事務委員會", "委員", "", "易榮宗"],
        ["2", "臺中市政府秘書處", "約聘人員", "7 等", "曹凱雯"],
    ]
    assert doc.tables[1].rows[1].cells[0].text == "104.03.26"
    assert doc.tables[2].rows[1].cells[0].text == "104.05.16"
    process = [t for _, t in chapter(paras, "肆、過程")]
    mayors = next(i for i, t in enumerate(process) if t.startswith("2.全體大會：市長之聲"))
    assert process[mayors + 2] == VOICE and process.count(VOICE) == 1
    office = next(i for i, t in enumerate(process) if "拜會駐阿根廷代表處黃大使聯昇（" in t)
    assert process[office + 2] == EMBASSY
    assert [t for _, t in chapter(paras, "伍、心得") if t] == [
        "一、" + REFLECTIONS[0],
        "二、" + REFLECTIONS[1],
    ]
    assert [t for _, t in chapter(paras, "陸、建議") if t] == [
        "一、" + RECOMMENDATIONS[0],
        "二、" + RECOMMENDATIONS[1],
    ]
    assert [t for _, t in chapter(paras, "壹、摘要") if t] == [SUMMARY]
    assert [t for s, t in chapter(paras, "柒、附件（活動照片）") if s == "Caption"] == [
        "易委員蒞駐阿根廷代表處拜會黃大使(中)",
        "易委員與新任秘書長 Mr. Blasco 合影",
        "閉幕式後於 Colón Theater 合影",
    ]
    assert len(doc.inline_shapes) == 3


async def test_report_buttons_send_the_forms_and_the_upload_fields(tmp_path: Path) -> None:
    import json

    from bot.report.pdf import soffice

    async with bot_harness(tmp_path, datetime(2015, 5, 19, 12, 0, tzinfo=UTC)) as h:
        users = {m: await h.join(m) for m in ("yi-rongzong", "cao-kaiwen")}
        desk = await h.join("intl-desk", "coordinator")
        await send_all(h, users)
        h.clock.set(datetime(2015, 6, 1, 2, 0, tzinfo=UTC))
        await h.emu.send_text(desk, "/report")
        assert (await h.emu.wait_for(desk, timeout=20)).document is not None
        assert ((await h.emu.wait_for(desk, timeout=10)).text or "").startswith("自我檢查：")
        menu = await h.emu.wait_for(desk, timeout=10)
        assert menu.reply_markup is not None
        labels = [b["text"] for row in menu.reply_markup["inline_keyboard"] for b in row]
        # Taichung, a trip only of 開會: the 提要 and the 審核表 are what the office requires.
        assert "★ 審核表" in labels and "★ 出國報告提要" in labels and "出國報告 PDF" in labels

        await h.emu.press(desk, menu, "rpt:review")
        review = await h.emu.wait_for(desk, timeout=20)
        assert review.document is not None
        assert review.document.file_name == f"{TRIP}-審核表.docx"
        (tmp_path / "review.docx").write_bytes(review.document.data or b"")
        _, doc = read_back(tmp_path / "review.docx")
        assert doc.tables[1].rows[1].cells[2].text.startswith("☑是")

        await h.emu.press(desk, menu, "rpt:summary")
        summary = await h.emu.wait_for(desk, timeout=20)
        assert summary.document is not None
        assert summary.document.file_name == f"{TRIP}-提要.docx"

        if soffice() is not None:
            await h.emu.press(desk, menu, "rpt:json")
            fields = await h.emu.wait_for(desk, timeout=120)
            assert fields.document is not None
            assert fields.document.file_name == f"{TRIP}-資訊網.json"
            data = json.loads(fields.document.data or b"{}")
            assert data["頁數"] > 10 and data["出國類別"] == "開會"
            assert f"共 {data['頁數']} 頁" in (fields.caption or "")
