"""Re-sends of unacknowledged notices as timed jobs: one one-shot timer per trip, at the instant
its longest-waiting unacknowledged notice falls due again (last sent + `resend_after`).

A notice sent (or found unconfirmed) brings its trip's timer forward if it is due sooner; the
timer queues what is due and sets itself for the next one. The timers are the bot's
(`bot/timers.py`), so a jump of the rehearsal clock re-times them like every other job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from bot.storage import Storage
from bot.storage.outbox import Push
from bot.timers import Timers
from bot.trip.models import Trip

log = logging.getLogger(__name__)


def timer_name(trip_id: str) -> str:
    """The name of a trip's re-send timer."""
    return f"changes: resend {trip_id}"


class Resends:
    """Times each trip's next re-send and queues the notices due again."""

    def __init__(
        self,
        storage: Storage,
        trips: Mapping[str, Trip],
        now: Callable[[], datetime],
        timers: Timers,
        send: Callable[[list[Push]], None],
    ) -> None:
        self.storage, self.trips, self.now, self.timers, self.send = (
            storage,
            trips,
            now,
            timers,
            send,
        )

    async def start(self) -> None:
        """Time every trip's next re-send from what the database holds."""
        for trip_id in self.trips:
            await self.arm(trip_id)

    def sent(self, trip_id: str, at: datetime) -> None:
        """A notice of the trip went out at `at`: its re-send is due `resend_after` later."""
        trip = self.trips.get(trip_id)
        if trip is None or trip.changes.max_resends == 0:
            return
        due = at + trip.changes.resend_after
        waiting = self.timers.due().get(timer_name(trip_id))
        if waiting is None or due < waiting:
            self.timers.at(timer_name(trip_id), due, self.resend_job, data=trip_id)

    async def arm(self, trip_id: str) -> None:
        """Set the trip's timer at its next re-send, or drop it when none is waiting."""
        rule = self.trips[trip_id].changes
        last = await self.storage.last_unacked_send(trip_id, rule.max_resends + 1)
        if last is None:
            self.timers.cancel(timer_name(trip_id))
        else:
            self.timers.at(
                timer_name(trip_id), last + rule.resend_after, self.resend_job, data=trip_id
            )

    async def resend(self, trip_id: str) -> int:
        """Queue again the trip's notices not acknowledged within its interval; how many."""
        now, rule = self.now(), self.trips[trip_id].changes
        items = await self.storage.queue_resends(
            trip_id, now - rule.resend_after, rule.max_resends + 1, now
        )
        self.send(items)
        await self.arm(trip_id)  # the next one still waiting; those queued arm when sent
        if items:
            log.info("trip %s: %d notices sent again", trip_id, len(items))
        return len(items)

    async def resend_job(self, context: Any) -> None:
        """JobQueue: a trip's re-send fell due."""
        if context.job is not None and isinstance(context.job.data, str):
            await self.resend(context.job.data)
