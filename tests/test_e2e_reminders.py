"""End to end: reminders through the emulator, on time, muted, after a 429, across SIGKILL."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import BotApp, build_application
from bot.clock import RehearsalClock
from bot.config import Settings
from bot.invites import hash_code
from bot.reminders.plan import plan, rules_of
from bot.storage import NewInvite, Storage
from bot.trip.loader import load_trip
from emulator import BotApiEmulator, EmuUser
from emulator.ptb import running
from tests.e2e import ROOT

T0 = datetime(2015, 5, 19, 13, 0, tzinfo=UTC)
BA = ZoneInfo("America/Argentina/Buenos_Aires")
TOKEN = "123456:RemindersE2eTokenRemindersE2e_00"
HEAD = """id: rem-e2e
title: {{zh: 提醒測試, en: Reminder test}}
organiser: 臺中市政府
destination: 阿根廷
home_zone: Asia/Taipei
start: {day}
end: {day}
event: {{name: 測試會議, city: 布宜諾斯艾利斯, country: 阿根廷, start: {day}, end: {day}}}
purpose: [測試]
budget: {{amount: 0}}
members:
  - {{id: yi, name: 易測試, unit: 國際事務委員會, title: 委員}}
  - {{id: cao, name: 曹測試, unit: 國際事務委員會, title: 專員}}
  - {{id: desk, name: 承辦窗口, unit: 國際事務委員會, title: 窗口, travelling: false}}
contacts:
  - {{id: huang, name: 黃大使, role: 大使, organisation: 駐阿根廷代表處, why: 協助,
     talking_points: [expo]}}
talking_points:
  - {{id: expo, topic: {{zh: 宣傳花博, en: Promote the Flora Expo}},
     points: [邀請參加 2018 臺中花博]}}
reminders:
  legs:
    flight: [{{id: check-in, before: {check_in}, say: check_in}}]
    meeting: [{{id: before, before: {before}}}]
  morning: ~
  prep: ~
legs:
"""
LEG = """  - id: {id}
    kind: meeting
    title: {{zh: {title}, en: {title}}}
    start: {start}
    end: {end}
    zone: America/Argentina/Buenos_Aires
    place: 布宜諾斯艾利斯
    venue: {{zh: 代表處, en: Representative office}}
    contacts: [huang]
{extra}"""
FLIGHT = """  - id: flight
    kind: flight
    title: {{zh: 搭機：羅馬 → 布宜諾斯艾利斯, en: "Flight: Rome → Buenos Aires"}}
    from: {{airport: FCO, city: 羅馬, zone: Europe/Rome, terminal: "3"}}
    to: {{airport: EZE, city: 布宜諾斯艾利斯, zone: America/Argentina/Buenos_Aires}}
    start: {start}
    end: {end}
    assumed: true
