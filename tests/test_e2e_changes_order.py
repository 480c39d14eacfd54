"""End to end: a schedule change has one owner, which records the version, updates the effective
trip, queues the notices and re-plans the reminders, in that order.

The order is read off the real database and the bot's memory at the instant the owner says the
version is published, before the re-planning: by then the version and its notices are committed
and the effective trip has moved, while the reminder rows still hold the old plan.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.app import BotApp
from emulator import BotApiEmulator
from tests.test_e2e_changes_reminders import TRIP, publish, rehearsal
from tests.test_e2e_reminders import T0, admit, write_trip

KEY = f"{TRIP}/leg:bravo/before"  # Bravo's reminder, 30 s before it starts (write_trip's rule)


@dataclass(frozen=True)
class Seen:
    """What the database and the bot's memory held when the owner said "published"."""

    version: int
    notices: int
    bravo_start: datetime
    reminder_due: datetime


class AtPublished(logging.Handler):
    """Looks at the real state the moment the changes service logs a published version."""

    def __init__(self, app: BotApp, db: Path) -> None:
        super().__init__()
        self.app, self.db = app, db
        self.seen: list[Seen] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "published" not in record.getMessage():
            return
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True) as db:
            (version,) = db.execute(
                "SELECT coalesce(max(version), 0) FROM changes WHERE trip_id = ?", (TRIP,)
            ).fetchone()
            (notices,) = db.execute(
                "SELECT count(*) FROM outbox s JOIN notices n ON CAST(n.id AS TEXT) = s.ref "
                "WHERE s.kind = 'notice' AND n.trip_id = ? AND n.version = ?",
                (TRIP, version),
            ).fetchone()
            (due,) = db.execute("SELECT due_at FROM reminders WHERE key = ?", (KEY,)).fetchone()
        start = self.app.bot_data.trips[TRIP].legs_by_id["bravo"].start_at
        self.seen.append(Seen(version, notices, start, datetime.fromisoformat(due)))


async def test_publish_records_then_updates_the_trip_then_notifies_then_replans(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_trip(tmp_path / "content" / TRIP, T0, [("Bravo", 3600, "")])
    start, moved = T0 + timedelta(hours=1), timedelta(minutes=10)
    async with BotApiEmulator(bot_username="chg_order_bot") as emu:
        yi = emu.user("yi", language_code="zh-hant", started=True)
        desk = emu.user("desk", language_code="zh-hant", started=True)
        await admit(tmp_path / "data", [(yi, "yi", "delegate"), (desk, "desk", "coordinator")], T0)
        async with rehearsal(tmp_path, emu) as (app, clock, _):
            watch = AtPublished(app, tmp_path / "data" / "bot.sqlite3")
            service_log = logging.getLogger("bot.changes.service")
            service_log.addHandler(watch)
            caplog.set_level(logging.INFO, logger="bot.changes.service")
            try:
                await publish(emu, desk, "/delay bravo 10m 交通管制")
            finally:
                service_log.removeHandler(watch)
            rows = {
                r.plan.key: r.plan
                for r in await app.bot_data.storage.upcoming_reminders(TRIP, clock.now())
            }
            await emu.wait_until(
                lambda: any("交通管制" in (m.text or "") for m in emu.messages(yi)), 10, "notice"
            )
    (seen,) = watch.seen
    # 1. recorded: the version and one notice row per recipient, committed together,
    assert seen.version == 1 and seen.notices == 1, seen
    # 2. then the effective trip in memory moved,
    assert seen.bravo_start == start + moved, seen
    # 3. notices queued (above) — and only then 4. the reminders re-planned from that trip.
    assert seen.reminder_due == start - timedelta(seconds=30), "re-planned before publishing"
    assert rows[KEY].due_at == start + moved - timedelta(seconds=30)
    messages = [r.getMessage() for r in caplog.records if r.name == "bot.changes.service"]
    published = next(i for i, m in enumerate(messages) if "published" in m)
    replanned = next(i for i, m in enumerate(messages) if m.startswith("after a change"))
    assert published < replanned, messages
