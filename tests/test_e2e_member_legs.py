"""End to end: a member who flies out a day later sees only their own legs, gets no reminder
of the legs they are not on, and a coordinator can look at any member's itinerary."""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest

from bot.i18n import t
from emulator import EmuUser
from tests import e2e
from tests.e2e import Harness, bot_harness
from tests.test_calendar_feed import _events, _subscribe

BEFORE = datetime(2015, 5, 15, 5, 0, tzinfo=UTC)  # the day before departure, 13:00 in Taipei
DAY_1_FLIGHTS = ("flight-tpe-del", "flight-del-fco")


@pytest.fixture(autouse=True)
def cao_joins_on_day_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "content"
    shutil.copytree(e2e.TRIP_DIRS["metropolis-2015"], folder)
    legs = folder / "itinerary.yaml"
    text = legs.read_text("utf-8")
    for leg in DAY_1_FLIGHTS:
        text = text.replace(f"  - id: {leg}\n", f"  - id: {leg}\n    members: [yi-rongzong]\n")
    legs.write_text(text, "utf-8")
    monkeypatch.setitem(e2e.TRIP_DIRS, "metropolis-2015", folder)


async def fire(h: Harness, key: str, at: datetime, to: EmuUser) -> None:
    """Fire one reminder at `at` and wait until it reached `to`."""
    h.clock.set(at)
    service = h.app.bot_data.reminders
    before = len(h.emu.messages(to))
    assert await service.fire(f"metropolis-2015/{key}") >= 1, key
    await h.emu.wait_until(lambda: len(h.emu.messages(to)) > before, 10, key)


def texts(h: Harness, user: EmuUser, since: int) -> list[str]:
    return [m.text or "" for m in h.emu.messages(user)[since:]]


async def test_a_member_who_joins_on_day_2_gets_no_day_1_reminders(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, BEFORE) as h:
        yi, cao = await h.join("yi-rongzong"), await h.join("cao-kaiwen")
        seen = {u.id: len(h.emu.messages(u)) for u in (yi, cao)}
        # 24 h before the Taipei departure (14:30 Taipei, 06:30 UTC): online check-in.
        await fire(h, "leg:flight-tpe-del/check-in", datetime(2015, 5, 15, 6, 31, tzinfo=UTC), yi)
        await fire(h, "morning:2015-05-16/brief", datetime(2015, 5, 15, 23, 31, tzinfo=UTC), yi)
        # Day 2: the Rome flight is both members' (11:55 Rome = 09:55 UTC).
        await fire(h, "leg:flight-fco-eze/check-in", datetime(2015, 5, 16, 9, 56, tzinfo=UTC), cao)
        await h.emu.wait_until(lambda: len(h.emu.messages(yi)) >= seen[yi.id] + 3, 10, "yi's")
        await asyncio.sleep(0.5)  # nothing more is on its way
        yi_got, cao_got = texts(h, yi, seen[yi.id]), texts(h, cao, seen[cao.id])
        assert len(yi_got) == 3 and "新德里" in yi_got[0] and yi_got[1].startswith("📋")
        assert len(cao_got) == 1 and "羅馬" in cao_got[0] and "新德里" not in cao_got[0]


async def test_each_member_sees_their_own_legs_and_a_coordinator_any(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, BEFORE) as h:
        cao = await h.join("cao-kaiwen")
        desk = await h.join("intl-desk", "coordinator", language_code="en")
        own = (await h.ask(cao, "/itinerary 104.05.16")).text or ""
        assert "新德里" not in own
        assert "新德里" not in ((await h.ask(cao, "/next")).text or "")
        whole = (await h.ask(desk, "/itinerary 104.05.16")).text or ""
        assert "New Delhi" in whole  # the home desk follows everyone's legs
        hers = (await h.ask(desk, "/itinerary @cao-kaiwen 104.05.16")).text or ""
        assert hers.startswith("👤 Cao Kai-wen's itinerary") and "New Delhi" not in hers
        his = (await h.ask(desk, "/itinerary @易榮宗 104.05.16")).text or ""
        assert "New Delhi" in his
        unknown = (await h.ask(desk, "/itinerary @nobody")).text or ""
        assert unknown.startswith("no member @nobody")
        refused = (await h.ask(cao, "/itinerary @yi-rongzong")).text or ""
        assert refused == t("zh", "coordinator_only")


async def test_the_calendar_file_and_feed_hold_only_the_members_own_legs(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, BEFORE, mode="webhook") as h:
        cao = await h.join("cao-kaiwen")
        url, one_off = await _subscribe(h, cao)
        async with aiohttp.ClientSession() as http, http.get(url) as res:
            feed = await res.read()
        for body in (one_off, feed):
            legs = _events(body)
            assert "flight-fco-eze" in legs  # day 2: hers
            assert not set(DAY_1_FLIGHTS) & set(legs)  # not hers: absent, not even cancelled
