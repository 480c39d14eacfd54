"""Pushing messages (reminders, notices) within Telegram's limits, at most once each.

Pacing: one loop hands messages out no faster than 25/s overall (`OUTBOX_RATE`) and 1/s per
chat, earliest first; a chat that is not ready never holds up the others. A 429 is honoured:
the message waits `retry_after`, and so does everything else (Telegram's flood control is per bot).
A network error or a 5xx is retried with exponential backoff, capped, for as long as the item is
still useful (the sink's `claim` says when it no longer is: a reminder whose event started, a
notice whose trip ended or that a newer one superseded). Between tries the row is released back
to `queued`, so a restart during an outage resumes it too. Only a permanent error ends a row:
a 403 marks the account blocked, a 400 (chat not found, a bad message) records it failed, and
the loop goes on with the others.

Crash between send and record — we lean to AT MOST ONCE. Each send is *claimed* in SQLite
(queued → claimed, committed) immediately before its HTTP call and recorded as sent after.
A crash in between leaves the row `claimed`; on the next start it becomes `unconfirmed`, is
never sent again, and coordinators see it in `/reminders`. The other way (record after send,
re-send on doubt) would send twice after such a crash. We prefer a rare, visible gap to a
duplicate because the gap is one HTTP round trip wide, the delegate still has /brief, /next
and the itinerary, and a reminder that arrives twice teaches people to ignore reminders. The
Bot API has no idempotency key that would let us have both. For the same reason a *timeout*
(the request may have reached Telegram) is not retried: it is recorded as `unconfirmed`;
errors that prove nothing was sent (429, connection refused) are retried.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError, TimedOut

log = logging.getLogger(__name__)
T = TypeVar("T")
T_contra = TypeVar("T_contra", contravariant=True)
# Of Telegram's 30 msg/s per bot, what every push shares; the other 5/s stay free for replies to
# members' commands, so /next answers within a second or two even during a broadcast.
OUTBOX_RATE = 25.0


class Sink(Protocol[T_contra]):
    """Where the deliverer claims, sends and records one item."""

    async def claim(self, item: T_contra) -> bool:
        """Commit the claim; False if the item is no longer to be sent (the sink records why,
        e.g. that it is no longer useful)."""
        ...

    async def send(self, item: T_contra) -> None:
        """Send it; raise the Telegram error on failure."""
        ...

    async def done(self, item: T_contra, state: str, error: str | None) -> None:
        """Record the outcome: sent, failed, blocked or unconfirmed; `queued` releases the claim
        of an item that will be tried again."""
        ...


@dataclass(order=True)
class _Job(Generic[T]):
    ready_at: float
    seq: int
    chat_id: int = field(compare=False)
    item: T = field(compare=False)
    attempts: int = field(default=0, compare=False)
    held: bool = field(default=False, compare=False)  # claimed, and still ours to send


@dataclass
class Pacer:
    """Telegram's limits as one budget: every outbox of a bot shares it (reminders, notices)."""

    per_second: float = OUTBOX_RATE
    per_chat_interval: float = 1.0
    global_next: float = 0.0
    paused_until: float = 0.0  # after a 429: flood control is per bot, not per outbox
    chat_next: dict[int, float] = field(default_factory=dict)

    @property
    def interval(self) -> float:
        """Seconds between two messages overall."""
        return 1.0 / self.per_second


