"""End to end: /sos gives the office and numbers for where the delegation is, tonight's hotel,
and sends them as venues; it answers every member while storage cannot be written."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests import e2e
from tests.e2e import bot_harness

DAY_1 = datetime(2015, 5, 18, 13, 0, tzinfo=UTC)  # 10:00 in Buenos Aires
DAY_4 = datetime(2015, 5, 21, 13, 0, tzinfo=UTC)
IN_DELHI = datetime(2015, 5, 16, 14, 30, tzinfo=UTC)  # 20:00 in New Delhi, between flights

HOTELS = """hotels:
  - id: first
    name: {zh: 第一旅館, en: First Hotel}
    address: {zh: 五月大道 1 號, en: 1 Avenida de Mayo}
    phones: [{number: +54 11 0000 0001}, {number: +54 9 11 0000 0002, private: true}]
    location: {lat: -34.6090, lon: -58.3800}
    check_in: 2015-05-17
    check_out: 2015-05-20
  - id: second
    name: {zh: 第二旅館, en: Second Hotel}
    city: {zh: 布宜諾斯艾利斯, en: Buenos Aires}
    location: {lat: -34.5900, lon: -58.3900}
    check_in: 2015-05-20
    check_out: 2015-05-23

emergency:"""


@pytest.fixture
def two_hotels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "content"
    shutil.copytree(e2e.TRIP_DIRS["metropolis-2015"], folder)
    kit = folder / "fieldkit.yaml"
    text = kit.read_text("utf-8")
    kit.write_text(HOTELS + text.split("\nemergency:", 1)[1], "utf-8")
    monkeypatch.setitem(e2e.TRIP_DIRS, "metropolis-2015", folder)


@pytest.mark.usefixtures("two_hotels")
async def test_sos_on_two_days_sends_the_office_and_two_hotels_as_venues(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, DAY_1) as h:
        cao = await h.join("cao-kaiwen")
        card, office, hotel = await h.ask_all(cao, "/sos")
        text = card.text or ""
        assert text.startswith("🆘 緊急聯絡卡（5/18（一） 10:00 布宜諾斯艾利斯 UTC−3）")
        assert "駐阿根廷代表處" in text and "911" in text and "⚠️待確認" in text
        assert "黃聯昇" in text and "今晚住宿：第一旅館" in text
        assert "+54 11 0000 0001" in text and "0000 0002" not in text  # a delegate: no private
        assert office.venue is not None and office.venue["title"].endswith("駐阿根廷代表處")
        assert hotel.venue == {
            "location": {"latitude": -34.609, "longitude": -58.38},
            "title": "第一旅館",
            "address": "五月大道 1 號",
        }
        h.clock.set(DAY_4)
        replies = await h.ask_all(cao, "/sos")
        assert "第二旅館" in (replies[0].text or "")
        assert replies[2].venue is not None and replies[2].venue["title"] == "第二旅館"
        assert replies[2].venue["address"] == "布宜諾斯艾利斯"


@pytest.mark.usefixtures("two_hotels")
async def test_sos_for_a_coordinator_in_english_has_the_private_number(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, DAY_1) as h:
        desk = await h.join("intl-desk", "coordinator", language_code="en")
        card = (await h.ask_all(desk, "/sos"))[0].text or ""
        assert card.startswith("🆘 Emergency card (Mon 18 May 10:00 Buenos Aires UTC−3)")
        assert "+54 9 11 0000 0002 🔒" in card and "Tonight: First Hotel" in card


async def test_sos_between_flights_has_the_transit_country_and_no_hotel(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, IN_DELHI) as h:
        yi = await h.join("yi-rongzong")
        replies = await h.ask_all(yi, "/sos")
        # The office has no location here: no venue. (On a slow start a reminder due at the
        # start may also reach the member who just joined.)
        assert not [m for m in replies if m.method == "sendVenue"]
        (card,) = [m for m in replies if (m.text or "").startswith("🆘")]
        text = card.text or ""
        assert "印度（新德里轉機）" in text and "112 ⚠️待確認" in text
        assert "+886 800 085 095" in text and "今晚無住宿資料" in text


@pytest.mark.sqlite_only  # PRAGMA query_only: SQLite's switch for a read-only database
async def test_sos_answers_every_member_with_storage_read_only(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, DAY_1) as h:
        yi = await h.join("yi-rongzong")
        cao = await h.join("cao-kaiwen", language_code="en")
        await h.app.bot_data.storage.db.execute("PRAGMA query_only = ON")
        # Other features fail: the reply language cannot be saved, so /sos stays in Chinese.
        await h.emu.send_text(yi, "/lang en")
        for user, header in ((yi, "🆘 緊急聯絡卡"), (cao, "🆘 Emergency card")):
            card, office = await h.ask_all(user, "/sos")
            assert (card.text or "").startswith(header)
            assert office.venue is not None
        member = await h.app.bot_data.storage.membership(yi.id)
        assert member is not None and member.lang == "zh"


IN_FRANKFURT = datetime(2015, 10, 24, 10, 0, tzinfo=UTC)  # 12:00 in Frankfurt
IN_SAN_FRANCISCO = datetime(2015, 10, 28, 20, 0, tzinfo=UTC)  # 13:00 in San Francisco
AT_HOME = datetime(2015, 10, 22, 5, 0, tzinfo=UTC)  # 13:00 in Taipei, before departure


async def test_sos_in_two_countries_sends_two_offices_and_two_hotels(tmp_path: Path) -> None:
    """The fixture trip (tests/fixtures/trips/smart-city-2015/fieldkit.yaml) has coordinates
    for every office and hotel: each day's card sends that day's two, as venues."""
    async with bot_harness(tmp_path, IN_FRANKFURT, ("smart-city-2015",)) as h:
        chen = await h.join("chen-fanli", trip_id="smart-city-2015")
        card, office, hotel = await h.ask_all(chen, "/sos")
        assert "📌 德國" in (card.text or "") and "112" in (card.text or "")
        assert office.venue == {
            "location": {"latitude": 50.1106, "longitude": 8.6821},
            "title": "法蘭克福辦事處（虛構）",
            "address": "法蘭克福市中心",
        }
        assert hotel.venue is not None and hotel.venue["title"] == "美茵河畔旅館（虛構）"
        h.clock.set(IN_SAN_FRANCISCO)
        card, office, hotel = await h.ask_all(chen, "/sos")
        assert "📌 美國" in (card.text or "") and "911" in (card.text or "")
        assert office.venue is not None and office.venue["title"] == "舊金山辦事處（虛構）"
        assert office.venue["address"] == "美國"  # no address: the country
        assert hotel.venue == {
            "location": {"latitude": 37.779, "longitude": -122.419},
            "title": "海灣旅館（虛構）",
            "address": "舊金山",
        }
        # At home, before departure, no entry applies: still a line to call, and no venue.
        h.clock.set(AT_HOME)
        (card,) = await h.ask_all(chen, "/sos")
        text = card.text or ""
        assert "此地尚無緊急聯絡資料" in text and "+886 800 000 000" in text
        assert "🏠 臺中市政府\n" in text  # the organiser: the content names no home office
