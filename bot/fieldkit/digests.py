"""The coordinators' daily digests of a running bot: timed on the bot's clock, sent once a day."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.clock import Clock
from bot.fieldkit.digest import digest_text, gather, next_digest
from bot.storage import Storage
from bot.timers import Timers
from bot.trip.models import Trip

log = logging.getLogger(__name__)


class Digests:
    """Times each trip's next digest and sends it to the trip's coordinators."""

    def __init__(
        self, bot: Bot, storage: Storage, trips: Mapping[str, Trip], clock: Clock, timers: Timers
    ) -> None:
        self.bot, self.storage, self.trips, self.timers = bot, storage, trips, timers
        self.now = clock.now

    def start(self) -> None:
        """Time each trip's next daily digest."""
        for trip_id in self.trips:
            self._schedule(trip_id, self.now())

    def _schedule(self, trip_id: str, after: datetime) -> None:
        """Time the trip's next digest after `after`, if it has one still to come."""
        at = next_digest(self.trips[trip_id], after)
        if at is not None:
            self.timers.at(f"digest: {trip_id}", at, self.digest_job, data=(trip_id, at))

    async def digest_job(self, context: Any) -> None:
        """JobQueue: each coordinator of the trip gets the day's digest; then the next is timed."""
        assert context.job is not None and isinstance(context.job.data, tuple)
        trip_id, due = context.job.data
        trip = self.trips[trip_id]
        try:
            for account in await self.storage.reachable_members(trip_id):
                if not account.is_coordinator:
                    continue
                facts = await gather(self.storage, trip, account.lang)
                text = digest_text(trip, facts, self.now(), account.lang)
                try:
                    await self.bot.send_message(account.chat_id, text, parse_mode=ParseMode.HTML)
                except TelegramError:
                    log.warning("digest to %s not sent", account.user_id, exc_info=True)
        finally:
            self._schedule(trip_id, max(due, self.now()))
