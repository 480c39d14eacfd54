"""The update queue behind getUpdates, with real long polling and offset confirmation."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from emulator.params import ApiError


@dataclass
class QueuedUpdate:
    """An update waiting to be fetched and confirmed by the bot."""

    update_id: int
    payload: dict[str, Any]
    queued_at: float

    def to_dict(self) -> dict[str, Any]:
        """The Bot API `Update` object."""
        return {"update_id": self.update_id, **self.payload}


class UpdateQueue:
    """Unconfirmed updates; getUpdates waits on it until something arrives or time runs out."""

    def __init__(self, first_update_id: int = 1) -> None:
        self._pending: list[QueuedUpdate] = []
        self._next_id = first_update_id
        self._wakeup = asyncio.Event()
        self._generation = 0
        self._closed = False
        self.queued_at: dict[int, float] = {}
        self.delivered_at: dict[int, float] = {}
        self.listeners: list[Callable[[], None]] = []  # told of every change (webhook delivery)

    @property
    def pending(self) -> list[QueuedUpdate]:
        """Updates not yet confirmed through `offset`, oldest first."""
        return list(self._pending)

    @property
    def next_update_id(self) -> int:
        """The id the next queued update gets."""
        return self._next_id

    @next_update_id.setter
    def next_update_id(self, value: int) -> None:
        self._next_id = value

    @property
    def last_update_id(self) -> int | None:
        """The id of the most recently queued update."""
        return self._next_id - 1 if self.queued_at else None

    def push(self, payload: dict[str, Any]) -> int:
        """Queue an update body such as {"message": {...}} and return its update_id."""
        update = QueuedUpdate(self._next_id, payload, time.monotonic())
        self._next_id += 1
        self._pending.append(update)
        self.queued_at[update.update_id] = update.queued_at
        self._notify()
        return update.update_id

    def confirm(self, offset: int) -> None:
        """Forget updates below `offset`; a negative offset keeps only the last -offset ones."""
        if offset < 0:
            self._pending = self._pending[offset:]
        elif offset > 0:
            self._pending = [u for u in self._pending if u.update_id >= offset]

    def remove(self, update_id: int) -> None:
        """A webhook delivery was answered 2xx: Telegram forgets the update."""
        self._pending = [u for u in self._pending if u.update_id != update_id]
        self._notify()

    def drop_pending(self) -> None:
        """deleteWebhook(drop_pending_updates=True)."""
        self._pending.clear()

    def open(self) -> None:
        """Accept long polls again after `close` (the emulator was restarted)."""
        self._closed = False

    def close(self) -> None:
        """Release every waiting getUpdates so the server can shut down promptly."""
        self._closed = True
        self._notify()

    async def poll(self, offset: int | None, limit: int, hold: float) -> list[QueuedUpdate]:
        """getUpdates: confirm below `offset`, then wait up to `hold` seconds for any update."""
        if offset is not None:
            self.confirm(offset)
        # Like Telegram, a newer getUpdates ends an older one still waiting, with 409.
        self._generation += 1
        generation = self._generation
        self._notify()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, hold)
        while True:
            if generation != self._generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only "
                    "one bot instance is running",
                )
            ready = self._pending[: max(1, min(limit, 100))]
            remaining = deadline - loop.time()
            if ready or remaining <= 0 or self._closed:
                now = time.monotonic()
                for update in ready:
                    self.delivered_at.setdefault(update.update_id, now)
                return ready
            wakeup = self._wakeup
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), remaining)

    def _notify(self) -> None:
        self._wakeup.set()
        self._wakeup = asyncio.Event()
        for listener in self.listeners:
            listener()
