"""Prometheus metrics of one bot: updates, reply latency, Bot API calls; the rest read at scrape.

Each bot has its own registry (tests and benchmarks run several bots in one process), and
what the database already counts (notes, pending downloads, outboxes, reminders) is read from
it when /metrics is asked, not kept twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from telegram import Update
from telegram.ext import SimpleUpdateProcessor
from telegram.request import BaseRequest

from bot.logformat import UPDATE
from bot.storage import OpsCounts

log = logging.getLogger(__name__)

# Reply latencies of a chat bot: tens of milliseconds normally, seconds under a burst.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_FAILED_KEEP = 1024


class Metrics:
    """The bot's counters, and what the health check needs to know of the Bot API."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.updates = Counter(
            "bot_updates", "Updates handled, by kind and outcome", ["kind", "outcome"], registry=r
        )
        self.latency = Histogram(
            "bot_reply_latency_seconds",
            "Time to handle an update, reply included",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.api_calls = Counter(
            "bot_api_calls",
            "Bot API calls by method and HTTP status ('error': no answer)",
            ["method", "status"],
            registry=r,
        )
        self.api_429 = Counter(
            "bot_api_rate_limited", "Bot API answers 429 (flood control)", registry=r
        )
        self.webhook = Counter(
            "bot_webhook_requests", "Webhook requests by answer status", ["status"], registry=r
        )
        self.outbox_depth = Gauge(
            "bot_outbox_depth", "Sends queued or claimed, per outbox", ["outbox"], registry=r
        )
        self.outbox_age = Gauge(
            "bot_outbox_oldest_seconds",
            "Age of the oldest queued send, per outbox",
            ["outbox"],
            registry=r,
        )
        self.reminders = Gauge(
            "bot_reminder_sends",
            "Reminder sends by state (sent, missed, unconfirmed)",
            ["state"],
            registry=r,
        )
        self.sender = Gauge(
            "bot_outbox_sender",
            "1 while this worker holds the sender lease and sends the outbox, else 0",
            registry=r,
        )
        self.notes = Gauge("bot_notes_stored", "Notes stored (not deleted)", registry=r)
        self.downloads = Gauge(
            "bot_downloads_pending", "Files of notes not yet downloaded", registry=r
        )
        self.last_api_ok: float | None = None  # time.monotonic() of the last answer below 500
        self._failed: dict[int, None] = {}

    def api_answered(self, method: str, status: int | None) -> None:
        """Count one Bot API call; `None` when no answer came."""
        self.api_calls.labels(method, "error" if status is None else str(status)).inc()
        if status == 429:
            self.api_429.inc()
        if status is not None and status < 500:
            self.last_api_ok = time.monotonic()

    def failed(self, update: object) -> None:
        """The error handler saw this update fail."""
        if isinstance(update, Update):
            self._failed[update.update_id] = None
            while len(self._failed) > _FAILED_KEEP:
                del self._failed[next(iter(self._failed))]

    def handled(self, update: object, seconds: float) -> None:
        """Count one handled update and its latency."""
        outcome = "ok"
        if isinstance(update, Update) and update.update_id in self._failed:
            del self._failed[update.update_id]
            outcome = "error"
        self.updates.labels(update_kind(update), outcome).inc()
        self.latency.observe(seconds)

    def render(self, counts: OpsCounts | None) -> bytes:
        """The Prometheus text, with the database's counts (left as they were if unreadable)."""
        if counts is not None:
            self._set_counts(counts)
        return generate_latest(self.registry)

    def _set_counts(self, counts: OpsCounts) -> None:
        self.notes.set(counts.notes)
        if counts.sender is not None:
            self.sender.set(1 if counts.sender else 0)
        self.downloads.set(counts.downloads_pending)
        for state in ("sent", "missed", "unconfirmed"):
            self.reminders.labels(state).set(counts.reminder_sends.get(state, 0))
        for outbox, (depth, oldest) in counts.outboxes.items():
            self.outbox_depth.labels(outbox).set(depth)
            self.outbox_age.labels(outbox).set(oldest)


def update_kind(update: object) -> str:
    """'command', or the update's type as the Bot API names it (message, callback_query…)."""
    if not isinstance(update, Update):
        return "other"
    message = update.message
    if message is not None and (message.text or "").startswith("/"):
        return "command"
    for kind in Update.ALL_TYPES:
        if getattr(update, kind, None) is not None:
            return kind
    return "other"


class MeasuredUpdates(SimpleUpdateProcessor):
    """PTB's concurrent update processing, timing each update for the metrics."""

    __slots__ = ("_metrics",)

    def __init__(self, max_concurrent_updates: int, metrics: Metrics) -> None:
        super().__init__(max_concurrent_updates)
        self._metrics = metrics

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Handle the update in its log context; count it and log it with its latency."""
        chat = update.effective_chat if isinstance(update, Update) else None
        UPDATE.set((getattr(update, "update_id", None), chat.id if chat else None))
        start = time.perf_counter()
        try:
            await coroutine
        finally:
            seconds = time.perf_counter() - start
            self._metrics.handled(update, seconds)
            log.info("update handled", extra={"latency_ms": round(seconds * 1000, 1)})


class MeasuredRequest(BaseRequest):
    """A Bot API transport that counts each call by method and status."""

    __slots__ = ("_inner", "_metrics")

    def __init__(self, inner: BaseRequest, metrics: Metrics) -> None:
        self._inner = inner
        self._metrics = metrics

    @property
    def read_timeout(self) -> float | None:
        """The inner transport's read timeout."""
        return self._inner.read_timeout

    async def initialize(self) -> None:
        """Open the inner transport."""
        await self._inner.initialize()

    async def shutdown(self) -> None:
        """Close the inner transport."""
        await self._inner.shutdown()

    async def do_request(
        self, url: str, method: str, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        """Send through the inner transport; count the answer (never the URL: it holds the
        token)."""
        name = "download" if "/file/" in url else url.rsplit("/", 1)[-1]
        try:
            # The arguments pass through untouched: their types are PTB's own (not public).
            status, body = await self._inner.do_request(url, method, *args, **kwargs)
        except Exception:
            self._metrics.api_answered(name, None)
            raise
        self._metrics.api_answered(name, status)
        return status, body
