"""End to end: a published change re-plans the reminders, on a real-time rehearsal clock.

A delayed leg's old reminder does not fire and its new one does, with the new time; a reminder
already sent is not sent again because of an unrelated change.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from bot.app import BotApp, build_application
from bot.clock import RehearsalClock
from bot.config import Settings
from bot.trip.loader import load_trip
from emulator import BotApiEmulator, BotMessage, EmuUser
from emulator.ptb import running
from tests.test_e2e_reminders import T0, admit, write_trip

TRIP = "rem-e2e"  # the trip test_e2e_reminders.write_trip writes
# T0 is 10:00 in Buenos Aires (21:00 in Taipei). Per-leg rules put both early reminders at +6 s.
ALPHA = "    reminders: [{id: before, before: 12m54s}]\n"  # starts +13 min: due +6 s
BRAVO = "    reminders: [{id: before, before: 1m54s}]\n"  # starts +2 min: due +6 s
DUE = 6.0


@asynccontextmanager
async def rehearsal(
    tmp_path: Path, emu: BotApiEmulator
) -> AsyncIterator[tuple[BotApp, RehearsalClock, float]]:
    """The real bot on a rehearsal clock from T0; the clock, and the monotonic instant of T0."""
    clock = RehearsalClock(T0)
    mono0 = time.monotonic()
    settings = Settings(
        base_url=emu.base_url,
        base_file_url=emu.base_file_url,
        data_dir=tmp_path / "data",
        content_dir=tmp_path / "content",
        pack_on_publish=False,  # as in tests/e2e.py: no extra notice
        rate_limit=0,
    )
    app = build_application(
        settings, trips={TRIP: load_trip(tmp_path / "content" / TRIP)}, clock=clock
    )
    async with running(app, poll_timeout=1.0):
        yield app, clock, mono0


async def publish(emu: BotApiEmulator, desk: EmuUser, command: str) -> None:
    """A coordinator's quick change, previewed and published."""
    await emu.send_text(desk, command)
    preview = await emu.wait_for(desk)
    assert preview.button_texts() == ["📣 發布", "🗑 捨棄"], preview.text
    await emu.press(desk, preview, "📣 發布")
    assert ((await emu.wait_for(desk)).text or "").startswith("✅ 已發布")


def reminders(emu: BotApiEmulator, user: EmuUser) -> list[BotMessage]:
    """The reminders the user got so far (not change notices)."""
    return [m for m in emu.messages(user) if (m.text or "").startswith("⏰")]


def about(messages: list[BotMessage], leg: str) -> list[str]:
    return [m.text or "" for m in messages if leg in (m.text or "")]


async def test_a_delayed_legs_old_reminder_does_not_fire_and_its_new_one_does(
    tmp_path: Path,
) -> None:
    write_trip(
        tmp_path / "content" / TRIP,
        T0,
        [
            ("Alpha", 13 * 60, ALPHA),
            ("Bravo", 2 * 60, BRAVO),
            ("Charlie", 3600, ""),
        ],
    )
    async with BotApiEmulator(bot_username="chg_rem_bot") as emu:
        yi = emu.user("yi", language_code="zh-hant", started=True)
        desk = emu.user("desk", language_code="zh-hant", started=True)
        await admit(tmp_path / "data", [(yi, "yi", "delegate"), (desk, "desk", "coordinator")], T0)
        async with rehearsal(tmp_path, emu) as (app, clock, mono0):
            storage = app.bot_data.storage
            # Bravo 10:02 → 10:12: its reminder moves from +6 s to +10 min 6 s.
            await publish(emu, desk, "/delay bravo 10m 交通管制")
            assert time.monotonic() - mono0 < DUE - 2, "published too late to prove anything"

            # At the old due instant only Alpha's reminder (due at the same instant) arrives.
            await emu.wait_until(lambda: len(reminders(emu, yi)) >= 1, 15, "Alpha's reminder")
            await asyncio.sleep(max(0.0, mono0 + DUE + 3 - time.monotonic()))
            got = reminders(emu, yi)
            assert len(got) == 1 and about(got, "Alpha"), [m.text for m in got]
            assert about(got, "Bravo") == []
            rows = {
                r.plan.subject: r.plan for r in await storage.upcoming_reminders(TRIP, clock.now())
            }
            assert rows["bravo"].due_at == T0 + timedelta(minutes=10, seconds=6)

            # An unrelated change while Alpha's reminder could still go out (Alpha starts at
            # +13 min): Alpha's reminder, already sent, is not sent again.
            await publish(emu, desk, "/delay charlie 5m")
            await asyncio.sleep(2.0)
            assert len(reminders(emu, yi)) == 1

            # Time moves on to 4 s before Bravo's new due instant; the next change re-plans
            # the jobs on the new time, and Bravo's new reminder arrives, once, at 10:12.
            clock.set(T0 + timedelta(minutes=10, seconds=2))
            await publish(emu, desk, "/delay charlie 5m")
            jumped = time.monotonic()
            await emu.wait_until(lambda: len(reminders(emu, yi)) >= 2, 10, "Bravo's new reminder")
            arrived = time.monotonic() - jumped
            await asyncio.sleep(2.0)
            final = reminders(emu, yi)
            assert emu.messages(desk) and reminders(emu, desk) == []  # the desk does not travel
    assert len(final) == 2, [m.text for m in final]
    assert len(about(final, "Alpha")) == 1
    (bravo,) = about(final, "Bravo")
    assert "10:12–11:12" in bravo and "台北 21:12–22:12" in bravo, bravo  # CLDR's name
    assert "10:02" not in bravo
    assert 2.0 <= arrived <= 6.0, arrived  # due 4 s after the jump
