"""The coordinators' daily digests of a running bot: timed on the bot's clock, and pushed through
the one outbox, so each coordinator gets each day's digest once, paced with everything else."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from telegram import Bot

from bot.clock import Clock
from bot.fieldkit.digest import digest_text, gather, next_digest
from bot.outbox.lease import resume, sweep
from bot.outbox.pacer import Deliverer, Pacer
from bot.outbox.sink import TelegramSink
from bot.storage import Storage
from bot.storage.outbox import Enqueue, Push
from bot.timers import Timers
from bot.trip.models import Trip

log = logging.getLogger(__name__)
# A digest held up longer than this (the bot was down) is recorded as missed: the next one comes.
USEFUL_FOR = timedelta(hours=6)


def digest_ref(trip_id: str, due: datetime) -> str:
    """The outbox ref of a trip's digest due at `due` (UTC): one per trip and instant."""
    return f"{trip_id}@{due.isoformat()}"


def parse_ref(ref: str) -> tuple[str, datetime]:
    """The trip and the instant of a digest's outbox ref."""
    trip_id, _, due = ref.rpartition("@")
    return trip_id, datetime.fromisoformat(due)


class _DigestRows:
    """The digests' side of the outbox: their rows, and the text in the reader's language."""

    kind = "digest"

    def __init__(self, digests: Digests) -> None:
        self.digests = digests

    async def claim(self, item: Push) -> bool:
        """Claim the send (False if it was sent, or is past its use and so missed)."""
        return await self.digests.storage.claim_push(item, self.digests.now())

    async def render(self, item: Push) -> tuple[str, None]:
        """The day's digest, gathered now, in the coordinator's current language."""
        storage = self.digests.storage
        trip_id, due = parse_ref(item.ref)
        account = await storage.membership(item.user_id)
        lang = account.lang if account else "zh"
        trip = self.digests.trips[trip_id]
        return digest_text(trip, await gather(storage, trip, lang), due, lang), None

    async def finish(self, item: Push, state: str, error: str | None) -> None:
        """Record the send's outcome."""
        now = self.digests.now()
        await self.digests.storage.finish_push(item, state, now, error)  # type: ignore[arg-type]


class Digests:
    """Times each trip's next digest and queues it to the trip's coordinators."""

    def __init__(
        self,
        bot: Bot,
        storage: Storage,
        trips: Mapping[str, Trip],
        clock: Clock,
        timers: Timers,
        pacer: Pacer,
        retry_cap: float,
    ) -> None:
        self.storage, self.trips, self.timers = storage, trips, timers
        self.now = clock.now
        sink = TelegramSink(bot, _DigestRows(self), lambda: storage, clock.now)
        self.deliverer: Deliverer[Push] = Deliverer(sink, pacer=pacer, backoff_cap=retry_cap)

    async def start(self) -> None:
        """Time each trip's next daily digest (sending starts with the sender lease)."""
        for trip_id in self.trips:
            self._schedule(trip_id, self.now())

    async def resume(self) -> int:
        """The sender lease is ours (at start, or taken over): send what a previous sender
        left queued; how many."""
        return await resume(self.deliverer, self.storage.resume_pushes("digest", self.now()))

    async def pause(self) -> None:
        """The sender lease is lost: stop handing out; the rows stay queued."""
        await self.deliverer.halt()

    async def sweep(self) -> int:
        """Send the due digests another worker queued; how many."""
        return sweep(self.deliverer, await self.storage.due_pushes("digest", self.now()))

    def _schedule(self, trip_id: str, after: datetime) -> None:
        """Time the trip's next digest after `after`, if it has one still to come."""
        at = next_digest(self.trips[trip_id], after)
        if at is not None:
            self.timers.at(f"digest: {trip_id}", at, self.digest_job, data=(trip_id, at))

    async def digest_job(self, context: Any) -> None:
        """JobQueue: the day's digest is queued to each coordinator; then the next is timed."""
        assert context.job is not None and isinstance(context.job.data, tuple)
        trip_id, due = context.job.data
        try:
            await self.queue(trip_id, due)
        finally:
            self._schedule(trip_id, max(due, self.now()))

    async def queue(self, trip_id: str, due: datetime) -> int:
        """Queue the trip's digest due at `due` to its reachable coordinators (once each, ever)."""
        ref = digest_ref(trip_id, due)
        rows = [
            Enqueue(ref, a.user_id, a.chat_id, a.lang, due, due + USEFUL_FOR)
            for a in await self.storage.reachable_members(trip_id)
            if a.is_coordinator
        ]
        queued = await self.storage.queue_pushes("digest", ref, rows, self.now())
        for item in queued:
            self.deliverer.offer(item, item.chat_id)
        return len(queued)

    async def stop(self) -> None:
        """Stop delivering; sends in flight finish and are recorded."""
        await self.deliverer.stop()
