"""One sender per token: of several workers on one database, only the holder of the sender
lease sends the outbox (Telegram's 30 msg/s is per bot, so one pacer must see every push).

Every worker still queues rows inside its own transactions and answers its own updates. The
lease is the database's (`Database.sender_lease`): on PostgreSQL an advisory lock held by a
session of its own, renewed (a heartbeat) every `interval` seconds and tried as often by the
workers that do not hold it; on SQLite always held. Whoever gains it resumes every outbox from
the table, by the path a start takes; whoever loses it stops handing out at once (its claims
are fenced by the lease too). While held, a sweep picks up the due rows other workers queued.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable
from typing import Protocol

from bot.outbox.pacer import Deliverer
from bot.storage.db import Lease
from bot.storage.outbox import Push

log = logging.getLogger(__name__)


class Outlet(Protocol):
    """An outbox service as the lease drives it (reminders, notices, digests)."""

    async def resume(self) -> int:
        """Start sending: settle what a previous sender left, send what is queued; how many."""
        ...

    async def pause(self) -> None:
        """Stop handing out (sends in flight finish); the rows stay queued in the table."""
        ...

    async def sweep(self) -> int:
        """Hand the sender the due rows it does not have yet; how many."""
        ...


async def resume(deliverer: Deliverer[Push], queued: Awaitable[list[Push]]) -> int:
    """The lease is ours: start the deliverer, then hand it every row `queued` reads from the
    table (settled after a crash by the storage call); how many."""
    deliverer.start()
    items = await queued
    for item in items:
        deliverer.put(item, item.chat_id)
    return len(items)


def sweep(deliverer: Deliverer[Push], due: list[Push]) -> int:
    """Hand the deliverer the due rows it does not hold yet (queued by another worker, or left
    by a sender that lost the lease); how many."""
    fresh = [item for item in due if not deliverer.holds(item)]
    for item in fresh:
        deliverer.offer(item, item.chat_id)
    return len(fresh)


class SenderLease:
    """Renews the lease on a timer, and starts or stops every outlet as it is gained or lost."""

    def __init__(self, lease: Lease, interval: float = 1.0) -> None:
        self.lease, self.interval = lease, interval
        self.outlets: list[Outlet] = []
        self.sending = False  # the outlets were resumed and not paused since
        self.changes = 0  # gains and losses, for the log and the tests
        self._loop: asyncio.Task[None] | None = None

    @property
    def held(self) -> bool:
        """Whether this process sends the outbox now."""
        return self.sending and self.lease.held

    def serve(self, *outlets: Outlet) -> None:
        """The outbox services to start and stop with the lease."""
        self.outlets.extend(outlets)

    async def start(self) -> None:
        """Try the lease once now (on SQLite: gained, and the outboxes resume as ever), then
        keep renewing it."""
        await self.tick()
        if self._loop is None:
            self._loop = asyncio.get_running_loop().create_task(self._run())

    async def tick(self) -> None:
        """One renewal: gain (resume), lose (pause), or, while held, sweep."""
        held = await self.lease.renew()
        if held and not self.sending:
            self.sending, self.changes = True, self.changes + 1
            resumed = [await outlet.resume() for outlet in self.outlets]
            log.info("sender lease gained: %d queued rows resumed", sum(resumed))
        elif not held and self.sending:
            await self._pause("lost")
        elif held and self.lease.shared:  # on SQLite no other process queues rows
            for outlet in self.outlets:
                await outlet.sweep()

    async def _pause(self, why: str) -> None:
        self.sending, self.changes = False, self.changes + 1
        for outlet in self.outlets:
            await outlet.pause()
        log.warning("sender lease %s: this worker stops sending", why)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.tick()
            except Exception:  # the database failed under it: not held, try again later
                log.exception("sender lease renewal failed")
                if self.sending:
                    await self._pause("failed")

    async def stop(self) -> None:
        """Stop renewing (the services then stop themselves; `close` gives the lease up)."""
        if self._loop is not None:
            self._loop.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop
            self._loop = None

    async def close(self) -> None:
        """Give the lease up, so that another worker takes it at its next try."""
        await self.stop()
        self.sending = False
        await self.lease.release()
