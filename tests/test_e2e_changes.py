"""End to end: coordinators change the schedule; delegates are notified, acknowledge, see it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from emulator import BotMessage, EmuUser
from tests.e2e import Harness, bot_harness

T0 = datetime(2015, 5, 18, 12, 0, tzinfo=UTC)  # 09:00 in Buenos Aires, the day before the keynote
TRIP = "metropolis-2015"
KEYNOTE = "plenary-live-the-city"  # 19 May 09:30–12:00 Buenos Aires


async def answer(h: Harness, user: EmuUser) -> BotMessage:
    """The bot's next message to a coordinator that is not a notice of someone else's change."""
    while True:
        message = await h.emu.wait_for(user)
        if not (message.text or "").startswith("🔄 行程變更"):
            return message


async def publish(h: Harness, user: EmuUser, preview: BotMessage) -> str:
    """Press Publish on a preview; the bot's answer."""
    await h.emu.press(user, preview, "📣 發布")
    return (await answer(h, user)).text or ""


async def pushed(h: Harness, user: EmuUser) -> BotMessage:
    """The next message past a timed push (a reminder, the morning brief): those are due at the
    instant the clock starts at, and the sender may hand them out after a change's notice."""
    while ((got := await h.emu.wait_for(user)).text or "").startswith(("⏰", "📋")):
        pass
    return got


async def test_delay_publish_notify_ack_and_resend(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0, tells_timers=True) as h:
        desk = await h.join("intl-desk", "coordinator")
        yi, cao = await h.join("yi-rongzong"), await h.join("cao-kaiwen", language_code="en")
        storage = h.app.bot_data.storage
        before = h.trips[TRIP].legs_by_id[KEYNOTE]

        preview = await h.ask(desk, f"/delay {KEYNOTE} 90m 交通管制")
        text = preview.text or ""
        assert "09:30 → 11:00（布宜諾斯艾利斯 UTC−3；臺北 20:30 → 22:00）" in text
        assert "交通管制" in text and preview.button_texts() == ["📣 發布", "🗑 捨棄"]
        assert await storage.trip_version(TRIP) == 0  # a preview changes nothing
        assert "v1" in await publish(h, desk, preview) and await storage.trip_version(TRIP) == 1

        notice_yi, notice_cao = await pushed(h, yi), await pushed(h, cao)
        assert "行程變更" in (notice_yi.text or "") and "臺北 20:30 → 22:00" in (
            notice_yi.text or ""
        )
        assert "Schedule change" in (notice_cao.text or "")
        assert "Taipei 20:30 → 22:00" in (notice_cao.text or "")
        assert notice_cao.button_texts() == ["✅ Got it"]
        assert len((notice_yi.text or "").splitlines()) == 4  # header, the one leg, reason, hint

        # The effective itinerary at once, with the 🔄 mark the first time only.
        day = (await h.ask(yi, "/itinerary 2015-05-19")).text or ""
        assert "11:00–13:30" in day and "🔄" in day
        assert "🔄" not in ((await h.ask(yi, "/itinerary 2015-05-19")).text or "")
        after = h.app.bot_data.trips[TRIP].legs_by_id[KEYNOTE]
        assert after.start_at - before.start_at == timedelta(minutes=90)

        # Reminders were re-planned: the keynote's reminder now falls 30 min before 11:00.
        rows = {r.plan.subject: r.plan for r in await storage.upcoming_reminders(TRIP, T0)}
        assert rows[KEYNOTE].due_at == after.start_at - timedelta(minutes=30)

        qid = await h.emu.press(yi, notice_yi, "✅ 收到")
        assert (await h.emu.wait_for_answer(qid)).text == "已確認收到，謝謝。"
        await h.emu.wait_until(lambda: not notice_yi.button_texts(), 5, "the button to go")
        acks = (await h.ask(desk, "/acks")).text or ""
        assert "已收到 1／2" in acks and "曹凱雯" in acks and "易榮宗" not in acks

        # Past the trip's interval (30 min), only the one who did not acknowledge hears again.
        h.clock.advance(timedelta(minutes=31))
        again = await h.emu.wait_for(cao, timeout=8)
        assert again.text == notice_cao.text
        await asyncio.sleep(1.0)
        assert h.emu.drain(yi) == []


