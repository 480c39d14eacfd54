"""The reminders of one running bot: reconcile rows with the plan, schedule, fire, deliver."""

from __future__ import annotations

import heapq
import logging
import time
from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from telegram import Bot

from bot.clock import Clock
from bot.fieldkit.members import has_day, member_trip, takes_part
from bot.outbox.lease import resume, sweep
from bot.outbox.pacer import Deliverer, Pacer
from bot.outbox.schedule import Batch
from bot.outbox.sink import TelegramSink
from bot.outbox.timetable import Timetable
from bot.reminders.plan import PlannedReminder, plan, rules_of
from bot.reminders.render import reminder_text
from bot.storage import Membership, Storage
from bot.storage.outbox import Push
from bot.storage.reminders import ReminderRow
from bot.timers import Timers
from bot.trip.models import Trip

log = logging.getLogger(__name__)
# A reminder that arrives within this of its instant is on time: small batches are not sent ahead.
ON_TIME = timedelta(seconds=0.5)
WAKE = "reminders"  # the name of the one timer of every reminder


def wanted_by(trips: Mapping[str, Trip], r: PlannedReminder, account: Membership) -> bool:
    """Whether this account is in the reminder's audience: travellers, or coordinators."""
    if r.audience == "coordinators":
        return account.is_coordinator
    trip = trips[r.trip_id]
    member = trip.members_by_id.get(account.member_id)
    if member is None or not member.travelling:
        return False
    return traveller_wants(trip, r, member.id)


def traveller_wants(trip: Trip, r: PlannedReminder, member_id: str) -> bool:
    """Whether a travelling member is in a travellers' reminder: each is reminded only of their
    own legs and briefed only on their own days."""
    if r.kind == "leg" and r.subject in trip.legs_by_id:
        return takes_part(trip.legs_by_id[r.subject], member_id)
    if r.kind == "morning":
        return has_day(trip, member_id, date.fromisoformat(r.subject))
    return True


class Audience:
    """A trip's accounts counted as `wanted_by` counts them, once per trip: the timetable asks
    the size of every reminder's audience, and at start-up that is every reminder of every trip."""

    def __init__(self, trip: Trip, accounts: list[Membership]) -> None:
        members = trip.members_by_id
        self.coordinators = sum(a.is_coordinator for a in accounts)
        # Accounts of each travelling member (a member may have two accounts).
        self.per_member = Counter(
            a.member_id
            for a in accounts
            if (m := members.get(a.member_id)) is not None and m.travelling
        )
        self.travellers = sum(self.per_member.values())
        self.per_day: Counter[date] = Counter()
        for member_id, n in self.per_member.items():
            for day in trip.member_days.get(member_id, frozenset()):
                self.per_day[day] += n
        self.trip = trip

    def size(self, r: PlannedReminder) -> int:
        """How many of the accounts `wanted_by` keeps for this reminder of the trip."""
        if r.audience == "coordinators":
            return self.coordinators
        leg = self.trip.legs_by_id.get(r.subject) if r.kind == "leg" else None
        if leg is not None and leg.members is not None:  # else every traveller's (takes_part)
            return sum(self.per_member[m] for m in set(leg.members))
        if r.kind == "morning":
            return self.per_day[date.fromisoformat(r.subject)]
        return self.travellers


class _ReminderRows:
    """The reminders' side of the outbox: their rows, and the text in the account's language."""

    kind = "reminder"

    def __init__(self, service: Reminders) -> None:
        self.service = service

    async def _plan(self, key: str) -> PlannedReminder | None:
        r = self.service.plans.get(key)
        if r is None:  # the plan moved on past it (after a jump of the clock): the row knows
            row = await self.service.storage.reminder(key)
            r = row.plan if row is not None else None
        return r

    async def claim(self, item: Push) -> bool:
        """Claim the send, or record it missed if its use has passed."""
        data, now = self.service, self.service.now()
        r = await self._plan(item.key)
        if r is not None and now >= r.deadline:
            # Held up past its use (flood control, a jump of the rehearsal clock): the rule of a
            # restart applies, it is recorded as missed rather than sent too late.
            await data.storage.miss_push(item, now)
            return False
        return await data.storage.claim_push(item, now)

    async def render(self, item: Push) -> tuple[str, None]:
        """The reminder as the account reads it (no buttons)."""
        data = self.service
        r = await self._plan(item.key)
        assert r is not None, f"send of an unknown reminder {item.key}"
        account = await data.storage.membership(item.user_id)
        lang = account.lang if account else "zh"
        trip = data.trips[r.trip_id]
        own = member_trip(trip, account.member_id) if account else trip
        # Sent ahead of its instant (many due at once), it reads as at its instant: "30 分後".
        return reminder_text(own, r, lang, max(data.now(), r.due_at)), None

    async def finish(self, item: Push, state: str, error: str | None) -> None:
        """Record the send's outcome."""
        data = self.service
        await data.storage.finish_push(item, state, data.now(), error)  # type: ignore[arg-type]


