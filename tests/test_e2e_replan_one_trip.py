"""End to end: a change published on one trip re-plans that trip's reminders and check-ins
alone; another trip's rows and timers are left exactly as they were."""

from __future__ import annotations

import logging
import re
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import build_application
from bot.clock import RehearsalClock
from bot.config import Settings
from bot.invites import hash_code
from bot.storage import NewInvite, Storage
from bot.trip.loader import load_trips
from emulator import BotApiEmulator
from emulator.ptb import running

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime.fromisoformat("2015-05-12T10:00:00-03:00").astimezone(UTC)  # before departure
A, B = "metropolis-2015", "other-trip"


def _write(content: Path) -> None:
    shutil.copytree(ROOT / "content" / A, content / A)
    shutil.copytree(ROOT / "content" / A, content / B)
    trip = content / B / "trip.yaml"
    lines = trip.read_text(encoding="utf-8").splitlines()
    trip.write_text(
        "\n".join(f"id: {B}" if x.startswith("id: ") else x for x in lines) + "\n", "utf-8"
    )


def _rows(db: Path, trip_id: str) -> list[tuple[str, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT key, due_at, state, changed_at FROM reminders WHERE trip_id=? ORDER BY key",
            (trip_id,),
        ).fetchall()


async def test_a_change_re_plans_only_its_own_trip(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _write(tmp_path / "content")
    async with BotApiEmulator() as emu:
        desk = emu.user("desk", language_code="zh-hant", started=True)
        store = await Storage.open(tmp_path / "data" / "bot.sqlite3")
        expires = T0 + timedelta(days=1)
        await store.create_invite(
            NewInvite(hash_code("c"), A, "intl-desk", "coordinator", "t", T0, expires)
        )
        await store.redeem_invite(
            hash_code("c"), user_id=desk.id, chat_id=desk.id, lang="zh", name="desk", now=T0
        )
        await store.close()
        settings = Settings(
            base_url=emu.base_url,
            base_file_url=emu.base_file_url,
            data_dir=tmp_path / "data",
            content_dir=tmp_path / "content",
            pack_on_publish=False,
            rate_limit=0,
        )
        trips = load_trips(tmp_path / "content")
        app = build_application(settings, trips=trips, clock=RehearsalClock(T0))
        db = tmp_path / "data" / "bot.sqlite3"
        async with running(app, poll_timeout=1.0):
            timers = app.bot_data.timers
            before_b, before_a = _rows(db, B), _rows(db, A)
            reminders = app.bot_data.reminders
            mine = {n: i for n, i in timers.due().items() if f"{B}:" in n}
            mine_starts = {k: i for k, i in reminders.starts.items() if k.startswith(f"{B}/")}
            assert before_b and mine and mine_starts
            caplog.set_level(logging.INFO, logger="bot.changes.service")
            await emu.send_text(desk, "/delay opening-ceremony 30m 交通管制")
            preview = await emu.wait_for(desk, timeout=10)
            await emu.press(desk, preview, "📣 發布")
            assert ((await emu.wait_for(desk, timeout=10)).text or "").startswith("✅ 已發布")
            after = {n: i for n, i in timers.due().items() if f"{B}:" in n}
            after_starts = {k: i for k, i in reminders.starts.items() if k.startswith(f"{B}/")}
            after_a = _rows(db, A)
    # The other trip: not one row rewritten, every timer where it was.
    assert _rows(db, B) == before_b
    assert after == mine and after_starts == mine_starts
    # This trip: the moved leg's reminder moved by 30 minutes, and only this trip was counted.
    moved = [(o, n) for o, n in zip(before_a, after_a, strict=True) if o != n]
    assert moved and all("opening-ceremony" in o[0] for o, _ in moved)
    line = next(r.getMessage() for r in caplog.records if "after a change to" in r.getMessage())
    found = re.search(rf"after a change to {A}, reminders: (\d+) scheduled", line)
    assert found and int(found[1]) == len([r for r in after_a if r[2] == "planned"]), line
