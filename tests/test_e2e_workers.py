"""End to end: 3 real worker processes (`python -m bot run` with BOT_WORKERS=3: the runner and
its children on one port) on one PostgreSQL database, the emulator delivering by webhook.

A burst of 1,000 notes from 300 members is stored once each; a change broadcast to the 300
reaches each once; the reminders that fall due meanwhile go out once each. Then the same with
the sender SIGKILLed in the middle: every note the emulator saw confirmed (HTTP 200) is stored
once (the journal sweep replays what the dead worker had taken), no member gets the notice
twice, and the sender lease moves to another worker within 5 s."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.invites import hash_code
from bot.storage import NewInvite, Storage
from emulator import BotApiEmulator, EmuUser
from tests import dbs
from tests.test_e2e_reminders import T0, write_trip
from tests.workers_e2e import (
    TOKEN,
    gained_since,
    notice_states,
    notices,
    outbox_states,
    reminders,
    stored_notes,
    until,
    workers,
)

pytestmark = pytest.mark.postgres_only  # several workers share a PostgreSQL database

TRIP = "rem-e2e"  # the trip test_e2e_reminders.write_trip writes
MEMBERS, NOTES = 300, 1000
# Alpha is far off (the change delays it); Beta's and Gamma's reminders (90 s before) fall due
# about 10 s and 40 s after the workers' rehearsal clocks start at T0. Each may go out until its
# leg starts: 90 s, ample for the notice and the notes' receipts ahead of it.
BEFORE = "90s"
LEGS = [("Alpha", 3 * 3600, ""), ("Beta", 100, ""), ("Gamma", 130, "")]


def write_content(folder: Path, legs: list[tuple[str, float, str]]) -> None:
    """The trip with MEMBERS travelling delegates d000… beside the test trip's own."""
    write_trip(folder, T0, legs, before=BEFORE)
    path = folder / "trip.yaml"
    extra = "".join(
        f"  - {{id: d{i:03}, name: 代表{i:03}, unit: 國際事務委員會, title: 委員}}\n"
        for i in range(MEMBERS)
    )
    path.write_text(path.read_text("utf-8").replace("members:\n", f"members:\n{extra}", 1), "utf-8")


async def admit(url: str, data: Path, desk: EmuUser, users: list[EmuUser]) -> None:
    """Admit the desk (coordinator) and the delegates directly in the shared database."""
    store = await Storage.open(data / "admit.sqlite3", url)
    now = T0 - timedelta(minutes=1)
    for i, user in enumerate([desk, *users]):
        member, role = ("desk", "coordinator") if user is desk else (f"d{i - 1:03}", "delegate")
        code = hash_code(f"code-{user.id}")
        await store.create_invite(
            NewInvite(code, TRIP, member, role, "test", now, now + timedelta(days=1))  # type: ignore[arg-type]
        )
        await store.redeem_invite(
            code, user_id=user.id, chat_id=user.id, lang="zh", name=member, now=now
        )
    await store.close()


async def start(
    emu: BotApiEmulator, tmp_path: Path, legs: list[tuple[str, float, str]]
) -> tuple[str, EmuUser, list[EmuUser]]:
    """Content, accounts and a fresh database; its URL, the desk and the delegates."""
    write_content(tmp_path / "content" / TRIP, legs)
    url = dbs.database_url(tmp_path / "data")
    assert url is not None
    desk = emu.user("desk", language_code="zh-hant", started=True)
    users = [emu.user(f"d{i:03}", language_code="zh-hant", started=True) for i in range(MEMBERS)]
    await admit(url, tmp_path, desk, users)
    return url, desk, users


async def publish(emu: BotApiEmulator, desk: EmuUser) -> None:
    """The desk delays Alpha and publishes it through the chat (preview, then the button)."""
    await emu.send_text(desk, "/delay alpha 30m 交通管制")
    while not (preview := await emu.wait_for(desk, timeout=30)).button_texts():
        pass
    await emu.press(desk, preview, "📣 發布")


async def burst(emu: BotApiEmulator, users: list[EmuUser]) -> dict[int, str]:
    """NOTES notes from the members, round robin; update id -> the note's text."""
    sent = {}
    for i in range(NOTES):
        before = emu.state.queue.next_update_id
        await emu.send_text(users[i % MEMBERS], f"memo {i:04}")
        sent[before] = f"memo {i:04}"
    return sent


