"""End to end: SIGKILL while a broadcast and due reminders are both going out of the one outbox.

Both kinds of row are claimed, committed, just before their HTTP call. So after a kill: a row
still `queued` was never sent and goes out once on the restart; a row `claimed` (a send in
flight) becomes `unconfirmed`, is never sent again blindly, and coordinators see it — under
/reminders for a reminder, under /acks for a notice. No message reaches anyone twice.
"""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from collections import Counter
from datetime import timedelta
from pathlib import Path

from emulator import BotApiEmulator, EmuUser
from tests.test_e2e_broadcast_crash import NOTICE, poll, spawn
from tests.test_e2e_reminders import T0, admit, write_trip

DELEGATES = 60
TRIP = "rem-e2e"
REMINDED = ("Bravo", "Charlie")  # both start at T0 + 35 s: reminders due at T0 + 5 s


def write_busy_trip(folder: Path) -> None:
    """Alpha three hours out (to be delayed), two meetings whose reminders fall due at once."""
    write_trip(folder, T0, [("Alpha", 3 * 3600, ""), ("Bravo", 35, ""), ("Charlie", 35, "")])
    path = folder / "trip.yaml"
    extra = "".join(
        f"  - {{id: d{i:02}, name: 代表{i:02}, unit: 國際事務委員會, title: 委員}}\n"
        for i in range(DELEGATES)
    )
    path.write_text(path.read_text("utf-8").replace("members:\n", f"members:\n{extra}", 1), "utf-8")


def rows(tmp_path: Path) -> dict[tuple[str, int], str]:
    """(what, user_id) -> state of every outbox row: a notice, or a reminder by its key."""
    with sqlite3.connect(tmp_path / "data" / "bot.sqlite3") as db:
        found = {
            (f"notice {n}", uid): state
            for n, uid, state in db.execute(
                "SELECT ref, user_id, state FROM outbox WHERE kind = 'notice'"
            )
        }
        found |= {
            (key, uid): state
            for key, uid, state in db.execute(
                "SELECT ref, user_id, state FROM outbox WHERE kind = 'reminder'"
            )
        }
    return found


def received(emu: BotApiEmulator, users: list[EmuUser]) -> Counter[tuple[str, int]]:
    """How many of each message each user got: the notice, and each meeting's reminder."""
    got: Counter[tuple[str, int]] = Counter()
    for u in users:
        for m in emu.messages(u):
            text = m.text or ""
            if text.startswith(NOTICE):
                got["notice 1", u.id] += 1
            for leg in REMINDED:
                if not text.startswith(NOTICE) and leg in text:
                    got[f"{TRIP}/leg:{leg.lower()}/before", u.id] += 1
    return got


async def replies(emu: BotApiEmulator, user: EmuUser, command: str) -> str:
    """Every part of the bot's answer to a command, joined."""
    await emu.send_text(user, command)
    parts = [await emu.wait_for(user, timeout=10)]
    while True:
        try:
            parts.append(await emu.wait_for(user, timeout=1.0))
        except TimeoutError:
            return "\n".join(m.text or "" for m in parts)


async def test_a_kill_amid_a_broadcast_and_due_reminders_sends_each_at_most_once(
    tmp_path: Path,
) -> None:
    write_busy_trip(tmp_path / "content" / TRIP)
    async with BotApiEmulator(token="654321:BroadcastCrashE2eTokenBroadcast_0") as emu:
        desk = emu.user("desk", language_code="zh-hant", started=True)
        users = [
            emu.user(f"d{i:02}", language_code="zh-hant", started=True) for i in range(DELEGATES)
        ]
        members = [(u, f"d{i:02}", "delegate") for i, u in enumerate(users)]
        await admit(
            tmp_path / "data", [(desk, "desk", "coordinator"), *members], T0 - timedelta(minutes=1)
        )
        every = {("notice 1", u.id) for u in users} | {
            (f"{TRIP}/leg:{leg.lower()}/before", u.id) for leg in REMINDED for u in users
        }
        bot = await spawn(emu, tmp_path)
        try:
            # The reminders start going out (120 of them, ~5 s at the outbox's pace) ...
            await poll(lambda: received(emu, users).total() > 0, 20, "the first reminder")
            # ... and a change is published into the middle of them.
            await emu.send_text(desk, "/delay alpha 30m 交通管制")
            preview = await emu.wait_for(desk, timeout=10)
            await emu.press(desk, preview, "📣 發布")
            await poll(lambda: ("notice 1", users[0].id) in rows(tmp_path), 10, "the notices")
            await poll(lambda: any(k[0] == "notice 1" for k in received(emu, users)), 10, "one")
            # A 429 pauses the whole bot 3 s with a send claimed: kill it in the pause.
            emu.fail_next("sendMessage", status=429, retry_after=3)
            await poll(lambda: emu.stats.injected >= 1, 10, "the 429")
            await asyncio.sleep(0.3)
            bot.send_signal(signal.SIGKILL)
            await bot.wait()
            before = received(emu, users)
            at_kill = rows(tmp_path)

            bot = await spawn(emu, tmp_path)
            queued = {k for k, state in at_kill.items() if state == "queued"}
            claimed = {k for k, state in at_kill.items() if state == "claimed"}
            await emu.wait_until(
                lambda: all(received(emu, users)[k] for k in every - claimed),
                30,
                "the resumed sends",
            )
            await asyncio.sleep(1.5)  # anything more would be a duplicate
            after = received(emu, users)
            emu.drain(desk)
            shown_reminders = await replies(emu, desk, "/reminders")
            shown_acks = await replies(emu, desk, "/acks")
        finally:
            if bot.returncode is None:
                bot.send_signal(signal.SIGTERM)
                await asyncio.wait_for(bot.wait(), 20)
    final = rows(tmp_path)
    in_flight = {k for k, state in at_kill.items() if state == "claimed"}
    sent = {k for k, state in at_kill.items() if state == "sent"}

    # Both kinds were in flight at the kill, and the outbox was consistent then.
    for kind in ("notice", TRIP):
        mine = {k for k in at_kill if k[0].startswith(kind)}
        assert mine & queued, (kind, Counter(at_kill[k] for k in mine))
    assert in_flight, "a send was claimed at the kill"
    assert set(at_kill.values()) <= {"queued", "claimed", "sent"}
    assert all(before[k] == 1 for k in sent)
    assert all(before[k] == 0 for k in queued)

    # Never twice; whatever was queued went out once; nothing in flight was sent again.
    assert max(after.values()) == 1, {k: n for k, n in after.items() if n > 1}
    assert all(after[k] == 1 for k in queued | sent)
    assert all(after[k] == before[k] for k in in_flight)
    assert {k: final[k] for k in at_kill} == {
        k: "unconfirmed" if k in in_flight else "sent" for k in at_kill
    }
    # A reminder that fired only after the restart (its turn came later) went out once too.
    assert final.keys() == every
    assert all(final[k] == "sent" and after[k] == 1 for k in every - at_kill.keys())

    # Every unconfirmed one is shown to the coordinators.
    names = {u.id: f"代表{i:02}" for i, u in enumerate(users)}
    for what, uid in in_flight:
        if what.startswith("notice"):
            assert f"{names[uid]}（未確認是否送達）" in shown_acks, (uid, shown_acks)
    for key in {what for what, _ in in_flight if not what.startswith("notice")}:
        n = sum(1 for what, _ in in_flight if what == key)
        leg = key.split(":")[1].split("/")[0].capitalize()
        assert any(
            leg in line and f"未確認是否送達 ×{n}" in line for line in shown_reminders.splitlines()
        ), (key, n, shown_reminders)
