"""The sender lease: always held on SQLite; on PostgreSQL one holder of two, and a holder whose
session dies or freezes loses it to the other within seconds. Claims are fenced by it."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.outbox.lease import SenderLease
from bot.storage import Storage
from bot.storage.db import Lease
from bot.storage.outbox import Enqueue, Push
from bot.storage.postgres import SENDER_LOCK

NOW = datetime(2015, 5, 18, 12, 0, tzinfo=UTC)
pg_only = pytest.mark.postgres_only  # on SQLite one process owns the file: no lease shared


async def _row(store: Storage, user_id: int) -> Push:
    rows = [Enqueue("1", user_id, user_id, "zh", NOW)]
    [item] = await store.queue_pushes("notice", "1", rows, NOW)
    return item


async def _until_held(lease: Lease, within: float) -> float:
    """Renew every 0.2 s until held; the seconds it took (fails after `within`)."""
    began = time.monotonic()
    while not await lease.renew():
        assert time.monotonic() - began < within, f"not taken over within {within} s"
        await asyncio.sleep(0.2)
    return time.monotonic() - began


async def test_on_sqlite_the_lease_is_always_held_and_fences_nothing(tmp_path: Path) -> None:
    store = await Storage.open(tmp_path / "bot.sqlite3")  # SQLite whatever the run's server
    try:
        lease = SenderLease(store.db.sender_lease())
        await lease.start()
        assert lease.held and lease.changes == 1
        assert store.db.sender_lease().fence() == ("", ())
        assert await store.claim_push(await _row(store, 7), NOW)
        await lease.close()
    finally:
        await store.close()


@pg_only
async def test_of_two_workers_one_holds_and_the_other_claims_nothing(
    workers: tuple[Storage, Storage],
) -> None:
    a, b = workers
    la, lb = a.db.sender_lease(), b.db.sender_lease()
    assert await la.renew() and not await lb.renew()
    assert await la.renew()  # the heartbeat keeps it
    item = await _row(b, 7)  # queued on the worker that does not send
    assert not await b.claim_push(item, NOW)  # fenced: it lost nothing, it never had it
    assert await a.claim_push(item, NOW)
    assert (await a.push_states("notice", "1")) == {7: "claimed"}


@pg_only
async def test_a_holder_whose_session_dies_loses_the_lease_to_the_other_within_5_s(
    workers: tuple[Storage, Storage],
) -> None:
    a, b = workers
    la, lb = a.db.sender_lease(), b.db.sender_lease()
    assert await la.renew() and not await lb.renew()
    item = await _row(a, 7)
    # The holder's connection is closed under it (its process or host died, as the server sees).
    killed = await b.db.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted"
        " AND objid::bigint = ? AND objsubid = 1",
        (SENDER_LOCK,),
    )
    assert [r[0] for r in killed.rows] == [True]
    began = time.monotonic()
    while la.held:  # told by the connection's end, not at its next heartbeat
        assert time.monotonic() - began < 1.0
        await asyncio.sleep(0.05)
    assert not await a.claim_push(item, NOW)  # it stopped at once
    took = await _until_held(lb, within=5.0)
    print(f"\nlease taken over {took:.2f} s after the holder's session ended")
    assert await b.claim_push(item, NOW)
    assert not await la.renew()  # back, it finds the lease taken


@pg_only
async def test_a_frozen_holder_loses_the_lease_within_a_few_seconds(
    workers: tuple[Storage, Storage],
) -> None:
    a, b = workers
    la, lb = a.db.sender_lease(), b.db.sender_lease()
    assert await la.renew() and not await lb.renew()
    # The holder stops renewing (a frozen process): the server ends its idle session.
    took = await _until_held(lb, within=8.0)
    print(f"\nlease taken from a frozen holder after {took:.2f} s")
    assert took >= 2.0  # not before it missed its heartbeats
    assert not await la.renew()


@pg_only
async def test_the_sender_lease_pauses_and_resumes_its_outlets(
    workers: tuple[Storage, Storage],
) -> None:
    a, b = workers
    seen: list[str] = []

    class Outlet:
        def __init__(self, name: str) -> None:
            self.name = name

        async def resume(self) -> int:
            seen.append(f"{self.name} resume")
            return 0

        async def pause(self) -> None:
            seen.append(f"{self.name} pause")

        async def sweep(self) -> int:
            return 0

    sa, sb = SenderLease(a.db.sender_lease(), 0.2), SenderLease(b.db.sender_lease(), 0.2)
    sa.serve(Outlet("a"))
    sb.serve(Outlet("b"))
    await sa.start()
    await sb.start()
    assert sa.held and not sb.held and seen == ["a resume"]
    await sa.close()  # a stops: b takes over at its next try
    began = time.monotonic()
    while not sb.held:
        assert time.monotonic() - began < 2.0
        await asyncio.sleep(0.05)
    assert seen == ["a resume", "b resume"]
    await sb.close()
