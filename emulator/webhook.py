"""Webhook delivery as Telegram does it: POST each update with the secret header, up to
`max_connections` at once, retry each until a 2xx (after an error status, a refused or reset
connection or a timeout, with a doubling backoff; an update is never dropped), and report the
last error in getWebhookInfo."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

from emulator.updates import QueuedUpdate, UpdateQueue

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True)
class WebhookAttempt:
    """One POST of an update: its HTTP status (None: no answer) and when it ended."""

    update_id: int
    status: int | None
    at: float


class WebhookDelivery:
    """Delivers the queue's updates to the bot's URL, `max_connections` at a time."""

    def __init__(
        self,
        queue: UpdateQueue,
        changed: Callable[[], None],
        retry_first: float = 0.1,
        retry_max: float = 2.0,
    ) -> None:
        self.queue = queue
        self._changed = changed  # wakes the emulator's waiters, as any bot activity does
        self.url = ""
        self.secret: str | None = None
        self.max_connections = 40
        self.allowed_updates: list[str] | None = None
        self.retry_first = retry_first  # Telegram waits longer; tests need not
        self.retry_max = retry_max
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None
        self.attempts: list[WebhookAttempt] = []
        self._failures: dict[int, int] = {}
        self._retry_at: dict[int, float] = {}
        self._in_flight: set[int] = set()
        self._posts: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None
        queue.listeners.append(self._wake.set)

    @property
    def active(self) -> bool:
        """Whether a webhook is set (getUpdates then answers 409)."""
        return bool(self.url)

    def set(self, url: str, secret: str | None, max_connections: int) -> None:
        """setWebhook: deliver to `url` from now on."""
        self.url, self.secret, self.max_connections = url, secret, max_connections
        self.last_error_date = self.last_error_message = None
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._deliver_all())
        self._wake.set()

    async def delete(self) -> None:
        """deleteWebhook: stop delivering; undelivered updates wait for getUpdates."""
        self.url, self.secret = "", None
        await self.close()

    async def close(self) -> None:
        """Stop the delivery task and its connections."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for post in list(self._posts):
            post.cancel()
        await asyncio.gather(*self._posts, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
            self._session = None
        self._in_flight.clear()

    def info(self) -> dict[str, Any]:
        """getWebhookInfo."""
        out: dict[str, Any] = {
            "url": self.url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.queue.pending),
        }
        if self.url:
            out["max_connections"] = self.max_connections
            if self.allowed_updates is not None:
                out["allowed_updates"] = self.allowed_updates
        if self.last_error_date is not None:
            out["last_error_date"] = self.last_error_date
            out["last_error_message"] = self.last_error_message
        return out

    async def _deliver_all(self) -> None:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        loop = asyncio.get_running_loop()
        while True:
            self._wake.clear()
            now = loop.time()
            due = [
                u
                for u in self.queue.pending
                if u.update_id not in self._in_flight and self._retry_at.get(u.update_id, 0) <= now
            ]
            for update in due[: max(0, self.max_connections - len(self._in_flight))]:
                self._in_flight.add(update.update_id)
                task = asyncio.create_task(self._post(update))
                self._posts.add(task)
                task.add_done_callback(self._posts.discard)
            later = [t for i, t in self._retry_at.items() if i not in self._in_flight]
            wait = max(0.0, min(later) - now) if later else None
            # asyncio.timeout, not wait_for: 3.11's wait_for can swallow a cancellation.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await self._wake.wait()

    async def _post(self, update: QueuedUpdate) -> None:
        assert self._session is not None
        headers = {SECRET_HEADER: self.secret} if self.secret else {}
        self.queue.delivered_at.setdefault(update.update_id, time.monotonic())
        status: int | None = None
        error = ""
        try:
            async with self._session.post(self.url, json=update.to_dict(), headers=headers) as res:
                status = res.status
                await res.read()
                error = f"Wrong response from the webhook: {res.status} {res.reason}"
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            error = f"Connection failed: {type(exc).__name__}"  # refused, reset, timed out
        except Exception as exc:  # whatever failed, the update must come again
            error = f"Delivery failed: {type(exc).__name__}"
        finally:
            self._in_flight.discard(update.update_id)
        self.attempts.append(WebhookAttempt(update.update_id, status, time.monotonic()))
        if status is not None and 200 <= status < 300:
            self._failures.pop(update.update_id, None)
            self._retry_at.pop(update.update_id, None)
            self.queue.remove(update.update_id)
            # The bot's reply wakes the waiters anyway; only an empty queue needs its own wake
            # (waking every waiting test per delivery costs the emulator's CPU in benchmarks).
            if not self.queue.pending:
                self._changed()
        else:
            failures = self._failures.get(update.update_id, 0) + 1
            self._failures[update.update_id] = failures
            delay = min(self.retry_max, self.retry_first * 2 ** (failures - 1))
            self._retry_at[update.update_id] = asyncio.get_running_loop().time() + delay
            self.last_error_date, self.last_error_message = int(time.time()), error
            self._changed()
        self._wake.set()
