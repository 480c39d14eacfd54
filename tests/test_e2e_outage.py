"""End to end: a Bot API outage (connections refused, then 5xx) during a 60-recipient broadcast
and two due reminders loses nothing; after recovery every recipient gets each once.

The outage is 2 × 10 s here instead of 2 × 60 s, and the retry cap 2 s instead of 30 s: the
same backoff, scaled down so the test stays short.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from bot.app import build_application
from bot.clock import RehearsalClock
from bot.config import Settings
from bot.trip.loader import load_trip
from emulator import BotApiEmulator, EmuUser
from emulator.ptb import running
from tests.test_e2e_broadcast_crash import DELEGATES, NOTICE, poll
from tests.test_e2e_reminders import T0, admit, write_trip

TRIP = "rem-e2e"
OUTAGE = 10.0  # seconds refused, then as many answered 502


def write_trip_with_delegates(folder: Path) -> None:
    """Alpha in three hours (the change); Bravo and Charlie start at +60 s and +62 s, their
    reminders due at +10 s and +12 s: inside the outage, still useful after it."""
    write_trip(
        folder, T0, [("Alpha", 3 * 3600, ""), ("Bravo", 60, ""), ("Charlie", 62, "")], before="50s"
    )
    path = folder / "trip.yaml"
    extra = "".join(
        f"  - {{id: d{i:02}, name: 代表{i:02}, unit: 國際事務委員會, title: 委員}}\n"
        for i in range(DELEGATES)
    )
    path.write_text(path.read_text("utf-8").replace("members:\n", f"members:\n{extra}", 1), "utf-8")


def counts(emu: BotApiEmulator, users: list[EmuUser], needle: str) -> Counter[int]:
    """How many messages starting with or containing `needle` each user got."""
    return Counter({u.id: sum(needle in (m.text or "") for m in emu.messages(u)) for u in users})


def states(tmp_path: Path, kind: str) -> Counter[str]:
    """How many outbox rows of `kind` (notice, reminder) are in each state."""
    with sqlite3.connect(tmp_path / "data" / "bot.sqlite3") as db:
        sql = "SELECT state, COUNT(*) FROM outbox WHERE kind = ? GROUP BY state"
        return Counter(dict(db.execute(sql, (kind,))))


async def test_an_outage_during_a_broadcast_and_reminders_loses_nothing(tmp_path: Path) -> None:
    write_trip_with_delegates(tmp_path / "content" / TRIP)
    async with BotApiEmulator(bot_username="outage_bot") as emu:
        desk = emu.user("desk", language_code="zh-hant", started=True)
        users = [
            emu.user(f"d{i:02}", language_code="zh-hant", started=True) for i in range(DELEGATES)
        ]
        members = [(u, f"d{i:02}", "delegate") for i, u in enumerate(users)]
        await admit(
            tmp_path / "data", [(desk, "desk", "coordinator"), *members], T0 - timedelta(minutes=1)
        )
        settings = Settings(
            base_url=emu.base_url,
            base_file_url=emu.base_file_url,
            data_dir=tmp_path / "data",
            content_dir=tmp_path / "content",
            pack_on_publish=False,  # as in tests/e2e.py: no extra notice
            rate_limit=0,
            send_retry_cap=2.0,
        )
        trips = {TRIP: load_trip(tmp_path / "content" / TRIP)}
        app = build_application(settings, trips=trips, clock=RehearsalClock(T0))
        began = time.monotonic()
        async with running(app, poll_timeout=1.0):
            await emu.send_text(desk, "/delay alpha 30m 交通管制")
            preview = await emu.wait_for(desk, timeout=10)
            await emu.press(desk, preview, "📣 發布")
            await poll(lambda: counts(emu, users, NOTICE).total() >= 5, 10, "the broadcast")
            await emu.refuse_connections()
            during = counts(emu, users, NOTICE).total()
            await asyncio.sleep(OUTAGE)
            await emu.accept_connections()
            emu.fail_next("*", status=502, times=10**6)
            await asyncio.sleep(OUTAGE)
            emu.clear_failures()
            assert time.monotonic() - began > 12  # both reminders fell due inside the outage

            def all_delivered() -> bool:
                return (
                    min(counts(emu, users, NOTICE).values()) >= 1
                    and min(counts(emu, users, "Bravo").values()) >= 1
                    and min(counts(emu, users, "Charlie").values()) >= 1
                )

            await poll(all_delivered, 30, "everything after recovery")
            await asyncio.sleep(2.5)  # anything more would be a duplicate
            notices = counts(emu, users, NOTICE)
            bravo, charlie = counts(emu, users, "Bravo"), counts(emu, users, "Charlie")
            ops = await app.bot_data.storage.ops_counts(app.bot_data.now())
            backlog = {name: depth for name, (depth, _) in ops.outboxes.items()}
    assert during < DELEGATES  # the outage began in the middle of the broadcast
    assert set(notices.values()) == {1}, notices
    assert set(bravo.values()) == {1} and set(charlie.values()) == {1}
    assert states(tmp_path, "notice") == {"sent": DELEGATES}
    assert states(tmp_path, "reminder") == {"sent": 2 * DELEGATES}
    assert backlog == {"notices": 0, "reminders": 0, "digests": 0}  # what /healthz and /metrics see


async def test_a_permanent_error_ends_the_row_and_coordinators_see_it(tmp_path: Path) -> None:
    write_trip(
        tmp_path / "content" / TRIP, T0, [("Alpha", 3 * 3600, ""), ("Bravo", 40, "")], before="35s"
    )
    async with BotApiEmulator(bot_username="outage_bot") as emu:
        desk = emu.user("desk", language_code="en", started=True)
        yi = emu.user("yi", language_code="zh-hant", started=True)
        cao = emu.user("cao", language_code="zh-hant", started=True)
        await admit(
            tmp_path / "data",
            [(desk, "desk", "coordinator"), (yi, "yi", "delegate"), (cao, "cao", "delegate")],
            T0,
        )
        emu.fail_next(
            "sendMessage",
            status=400,
            description="Bad Request: chat not found",
            chat_id=yi,
            times=100,
        )
        settings = Settings(
            base_url=emu.base_url,
            base_file_url=emu.base_file_url,
            data_dir=tmp_path / "data",
            content_dir=tmp_path / "content",
            pack_on_publish=False,  # as in tests/e2e.py: no extra notice
            rate_limit=0,
            send_retry_cap=2.0,
        )
        trips = {TRIP: load_trip(tmp_path / "content" / TRIP)}
        app = build_application(settings, trips=trips, clock=RehearsalClock(T0))
        async with running(app, poll_timeout=1.0):
            await emu.send_text(desk, "/announce Bus at 8")
            preview = await emu.wait_for(desk, timeout=10)
            await emu.press(desk, preview, "📣 發布")
            await emu.wait_for(desk, timeout=10)
            await poll(
                lambda: any("Bravo" in (m.text or "") for m in emu.messages(cao)),
                15,
                "the reminder",
            )
            await asyncio.sleep(1.0)
            await emu.send_text(desk, "/acks")
            acks = (await emu.wait_for(desk, timeout=10)).text or ""
            await emu.send_text(desk, "/reminders")
            problems = (await emu.wait_for(desk, timeout=10)).text or ""
    assert "無法送達" in acks and "易測試: Chat not found" in acks
    assert states(tmp_path, "notice") == {"sent": 1, "failed": 1}
    assert states(tmp_path, "reminder") == {"sent": 1, "failed": 1}
    assert "傳送失敗" in problems and "Bravo" in problems
