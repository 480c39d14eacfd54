"""The coordinators' daily digest: when it goes, what it counts (pure parts), and end to end."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.fieldkit.digest import DigestFacts, digest_text, gather, next_digest
from bot.fieldkit.digests import digest_ref
from bot.formatting.clock import day_label
from bot.i18n import t
from bot.trip.loader import load_trip
from bot.trip.types import Lang
from tests.e2e import bot_harness

TRIP = load_trip(Path(__file__).resolve().parent.parent / "content" / "metropolis-2015")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2015, 5, 1, tzinfo=UTC), datetime(2015, 5, 16, 10, tzinfo=UTC)),
        (datetime(2015, 5, 19, 9, 59, tzinfo=UTC), datetime(2015, 5, 19, 10, tzinfo=UTC)),
        (datetime(2015, 5, 19, 10, 0, tzinfo=UTC), datetime(2015, 5, 20, 10, tzinfo=UTC)),
        (datetime(2015, 5, 25, 10, 0, tzinfo=UTC), None),  # the last day's has gone
    ],
)
def test_the_digest_goes_at_18_taipei_on_each_day_of_the_trip(
    now: datetime, expected: datetime | None
) -> None:
    assert next_digest(TRIP, now) == expected


def test_the_digest_says_each_count_even_when_zero() -> None:
    facts = DigestFacts(notes=[], unacked=[("Check-in", "Aide")], silent=["Aide"], not_sent=[])
    text = digest_text(TRIP, facts, datetime(2015, 5, 19, 10, tzinfo=UTC), "en")
    assert text.splitlines() == [
        "🗞 Daily digest Tue 19 May (Taipei time)",
        "📝 Notes today: 0",
        "📣 Notices not acknowledged: 1",
        "• Check-in: Aide",
        "🙋 Check-in not answered: 1",
        "• Aide",
        "⏰ Reminders that did not go out: 0",
    ]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "zh",
            [
                "📣 未確認的通知 3 則",
                "• 行程變更 v1：曹凱雯、易榮宗",
                "• 平安回報：曹凱雯",
                "⏰ 未送出的提醒 1 則",
                "• 5/19（二） 晨間簡報 — 錯過（機器人停機）",
            ],
        ),
        (
            "en",
            [
                "📣 Notices not acknowledged: 3",
                "• Change v1: Cao Kai-wen, Yi Rong-zong",
                "• Check-in: Cao Kai-wen",
                "⏰ Reminders that did not go out: 1",
                "• morning briefing, Tue 19 May — missed (the bot was down)",
            ],
        ),
    ],
)
def test_the_digest_names_members_notices_and_reminders_in_the_readers_language(
    lang: Lang, expected: list[str]
) -> None:
    change, checkin = t(lang, "acks_change", version=1), t(lang, "acks_checkin")
    cao, yi = (TRIP.members_by_id[m].name.get(lang) for m in ("cao-kaiwen", "yi-rongzong"))
    briefing = t(lang, "rem_what_morning", day=day_label(date(2015, 5, 19), lang))
    facts = DigestFacts(
        notes=[],
        unacked=[(change, cao), (change, yi), (checkin, cao)],
        silent=[],
        not_sent=[(briefing, "missed")],
    )
    lines = digest_text(TRIP, facts, datetime(2015, 5, 19, 10, tzinfo=UTC), lang).splitlines()
    assert lines[2:5] + lines[6:] == expected, lines


async def test_each_coordinator_gets_the_digest_at_its_time(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, datetime(2015, 5, 19, 9, 59, 50, tzinfo=UTC)) as h:
        desk = await h.join("intl-desk", "coordinator")
        yi = await h.join("yi-rongzong")
        await h.ask(yi, "布市自行車道系統值得參考")
        await h.emu.press(desk, await h.ask(desk, "/announce 明早大廳集合"), "📣 發布")
        await h.emu.wait_for(yi)  # the announcement, not acknowledged

        def digest() -> list[str]:
            return [m.text or "" for m in h.emu.messages(desk) if "每日摘要" in (m.text or "")]

        await h.emu.wait_until(lambda: bool(digest()), 20, "the digest")
        (text,) = digest()
        assert text.startswith("🗞 每日摘要 5/19（二）")
        assert "📝 今日筆記 1 則" in text and "• 易榮宗：1 則" in text
        assert "• 公告「明早大廳集合」：易榮宗" in text and "yi-rongzong" not in text, text
        assert not [m for m in h.emu.messages(yi) if "每日摘要" in (m.text or "")]
        # Through the one outbox: queued again (a second worker's timer, a restart), it is not
        # sent again; the row says it was sent.
        due = datetime(2015, 5, 19, 10, tzinfo=UTC)
        assert await h.app.bot_data.digests.queue(TRIP.id, due) == 0
        await asyncio.sleep(1.5)
        assert len(digest()) == 1
        states = await h.app.bot_data.storage.push_states("digest", digest_ref(TRIP.id, due))
        assert states == {desk.id: "sent"}


async def test_a_pack_notice_is_not_counted_as_waiting_for_an_answer(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, datetime(2015, 5, 19, 9, 0, tzinfo=UTC)) as h:
        desk = await h.join("intl-desk", "coordinator")
        yi = await h.join("yi-rongzong")
        yi_in = await h.app.bot_data.storage.membership(yi.id)
        assert yi_in is not None
        storage, now = h.app.bot_data.storage, h.app.bot_data.now()
        rows = await storage.create_pack_notice(TRIP.id, 1, ("📦 ready", "📦 ready"), [yi_in], now)
        h.app.bot_data.changes.broadcaster.send(rows)  # as a rebuild after a publish does
        await h.emu.press(desk, await h.ask(desk, "/announce 明早大廳集合"), "📣 發布")
        await h.emu.wait_until(
            lambda: len([m for m in h.emu.messages(yi) if "📦" in (m.text or "")]) == 1, 10, "pack"
        )
        await h.emu.wait_until(
            lambda: any("明早大廳集合" in (m.text or "") for m in h.emu.messages(yi)), 10, "notice"
        )
        facts = await gather(storage, TRIP, "zh")
        # Both reached 易榮宗 and neither was pressed: only the announcement waits for an answer.
        assert facts.unacked == [("公告「明早大廳集合」", "易榮宗")], facts.unacked
