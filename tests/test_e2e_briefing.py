"""End to end: every briefing command through the emulator, in both languages, for two trips."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import icalendar

from tests.e2e import bot_harness

T0 = datetime(2015, 5, 19, 13, 0, tzinfo=UTC)  # 10:00 in Buenos Aires: the opening keynote runs


async def test_itinerary_today_tomorrow_dates_and_all(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        yi = await h.join("yi-rongzong")
        today = (await h.ask(yi, "/itinerary")).text or ""
        assert today.startswith("5/19（二）") and "UTC−3｜臺北" in today
        assert "5/20（三）" in ((await h.ask(yi, "/itinerary tomorrow")).text or "")
        roc = (await h.ask(yi, "/itinerary 104.05.17")).text or ""
        assert "羅馬 UTC+2 → 20:30 布宜諾斯艾利斯 UTC−3" in roc
        assert (await h.ask(yi, "/itinerary 2015-05-17")).text == roc
        whole = [m.text or "" for m in await h.ask_all(yi, "/itinerary all")]
        joined = "\n".join(whole)
        assert all(len(part) <= 4096 for part in whole)
        assert "5/16（六）" in joined and "5/25（一）" in joined
        bad = (await h.ask(yi, "/itinerary someday")).text or ""
        assert "someday" in bad and "104.05.16" in bad  # the trip's own first day
        impossible = ((await h.ask(yi, "/itinerary 2015-02-30")).text or "").splitlines()
        assert impossible == [
            "沒有「2015-02-30」這一天。",
            "用法：/itinerary [今天|明天|全部|日期]",
            "例如：/itinerary 2015-05-16、/itinerary 5/16、/itinerary 明天",
        ], impossible


async def test_now_and_next_say_how_long(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        yi = await h.join("yi-rongzong")
        now = (await h.ask(yi, "/now")).text or ""
        assert "進行中" in now and "專題演講" in now and "10:00 布宜諾斯艾利斯 UTC−3" in now
        nxt = (await h.ask(yi, "/next")).text or ""
        assert nxt.startswith("下一項（2 小時 30 分後）") and "代表處" in nxt


async def test_contacts_list_search_and_card(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        yi = await h.join("yi-rongzong")
        listing = (await h.ask(yi, "/contacts")).text or ""
        assert "聯絡人（15）" in listing
        card = (await h.ask(yi, "/contacts chacón")).text or ""
        assert "Daniela" in card and "重要性" in card
        assert "找不到" in ((await h.ask(yi, "/contacts zzz")).text or "")


async def test_talking_points_by_topic_and_by_contact(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        yi = await h.join("yi-rongzong", language_code="en")
        everything = "\n".join(m.text or "" for m in await h.ask_all(yi, "/talkingpoints"))
        assert everything.startswith("Aims and talking points") and "Flora Expo" in everything
        topic = (await h.ask(yi, "/talkingpoints baseball")).text or ""
        assert "baseball" in topic.lower()
        person = (await h.ask(yi, "/talkingpoints 岳朝陽")).text or ""
        assert "Talking points for" in person and "⚠️" in person


async def test_brief_shows_where_legs_people_and_points(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        yi = await h.join("cao-kaiwen")
        brief = (await h.ask(yi, "/brief")).text or ""
        assert "所在地：布宜諾斯艾利斯" in brief and "今日會面" in brief and "黃聯昇" in brief


async def test_calendar_is_an_ics_with_zones(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        yi = await h.join("yi-rongzong")
        await h.emu.send_text(yi, "/calendar")
        message = await h.emu.wait_for(yi)
        assert message.document is not None and message.document.file_name == "metropolis-2015.ics"
        cal = icalendar.Calendar.from_ical(message.document.data or b"")
        zones = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
        assert {"Europe/Rome", "America/Argentina/Buenos_Aires", "Asia/Taipei"} <= zones
        events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
        assert len(events) == len(h.trips["metropolis-2015"].legs)
        flight = events["metropolis-2015.flight-fco-eze@delegation-bot"]
        assert flight["DTSTART"].params["TZID"] == "Europe/Rome"
        assert flight["DTEND"].dt.astimezone(UTC) == datetime(2015, 5, 17, 23, 30, tzinfo=UTC)


async def test_language_help_and_unknown_command(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        yi = await h.join("yi-rongzong")
        assert "English" in ((await h.ask(yi, "/lang en")).text or "")
        assert "In progress" in ((await h.ask(yi, "/now")).text or "")
        assert "Usage" in ((await h.ask(yi, "/lang fr")).text or "")
        helped = (await h.ask(yi, "/help")).text or ""
        assert "/itinerary" in helped and "/invite" not in helped
        assert "Unknown command" in ((await h.ask(yi, "/teleport")).text or "")


async def test_one_bot_serves_two_trips_and_each_user_sees_only_theirs(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0, ("metropolis-2015", "smart-city-2015")) as h:
        other_trip = h.trips["smart-city-2015"]
        member = next(m.id for m in other_trip.members if m.travelling)
        traveller = await h.join(member, trip_id="smart-city-2015")
        text = (await h.ask(traveller, "/itinerary all")).text or ""
        assert "法蘭克福" in text and "布宜諾斯" not in text
        contacts = (await h.ask(traveller, "/contacts")).text or ""
        assert "Huchon" not in contacts and f"（{len(other_trip.contacts)}）" in contacts
