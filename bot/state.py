"""Typed shared state: what every handler and job reaches through `context`."""

from __future__ import annotations

from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.clock import Clock
from bot.config import Settings
from bot.invites import Throttle
from bot.outbox.pacer import Pacer
from bot.storage import Membership, Storage
from bot.trip.models import Trip
from bot.trip.types import Lang

if TYPE_CHECKING:  # only their types: the services never import this module
    from bot.changes.service import Changes
    from bot.fieldkit.digests import Digests
    from bot.notes.journal import UpdateJournal
    from bot.notes.runtime import Runtime as NotesRuntime
    from bot.outbox.lease import SenderLease
    from bot.reminders.service import Reminders
    from bot.timers import Timers
    from bot.web.metrics import Metrics


class BotData:
    """The application's services; `context.bot_data` is one of these, not a dict."""

    def __init__(self) -> None:
        self._settings: Settings | None = None
        self._storage: Storage | None = None
        self._clock: Clock | None = None
        self._timers: Timers | None = None
        self.trips: dict[str, Trip] = {}
        self.bot_username = ""
        # The features' services, built once by bot/app.py when storage is open.
        self._notes: NotesRuntime | None = None
        self._reminders: Reminders | None = None
        self._changes: Changes | None = None
        self._digests: Digests | None = None
        self.journal: UpdateJournal | None = None  # set in post_init, with storage
        self.metrics: Metrics | None = None  # set where the app is built
        self.lease: SenderLease | None = None  # one sender per token; set with the services
        self.run_lock: IO[str] | None = None  # held while running (bot/backup.py)
        # One budget for Telegram's limits, shared by every outbox (reminders, notices).
        self.pacer = Pacer()
        # Failed /start attempts per account and per chat (guessing codes is throttled).
        self.invite_throttle = Throttle()

    def configure(self, settings: Settings, trips: dict[str, Trip], clock: Clock) -> None:
        """Set what is known before start-up (storage is opened in post_init)."""
        self._settings, self.trips, self._clock = settings, trips, clock

    @property
    def settings(self) -> Settings:
        """The settings the bot was started with."""
        assert self._settings is not None, "BotData.configure() was not called"
        return self._settings

    @property
    def clock(self) -> Clock:
        """The clock: real, rehearsal or manual."""
        assert self._clock is not None, "BotData.configure() was not called"
        return self._clock

    @property
    def timers(self) -> Timers:
        """Every timed job, on the bot's clock."""
        assert self._timers is not None, "the timers are set when the application is built"
        return self._timers

    @timers.setter
    def timers(self, value: Timers) -> None:
        self._timers = value

    @property
    def storage(self) -> Storage:
        """The open storage."""
        if self._storage is None:
            raise RuntimeError("storage is not open yet (post_init has not run)")
        return self._storage

    @storage.setter
    def storage(self, value: Storage | None) -> None:
        self._storage = value

    def serve(
        self, notes: NotesRuntime, reminders: Reminders, changes: Changes, digests: Digests
    ) -> None:
        """Hand the services built in bot/app.py to the handlers."""
        self._notes, self._reminders, self._changes = notes, reminders, changes
        self._digests = digests

    @property
    def started(self) -> bool:
        """Whether the services are built (post_init has run)."""
        return self._changes is not None

    @property
    def notes(self) -> NotesRuntime:
        """What notes keep in memory while the bot runs: media, downloads, albums."""
        if self._notes is None:
            raise RuntimeError("the services are not built yet (post_init has not run)")
        return self._notes

    @property
    def reminders(self) -> Reminders:
        """The reminders service."""
        if self._reminders is None:
            raise RuntimeError("the services are not built yet (post_init has not run)")
        return self._reminders

    @property
    def changes(self) -> Changes:
        """The schedule changes service."""
        if self._changes is None:
            raise RuntimeError("the services are not built yet (post_init has not run)")
        return self._changes

    @property
    def digests(self) -> Digests:
        """The coordinators' daily digests."""
        if self._digests is None:
            raise RuntimeError("the services are not built yet (post_init has not run)")
        return self._digests

    def now(self) -> datetime:
        """The current instant, from the configured clock."""
        return self.clock.now()


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """The callback context: typed bot_data, and the caller's membership set by the access gate."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.membership: Membership | None = None

    @property
    def member(self) -> Membership:
        """The caller's membership (the gate has admitted them)."""
        if self.membership is None:
            raise RuntimeError("handler reached without a membership: is the access gate first?")
        return self.membership

    @property
    def trip(self) -> Trip:
        """The trip the caller belongs to."""
        return self.bot_data.trips[self.member.trip_id]

    @property
    def lang(self) -> Lang:
        """The caller's reply language."""
        return self.membership.lang if self.membership else "zh"
