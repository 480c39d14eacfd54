"""The one Telegram sink: every push (reminder, notice) is claimed, sent in parts and recorded
the same way; what differs — the rows it is claimed in and the text — is its producer's."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode

from bot.formatting.legs import split_message
from bot.storage import Storage
from bot.storage.outbox import Push

log = logging.getLogger(__name__)


class Producer(Protocol):
    """What a kind of push (reminders, notices) knows of its own rows."""

    kind: str  # for the log: "reminder", "notice"

    async def claim(self, item: Push) -> bool:
        """Commit the claim; False (with the reason recorded) if it is no longer to be sent."""
        ...

    async def render(self, item: Push) -> tuple[str, InlineKeyboardMarkup | None]:
        """Its text in the recipient's language, and the buttons of its last part."""
        ...

    async def finish(self, item: Push, state: str, error: str | None) -> None:
        """Record the outcome in its row."""
        ...


class TelegramSink:
    """Claims through the producer, sends the text in parts, records the outcome."""

    def __init__(
        self,
        bot: Bot,
        producer: Producer,
        storage: Callable[[], Storage],
        now: Callable[[], datetime],
    ) -> None:
        self.bot, self.producer, self.storage, self.now = bot, producer, storage, now
        self._parts_sent: dict[tuple[str, int], int] = {}  # by (ref, account)

    async def claim(self, item: Push) -> bool:
        """Commit the claim just before the HTTP call."""
        return await self.producer.claim(item)

    async def send(self, item: Push) -> None:
        """Send every part not yet sent; raise the Telegram error on failure."""
        text, markup = await self.producer.render(item)
        parts = split_message(text)
        ident = item.ref, item.user_id
        # A retry after a failure part-way resumes with the part that failed: none twice.
        done = self._parts_sent.get(ident, 0)
        for i, part in enumerate(parts[done:], start=done):
            await self.bot.send_message(
                item.chat_id,
                part,
                parse_mode=ParseMode.HTML,
                disable_web_page_preview=True,
                reply_markup=markup if i == len(parts) - 1 else None,
            )
            self._parts_sent[ident] = i + 1

    async def done(self, item: Push, state: str, error: str | None) -> None:
        """Record the outcome; a blocked account is marked so nothing more is pushed to it."""
        await self.producer.finish(item, state, error)
        ident, kind = (item.ref, item.user_id), self.producer.kind
        if state == "queued":  # to be tried again: keep the parts already sent
            log.info("%s %s: retrying (%s)", kind, ident, error)
            return
        self._parts_sent.pop(ident, None)
        if state == "blocked":
            await self.storage().mark_blocked(item.chat_id, self.now())
        elif state != "sent":
            log.warning("%s %s: %s (%s)", kind, ident, state, error)