class Deliverer(Generic[T]):
    """A paced outbox: `put` items; one loop sends them within the limits of its pacer."""

    def __init__(
        self,
        sink: Sink[T],
        *,
        pacer: Pacer | None = None,
        backoff: float = 0.5,
        backoff_cap: float = 60.0,
        in_flight: int = 32,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sink, self.clock = sink, clock
        self.pacer = pacer if pacer is not None else Pacer()
        self.backoff, self.backoff_cap = backoff, backoff_cap
        self._heap: list[_Job[T]] = []
        self._seq = itertools.count()
        self._wake = asyncio.Event()
        self._slots = asyncio.Semaphore(in_flight)
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop: asyncio.Task[None] | None = None
        self._inside: dict[T, int] = {}  # items queued here or being tried, for `holds`
        self.sent = 0

    def start(self) -> None:
        """Start the sending loop (on the running event loop)."""
        if self._loop is None:
            self._loop = asyncio.get_running_loop().create_task(self._run())

    def put(self, item: T, chat_id: int, *, not_before: float | None = None) -> None:
        """Queue an item for a chat."""
        ready = self.clock() if not_before is None else not_before
        self._count(item, 1)
        heapq.heappush(self._heap, _Job(ready, next(self._seq), chat_id, item))
        self._wake.set()

    def offer(self, item: T, chat_id: int) -> None:
        """Queue an item if this process sends (the loop runs); else its row stays queued in the
        table for the worker that holds the sender lease."""
        if self._loop is not None:
            self.put(item, chat_id)

    def holds(self, item: T) -> bool:
        """Whether the item is queued here or being tried (a sweep of the table skips it)."""
        return item in self._inside

    def _count(self, item: T, step: int) -> None:
        left = self._inside.get(item, 0) + step
        if left > 0:
            self._inside[item] = left
        else:
            self._inside.pop(item, None)

    @property
    def pending(self) -> int:
        """Items queued or being sent."""
        return len(self._heap) + len(self._tasks)

    @property
    def running(self) -> bool:
        """Whether the sending loop runs."""
        return self._loop is not None

    async def halt(self) -> None:
        """Stop handing out and forget what was queued here (its rows stay queued in the table,
        for whoever sends next); sends in flight finish. `start` sends again."""
        if self._loop is not None:
            self._loop.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop
            self._loop = None
        for job in self._heap:
            self._count(job.item, -1)
        self._heap.clear()

    async def stop(self, grace: float = 5.0) -> None:
        """Stop handing out; let sends in flight finish (their rows are then settled)."""
        if self._loop is not None:
            self._loop.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop
            self._loop = None
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=grace)

    async def _run(self) -> None:
        while True:
            if not self._heap:
                self._wake.clear()
                await self._wake.wait()
                continue
            now = self.clock()
            job = self._heap[0]
            pacer = self.pacer
            chat_ready = pacer.chat_next.get(job.chat_id, 0.0)
            if chat_ready > job.ready_at:
                # This chat had a message lately: requeue it at its turn, look at the others.
                heapq.heapreplace(
                    self._heap,
                    _Job(chat_ready, job.seq, job.chat_id, job.item, job.attempts, job.held),
                )
                continue
            at = max(job.ready_at, pacer.global_next, pacer.paused_until)
            if at > now:
                # Another outbox on the same pacer may take the slot meanwhile: check again then.
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), at - now)
                continue
            await self._slots.acquire()
            now = self.clock()
            if (
                not self._heap
                or self._heap[0] is not job  # it changed while we waited
                or max(pacer.global_next, pacer.paused_until) > now  # the slot went elsewhere
                or pacer.chat_next.get(job.chat_id, 0.0) > job.ready_at
            ):
                self._slots.release()
                continue
            heapq.heappop(self._heap)
            pacer.chat_next[job.chat_id] = now + pacer.per_chat_interval
            # Keep the overall pace; a late wake-up may catch up by a few slots, no more.
            pacer.global_next = max(pacer.global_next, now - 3 * pacer.interval) + pacer.interval
            task = asyncio.get_running_loop().create_task(self._attempt(job))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _attempt(self, job: _Job[T]) -> None:
        try:
            # A try after a network error is claimed anew: between such tries the row is queued,
            # so a restart in a long outage resumes it. A 429's short pause keeps the claim.
            if not job.held and not await self.sink.claim(job.item):
                return
            job.held = True
            job.attempts += 1
            await self._send(job)
        except Exception:
            log.exception("outbox delivery failed unexpectedly")
        finally:
            self._count(job.item, -1)
            self._slots.release()

    async def _send(self, job: _Job[T]) -> None:
        try:
            await self.sink.send(job.item)
        except RetryAfter as exc:
            wait = _seconds(exc.retry_after)
            self.pacer.paused_until = max(self.pacer.paused_until, self.clock() + wait)
            self._again(job, wait)
            return
        except Forbidden as exc:
            await self.sink.done(job.item, "blocked", str(exc))
            return
        except TimedOut as exc:
            await self.sink.done(job.item, "unconfirmed", str(exc))
            return
        except BadRequest as exc:
            await self.sink.done(job.item, "failed", str(exc))
            return
        except TelegramError as exc:
            # Refused connections, 5xx, an unreachable proxy: nothing was delivered. Retry while
            # the sink still finds it useful; capped, so recovery is noticed within a minute.
            await self.sink.done(job.item, "queued", str(exc))
            job.held = False
            delay = min(self.backoff_cap, self.backoff * 2 ** min(job.attempts - 1, 30))
            self._again(job, delay)
            return
        self.sent += 1
        await self.sink.done(job.item, "sent", None)

    def _again(self, job: _Job[T], delay: float) -> None:
        job.ready_at, job.seq = self.clock() + delay, next(self._seq)
        self._count(job.item, 1)
        heapq.heappush(self._heap, job)
        self._wake.set()


def _seconds(value: object) -> float:
    if hasattr(value, "total_seconds"):
        return float(value.total_seconds())
    return float(value)  # type: ignore[arg-type]