class Reminders:
    """Plans, schedules (on the bot's clock, through its timers) and delivers one bot's
    reminders."""

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
        self.bot, self.storage, self.trips, self.timers = bot, storage, trips, timers
        self.now, self.pacer = clock.now, pacer
        self.plans: dict[str, PlannedReminder] = {}
        # Still to fire, by key: the instant its sending starts. One timer (WAKE) is armed for
        # the earliest of them, not one per reminder: thousands of reminders at start-up would
        # cost a scheduler job each, and a re-plan that moves many would re-time each.
        self.starts: dict[str, datetime] = {}
        self._queue: list[tuple[datetime, str]] = []  # a heap; an entry not in `starts` is stale
        self._armed: datetime | None = None
        self._keys: dict[str, set[str]] = {}  # trip id: the keys of its plan
        self.timetable = Timetable(pacer.per_second, ON_TIME)
        self._firing: set[str] = set()
        sink = TelegramSink(bot, _ReminderRows(self), lambda: storage, clock.now)
        self.deliverer: Deliverer[Push] = Deliverer(sink, pacer=pacer, backoff_cap=retry_cap)

    async def start(self) -> str:
        """On start: reconcile, schedule; a summary line. Sending starts with the sender lease
        (`resume`)."""
        began = time.perf_counter()
        summary = await self.reconcile()
        return f"{summary} in {(time.perf_counter() - began) * 1000:.0f} ms"

    async def resume(self) -> int:
        """The sender lease is ours (at start, or taken over): settle sends a crash
        interrupted, send what is queued; how many."""
        return await resume(self.deliverer, self.storage.resume_sends(self.now()))

    async def pause(self) -> None:
        """The sender lease is lost: stop handing out; the rows stay queued."""
        await self.deliverer.halt()

    async def sweep(self) -> int:
        """Send the due rows another worker queued; how many."""
        return sweep(self.deliverer, await self.storage.due_pushes("reminder", self.now()))

    async def reconcile(self, trip_id: str | None = None) -> str:
        """Match the rows to the plan now; schedule what is to come, fire what is due. With
        `trip_id`, only that trip (after its change): the other trips' rows, plans and timers
        are not read or touched, unless its batches crowd theirs (then those are re-timed)."""
        data, now = self, self.now()
        trip_ids = list(data.trips) if trip_id is None else [trip_id]
        planned = [r for t in trip_ids for r in plan(data.trips[t], rules_of(data.trips[t]), now)]
        synced = await data.storage.sync_reminders(planned, trip_ids, now)
        old = {k for t in trip_ids for k in self._keys.pop(t, set())}
        for key in old:
            self.plans.pop(key, None)
        for r in planned:
            self.plans[r.key] = r
            self._keys.setdefault(r.trip_id, set()).add(r.key)
        keep = {row.plan.key for row in synced.open}
        for key in old - keep:
            self.starts.pop(key, None)
        batches, leads = await self._batches(synced.open)
        self.timetable.per_second = self.pacer.per_second
        if trip_id is None:
            starts = self.timetable.reset(batches, leads)
        else:
            starts = self.timetable.replace(old, batches, leads)
        for row in synced.open:
            starts.setdefault(row.plan.key, self.timetable.starts[row.plan.key])
        due_now = sum(row.plan.due_at <= now for row in synced.open)
        for key, start in starts.items():
            # Not one that fired meanwhile (another trip's): the old keys out of the plan are
            # gone from `starts`, so this is "still to fire, or newly planned".
            if key in self.starts or key in keep:
                self.starts[key] = start
                heapq.heappush(self._queue, (start, key))
        if trip_id is None or len(self._queue) > 2 * len(self.starts) + 64:
            self._queue = sorted((start, key) for key, start in self.starts.items())
        self._arm()
        return (
            f"reminders: {len(synced.open)} scheduled ({due_now} due now), "
            f"{synced.missed} missed, {synced.cancelled} cancelled"
        )

    async def _batches(self, rows: list[ReminderRow]) -> tuple[list[Batch], dict[str, timedelta]]:
        """Each reminder as a batch of sends (one per account it goes to), and its trip's lead
        window: what the timetable plans the start instants from."""
        data, accounts = self, dict[str, list[Membership]]()
        for trip_id in {row.plan.trip_id for row in rows}:
            accounts[trip_id] = await data.storage.reminder_accounts(trip_id)
        # The count `wanted_by` gives, with each account's member looked up once per trip, not
        # once per reminder (at start-up: every reminder of every trip, times its accounts).
        audiences = {t: Audience(data.trips[t], accs) for t, accs in accounts.items()}
        batches = [
            Batch(row.plan.key, row.plan.due_at, audiences[row.plan.trip_id].size(row.plan))
            for row in rows
        ]
        leads = {row.plan.key: rules_of(data.trips[row.plan.trip_id]).lead for row in rows}
        return batches, leads

    async def clock_moved(self) -> None:
        """The rehearsal clock jumped or changed speed: reconcile as after a restart."""
        log.info("after the clock moved, %s", await self.reconcile())

    def _arm(self) -> None:
        """Arm the one timer for the earliest start still to come (or none)."""
        queue = self._queue
        while queue and self.starts.get(queue[0][1]) != queue[0][0]:
            heapq.heappop(queue)  # fired, dropped or moved since it was pushed
        if not queue:
            self.timers.cancel(WAKE)
            self._armed = None
        elif queue[0][0] != self._armed:
            self._armed = queue[0][0]
            self.timers.at(WAKE, self._armed, self.wake_job, data=self._armed)

    async def wake_job(self, context: Any) -> None:
        """JobQueue: the earliest start came; fire every reminder due by then, re-arm."""
        self._armed = None
        at = context.job.data if context.job is not None else None
        now = max(self.now(), at) if isinstance(at, datetime) else self.now()
        due: list[str] = []
        while self._queue and self._queue[0][0] <= now:
            start, key = heapq.heappop(self._queue)
            if self.starts.get(key) == start:
                due.append(key)
        try:
            for key in due:
                when = self.starts.get(key)
                if when is None or when > now:  # re-planned while the earlier ones fired
                    continue
                try:
                    # A late wake-up still fires, and fire() decides by the deadline.
                    await self.fire(key)
                except Exception:  # one reminder's failure must not hold up the others
                    log.exception("firing reminder %s failed", key)
        finally:
            self._arm()

    async def fire(self, key: str) -> int:
        """A reminder fell due: queue it for its audience, or record it missed if too late."""
        self.starts.pop(key, None)
        if key in self._firing:  # its timer was re-set while it fired (the clock moved)
            return 0
        self._firing.add(key)
        try:
            return await self._fire(key)
        finally:
            self._firing.discard(key)

    async def _fire(self, key: str) -> int:
        data, now = self, self.now()
        row = await data.storage.reminder(key)
        if row is None or row.state != "planned":
            return 0
        r = row.plan
        if now >= r.deadline:
            await data.storage.miss_reminder(key, now)
            log.warning("reminder %s missed its deadline %s", key, r.deadline)
            return 0
        accounts = [
            a
            for a in await data.storage.reminder_accounts(r.trip_id)
            if wanted_by(data.trips, r, a)
        ]
        queued = await data.storage.fire_reminder(key, accounts, now)
        for item in queued:
            self.deliverer.offer(item, item.chat_id)
        return len(queued)

    async def stop(self) -> None:
        """Stop delivering; sends in flight finish and are recorded."""
        await self.deliverer.stop()
