"""State several workers share, on two Storage instances over one database: a held
announcement is sent or dropped once whichever worker is pressed, and a note file is fetched by
one worker at a time, with a dead worker's lease running out."""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import SystemClock
from bot.notes.media import MediaStore
from bot.notes.model import Attachment, NoteDraft
from bot.notes.service import Albums
from bot.storage import Membership, NewInvite, Storage

NOW = datetime(2015, 5, 18, 12, 0, tzinfo=UTC)
TRIP = "metropolis-2015"
LEASE = timedelta(minutes=10)


async def _members(store: Storage, n: int) -> list[Membership]:
    """A coordinator (the first) and n - 1 delegates, admitted on the trip."""
    joined = []
    for i in range(n):
        role = "coordinator" if i == 0 else "delegate"
        await store.create_invite(
            NewInvite(f"c{i}", TRIP, f"m{i}", role, "desk", NOW, NOW + timedelta(hours=1))
        )
        got = await store.redeem_invite(
            f"c{i}", user_id=10 + i, chat_id=10 + i, lang="zh", name=f"n{i}", now=NOW
        )
        assert isinstance(got, Membership)
        joined.append(got)
    return joined


async def test_an_announcement_held_on_one_worker_is_sent_once_from_either(
    workers: tuple[Storage, Storage],
) -> None:
    a, b = workers
    desk, *_ = await _members(a, 4)
    recipients = await a.notice_recipients(TRIP, desk.user_id)
    for n in range(20):
        held = await a.hold_announcement(TRIP, desk.user_id, f"集合 {n}", NOW)
        found = await b.held_announcement(held, TRIP)
        assert found is not None and found.text == f"集合 {n}" and found.user_id == desk.user_id
        sent = await asyncio.gather(
            *(
                store.send_held_announcement(held, TRIP, "m0", ("z", "e"), recipients, NOW)
                for store in (a, b)
            )
        )
        assert sorted(len(s) if s is not None else -1 for s in sent) == [-1, 3]
        assert await a.held_announcement(held, TRIP) is None
        assert not await b.discard_announcement(held, TRIP)
    acks = await b.notice_acks(TRIP, limit=100)
    assert len(acks) == 20 and all(len(n.recipients) == 3 for n in acks)


async def test_a_held_announcement_is_dropped_once_and_only_on_its_own_trip(
    workers: tuple[Storage, Storage],
) -> None:
    a, b = workers
    held = await a.hold_announcement(TRIP, 10, "hello", NOW)
    assert await b.held_announcement(held, "smart-city-2015") is None
    assert not await b.discard_announcement(held, "smart-city-2015")
    dropped = await asyncio.gather(
        a.discard_announcement(held, TRIP), b.discard_announcement(held, TRIP)
    )
    assert sorted(dropped) == [False, True]
    assert await a.send_held_announcement(held, TRIP, "m0", ("z", "e"), [], NOW) is None


def _photo_note(message_id: int) -> NoteDraft:
    photo = Attachment(kind="photo", status="pending", file_id=f"file-{message_id}")
    return NoteDraft(
        trip_id=TRIP,
        member_id="cao-kaiwen",
        user_id=7,
        chat_id=7,
        message_id=message_id,
        album=None,
        leg_id=None,
        taken_at=NOW,
        text="",
        sections=frozenset(),
        contacts=(),
        attachments=(photo,),
    )


async def _file_of(store: Storage, message_id: int) -> int:
    note = await store.note_of_message(7, message_id)
    assert note is not None and note.attachments[0].id is not None
    return note.attachments[0].id


async def test_two_workers_never_lease_the_same_file_at_once(
    workers: tuple[Storage, Storage],
) -> None:
    a, b = workers
    for message_id in range(1, 21):
        await a.add_note(_photo_note(message_id), NOW)
        file_row = await _file_of(a, message_id)
        got = await asyncio.gather(
            a.claim_file(file_row, "wa", NOW, NOW + LEASE),
            b.claim_file(file_row, "wb", NOW, NOW + LEASE),
        )
        assert sorted(got) == [False, True]
        # The holder itself does not take it twice (a second task of the same worker).
        holder, store = ("wa", a) if got[0] else ("wb", b)
        assert not await store.claim_file(file_row, holder, NOW, NOW + LEASE)
    assert len(await b.pending_files()) == 20


async def test_a_file_recorded_with_a_lease_is_its_handlers_and_a_dead_lease_runs_out(
    workers: tuple[Storage, Storage],
) -> None:
    a, b = workers
    await a.add_note(_photo_note(1), NOW, claim=("wa", NOW + LEASE))
    file_row = await _file_of(b, 1)
    assert not await b.claim_file(file_row, "wb", NOW + LEASE - timedelta(seconds=1), NOW)
    # Worker A died: once its lease has run out, B takes the file over.
    later = NOW + LEASE + timedelta(seconds=1)
    assert await b.claim_file(file_row, "wb", later, later + LEASE)
    assert not await a.claim_file(file_row, "wa", later, later + LEASE)
    await b.file_stored(file_row, path="p", sha256="s", size=1, mime_type=None)
    far = later + 2 * LEASE
    assert not await a.claim_file(file_row, "wa", far, far + LEASE)  # stored: nothing to fetch