async def test_three_workers_store_each_note_once_and_send_each_push_once(tmp_path: Path) -> None:
    async with BotApiEmulator(token=TOKEN, bot_username="workers_test_bot") as emu:
        url, desk, users = await start(emu, tmp_path, LEGS)
        began = time.monotonic()
        async with workers(emu, tmp_path, url) as w:
            await w.pids(3, 60)
            await until(lambda: emu.webhook.active, 10, "the webhook set")
            ready = time.monotonic() - began
            await w.sender(10)
            t0 = time.monotonic()
            await publish(emu, desk)
            await burst(emu, users)
            want = {f"memo {i:04}" for i in range(NOTES)}

            async def all_stored() -> bool:
                return set(await stored_notes(url)) == want

            stored_in = await until(all_stored, 90, "every note stored")
            noticed_in = await until(
                lambda: len(+notices(emu, users)) == MEMBERS, 60, "the notice to every member"
            )
            reminded_in = await until(
                lambda: len(+reminders(emu, users, "Gamma")) == MEMBERS,
                90,
                "Gamma's reminder to every member",
            )
            await asyncio.sleep(2.0)  # a duplicate would arrive by now
            counts = await stored_notes(url)
            assert set(counts.values()) == {1} and counts.total() == NOTES
            assert set(notices(emu, users).values()) == {1}
            for leg in ("Beta", "Gamma"):
                got = reminders(emu, users, leg)
                assert set(got.values()) == {1}, (leg, Counter(got.values()))
            assert notices(emu, [desk]).total() == 0
            assert await outbox_states(url, "notice") == {"sent": MEMBERS}
            attempts = Counter(a.status for a in emu.webhook.attempts)
        print(
            f"\n3 workers up in {ready:.1f} s; {NOTES} notes stored in {stored_in:.1f} s;"
            f" notice to {MEMBERS} in {noticed_in:.1f} s more; reminders done"
            f" {reminded_in:.1f} s after; {time.monotonic() - t0:.1f} s in all;"
            f" webhook answers {dict(attempts)}"
        )


async def test_a_sender_killed_mid_burst_loses_no_confirmed_note_and_the_lease_moves(
    tmp_path: Path,
) -> None:
    async with BotApiEmulator(token=TOKEN, bot_username="workers_test_bot") as emu:
        url, desk, users = await start(emu, tmp_path, LEGS[:1])  # no reminder due meanwhile
        async with workers(emu, tmp_path, url) as w:
            await w.pids(3, 60)
            await until(lambda: emu.webhook.active, 10, "the webhook set")
            holder = await w.sender(10)
            await publish(emu, desk)
            sent = await burst(emu, users)
            await until(lambda: notices(emu, users).total() >= 40, 30, "the broadcast begun")
            killed_at = datetime.now()  # local time, as the log's timestamps
            os.kill(holder, signal.SIGKILL)  # the sender dies in the middle of both
            killed = time.monotonic()
            at_kill = notices(emu, users).total()
            successor = await w.sender(10, not_pid=holder)
            seen = time.monotonic() - killed  # by /healthz, from this busy loop: an upper bound
            await until(lambda: gained_since(tmp_path, killed_at), 5, "the gain in the log")
            gained = gained_since(tmp_path, killed_at)
            assert gained is not None
            moved = (gained - killed_at).total_seconds()
            assert moved < 5, f"the lease moved only {moved:.1f} s after the kill"

            # Confirmed (200) by the time the lease moved: taken by some worker, the dead one
            # included; each must be stored, whatever befell that worker.
            confirmed = {
                sent[a.update_id]
                for a in emu.webhook.attempts
                if a.status == 200 and a.update_id in sent
            }
            await until(lambda: emu.pending_updates == 0, 60, "every update confirmed")
            want = set(sent.values())

            async def all_stored() -> bool:
                return set(await stored_notes(url)) >= want

            # The dead worker's confirmed notes come back through another's journal sweep.
            await until(all_stored, 90, "every note stored")
            stored_in = time.monotonic() - killed
            states = await outbox_states(url, "notice")

            def settled() -> bool:
                return len(+notices(emu, users)) + states["unconfirmed"] >= MEMBERS

            await until(settled, 60, "the rest of the notice")
            await asyncio.sleep(2.0)
            counts = await stored_notes(url)
            assert confirmed <= set(counts) and set(counts.values()) == {1}
            assert counts.total() == NOTES
            got = notices(emu, users)
            assert max(got.values()) == 1, {uid: n for uid, n in got.items() if n > 1}
            states = await outbox_states(url, "notice")
            by_user = await notice_states(url)
            missing = {u.id for u in users if not got[u.id]}
            # A send in flight at the kill is `unconfirmed`: not sent again blindly (the re-send
            # of unacknowledged notices covers it later). Every other member has it once.
            assert all(by_user[uid] == "unconfirmed" for uid in missing), missing
            assert set(states) <= {"sent", "unconfirmed"}, states
            swept = sum(
                int(line.split("journal sweep: ")[1].split()[0])
                for line in (tmp_path / "workers.log").read_text().splitlines()
                if "journal sweep: " in line
            )
        print(
            f"\nsender {holder} killed after {at_kill} notices; lease gained (and the outbox"
            f" resumed) {moved:.2f} s later, /healthz showed {successor} as the sender after"
            f" {seen:.2f} s; {len(confirmed)} notes were confirmed by then; all {NOTES} stored"
            f" {stored_in:.1f} s after the kill, {swept} of them replayed by a journal sweep;"
            f" notice states {dict(states)}, {len(missing)} never delivered"
        )
