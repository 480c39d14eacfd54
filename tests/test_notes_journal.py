"""The update journal: note messages fetched before a crash are handled after the restart."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from telegram import Bot, Update

from bot.app import build_application
from bot.clock import ManualClock
from bot.config import Settings
from bot.invites import hash_code
from bot.notes.journal import KEEP, UpdateJournal, is_note
from bot.notes.model import NoteDraft
from bot.storage import JournalEntry, NewInvite, Storage
from bot.trip.loader import load_trip
from emulator import BotApiEmulator, EmuUser
from emulator.ptb import running
from tests import dbs
from tests.e2e import ROOT, TRIP_DIRS, bot_harness

T0 = datetime(2015, 5, 19, 13, 0, tzinfo=UTC)  # 10:00 in Buenos Aires, the second day
TOKEN = "123456:JOURNAL-TEST-TOKEN"


async def _admit(storage: Storage, user: EmuUser, member: str = "cao-kaiwen") -> None:
    code = f"journal-{user.id}"
    until = datetime(2099, 1, 1, tzinfo=UTC)
    await storage.create_invite(
        NewInvite(hash_code(code), "metropolis-2015", member, "delegate", "test", T0, until)
    )
    await storage.redeem_invite(
        hash_code(code), user_id=user.id, chat_id=user.id, lang="zh", name=user.first_name, now=T0
    )


async def _fetch(emu: BotApiEmulator, *, confirm: bool) -> tuple[Update, ...]:
    """What a bot killed right after getUpdates got; `confirm`: it had polled once more."""
    async with Bot(TOKEN, base_url=emu.base_url, base_file_url=emu.base_file_url) as bot:
        updates = await bot.get_updates(timeout=0)
        if confirm:
            await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
        return updates


def test_what_counts_as_a_note() -> None:
    def message(text: str | None = None, chat: str = "private", **extra: object) -> Update:
        data = {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 7, "type": chat},
            "from": {"id": 7, "is_bot": False, "first_name": "曹"},
            **extra,
        }
        if text is not None:
            data["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                data["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return Update.de_json({"update_id": 1, "message": data}, None)

    def note(update: Update) -> bool:
        return is_note(update, "delegation_bot")

    def document(name: str) -> Update:
        return message(document={"file_id": "d", "file_unique_id": "u", "file_name": name})

    assert note(message("布市強調包容與創新"))
    assert note(message("/note 第二則")) and note(message("/note@delegation_bot 三"))
    assert note(message("/note\n換行之後的筆記"))
    assert not note(message("/note@other_bot 四"))  # not addressed to this bot
    assert not note(message("/note")) and not note(message("/announce 明早改期"))
    assert note(message(location={"latitude": -34.6, "longitude": -58.4}))
    assert note(message(photo=[{"file_id": "p", "file_unique_id": "u", "width": 1, "height": 1}]))
    assert note(document("會議手冊.pdf"))
    assert not note(document("itinerary.yaml"))  # a coordinator's schedule revision
    assert not note(message("群組裡的話", chat="group"))


async def test_only_members_notes_are_kept_replayed_twice_at_most_and_pruned(
    tmp_path: Path,
) -> None:
    storage = await Storage.open(tmp_path / "bot.sqlite3")
    try:
        async with BotApiEmulator(token=TOKEN) as emu:
            member, stranger = emu.user("曹凱雯"), emu.user("路人")
            await _admit(storage, member)
            await emu.send_text(member, "與黃大使交流")
            await emu.send_text(stranger, "我也想記一筆")
            await emu.send_text(member, "/itinerary")
            updates = await _fetch(emu, confirm=False)
        journal = UpdateJournal(storage, lambda: T0)
        await journal.record(updates, "emulated_bot")
        kept = await storage.take_unhandled_updates()
        assert [json.loads(e.payload)["message"]["text"] for e in kept] == ["與黃大使交流"]
        # One that never becomes a note (its handler keeps failing) is replayed twice at most.
        assert len(await storage.take_unhandled_updates()) == 1
        assert await storage.take_unhandled_updates() == []
        await journal.record(updates, "emulated_bot")  # a re-sent batch is not kept twice
        later = T0 + KEEP + timedelta(seconds=1)  # the next batch forgets entries this old
        await storage.journal_updates([], later, KEEP)
        async with storage.db.execute("SELECT count(*) FROM update_journal") as cursor:
            assert (await cursor.fetchone())[0] == 0
    finally:
        await storage.close()


async def test_a_fetched_note_lost_to_a_crash_is_saved_after_the_restart(tmp_path: Path) -> None:
    data = tmp_path / "data"
    async with BotApiEmulator(token=TOKEN, now=ManualClock(T0).now) as emu:
        cao, yi = emu.user("曹凱雯", language_code="zh-hant"), emu.user("易榮宗")
        storage = await Storage.open(data / "bot.sqlite3")
        await _admit(storage, cao)
        await _admit(storage, yi, "yi-rongzong")
        # Fetched and confirmed to Telegram, then the bot died: only the journal has it.
        await emu.send_text(cao, "城市外交：邀請蒙特婁市長來訪")
        confirmed = await _fetch(emu, confirm=True)
        # Fetched, journalled, not yet confirmed: Telegram sends it again as well.
        await emu.send_text(yi, "花博 2018 簡報很受歡迎")
        unconfirmed = await _fetch(emu, confirm=False)
        entries = [
            JournalEntry(
                u.update_id,
                u.message.chat_id,
                u.message.message_id,
                json.dumps(u.to_dict(), ensure_ascii=False),
            )
            for u in (*confirmed, *unconfirmed)
            if u.message
        ]
        await storage.journal_updates(entries, T0, KEEP)
        await storage.close()

        settings = Settings(
            base_url=emu.base_url,
            base_file_url=emu.base_file_url,
            data_dir=data,
            content_dir=ROOT / "content",
            pack_on_publish=False,  # as in tests/e2e.py: no extra notice
            token=TOKEN,
        )
        trips = {"metropolis-2015": load_trip(TRIP_DIRS["metropolis-2015"])}
        app = build_application(settings, trips=trips, clock=ManualClock(T0))
        async with running(app, poll_timeout=0.5):
            assert "已儲存筆記" in (await emu.wait_for(cao)).text
            assert "已儲存筆記" in (await emu.wait_for(yi)).text
            await emu.wait_until(lambda: emu.pending_updates == 0, 5, "Telegram's copy is fetched")
            await asyncio.sleep(0.5)  # time to answer it, were it not recognised
            notes = await app.bot_data.storage.notes_of_trip("metropolis-2015")
        assert sorted(n.text for n in notes) == [
            "城市外交：邀請蒙特婁市長來訪",
            "花博 2018 簡報很受歡迎",
        ]
        # Telegram's second copy of yi's update was recognised: one answer each, no "already".
        assert len(emu.messages(cao)) == 1 and len(emu.messages(yi)) == 1


async def test_the_running_bot_journals_members_notes_and_nothing_of_a_stranger(
    tmp_path: Path,
) -> None:
    async with bot_harness(tmp_path, T0) as h:
        cao = await h.join("cao-kaiwen")
        stranger = h.user("路人")
        assert "已儲存筆記" in (await h.ask(cao, "與黃大使交流")).text
        assert "邀請" in (await h.ask(stranger, "我也想記一筆")).text
        await h.ask(cao, "/itinerary")
        conn = h.app.bot_data.storage.db
        async with conn.execute("SELECT chat_id, payload FROM update_journal") as cursor:
            rows = [tuple(row) for row in await cursor.fetchall()]
    assert [(chat, json.loads(payload)["message"]["text"]) for chat, payload in rows] == [
        (cao.id, "與黃大使交流")
    ]


def _entries(n: int) -> list[JournalEntry]:
    payload = json.dumps({"update_id": 0})  # the take never reads the payload
    return [JournalEntry(1000 + i, 7, 500 + i, payload) for i in range(n)]


async def test_sweeping_workers_take_each_entry_once_and_leave_it_for_the_grace(
    tmp_path: Path,
) -> None:
    url = dbs.database_url(tmp_path)
    a = await Storage.open(tmp_path / "bot.sqlite3", url)
    b = await Storage.open(tmp_path / "bot.sqlite3", url)  # a second worker on the same data
    try:
        now = datetime.now(UTC)
        await a.journal_updates(_entries(40), now - timedelta(seconds=30), KEEP)
        await a.journal_updates(_entries(45)[40:], now - timedelta(seconds=5), KEEP)
        before = now - timedelta(seconds=20)  # the grace: the 5 recent ones stay out
        got_a, got_b = await asyncio.gather(
            a.take_unhandled_updates(received_before=before, now=now),
            b.take_unhandled_updates(received_before=before, now=now),
        )
        ids_a, ids_b = {e.update_id for e in got_a}, {e.update_id for e in got_b}
        assert not ids_a & ids_b  # no entry replayed by both
        assert ids_a | ids_b == {1000 + i for i in range(40)}
        # Taken now: a sweep within the grace leaves them to the worker that took them.
        assert await b.take_unhandled_updates(received_before=before, now=now) == []
        later = now + timedelta(seconds=21)
        again = await a.take_unhandled_updates(received_before=later - timedelta(seconds=20))
        assert len(again) == 45  # the 40 a second time (their last), the 5 recent a first
        assert await a.take_unhandled_updates(received_before=later) == [
            e for e in again if e.update_id >= 1040
        ]
    finally:
        await a.close()
        await b.close()


async def test_a_message_stored_by_two_workers_at_once_is_one_note(tmp_path: Path) -> None:
    # A sweep may replay a note its first worker is still on: the write transactions, one at a
    # time on both backends, make the second a replay, never a broken note_messages key.
    url = dbs.database_url(tmp_path)
    a = await Storage.open(tmp_path / "bot.sqlite3", url)
    b = await Storage.open(tmp_path / "bot.sqlite3", url)
    try:
        outcomes: Counter[str] = Counter()
        for i in range(20):  # the race between the check and the insert is not every time
            draft = NoteDraft(
                "metropolis-2015", "cao-kaiwen", 7, 7, 42 + i, None, None, T0, f"交流 {i}",
                frozenset(), (), (),
            )  # fmt: skip
            (one, how_a), (two, how_b) = await asyncio.gather(
                a.add_note(draft, T0), b.add_note(draft, T0)
            )
            assert one.id == two.id and {how_a, how_b} <= {"new", "replay"}
            outcomes.update([how_a, how_b])
        assert sorted(n.text for n in await a.notes_of_user(7)) == sorted(
            f"交流 {i}" for i in range(20)
        )
        assert outcomes == {"new": 20, "replay": 20}
    finally:
        await a.close()
        await b.close()


async def test_a_sweep_replays_an_old_entry_a_dead_worker_left_and_not_a_fresh_one(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    async with BotApiEmulator(token=TOKEN, now=ManualClock(T0).now) as emu:
        cao, yi = emu.user("曹凱雯", language_code="zh-hant"), emu.user("易榮宗")
        await emu.send_text(cao, "城市外交：邀請蒙特婁市長來訪")
        await emu.send_text(yi, "花博 2018 簡報很受歡迎")
        # Taken (confirmed) by a worker that died before storing them: only the journal has them.
        old, fresh = await _fetch(emu, confirm=True)
        settings = Settings(
            base_url=emu.base_url,
            base_file_url=emu.base_file_url,
            data_dir=data,
            database_url=dbs.database_url(data),
            content_dir=ROOT / "content",
            pack_on_publish=False,
            token=TOKEN,
        )
        trips = {"metropolis-2015": load_trip(TRIP_DIRS["metropolis-2015"])}
        app = build_application(settings, trips=trips, clock=ManualClock(T0))
        async with running(app, poll_timeout=0.5):
            storage, journal = app.bot_data.storage, app.bot_data.journal
            assert journal is not None
            await _admit(storage, cao)
            await _admit(storage, yi, "yi-rongzong")
            now = datetime.now(UTC)
            for update, age in ((old, 30), (fresh, 2)):
                assert update.message is not None
                entry = JournalEntry(
                    update.update_id,
                    update.message.chat_id,
                    update.message.message_id,
                    json.dumps(update.to_dict(), ensure_ascii=False),
                )
                await storage.journal_updates([entry], now - timedelta(seconds=age), KEEP)
            assert app.job_queue is not None
            grace = timedelta(seconds=20)
            journal.sweep_every(app.job_queue, app.bot, app.update_queue, grace, every=0.2)
            assert "已儲存筆記" in (await emu.wait_for(cao)).text
            await asyncio.sleep(1.0)  # five more sweeps: the fresh entry is still left alone
            notes = await storage.notes_of_trip("metropolis-2015")
        assert [n.text for n in notes] == ["城市外交：邀請蒙特婁市長來訪"]
        assert len(emu.messages(cao)) == 1 and emu.messages(yi) == []
