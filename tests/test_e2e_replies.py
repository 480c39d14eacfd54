"""End to end: replies that read well on a phone, in the reader's language."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.e2e import bot_harness

T0 = datetime(2015, 5, 19, 13, 0, tzinfo=UTC)  # 10:00 in Buenos Aires, 21:00 in Taipei


async def test_lang_alone_says_the_current_language_and_the_choices(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        yi = await h.join("yi-rongzong")
        text = (await h.ask(yi, "/lang")).text or ""
        assert "目前回覆語言：中文" in text and "/lang en" in text
        await h.ask(yi, "/lang en")
        text = (await h.ask(yi, "/lang")).text or ""
        assert "Replies are in English" in text and "/lang zh" in text


async def test_talking_points_for_a_contact_list_each_point_once(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        yi = await h.join("yi-rongzong", language_code="en")
        text = "\n".join(m.text or "" for m in await h.ask_all(yi, "/talkingpoints Desrochers"))
        trip = h.trips["metropolis-2015"]
        points = trip.points_for_contact("pierre-desrochers")
        assert len(points) >= 2
        for point in points:
            assert text.count(point.points[0].get("en")) == 1, point.id
            assert text.count(point.topic.get("en")) == 1, point.id
        assert "，" not in text and "：" not in text  # ASCII punctuation in en


async def test_members_in_the_delegations_local_time_with_taipei(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        desk = await h.join("intl-desk", "coordinator")
        text = (await h.ask(desk, "/members")).text or ""
        assert "5/19（二） 10:00 布宜諾斯艾利斯 UTC−3｜臺北 21:00" in text, text
        assert text.splitlines()[1].startswith("• 國際事務委員會承辦窗口")


async def test_a_restore_preview_says_restored_and_refusals_are_in_the_readers_language(
    tmp_path: Path,
) -> None:
    async with bot_harness(tmp_path, T0) as h:
        desk = await h.join("intl-desk", "coordinator")
        zh = (await h.ask(desk, "/restore standby")).text or ""
        assert zh == "無法套用此變更：此行程並未取消"
        bad = (await h.ask(desk, "/delay standby 3x")).text or ""
        assert "3x" in bad and "45m" in bad and "duration" not in bad
        assert "00:00" in ((await h.ask(desk, "/move standby 25:00")).text or "")
        preview = await h.ask(desk, "/cancel standby")
        await h.emu.press(desk, preview, "📣 發布")
        await h.emu.wait_for(desk)
        restore = await h.ask(desk, "/restore standby")
        assert "↩️ 恢復" in (restore.text or "") and "新增" not in (restore.text or "")
        await h.emu.press(desk, restore, "📣 發布")
        await h.emu.wait_for(desk)
        moved = (await h.ask(desk, "/move standby 5/22（五） 11:00")).text or ""
        assert "變更預覽" in moved and "11:00" in moved  # the bot's own date form is read
        changes = (await h.ask(desk, "/changes")).text or ""
        assert "布宜諾斯艾利斯 UTC−3｜臺北" in changes