async def test_two_coordinators_publish_at_once(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        one, two = (
            await h.join("intl-desk", "coordinator"),
            await h.join("intl-desk", "coordinator"),
        )
        yi = await h.join("yi-rongzong")
        first = await h.ask(one, f"/delay {KEYNOTE} 30m")
        second = await h.ask(two, f"/delay {KEYNOTE} 15m")
        # Both press Publish at the same moment; one wins, the other is told and re-shown.
        await asyncio.gather(
            h.emu.press(one, first, "📣 發布"), h.emu.press(two, second, "📣 發布")
        )
        answers = [await answer(h, u) for u in (one, two)]
        texts = [a.text or "" for a in answers]
        published = [a for a in texts if a.startswith("✅ 已發布 v1")]
        moved = [a for a in answers if (a.text or "").startswith("⚠️")]
        assert len(published) == 1 and len(moved) == 1, texts
        redo = moved[0]
        loser = two if redo is answers[1] else one
        delay = "15m" if loser is two else "30m"
        shift = "10:00 → 10:15" if delay == "15m" else "09:45 → 10:15"
        assert shift in (redo.text or ""), redo.text
        assert (await publish(h, loser, redo)).startswith("✅ 已發布 v2")
        keynote = h.app.bot_data.trips[TRIP].legs_by_id[KEYNOTE]
        assert keynote.start.strftime("%H:%M") == "10:15"  # both delays kept: none lost
        notices = [m.text or "" for m in await h.emu.wait_for_many(yi, 2)]
        assert ["v1" in notices[0], "v2" in notices[1]] == [True, True]


async def test_a_delegate_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        yi = await h.join("yi-rongzong")
        for command in (f"/delay {KEYNOTE} 1h", f"/cancel {KEYNOTE}", "/announce hi", "/acks"):
            # The 07:30 morning brief, still useful at 09:00, may come first on a slow start.
            replies = [m.text for m in await h.ask_all(yi, command)]
            assert "此指令僅限承辦人使用。" in replies, replies
        await h.emu.send_document(yi, b"legs: []\n", file_name="itinerary.yaml")
        said = (await pushed(h, yi)).text or ""  # no command was sent: say what is refused
        assert said.startswith("只有承辦人可以傳 .yaml 檔修訂行程，「itinerary.yaml」未儲存"), said
        assert not await h.app.bot_data.storage.notes_of_trip(TRIP)
        assert await h.app.bot_data.storage.trip_version(TRIP) == 0
        assert h.app.bot_data.trips[TRIP] is h.trips[TRIP]


async def test_an_invalid_revision_is_refused_with_its_line(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        desk = await h.join("intl-desk", "coordinator")
        bad = b"legs:\n  - id: x\n    kind: meeting\n    title: t\n    start: 2015-05-18 25:00\n"
        await h.emu.send_document(desk, bad, file_name="itinerary.yaml")
        reply = (await h.emu.wait_for(desk)).text or ""
        assert reply.startswith("❌ 行程檔有誤，未做任何變更")
        assert "itinerary.yaml:5: legs[0].start:" in reply
        assert await h.app.bot_data.storage.trip_version(TRIP) == 0


async def test_cancel_from_the_pick_list_then_restore(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        desk = await h.join("intl-desk", "coordinator")
        pick = await h.ask(desk, "/cancel")
        first = pick.buttons[0][0].text
        await h.emu.press(desk, pick, first)
        preview = await h.emu.wait_for(desk)
        assert "❌ 取消" in (preview.text or "")
        assert (await publish(h, desk, preview)).startswith("✅ 已發布 v1")
        restore = await h.ask(desk, "/restore")
        assert restore.button_texts() == [first]
        await h.emu.press(desk, restore, first)
        assert (await publish(h, desk, await h.emu.wait_for(desk))).startswith("✅ 已發布 v2")
        log = (await h.ask(desk, "/changes")).text or ""
        assert "v1" in log and "取消" in log and "v2" in log and "恢復" in log
        assert h.app.bot_data.trips[TRIP].legs_by_id.keys() == h.trips[TRIP].legs_by_id.keys()


async def test_an_unknown_leg_is_named_and_the_legs_are_offered(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        desk = await h.join("intl-desk", "coordinator")
        cao = await h.join("cao-kaiwen", "coordinator", language_code="en")
        await h.ask(cao, "/lang en")
        for user, command, said in [
            (desk, "/delay nosuchleg 30m", "沒有行程「nosuchleg」"),
            (desk, "/move nosuchleg 10:00", "沒有行程「nosuchleg」"),
            (desk, "/cancel nosuchleg", "沒有行程「nosuchleg」"),
            (cao, "/move nosuchleg tomorrow 10:00", 'There is no leg "nosuchleg"'),
        ]:
            offer = await h.ask(user, command)
            assert said in (offer.text or ""), (command, offer.text)
            assert offer.button_texts(), command  # the legs to pick, as help
        # A picked leg takes the clock on its own day.
        offer = await h.ask(desk, "/move nosuchleg 10:00")
        await h.emu.press(desk, offer, offer.button_texts()[0])
        preview = await answer(h, desk)
        assert "→ 10:00" in (preview.text or ""), preview.text
        # A bad argument with no leg named is still said as such.
        assert "30x" in ((await h.ask(desk, "/delay 30x")).text or "")


async def test_people_are_named_as_the_trip_names_them_in_the_readers_language(
    tmp_path: Path,
) -> None:
    async with bot_harness(tmp_path, T0) as h:
        # Telegram display names are the member ids here: none of them may show.
        desk = await h.join("intl-desk", "coordinator")
        yi, cao = await h.join("yi-rongzong"), await h.join("cao-kaiwen", language_code="en")
        await h.ask(cao, "/lang en")
        preview = await h.ask(desk, "/announce 明早 8 點大廳集合")
        assert "國際事務委員會承辦窗口" in (preview.text or ""), preview.text
        await h.emu.press(desk, preview, "📣 發布")
        await answer(h, desk)
        zh, en = (await pushed(h, yi)).text or "", (await pushed(h, cao)).text or ""
        assert "國際事務委員會承辦窗口" in zh and "intl-desk" not in zh, zh
        assert "International Affairs desk" in en and "intl-desk" not in en, en
        await publish(h, desk, await h.ask(desk, f"/delay {KEYNOTE} 30m"))
        log = (await h.ask(desk, "/changes")).text or ""
        assert "國際事務委員會承辦窗口" in log and "intl-desk" not in log, log
        acks = (await h.ask(desk, "/acks")).text or ""
        assert "易榮宗" in acks and "曹凱雯" in acks and "yi-rongzong" not in acks, acks


async def test_usage_and_date_refusals_say_the_commands_usage_with_an_example(
    tmp_path: Path,
) -> None:
    async with bot_harness(tmp_path, T0) as h:
        desk = await h.join("intl-desk", "coordinator")
        moved = (await h.ask(desk, "/move")).text or ""
        lines = moved.splitlines()
        assert lines[0].startswith("用法：/move 行程 [日期] HH:MM") and "/delay" not in moved, moved
        assert lines[1].startswith("例如：/move ") and "接下來的行程" in moved, moved
        assert "• opening-ceremony：大會開幕典禮（05-18 18:30 布宜諾斯艾利斯 UTC−3）" in lines
        delayed = (await h.ask(desk, "/delay")).text or ""
        assert delayed.startswith("用法：/delay 行程 時長") and "/move" not in delayed, delayed
        bad = (await h.ask(desk, f"/move {KEYNOTE} 2015-13-45 10:00")).text or ""
        assert bad.splitlines()[:2] == ["沒有「2015-13-45」這一天。", moved.splitlines()[0]], bad
        assert bad.splitlines()[2].startswith("例如：/move "), bad
        # A clock alone offers the legs, each on its own day.
        offer = await h.ask(desk, "/move 10:00")
        assert offer.button_texts() and all(len(b) <= 40 for b in offer.button_texts())
