"""Downloads that failed are retried with backoff, in this run and after a restart.

The backoff is counted on the bot's clock as well as in real time, whichever passes first:
a rehearsal that runs faster or jumps ahead retries as the field would, a jump back never puts
a retry off, and a clock that stands still (tests) still retries after the real delay.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import Bot

from bot.clock import Clock
from bot.notes.media import DownloadError, MediaStore, StoredMedia, fetch
from bot.storage import Storage
from bot.storage.notes import PendingFile

log = logging.getLogger(__name__)
FIRST_DELAY = 1.0  # seconds before the first retry; doubles per attempt
MAX_DELAY = 600.0
Notify = Callable[[PendingFile], Awaitable[None]]


class Downloads:
    """One per running bot: which files are being fetched, and when each may be tried again."""

    def __init__(self, store: MediaStore, clock: Clock) -> None:
        self.store, self.clock = store, clock
        self._in_flight: set[int] = set()
        # Messages whose handler is saving and fetching them right now, keyed before the commit
        # so that a sweep never races the handler for a file it has just recorded.
        self._claimed: set[tuple[int, int]] = set()
        self._not_before: dict[int, _Backoff] = {}
        self._resumed = False

    @contextmanager
    def claim(self, chat_id: int, message_id: int) -> Iterator[None]:
        """Keep sweeps off this message's files while its handler records and fetches them."""
        key = (chat_id, message_id)
        self._claimed.add(key)
        try:
            yield
        finally:
            self._claimed.discard(key)

    async def attempt(self, bot: Bot, storage: Storage, pending: PendingFile) -> StoredMedia | None:
        """Try one file once; where it is stored, or None. Failures are counted and rescheduled."""
        if pending.id in self._in_flight:
            return None
        self._in_flight.add(pending.id)
        try:
            stored = await fetch(bot, pending.file_id, self.store, pending.mime_type)
        except DownloadError as exc:
            await storage.file_not_stored(pending.id, str(exc), final=exc.final)
            if exc.final:  # recorded as failed for good: nothing left to retry
                self._not_before.pop(pending.id, None)
                log.warning(
                    "file %s of note %s refused for good: %s", pending.id, pending.note_id, exc
                )
                return None
            delay = min(MAX_DELAY, FIRST_DELAY * 2 ** min(pending.attempts, 20))
            failed, span = self.clock.now(), timedelta(seconds=delay)
            self._not_before[pending.id] = _Backoff(
                failed, failed + span, time.monotonic() + self.clock.real_seconds(span)
            )
            log.warning(
                "file %s of note %s not downloaded (%s); retry in %.0fs",
                pending.id,
                pending.note_id,
                exc,
                delay,
            )
            return None
        finally:
            self._in_flight.discard(pending.id)
        await storage.file_stored(
            pending.id,
            path=stored.path,
            sha256=stored.sha256,
            size=stored.size,
            mime_type=pending.mime_type,
        )
        self._not_before.pop(pending.id, None)
        return stored

    async def sweep(self, bot: Bot, storage: Storage, notify: Notify) -> int:
        """Retry every pending file whose backoff has passed; returns how many got stored."""
        now = self.clock.now()
        done, resuming, self._resumed = 0, not self._resumed, True
        # After the first sweep only this run's failures can be waiting: skip the query (it
        # runs every two seconds on the same loop as every reply) until one of them is due.
        if not resuming and not any(self._due(pending_id, now) for pending_id in self._not_before):
            return 0
        for pending in await storage.pending_files():
            # A file never tried belongs to a handler about to fetch it, unless this is the
            # first sweep after a start: then it was left behind by the previous run.
            untried = pending.attempts == 0 and not resuming
            if (
                untried
                or pending.id in self._in_flight
                or (pending.chat_id, pending.message_id) in self._claimed
                or not self._due(pending.id, now)
            ):
                continue
            if await self.attempt(bot, storage, pending):
                done += 1
                await notify(pending)
        return done

    def _due(self, pending_id: int, now: datetime) -> bool:
        """Whether a file may be tried now: never failed, or its backoff is over."""
        backoff = self._not_before.get(pending_id)
        if backoff is None:
            return True
        return time.monotonic() >= backoff.real or not backoff.failed <= now < backoff.retry_at


@dataclass(frozen=True)
class _Backoff:
    failed: datetime  # on the bot's clock
    retry_at: datetime  # on the bot's clock
    real: float  # time.monotonic() when the same span has passed in real time
