"""The one place that wires the bot: Application, storage, the services, their timed jobs and
the ordered handlers. Every service is built here, once, and handed to the handlers in BotData."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from telegram import BotCommand, Update
from telegram.error import Forbidden
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes

import handlers.admin
import handlers.briefing
import handlers.changes
import handlers.fallback
import handlers.fieldkit
import handlers.gate
import handlers.notes
import handlers.onboarding
import handlers.people
import handlers.reminders
import handlers.report
from bot.backup import hold_run_lock
from bot.changes.service import Changes
from bot.clock import Clock, RehearsalClock, SystemClock
from bot.config import Settings
from bot.fieldkit.digests import Digests
from bot.fieldkit.wiring import start_fieldkit
from bot.gcpause import collector_paused, settle
from bot.i18n import COMMANDS, t
from bot.logformat import named
from bot.notes.journal import JournalingBot, UpdateJournal
from bot.notes.runtime import open_runtime
from bot.outbox.lease import SenderLease
from bot.reminders.service import Reminders
from bot.state import BotContext, BotData
from bot.storage import Storage, is_disk_full
from bot.timers import Timers
from bot.transport import CONCURRENT_UPDATES, JsonRequest, PollingRequest
from bot.trip.loader import load_trips
from bot.trip.models import Trip
from bot.web.metrics import MeasuredRequest, MeasuredUpdates, Metrics

log = logging.getLogger(__name__)
BotApp = Application[Any, BotContext, dict[Any, Any], dict[Any, Any], BotData, Any]
# Placeholder token for the local emulator, which accepts any token.
LOCAL_TOKEN = "123456:local-emulator-token-0000000000"
JOURNAL_GRACE = timedelta(seconds=20)  # a note is handled within seconds of its fetch


def build_application(
    settings: Settings,
    *,
    trips: dict[str, Trip] | None = None,
    clock: Clock | None = None,
    token: str | None = None,
) -> BotApp:
    """Build the bot; content is loaded and validated here, so bad content stops the start."""
    if trips is None:
        with collector_paused():  # else the collector's first pass after it walks all of it
            trips = load_trips(settings.content_dir)
            settle()
    if clock is None:
        clock = RehearsalClock(settings.clock_start) if settings.clock_start else SystemClock()
    context_types = ContextTypes(context=BotContext, bot_data=BotData)
    metrics = Metrics()
    bot = _make_bot(
        token or settings.token or LOCAL_TOKEN,
        settings.base_url,
        settings.base_file_url,
        settings.rate_limit,
        metrics,
    )
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(context_types)
        .concurrent_updates(MeasuredUpdates(CONCURRENT_UPDATES, metrics))
        .post_init(_open)
        .post_stop(_stop)
        .post_shutdown(_close)
    )
    if settings.webhook_url:
        builder = builder.updater(None)  # updates come by webhook (bot/web/server.py)
    app: BotApp = builder.build()
    app.bot_data.configure(settings, trips, clock)
    assert app.job_queue is not None, "python-telegram-bot[job-queue] is a dependency"
    app.bot_data.timers = Timers(app.job_queue, clock)
    app.bot_data.metrics = metrics
    app.add_handlers(handlers.gate.handlers(), group=-1)
    app.add_handlers(
        [
            *handlers.onboarding.handlers(),
            *handlers.briefing.handlers(),
            *handlers.fieldkit.handlers(),
            *handlers.changes.handlers(),  # before notes: a coordinator's .yaml is a revision
            *handlers.people.handlers(),
            *handlers.admin.handlers(),
            *handlers.notes.handlers(),
            *handlers.report.handlers(),
            *handlers.reminders.handlers(),
            *handlers.fallback.handlers(),
        ]
    )
    app.add_error_handler(_report_error)
    for group in app.handlers.values():
        for handler in group:
            handler.callback = named(handler.callback)  # the log context names the handler
    return app


def _make_bot(
    token: str, base_url: str, base_file_url: str, rate_limit: float, metrics: Metrics
) -> JournalingBot:
    """The bot's Bot API client: JSON calls on a small pool, getUpdates on a connection of its
    own (as PTB's builder sets it up), PTB's rate limiter when `rate_limit` is above zero;
    every call is counted in `metrics`."""
    limiter = AIORateLimiter(overall_max_rate=rate_limit, max_retries=3) if rate_limit > 0 else None
    polls = MeasuredRequest(PollingRequest(connection_pool_size=1), metrics)
    return JournalingBot(
        token,
        base_url=base_url,
        base_file_url=base_file_url,
        request=MeasuredRequest(JsonRequest(), metrics),
        get_updates_request=polls,
        rate_limiter=limiter,
    )


async def _open(app: BotApp) -> None:
    data = app.bot_data
    if data.run_lock is None:  # `run` takes it first; `restore` refuses while it is held
        data.run_lock = hold_run_lock(data.settings.data_dir)
    data.storage = await Storage.open(data.settings.db_path, data.settings.database_url)
    data.bot_username = app.bot.username
    with collector_paused():  # planning every trip's reminders: collected once, below
        await _build_services(app)
    # Notes fetched before a crash but never handled are queued ahead of anything new.
    assert isinstance(app.bot, JournalingBot)
    data.journal = UpdateJournal(data.storage, SystemClock().now)
    app.bot.attach(data.journal)
    # One of several workers: a newer entry may be another live worker's, in its hands now.
    grace = JOURNAL_GRACE if data.settings.worker_id is not None else None
    for update in await data.journal.unhandled(app.bot, grace):
        await app.update_queue.put(update)
    if grace is not None:  # and later, what a worker that died meanwhile had taken
        assert app.job_queue is not None
        data.journal.sweep_every(app.job_queue, app.bot, app.update_queue, grace)
    # Strangers see only the commands that reveal nothing; members get their role's menu on join.
    await app.bot.set_my_commands(
        [BotCommand(c, COMMANDS[c]["zh"]) for c in ("start", "help", "lang") if c in COMMANDS]
    )
    log.info(
        "bot @%s serving %d trip(s): %s", data.bot_username, len(data.trips), _some(data.trips)
    )
    settle()  # the services and the schedule, as the content was after loading


def _some(names: Iterable[str], shown: int = 10) -> str:
    """The first `shown` names, and how many more: one log line, whatever the number of trips."""
    names = list(names)
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


async def _build_services(app: BotApp) -> None:
    """Build every service once, from what it needs, start them in order, time their jobs."""
    data, bot = app.bot_data, app.bot
    storage, trips, clock, timers = data.storage, data.trips, data.clock, data.timers
    retry_cap = data.settings.send_retry_cap
    notes = open_runtime(data.settings.data_dir, clock, bot, storage, timers)
    reminders = Reminders(bot, storage, trips, clock, timers, data.pacer, retry_cap)
    # A published change re-plans the reminders: the changes service owns that path.
    changes = Changes(bot, storage, trips, clock, timers, data.pacer, retry_cap, reminders)
    digests = Digests(bot, storage, trips, clock, timers, data.pacer, retry_cap)
    data.serve(notes, reminders, changes, digests)
    # Schedule changes first: apply the logs, so the reminders plan from the effective trips.
    log.info("%s", await changes.start())
    # Reminders: settle sends a crash interrupted, reconcile rows with the plan, schedule.
    log.info("%s", await reminders.start())
    timers.on_clock_moved(reminders.clock_moved)
    await digests.start()  # the coordinators' daily digests
    await start_fieldkit(data)  # automatic check-ins; packs rebuilt after each publish
    # One sender per token: the outboxes send while this worker holds the lease (on SQLite,
    # always). Gaining it is the one way sending starts, here and on a take-over.
    every = data.settings.lease_interval
    data.lease = SenderLease(storage.db.sender_lease(every), every)
    data.lease.serve(changes, reminders, digests)  # gained: resumed in the order of a start
    await data.lease.start()
    # Files of notes a previous run left pending are fetched; each failure times its retry.
    notes.downloads.start()


async def _stop(app: BotApp) -> None:
    # While the bot can still send: reminders in flight finish and are recorded.
    data = app.bot_data
    if data.started:
        if data.lease is not None:
            await data.lease.stop()  # no take-over while the sends in flight finish
        await data.reminders.stop()
        await data.changes.stop()
        await data.digests.stop()
        if data.lease is not None:
            await data.lease.close()  # another worker may send from now on


async def _close(app: BotApp) -> None:
    storage = app.bot_data._storage
    if storage is not None:
        await storage.close()
        app.bot_data.storage = None
    if app.bot_data.run_lock is not None:
        app.bot_data.run_lock.close()
        app.bot_data.run_lock = None


async def _report_error(update: object, context: BotContext) -> None:
    """Log the failure; tell the member something went wrong without leaking details."""
    if context.bot_data.metrics is not None:
        context.bot_data.metrics.failed(update)
    if (
        isinstance(context.error, Forbidden)
        and isinstance(update, Update)
        and update.effective_chat
    ):
        await context.bot_data.storage.mark_blocked(
            update.effective_chat.id, context.bot_data.now()
        )
        return
    full = context.error is not None and is_disk_full(context.error)
    if full:
        log.error(
            "update %r not saved: disk full (%s)", getattr(update, "update_id", None), context.error
        )
    else:
        log.error("update %r failed", getattr(update, "update_id", None), exc_info=context.error)
    if isinstance(update, Update) and update.effective_message and context.membership:
        key = "storage_full" if full else "error_generic"
        await update.effective_message.reply_text(t(context.lang, key))
