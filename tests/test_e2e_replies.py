"""End to end: replies that read well on a phone, in the reader's language."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.e2e import bot_harness
from tests.test_i18n import cjk, zh_problems

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


async def test_an_invalid_upload_is_explained_in_the_readers_language(tmp_path: Path) -> None:
    bad = (
        b"legs:\n  - id: x\n    kind: meeting\n    title: t\n    start: 2015-05-18 25:00\n"
        b"    end: 2015-05-18 26:00\n    zone: Europe/Frankfurt\n    colour: red\n"
    )
    async with bot_harness(tmp_path, T0) as h:
        for member, code in (("intl-desk", "zh-hant"), ("cao-kaiwen", "en")):
            desk = await h.join(member, "coordinator", language_code=code)
            await h.emu.send_document(desk, bad, file_name="itinerary.yaml")
            reply = (await h.emu.wait_for(desk)).text or ""
            lines = reply.splitlines()[1:]
            fields = ["legs[0].start", "legs[0].end", "legs[0].zone", "legs[0].colour"]
            assert [line.split(": ", 2)[1] for line in lines] == fields
            said = [line.split(": ", 2)[2] for line in lines]
            if code == "en":
                assert said[2].startswith("unknown time zone 'Europe/Frankfurt'")
                assert not cjk(reply)
            else:
                assert said[2].startswith("不認識的時區 'Europe/Frankfurt'")
                assert not [
                    p for s in said for p in zh_problems(s.replace("content/README.md", ""))
                ]
