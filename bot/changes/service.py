"""Schedule changes in a running bot: the effective trips, drafts, publishing, notices, re-sends.

`BotData.trips` holds each trip's EFFECTIVE itinerary (content + published log), so every
feature that reads `context.trip` — briefing, reminders, the report — sees the changed
schedule at once; the content as loaded is kept here and the log is re-applied on start.
This service is the one owner of a change: `publish` records the version, updates the
effective trip, queues the notices and re-plans the reminders, in that order.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from telegram import Bot

from bot.changes.apply import effective_trip
from bot.changes.broadcast import Broadcaster
from bot.changes.diff import changed_ids, diff_lines
from bot.changes.model import Change, ChangeRefused, Conflict, Draft, Published, Refusal
from bot.changes.notices import announcement, change_notice
from bot.changes.resends import Resends
from bot.changes.warnings import change_warnings
from bot.clock import Clock
from bot.formatting.people import member_name
from bot.outbox.pacer import Pacer
from bot.reminders.service import Reminders
from bot.storage import Membership, Storage
from bot.timers import Timers
from bot.trip.models import Trip
from bot.trip.types import LANGS

log = logging.getLogger(__name__)
# On a shared database, how often this worker looks for versions published by another.
REFRESH_EVERY = timedelta(seconds=3)


@dataclass(frozen=True)
class Outcome:
    """What pressing Publish did: published (version), moved underneath (draft re-based), gone."""

    status: Literal["published", "moved", "gone", "invalid"]
    version: int = 0
    recipients: int = 0
    why: Refusal | None = None


class Changes:
    """One bot's schedule changes."""

    def __init__(
        self,
        bot: Bot,
        storage: Storage,
        trips: dict[str, Trip],
        clock: Clock,
        timers: Timers,
        pacer: Pacer,
        retry_cap: float,
        reminders: Reminders,
    ) -> None:
        # `trips` is the bot's one dict of effective trips: this service alone writes to it.
        self.storage, self.trips, self.now, self.reminders = storage, trips, clock.now, reminders
        self.timers = timers
        self.content: dict[str, Trip] = dict(trips)
        self.conflicts: dict[str, list[Conflict]] = {}
        self.versions: dict[str, int] = {}
        self.logs: dict[str, list[Published]] = {}
        self.broadcaster = Broadcaster(
            bot,
            lambda: storage,
            clock.now,
            lambda: trips,
            pacer,
            retry_cap,
            on_sent=lambda trip_id, at: self.resends.sent(trip_id, at),
        )
        # Unacknowledged notices go again by a timer per trip, set as they are sent.
        self.resends = Resends(storage, self.content, clock.now, timers, self.broadcaster.send)
        self._publishing = asyncio.Lock()
        # Other workers may publish only when the database is shared (PostgreSQL).
        self.shared = storage.db.kind == "postgresql"
        # What follows a publish, after the reminders: the field kit's check-ins and packs.
        self._after_publish: list[Callable[[str], Awaitable[None]]] = []

    async def start(self) -> str:
        """Apply each trip's log to its content (the broadcasts and their re-sends start with
        the sender lease: `resume`)."""
        for trip_id, trip in self.content.items():
            log_ = self.logs[trip_id] = await self.storage.change_log(trip_id)
            self.trips[trip_id], self.conflicts[trip_id] = effective_trip(trip, log_)
            self.versions[trip_id] = len(log_) and log_[-1].version
            for conflict in self.conflicts[trip_id]:
                log.warning("trip %s: published change conflicts: %s", trip_id, conflict)
        if self.shared:  # timers follow a publish made elsewhere, with no update coming in here
            self.timers.every(
                "changes-refresh", REFRESH_EVERY, self._refresh_job, first=REFRESH_EVERY
            )
        return f"changes: {sum(self.versions.values())} applied"

    async def resume(self) -> int:
        """The sender lease is ours (at start, or taken over): resume the broadcasts a previous
        sender left, and time each trip's re-sends from the table; how many were resumed."""
        resumed = await self.broadcaster.resume()
        await self.resends.start()
        return resumed

    async def pause(self) -> None:
        """The sender lease is lost: stop handing out (the re-send timers stay: a re-send
        only queues rows, and the holder sends them)."""
        await self.broadcaster.pause()

    async def sweep(self) -> int:
        """Send the due notices another worker queued; how many."""
        return await self.broadcaster.sweep()

    def preview(self, trip_id: str, change: Change, lang: Literal["zh", "en"]) -> str:
        """The diff the change makes to the schedule as it stands; ValueError if it cannot."""
        old = self.trips[trip_id]
        lines = diff_lines(old, self._next(trip_id, change), lang, restore=change.kind == "restore")
        if not lines:
            raise ValueError("no_change")
        return "\n".join(lines)

    def warnings(self, trip_id: str, change: Change, lang: Literal["zh", "en"]) -> list[str]:
        """What looks wrong in the change (needs a second confirmation); [] if it is fine."""
        try:
            return change_warnings(self.trips[trip_id], self._next(trip_id, change), lang)
        except ValueError:
            return []  # it does not apply: publishing says so

    async def hold_announcement(self, member: Membership, text: str) -> int:
        """Keep an announcement for Publish / Discard, in the database (the press may reach
        another worker); its id."""
        return await self.storage.hold_announcement(
            member.trip_id, member.user_id, text, self.now()
        )

    async def publish_announcement(self, held: int, member: Membership) -> int | None:
        """Send a held announcement; how many it goes to, or None if it is gone (pressed
        already, here or on another worker, or not this coordinator's trip's)."""
        found = await self.storage.held_announcement(held, member.trip_id)
        if found is None:
            return None
        recipients = await self.storage.notice_recipients(member.trip_id, member.user_id)
        queued = await self.storage.send_held_announcement(
            held,
            member.trip_id,
            member.member_id,
            self._announcement(member, found.text),
            recipients,
            self.now(),
        )
        if queued is None:  # another press took it between the read and the send
            return None
        self.broadcaster.send(queued)
        return len(queued)

    async def discard_announcement(self, held: int, member: Membership) -> bool:
        """Drop a held announcement; False if it is gone."""
        return await self.storage.discard_announcement(held, member.trip_id)

    def _next(self, trip_id: str, change: Change) -> Trip:
        """The effective trip with `change` published next; ValueError if it does not apply.

        Derived from the content and the whole log, not the current trip: /restore needs what
        a cancel took away."""
        version = self.versions.get(trip_id, 0) + 1
        entry = Published(trip_id, version, change, "", self.now(), frozenset())
        new, conflicts = effective_trip(self.content[trip_id], [*self.logs[trip_id], entry])
        mine = [c.why for c in conflicts if c.version == version]
        if mine:
            raise ChangeRefused(mine[0])
        return new

    async def draft(self, member: Membership, change: Change) -> int:
        """Keep the change for Publish / Discard, against the current version."""
        version = self.versions.get(member.trip_id, 0)
        return await self.storage.save_draft(
            member.trip_id, member.user_id, version, change, self.now()
        )

    async def publish(self, draft: Draft, member: Membership) -> Outcome:
        """Append to the log, queue the notices, re-plan reminders — or say what moved."""
        async with self._publishing:
            trip_id, storage, now = draft.trip_id, self.storage, self.now()
            current = self.versions.get(trip_id, 0)
            if draft.state != "open":
                return Outcome("gone")
            if draft.base_version != current:
                # Someone published first: show this change against the new schedule.
                await storage.rebase_draft(draft.id, current)
                return Outcome("moved", current)
            old = self.trips[trip_id]
            try:
                new = self._next(trip_id, draft.change)
            except ChangeRefused as exc:
                return Outcome("invalid", why=exc.refusal)
            version = current + 1
            restore = draft.change.kind == "restore"
            texts = tuple(
                change_notice(old, new, version, draft.change.reason, lang, restore=restore)
                for lang in LANGS
            )
            recipients = await storage.notice_recipients(trip_id, member.user_id)
            done = await storage.publish_change(
                draft,
                member.member_id,
                changed_ids(old, new),
                (texts[0], texts[1]),
                recipients,
                now,
            )
            if done is not None:
                # Recorded (the version and its notices in one commit): now the effective trip,
                self.trips[trip_id], self.versions[trip_id] = new, version
                self.logs[trip_id] = await storage.change_log(trip_id)
                self.broadcaster.send(done[1])  # then the notices go out,
        if done is None:  # another worker published first, or the draft was pressed twice
            return await self._lost_race(draft)
        # and last the reminders are planned again from the effective trip.
        log.info("trip %s: version %d published, %d notices queued", trip_id, version, len(done[1]))
        await self._replan(trip_id)
        return Outcome("published", version, len(done[1]))

    async def _lost_race(self, draft: Draft) -> Outcome:
        """Publish found the log moved on under it (another worker published between this
        worker's last look and the commit): catch up, then show the draft against the new
        schedule, as when it moved before the press. Gone if it is no longer open."""
        again = await self.storage.draft(draft.id)
        if again is None or again.state != "open":
            return Outcome("gone")
        await self.refresh(draft.trip_id)
        current = self.versions.get(draft.trip_id, 0)
        await self.storage.rebase_draft(draft.id, current)
        return Outcome("moved", current)

    async def _replan(self, trip_id: str) -> None:
        """What follows a new version of a trip, here or in another worker: its reminders, then
        the rest (this trip alone: the others stay)."""
        began = time.perf_counter()
        summary = await self.reminders.reconcile(trip_id)
        for follow in self._after_publish:
            await follow(trip_id)
        took = (time.perf_counter() - began) * 1000
        log.info("after a change to %s, %s; re-planned in %.1f ms", trip_id, summary, took)

    async def refresh(self, trip_id: str) -> bool:
        """Catch up with a version another worker published (one indexed query); True if it
        did. One process alone on SQLite publishes only here: nothing to look up."""
        if not self.shared or trip_id not in self.content:
            return False
        if await self.storage.trip_version(trip_id) == self.versions.get(trip_id, 0):
            return False
        async with self._publishing:
            log_ = await self.storage.change_log(trip_id)
            version = len(log_) and log_[-1].version
            if version == self.versions.get(trip_id, 0):
                return False  # caught up meanwhile, by another update of this worker
            self.trips[trip_id], self.conflicts[trip_id] = effective_trip(
                self.content[trip_id], log_
            )
            self.logs[trip_id], self.versions[trip_id] = log_, version
        log.info("trip %s: version %d published by another worker, applied", trip_id, version)
        await self._replan(trip_id)
        return True

    async def _refresh_job(self, _context: object) -> None:
        try:
            await self.refresh_all()
        except Exception:  # the next run tries again; an update's own check still runs
            log.exception("refreshing the published changes failed")

    async def refresh_all(self) -> int:
        """`refresh` every trip (the periodic job on a shared database); how many moved."""
        return sum([await self.refresh(trip_id) for trip_id in self.content])

    def on_published(self, follow: Callable[[str], Awaitable[None]]) -> None:
        """Run `follow(trip_id)` after each publish of that trip, once its reminders are planned
        again."""
        self._after_publish.append(follow)

    def _announcement(self, member: Membership, text: str) -> tuple[str, str]:
        """An announcement's words in each language, signed with its author's name."""
        author, trip = member.member_id, self.trips[member.trip_id]
        zh, en = (announcement(text, member_name(trip, author, lang), lang) for lang in LANGS)
        return zh, en

    async def announce(self, member: Membership, text: str) -> int:
        """Send an announcement to everyone on the trip; how many it goes to."""
        storage = self.storage
        recipients = await storage.notice_recipients(member.trip_id, member.user_id)
        queued = await storage.create_notice(
            member.trip_id,
            member.member_id,
            self._announcement(member, text),
            recipients,
            self.now(),
        )
        self.broadcaster.send(queued)
        return len(queued)

    async def resend_due(self) -> int:
        """Queue again every notice not acknowledged within its trip's interval (each trip's
        timer does this at its instant)."""
        return sum([await self.resends.resend(trip_id) for trip_id in self.content])

    async def view(self, member: Membership) -> tuple[Trip, set[str]]:
        """The effective trip and the legs changed since this account last looked; now seen."""
        trip_id, storage = member.trip_id, self.storage
        version = self.versions.get(trip_id, 0)
        if version == 0:  # nothing published yet: nothing to look up
            return self.trips[trip_id], set()
        seen = await storage.seen_version(member.user_id, trip_id)
        if seen >= version:
            return self.trips[trip_id], set()
        log_ = await storage.change_log(trip_id)
        changed = {leg for p in log_ if p.version > seen for leg in p.legs}
        await storage.mark_seen(member.user_id, trip_id, version)
        return self.trips[trip_id], changed

    async def stop(self) -> None:
        """Stop sending; sends in flight finish and are recorded."""
        await self.broadcaster.stop()
