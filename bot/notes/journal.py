"""The update journal: note messages are kept from their fetch until they are handled.

PTB confirms a batch of updates to Telegram with its next getUpdates, which it sends as soon
as the batch is queued, before the handlers have run. Telegram will not send a confirmed update
again, so a crash in between would lose notes the delegate was never told were saved. The bot
therefore commits the members' note messages of each batch before it returns the batch, and on
start replays those that never became a note; each of several workers also sweeps every 10 s
for entries older than the grace that never became notes (a worker that died after answering
the webhook 200). Only notes are replayed: they are keyed by their
message, so handling one twice cannot store it twice; commands such as /announce are not.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from telegram import Update
from telegram.error import NetworkError, TelegramError
from telegram.ext import ExtBot, JobQueue

from bot.i18n import t
from bot.routing import NOTE_KINDS, REVISION
from bot.storage import JournalEntry, Storage, is_disk_full

log = logging.getLogger(__name__)
KEEP = timedelta(minutes=10)  # far longer than a note takes to handle, downloads included
SWEEP_EVERY = 10.0  # real seconds between a worker's sweeps for a dead worker's notes


def is_note(update: Update, bot_username: str) -> bool:
    """A new private message that the notes feature stores: plain, media, or /note <text>."""
    message = update.message
    if message is None or message.chat.type != "private":
        return False
    if NOTE_KINDS.check_update(update):
        return not REVISION.check_update(update)
    parts = (message.text or "").split(maxsplit=1)  # as PTB splits a command's arguments
    return len(parts) == 2 and parts[0] in ("/note", f"/note@{bot_username}")


class UpdateJournal:
    """Journals note updates of members; knows which updates this run replayed."""

    def __init__(self, storage: Storage, now: Callable[[], datetime]) -> None:
        # `now` is wall-clock time: the journal's age limit is about this process, not the trip.
        self.storage = storage
        self.now = now
        self._replayed: set[int] = set()
        self._passed: set[int] = set()
        self._told_full: set[int] = set()

    async def record(self, updates: Sequence[Update], bot_username: str) -> None:
        """Commit the members' note updates of a fetched batch."""
        entries = []
        for update in updates:
            user = update.effective_user
            if user is None or not is_note(update, bot_username):
                continue
            # A stranger's message is refused before anything of it is stored.
            if not await self.storage.membership(user.id):
                continue
            assert update.message is not None
            payload = json.dumps(update.to_dict(), ensure_ascii=False)
            entries.append(
                JournalEntry(
                    update.update_id, update.message.chat_id, update.message.message_id, payload
                )
            )
        if entries:
            await self.storage.journal_updates(entries, self.now(), KEEP)

    async def tell_full(self, bot: ExtBot[None], updates: Sequence[Update]) -> None:
        """The disk is full: tell each member whose note could not be kept, once per message
        (the batch stays unconfirmed and comes again until there is space)."""
        for update in updates:
            user = update.effective_user
            if (
                user is None
                or update.update_id in self._told_full
                or not is_note(update, bot.username)
            ):
                continue
            member = await self.storage.membership(user.id)
            if member is None or update.message is None:
                continue
            self._told_full.add(update.update_id)
            try:
                await bot.send_message(update.message.chat_id, t(member.lang, "storage_full"))
            except TelegramError as exc:
                log.warning("could not tell %s that the disk is full: %s", user.id, exc)

    async def unhandled(self, bot: ExtBot[None], grace: timedelta | None = None) -> list[Update]:
        """The journalled updates that never became notes, to be handled again; with `grace`,
        only those journalled longer ago than that (a live worker may be on a newer one)."""
        now = self.now()
        before = None if grace is None else now - grace
        entries = await self.storage.take_unhandled_updates(received_before=before, now=now)
        self._replayed |= {e.update_id for e in entries}
        return [Update.de_json(json.loads(e.payload), bot) for e in entries]

    def sweep_every(
        self,
        jobs: JobQueue[Any],
        bot: ExtBot[None],
        queue: asyncio.Queue[object],
        grace: timedelta,
        every: float = SWEEP_EVERY,
    ) -> None:
        """Every `every` real seconds, queue the entries older than `grace` that never became
        notes: those a worker answered 200 for and then died with (Telegram sends them no
        more). A taken entry counts as received anew, so of several sweepers one replays it."""

        async def sweep(_context: object) -> None:
            updates = await self.unhandled(bot, grace)
            for update in updates:
                await queue.put(update)
            if updates:
                log.warning("journal sweep: %d note(s) another worker left replayed", len(updates))

        jobs.run_repeating(sweep, every, first=every, name="journal-sweep")

    def is_repeat(self, update_id: int) -> bool:
        """True for the second sight of a replayed update (Telegram had not confirmed it)."""
        if update_id not in self._replayed:
            return False
        if update_id in self._passed:
            return True
        self._passed.add(update_id)
        return False


class JournalingBot(ExtBot[None]):
    """An ExtBot whose getUpdates journals each batch before handing it to PTB."""

    __slots__ = ("_journal",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # PTB freezes a bot's public attributes; the journal arrives once storage is open.
        self._journal: UpdateJournal | None = None

    def attach(self, journal: UpdateJournal) -> None:
        """Journal every batch from now on."""
        self._journal = journal

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        """Fetch a batch; journal its note updates before PTB can confirm it."""
        # The arguments pass through untouched: some of their types are PTB's own (not public).
        updates = await super().get_updates(*args, **kwargs)
        if self._journal is not None and updates:
            try:
                await self._journal.record(updates, self.username)
            except Exception as exc:
                if is_disk_full(exc):
                    await self._journal.tell_full(self, updates)
                # As a network failure, PTB polls again: the batch, never confirmed, comes back.
                raise NetworkError(f"update journal: {exc!r}") from exc
        return updates
