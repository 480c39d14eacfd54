"""Downloads that failed are retried with backoff, in this run and after a restart.

Each retry is a timed job (bot/timers.py) at the instant the failing download's backoff ends,
one job per file, named after it, so a file has at most one retry waiting. A file being fetched
is leased in the database (bot/storage/claims.py) — by its handler in the commit that records
it, by a retry just before the fetch — so no other task, here or in another worker on the same
database, fetches it then; a dead worker's lease runs out after CLAIM_FOR. On start, one job
fetches what a previous run left pending; on a shared database the job runs again every
SWEEP_EVERY, for what a dead worker left.
The backoff is counted on the bot's clock as well as in real time, whichever passes first:
a rehearsal that runs faster or jumps ahead retries as the field would, a jump back never puts
a retry off, and a clock that stands still (tests) still retries after the real delay.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from telegram import Bot

from bot.clock import Clock
from bot.notes.media import DownloadError, MediaStore, StoredMedia, fetch
from bot.storage import Storage
from bot.storage.notes import PendingFile
from bot.timers import Timers

log = logging.getLogger(__name__)
FIRST_DELAY = 1.0  # seconds before the first retry; doubles per attempt
MAX_DELAY = 600.0
RESUME_AFTER = timedelta(seconds=0.5)  # after start, before fetching what a dead run left
# A fetch gives up after a minute without progress; a lease this long outlives a slow one.
CLAIM_FOR = timedelta(minutes=10)
SWEEP_EVERY = timedelta(seconds=30)  # shared database: look for files a dead worker left
Notify = Callable[[PendingFile], Awaitable[None]]


class Downloads:
    """One per running bot: which files are being fetched, and when each may be tried again."""

    def __init__(
        self,
        store: MediaStore,
        clock: Clock,
        *,
        bot: Bot,
        storage: Storage,
        timers: Timers,
        notify: Notify,
    ) -> None:
        self.store, self.clock = store, clock
        self.bot, self.storage, self.timers, self.notify = bot, storage, timers, notify
        # This run's name on the leases it takes: a restarted worker is another run.
        self.worker = secrets.token_hex(8)
        self._not_before: dict[int, _Backoff] = {}

    def lease(self) -> tuple[str, datetime]:
        """The lease a handler takes on the files it records (in the same commit)."""
        return self.worker, self.clock.now() + CLAIM_FOR

    async def attempt(
        self, bot: Bot, storage: Storage, pending: PendingFile, *, claimed: bool = False
    ) -> StoredMedia | None:
        """Try one file once, leasing it first unless `claimed` (its handler's own lease);
        where it is stored, or None (leased elsewhere, or failed: counted and rescheduled)."""
        now = self.clock.now()
        if not claimed and not await storage.claim_file(
            pending.id, self.worker, now, now + CLAIM_FOR
        ):
            return None
        try:
            stored = await fetch(bot, pending.file_id, self.store, pending.mime_type)
        except DownloadError as exc:
            await storage.file_not_stored(pending.id, str(exc), final=exc.final)
            if exc.final:  # recorded as failed for good: nothing left to retry
                self._not_before.pop(pending.id, None)
                self.timers.cancel(_job_name(pending.id))
                log.warning(
                    "file %s of note %s refused for good: %s", pending.id, pending.note_id, exc
                )
                return None
            delay = min(MAX_DELAY, FIRST_DELAY * 2 ** min(pending.attempts, 20))
            failed, span = self.clock.now(), timedelta(seconds=delay)
            backoff = self._not_before[pending.id] = _Backoff(
                failed, failed + span, time.monotonic() + self.clock.real_seconds(span)
            )
            await storage.wait_file(pending.id, self.worker, backoff.retry_at)
            self._schedule(pending.id, backoff)
            log.warning(
                "file %s of note %s not downloaded (%s); retry in %.0fs",
                pending.id,
                pending.note_id,
                exc,
                delay,
            )
            return None
        except Exception:
            await storage.release_file(pending.id, self.worker)
            raise
        await storage.file_stored(
            pending.id,
            path=stored.path,
            sha256=stored.sha256,
            size=stored.size,
            mime_type=pending.mime_type,
        )
        self._not_before.pop(pending.id, None)
        self.timers.cancel(_job_name(pending.id))  # stored by its handler before its retry
        return stored

    def start(self) -> None:
        """Time the fetch of what a previous run left pending (and, on a shared database, of
        what a dead worker left); re-time retries when the clock moves."""
        self.timers.at("downloads: resume", self.clock.now() + RESUME_AFTER, self.resume_job)
        if self.storage.db.kind == "postgresql":
            self.timers.every("downloads: sweep", SWEEP_EVERY, self.sweep_job, first=SWEEP_EVERY)
        self.timers.on_clock_moved(self.clock_moved)

    async def resume_job(self, context: Any) -> None:
        """JobQueue, once on start: fetch every file a previous run left pending. Alone on its
        database (SQLite), this run first frees the leases a dead run left."""
        if self.storage.db.kind != "postgresql":
            await self.storage.release_all_files(self.worker)
        await self.sweep_job(context)

    async def sweep_job(self, context: Any) -> None:
        """Fetch every pending file no live lease holds whose backoff here is over."""
        for pending in await self.storage.claimable_files(self.worker, self.clock.now()):
            if self._due(pending.id, self.clock.now()):  # else its own retry job is waiting
                await self._try(pending)

    async def retry_job(self, context: Any) -> None:
        """JobQueue: one file's backoff is over; fetch it again, unless it is claimed."""
        assert context.job is not None and isinstance(context.job.data, int)
        pending_id = context.job.data
        found = [p for p in await self.storage.pending_files() if p.id == pending_id]
        if not found:  # stored or refused meanwhile
            self._not_before.pop(pending_id, None)
            return
        await self._try(found[0])

    async def clock_moved(self) -> None:
        """The rehearsal clock jumped: a retry whose backoff is over by either clock runs now."""
        for pending_id, backoff in list(self._not_before.items()):
            self._schedule(pending_id, backoff)

    async def _try(self, pending: PendingFile) -> None:
        """Fetch one file unless it is leased (in flight here or elsewhere, or waiting out
        another worker's backoff)."""
        if await self.attempt(self.bot, self.storage, pending):
            await self.notify(pending)

    def _schedule(self, pending_id: int, backoff: _Backoff) -> None:
        """The file's retry job, at the instant its backoff ends by either clock (now if over)."""
        now = self.clock.now()
        at = now
        if not self._due(pending_id, now):
            # The real-time end of the backoff, in the bot's clock: whichever comes first.
            per_second = self.clock.real_seconds(timedelta(seconds=1)) or 1.0
            real_left = timedelta(seconds=max(0.0, backoff.real - time.monotonic()) / per_second)
            at = min(backoff.retry_at, now + real_left)
        self.timers.at(_job_name(pending_id), at, self.retry_job, data=pending_id)

    def _due(self, pending_id: int, now: datetime) -> bool:
        """Whether a file may be tried now: never failed, or its backoff is over."""
        backoff = self._not_before.get(pending_id)
        if backoff is None:
            return True
        return time.monotonic() >= backoff.real or not backoff.failed <= now < backoff.retry_at


def _job_name(pending_id: int) -> str:
    """The name of a file's retry job: one per file."""
    return f"download {pending_id}"


@dataclass(frozen=True)
class _Backoff:
    failed: datetime  # on the bot's clock
    retry_at: datetime  # on the bot's clock
    real: float  # time.monotonic() when the same span has passed in real time