async def test_a_failed_file_waits_out_its_backoff_except_for_the_worker_that_failed(
    workers: tuple[Storage, Storage],
) -> None:
    a, b = workers
    await a.add_note(_photo_note(1), NOW, claim=("wa", NOW + LEASE))
    file_row = await _file_of(a, 1)
    await a.file_not_stored(file_row, "timeout", final=False)
    backoff_ends = NOW + timedelta(seconds=8)
    await a.wait_file(file_row, "wa", backoff_ends)
    soon = NOW + timedelta(seconds=2)
    assert not await b.claim_file(file_row, "wb", soon, soon + LEASE)
    assert await b.claimable_files("wb", soon) == []
    assert [f.id for f in await a.claimable_files("wa", soon)] == [file_row]
    # A's own retry may come by real time before the bot's clock says so (a frozen clock).
    assert await a.claim_file(file_row, "wa", soon, soon + LEASE)
    assert not await b.claim_file(file_row, "wb", soon, soon + LEASE)
    await a.release_file(file_row, "wa")
    assert await b.claim_file(file_row, "wb", soon, soon + LEASE)


async def test_alone_on_its_database_a_run_frees_the_leases_a_dead_run_left(
    workers: tuple[Storage, Storage],
) -> None:
    a, _ = workers
    await a.add_note(_photo_note(1), NOW, claim=("dead", NOW + LEASE))
    await a.add_note(_photo_note(2), NOW, claim=("alive", NOW + LEASE))
    assert await a.release_all_files("alive") == 1
    assert await a.claim_file(await _file_of(a, 1), "alive", NOW, NOW + LEASE)
    assert not await a.claim_file(await _file_of(a, 2), "other", NOW, NOW + LEASE)


async def test_an_album_whose_parts_reach_two_workers_is_confirmed_once_by_its_last_part(
    workers: tuple[Storage, Storage],
) -> None:
    albums = [Albums(store, SystemClock()) for store in workers]

    async def part(n: int) -> bool:
        await asyncio.sleep(0.05 * n)  # the parts arrive one after another, on either worker
        return await albums[n % 2].is_last_part(7, "album-1", window=0.4)

    for _ in range(3):  # the same album id again later: counted afresh each time
        confirmed = await asyncio.gather(*(part(n) for n in range(5)))
        assert confirmed == [False, False, False, False, True]


async def test_counts_a_crash_left_are_dropped_by_the_chats_next_album(
    workers: tuple[Storage, Storage],
) -> None:
    a, b = workers
    await a.album_part(7, "crashed", NOW - timedelta(hours=2))  # its last part never came
    await a.album_part(7, "recent", NOW - timedelta(minutes=5))
    await a.album_part(8, "other-chat", NOW - timedelta(hours=2))
    assert await b.album_part(7, "new", NOW) == 1
    assert not await b.last_album_part(7, "crashed", 1)  # gone
    assert await b.last_album_part(7, "recent", 1)  # young: kept
    assert await b.last_album_part(8, "other-chat", 1)  # another chat's: its own next album


async def test_a_preview_left_unpressed_for_a_week_is_dropped_by_the_trips_next(
    workers: tuple[Storage, Storage],
) -> None:
    a, b = workers
    old = await a.hold_announcement(TRIP, 10, "old", NOW - timedelta(days=8))
    week = await a.hold_announcement(TRIP, 10, "six days", NOW - timedelta(days=6))
    elsewhere = await a.hold_announcement("smart-city-2015", 10, "x", NOW - timedelta(days=8))
    await b.hold_announcement(TRIP, 10, "new", NOW)
    assert await a.held_announcement(old, TRIP) is None
    assert await a.held_announcement(week, TRIP) is not None
    assert await a.held_announcement(elsewhere, "smart-city-2015") is not None


def test_beside_other_workers_only_a_part_file_no_download_writes_to_is_removed(
    tmp_path: Path,
) -> None:
    store = MediaStore(tmp_path)
    store.root.mkdir(parents=True, exist_ok=True)
    stale, live = store.root / ".part-stale", store.root / ".part-live"
    for part in (stale, live):
        part.write_bytes(b"half")
    now = 1_700_000_000.0
    os.utime(stale, (now - 700, now - 700))
    os.utime(live, (now - 5, now - 5))  # another worker's download, writing
    assert store.remove_partials(600, now=now) == 1
    assert live.exists() and not stale.exists()
    assert store.remove_partials() == 1  # alone on the data: every part is a dead run's