"""


def _local(instant: datetime, zone: ZoneInfo) -> str:
    return instant.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def write_trip(
    folder: Path,
    t0: datetime,
    legs: list[tuple[str, float, str]],
    *,
    before: str = "30s",
    check_in: str = "24h",
    flight_at: float | None = None,
) -> None:
    """A trip whose meetings start `seconds` after t0 (extra YAML per leg), in Buenos Aires."""
    folder.mkdir(parents=True, exist_ok=True)
    text = HEAD.format(day=t0.astimezone(BA).date(), before=before, check_in=check_in)
    for title, seconds, extra in legs:
        start = t0 + timedelta(seconds=seconds)
        text += LEG.format(
            id=title.lower(),
            title=title,
            start=_local(start, BA),
            end=_local(start + timedelta(hours=1), BA),
            extra=extra,
        )
    if flight_at is not None:
        start = t0 + timedelta(seconds=flight_at)
        text += FLIGHT.format(
            start=_local(start, ZoneInfo("Europe/Rome")),
            end=_local(start + timedelta(hours=13), BA),
        )
    (folder / "trip.yaml").write_text(text, encoding="utf-8")


async def admit(data: Path, users: list[tuple[EmuUser, str, str]], now: datetime) -> None:
    """Admit accounts directly in the database the bot will open."""
    store = await Storage.open(data / "bot.sqlite3")
    for user, member, role in users:
        code = f"code-{user.id}"
        await store.create_invite(
            NewInvite(
                hash_code(code),
                "rem-e2e",
                member,
                role,
                "test",  # type: ignore[arg-type]
                now,
                now + timedelta(days=1),
            )
        )
        await store.redeem_invite(
            hash_code(code), user_id=user.id, chat_id=user.id, lang="zh", name=member, now=now
        )
    await store.close()


@asynccontextmanager
async def rehearsal(tmp_path: Path, emu: BotApiEmulator) -> AsyncIterator[tuple[BotApp, float]]:
    """The real bot on a rehearsal clock from T0; also the monotonic instant of T0."""
    clock = RehearsalClock(T0)
    mono0 = time.monotonic()
    trips = {"rem-e2e": load_trip(tmp_path / "content" / "rem-e2e")}
    settings = Settings(
        base_url=emu.base_url,
        base_file_url=emu.base_file_url,
        data_dir=tmp_path / "data",
        content_dir=tmp_path / "content",
        rate_limit=0,
    )  # our own deliverer paces; PTB's limiter is off here
    app = build_application(settings, trips=trips, clock=clock)
    async with running(app, poll_timeout=1.0):
        yield app, mono0


def _texts(emu: BotApiEmulator, user: EmuUser) -> list[str]:
    return [m.text or "" for m in emu.messages(user)]


async def test_reminders_arrive_on_time_with_the_right_text_and_not_to_the_muted(
    tmp_path: Path,
) -> None:
    # Alpha at +33 s (reminder due at +3 s), Bravo at +35 s (due at +5 s); the flight's check-in
    # is due at +6 s and its text says the time is assumed.
    write_trip(
        tmp_path / "content" / "rem-e2e",
        T0,
        [("Alpha", 33, ""), ("Bravo", 35, "")],
        check_in="60s",
        flight_at=66,
    )
    async with BotApiEmulator(bot_username="rem_bot") as emu:
        yi, cao, desk = (
            emu.user(n, language_code="zh-hant", started=True) for n in ("yi", "cao", "desk")
        )
        await admit(
            tmp_path / "data",
            [(yi, "yi", "delegate"), (cao, "cao", "delegate"), (desk, "desk", "coordinator")],
            T0,
        )
        async with rehearsal(tmp_path, emu) as (_, mono0):
            await emu.send_text(cao, "/reminders off")
            assert "已關閉提醒" in ((await emu.wait_for(cao)).text or "")
            await emu.send_text(yi, "/reminders")
            listing = (await emu.wait_for(yi)).text or ""
            assert "接下來的提醒（3）" in listing and "即將開始：Alpha" in listing
            got = await emu.wait_for_many(yi, 3, timeout=12)
            await asyncio.sleep(1.0)
            assert _texts(emu, cao) == [_texts(emu, cao)[0]]  # only the reply to /reminders
            assert emu.messages(desk) == []  # the home desk does not travel
    due = {"Alpha": 3.0, "Bravo": 5.0, "羅馬": 6.0}
    for message, (needle, at) in zip(got, due.items(), strict=True):
        assert needle in (message.text or "")
        late = message.arrived_at - (mono0 + at)
        assert -0.05 <= late <= 2.0, (needle, late)
    alpha, flight = got[0].text or "", got[2].text or ""
    assert alpha.startswith("⏰ 不到 1 分後開始") and "黃大使" in alpha and "宣傳花博" in alpha
    assert "｜台北" in alpha and "布宜諾斯艾利斯 UTC−3" in alpha  # CLDR: the trip names no Taipei
    assert flight.startswith("✈️ 請辦理線上報到") and "FCO（羅馬）第 3 航廈" in flight
    assert "（時間為預估）" in flight and "EZE" in flight


async def test_a_429_delays_a_reminder_but_does_not_lose_it(tmp_path: Path) -> None:
    write_trip(tmp_path / "content" / "rem-e2e", T0, [("Alpha", 32, "")])
    async with BotApiEmulator(bot_username="rem_bot") as emu:
        yi = emu.user("yi", language_code="zh-hant", started=True)
        await admit(tmp_path / "data", [(yi, "yi", "delegate")], T0)
        emu.fail_next("sendMessage", status=429, retry_after=1, chat_id=yi)
        async with rehearsal(tmp_path, emu) as (app, mono0):
            message = await emu.wait_for(yi, timeout=8)
            await asyncio.sleep(1.0)
            assert emu.drain(yi) == []  # once
            states = await app.bot_data.storage.send_states("rem-e2e/leg:alpha/before")
    assert "Alpha" in (message.text or "") and emu.stats.injected == 1
    assert 1.0 <= message.arrived_at - (mono0 + 2.0) <= 3.0  # due at +2 s, retried after 1 s
    assert states == {yi.id: "sent"}


async def test_coordinators_see_reminders_missed_while_the_bot_was_down(tmp_path: Path) -> None:
    write_trip(tmp_path / "content" / "rem-e2e", T0, [("Alpha", -60, ""), ("Bravo", 600, "")])
    trip = load_trip(tmp_path / "content" / "rem-e2e")
    earlier = T0 - timedelta(minutes=5)
    async with BotApiEmulator(bot_username="rem_bot") as emu:
        desk = emu.user("desk", language_code="en", started=True)
        await admit(tmp_path / "data", [(desk, "desk", "coordinator")], earlier)
        store = await Storage.open(tmp_path / "data" / "bot.sqlite3")
        await store.sync_reminders(plan(trip, rules_of(trip), earlier), [trip.id], earlier)
        await store.set_language(desk.id, "en")
        await store.close()
        async with rehearsal(tmp_path, emu):
            await emu.send_text(desk, "/reminders")
            text = (await emu.wait_for(desk)).text or ""
    assert "No reminders to come" in text  # the desk does not travel: no leg reminders
    assert "did not go out" in text and "starting soon: Alpha — missed" in text


async def _spawn(emu: BotApiEmulator, tmp_path: Path) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": emu.base_url,
        "TELEGRAM_BASE_FILE_URL": emu.base_file_url,
        "BOT_DATA_DIR": str(tmp_path / "data"),
        "BOT_CONTENT_DIR": str(tmp_path / "content"),
        "BOT_LOG_LEVEL": "WARNING",
    }
    env.pop("BOT_CLOCK_START", None)  # real time: a restart must not rewind the clock
    polls = emu.stats.calls.get("getUpdates", 0)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=(tmp_path / "bot.log").open("ab"),
    )
    await emu.wait_until(lambda: emu.stats.calls.get("getUpdates", 0) > polls, 20, "polling")
    return proc


async def test_sigkill_before_a_due_instant_sends_it_once_on_restart(tmp_path: Path) -> None:
    # Real time: Alpha's reminder is due at +6 s, Bravo's at +9 s (useful until Bravo starts),
    # Charlie's at +10 s with a 1 s grace. The bot is killed at ~+7 s and back at ~+12 s.
    t0 = datetime.now(UTC)
    write_trip(
        tmp_path / "content" / "rem-e2e",
        t0,
        [
            ("Alpha", 36, ""),
            ("Bravo", 39, ""),
            ("Charlie", 40, "    reminders: [{id: before, before: 30s, grace: 1s}]\n"),
        ],
    )
    async with BotApiEmulator(token=TOKEN) as emu:
        yi = emu.user("yi", language_code="zh-hant", started=True)
        await admit(tmp_path / "data", [(yi, "yi", "delegate")], t0)
        bot = await _spawn(emu, tmp_path)
        try:
            first = await emu.wait_for(yi, timeout=15)
            assert "Alpha" in (first.text or "")
            await asyncio.sleep(0.5)  # let it record the send (a kill in between: unconfirmed)
            bot.send_signal(signal.SIGKILL)
            await bot.wait()
            await asyncio.sleep(
                max(0.0, (t0 + timedelta(seconds=12) - datetime.now(UTC)).total_seconds())
            )
            bot = await _spawn(emu, tmp_path)
            second = await emu.wait_for(yi, timeout=10)
            await asyncio.sleep(1.5)
            assert emu.drain(yi) == []
        finally:
            if bot.returncode is None:
                bot.send_signal(signal.SIGTERM)
                await asyncio.wait_for(bot.wait(), 20)
    assert "Bravo" in (second.text or "")
    texts = _texts(emu, yi)
    assert [sum(name in t for t in texts) for name in ("Alpha", "Bravo", "Charlie")] == [1, 1, 0]
    store = await Storage.open(tmp_path / "data" / "bot.sqlite3")
    try:
        charlie = await store.reminder("rem-e2e/leg:charlie/before")
        assert charlie is not None and charlie.state == "missed"
        assert await store.send_states("rem-e2e/leg:alpha/before") == {yi.id: "sent"}
    finally:
        await store.close()
