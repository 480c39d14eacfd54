"""Replies in both languages: every time carries its zone, Taipei beside it where it differs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.briefing import brief_reply, itinerary_reply, next_reply, now_reply
from bot.formatting.clock import duration, utc_offset, zone_label
from bot.formatting.legs import leg_block, split_message
from bot.formatting.people import contact_card
from bot.people import find_contacts, find_points
from bot.trip.models import Trip


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_offsets_and_zone_labels() -> None:
    ba, india = ZoneInfo("America/Argentina/Buenos_Aires"), ZoneInfo("Asia/Kolkata")
    instant = at("2015-05-18T12:00Z")
    assert utc_offset(instant, ba) == "UTC−3" and utc_offset(instant, india) == "UTC+5:30"
    assert zone_label(instant, ba, "zh") == "布宜諾斯艾利斯 UTC−3"
    assert zone_label(instant, ZoneInfo("Pacific/Auckland"), "en") == "Auckland UTC+12"


def test_flight_shows_each_end_in_its_zone_and_taipei(metropolis: Trip) -> None:
    flight = metropolis.legs_by_id["flight-fco-eze"]
    zh = leg_block(flight, metropolis, "zh")
    assert "11:55 羅馬 UTC+2 → 20:30 布宜諾斯艾利斯 UTC−3" in zh
    assert "臺北 17:55 → 5/18（一） 07:30" in zh and "FCO→EZE" in zh and "預估" in zh
    en = leg_block(flight, metropolis, "en")
    assert "11:55 Rome UTC+2 → 20:30 Buenos Aires UTC−3" in en
    assert "Taipei 17:55 → Mon 18 May 07:30" in en and "assumed" in en


def test_a_leg_in_taipei_shows_no_second_clock(metropolis: Trip) -> None:
    last = metropolis.legs_by_id["flight-bkk-tpe"]
    text = leg_block(last, metropolis, "en")
    assert "Bangkok UTC+7 → 15:10 Taipei UTC+8" in text
    first = metropolis.legs_by_id["flight-tpe-del"]
    assert " | Taipei" in leg_block(first, metropolis, "en")  # arrival in Delhi differs


def test_itinerary_day_and_whole_trip(metropolis: Trip) -> None:
    day = itinerary_reply(metropolis, [date(2015, 5, 17)], "zh", changed=set())
    assert day.startswith("<b>5/17（日）</b>") and "羅馬" in day
    whole = itinerary_reply(metropolis, metropolis.days(), "en", changed={"standby"})
    assert whole.count("<b>") >= len(metropolis.days()) and "🔄" in whole
    outside = itinerary_reply(metropolis, [date(2015, 6, 1)], "en", changed=set())
    assert "outside the trip" in outside


def test_now_next_and_brief_in_both_languages(metropolis: Trip) -> None:
    now = at("2015-05-19T10:00-03:00")
    text = now_reply(metropolis, now, "zh", set())
    assert "5/19（二） 10:00 布宜諾斯艾利斯 UTC−3｜臺北 21:00" in text and "專題演講" in text
    assert "Next (in 2 h 30 min)" in next_reply(metropolis, now, "en", set())
    brief = brief_reply(metropolis, now, "en", set())
    assert (
        "Where: Buenos Aires" in brief and "Meeting today" in brief and "Huang Lien-sheng" in brief
    )


def test_brief_before_departure_counts_days(metropolis: Trip) -> None:
    text = brief_reply(metropolis, at("2015-05-13T09:00+08:00"), "zh", set())
    assert "出發前 3 天" in text and "新德里" in text


def test_duration_words() -> None:
    assert duration(timedelta(hours=2, minutes=5), "zh") == "2 小時 5 分"
    assert duration(timedelta(days=1, hours=3, minutes=4), "en") == "1 d 3 h"
    assert duration(timedelta(seconds=20), "en") == "under 1 min"


@pytest.mark.parametrize(
    ("left", "zh", "en"),
    [
        (timedelta(minutes=30), "30 分", "30 min"),  # at 08:00 the 08:30 leg is 30 min away
        (timedelta(minutes=29, seconds=59, microseconds=500_000), "30 分", "30 min"),
        (timedelta(minutes=4, seconds=1), "5 分", "5 min"),
        (timedelta(minutes=1), "1 分", "1 min"),
        (timedelta(seconds=59), "不到 1 分", "under 1 min"),
        (timedelta(hours=1, seconds=1), "1 小時 1 分", "1 h 1 min"),
        (timedelta(minutes=-3), "不到 1 分", "under 1 min"),
    ],
)
def test_minutes_left_count_up_never_down(left: timedelta, zh: str, en: str) -> None:
    assert (duration(left, "zh"), duration(left, "en")) == (zh, en)


def test_contact_search_ignores_accents_and_scripts(metropolis: Trip) -> None:
    assert [c.id for c in find_contacts(metropolis, "chacon")] == ["daniela-chacon-arias"]
    assert [c.id for c in find_contacts(metropolis, "HUCHON")] == ["jean-paul-huchon"]
    assert {c.id for c in find_contacts(metropolis, "廣州")} >= {"yue-chaoyang", "yang-jiancheng"}
    assert find_contacts(metropolis, "nobody-here") == []
    assert [p.id for p in find_points(metropolis, "flora")] == ["flora-expo-2018"]


def test_contact_card_has_why_careful_and_points(metropolis: Trip) -> None:
    card = contact_card(metropolis, metropolis.contacts_by_id["yue-chaoyang"], "zh")
    assert "重要性" in card and "注意" in card and "可提議題" in card


def test_split_message_respects_the_limit() -> None:
    text = "\n\n".join(f"block {i} " + "字" * 300 for i in range(40))
    parts = split_message(text, limit=1000)
    assert all(len(p) <= 1000 for p in parts) and len(parts) > 10
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")
