"""End to end: a broadcast interrupted by SIGKILL completes after a restart, with no duplicates.

What the outbox promises (bot/changes/broadcast.py, bot/storage/changes.py): a recipient's row
is claimed, committed, just before its HTTP call. A row still `queued` at the kill was never
sent and goes out on the restart; a row `claimed` at the kill (a send in flight) becomes
`unconfirmed` and is not sent again blindly (the unacknowledged re-send rule covers it later);
a row `sent` stays sent. So no delegate ever gets the notice twice, and every delegate that had
no notice and no send in flight at the kill gets exactly one after the restart.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from emulator import BotApiEmulator, EmuUser
from tests.e2e import ROOT
from tests.test_e2e_reminders import T0, admit, write_trip

TOKEN = "654321:BroadcastCrashE2eTokenBroadcast_0"
TRIP = "rem-e2e"  # the trip test_e2e_reminders.write_trip writes
DELEGATES = 60  # at ~30 msg/s the broadcast takes about 2 s
KILL_AFTER = 20  # about as many notices are delivered before the SIGKILL
NOTICE = "🔄 行程變更"


def write_big_trip(folder: Path) -> None:
    """One meeting three hours after T0 (no reminder due meanwhile), and DELEGATES delegates."""
    write_trip(folder, T0, [("Alpha", 3 * 3600, "")])
    path = folder / "trip.yaml"
    extra = "".join(
        f"  - {{id: d{i:02}, name: 代表{i:02}, unit: 國際事務委員會, title: 委員}}\n"
        for i in range(DELEGATES)
    )
    path.write_text(path.read_text("utf-8").replace("members:\n", f"members:\n{extra}", 1), "utf-8")


async def spawn(emu: BotApiEmulator, tmp_path: Path) -> asyncio.subprocess.Process:
    """`python -m bot run` against the emulator, on a rehearsal clock; returns once it polls."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": emu.base_url,
        "TELEGRAM_BASE_FILE_URL": emu.base_file_url,
        "BOT_DATA_DIR": str(tmp_path / "data"),
        "BOT_CONTENT_DIR": str(tmp_path / "content"),
        "BOT_CLOCK_START": T0.isoformat(),
        "BOT_RATE_LIMIT": "0",
        "BOT_LOG_LEVEL": "WARNING",
    }
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
    await poll(
        lambda: emu.stats.calls.get("getUpdates", 0) > polls or proc.returncode is not None,
        20,
        "polling",
    )
    assert proc.returncode is None, f"the bot exited; see {tmp_path / 'bot.log'}"
    return proc


async def poll(predicate: Callable[[], bool], timeout: float, what: str) -> None:  # noqa: ASYNC109
    """Wait until `predicate()` holds, looking every 20 ms (emu.wait_until wakes only on
    messages, not on getUpdates calls or injected failures)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError(f"{what} not met within {timeout}s")
        await asyncio.sleep(0.02)


def notices(emu: BotApiEmulator, users: list[EmuUser]) -> Counter[int]:
    """How many change notices each user got."""
    return Counter(
        {u.id: sum((m.text or "").startswith(NOTICE) for m in emu.messages(u)) for u in users}
    )


def send_states(tmp_path: Path) -> dict[int, str]:
    """user_id -> state of each outbox row, read from the bot's database."""
    with sqlite3.connect(tmp_path / "data" / "bot.sqlite3") as db:
        return dict(
            db.execute("SELECT user_id, state FROM outbox WHERE kind = 'notice'").fetchall()
        )


async def test_a_broadcast_killed_midway_completes_after_restart_once_each(
    tmp_path: Path,
) -> None:
    write_big_trip(tmp_path / "content" / TRIP)
    async with BotApiEmulator(token=TOKEN) as emu:
        desk = emu.user("desk", language_code="zh-hant", started=True)
        users = [
            emu.user(f"d{i:02}", language_code="zh-hant", started=True) for i in range(DELEGATES)
        ]
        members = [(u, f"d{i:02}", "delegate") for i, u in enumerate(users)]
        await admit(
            tmp_path / "data", [(desk, "desk", "coordinator"), *members], T0 - timedelta(minutes=1)
        )
        bot = await spawn(emu, tmp_path)
        try:
            await emu.send_text(desk, "/delay alpha 30m 交通管制")
            preview = await emu.wait_for(desk, timeout=10)
            # The send to users[KILL_AFTER] gets a 429: the whole bot pauses 3 s (flood control
            # is per bot) with that row claimed and nothing delivered. Kill it in the pause.
            emu.fail_next("sendMessage", status=429, retry_after=3, chat_id=users[KILL_AFTER])
            await emu.press(desk, preview, "📣 發布")
            await poll(lambda: emu.stats.injected >= 1, 10, "the 429")
            await asyncio.sleep(0.3)
            bot.send_signal(signal.SIGKILL)
            await bot.wait()
            before = notices(emu, users)
            at_kill = send_states(tmp_path)

            bot = await spawn(emu, tmp_path)
            queued = {uid for uid, state in at_kill.items() if state == "queued"}
            await emu.wait_until(
                lambda: all(notices(emu, users)[uid] for uid in queued), 10, "the resumed broadcast"
            )
            await asyncio.sleep(1.5)  # anything more would be a duplicate
            after = notices(emu, users)
        finally:
            if bot.returncode is None:
                bot.send_signal(signal.SIGTERM)
                await asyncio.wait_for(bot.wait(), 20)
    final = send_states(tmp_path)
    ids = {u.id for u in users}
    in_flight = {uid for uid, state in at_kill.items() if state == "claimed"}
    sent = {uid for uid, state in at_kill.items() if state == "sent"}

    # The kill fell in the middle of the broadcast, and the outbox was consistent at that point.
    assert at_kill.keys() == ids  # one row per delegate, none for the author
    assert KILL_AFTER <= before.total() < DELEGATES and queued, (before.total(), len(queued))
    assert set(at_kill.values()) <= {"queued", "claimed", "sent"}
    assert all(before[uid] == 1 for uid in sent)  # recorded sent: it was delivered
    assert all(before[uid] == 0 for uid in queued)  # never claimed: never sent
    assert users[KILL_AFTER].id in in_flight and before[users[KILL_AFTER].id] == 0
    assert len(in_flight) <= 32  # the deliverer's in-flight bound

    # Never twice; everyone without a notice and without a send in flight got exactly one.
    assert max(after.values()) == 1, {uid: n for uid, n in after.items() if n > 1}
    assert all(after[uid] == 1 for uid in queued | sent)
    assert all(after[uid] == before[uid] for uid in in_flight)  # not sent again blindly
    assert {uid for uid in ids if after[uid] == 0} <= in_flight
    assert emu.messages(desk) and notices(emu, [desk]).total() == 0

    # The outbox says so: resumed rows sent, the in-flight ones unconfirmed (re-sent later by
    # the re-send rule, since they are not acknowledged).
    assert final == {uid: "unconfirmed" if uid in in_flight else "sent" for uid in ids}
