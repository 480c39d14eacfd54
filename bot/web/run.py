"""Run the bot with its HTTP server: by webhook when a URL is set, else polling beside it."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from urllib.parse import urlparse

from bot.config import Settings
from bot.transport import CONCURRENT_UPDATES
from bot.web.metrics import Metrics
from bot.web.probe import ApiWatch, probe_api_job
from bot.web.server import AnyApp, HttpServer
from bot.workers import watch_runner

log = logging.getLogger(__name__)
POLL_TIMEOUT = timedelta(seconds=10)  # run_polling's own default


def webhook_path(url: str) -> str:
    """The path Telegram posts to: the webhook URL's own."""
    return urlparse(url).path or "/"


@asynccontextmanager
async def serving(app: AnyApp, settings: Settings, metrics: Metrics) -> AsyncIterator[HttpServer]:
    """Run `app` (hooks included) with its HTTP server until the block ends; then stop taking
    updates, finish those in flight, and close."""
    webhook = settings.webhook_url
    # One secret for every worker of this bot: Telegram's post may reach any of them.
    secret = settings.secret_token if webhook else None
    watch = ApiWatch(webhook)
    server = HttpServer(
        app,
        metrics,
        webhook_path=webhook_path(webhook) if webhook else None,
        secret=secret,
        max_body=int(settings.max_body_kb * 1024),
        api_stale=4 * settings.api_probe_s,
        watch=watch,
        worker_id=settings.worker_id,
    )
    await app.initialize()
    started = False
    try:
        if app.post_init:
            await app.post_init(app)
        if app.job_queue is not None:
            app.job_queue.run_repeating(
                probe_api_job, interval=settings.api_probe_s, first=0.0, data=watch
            )
        assert settings.http_port is not None
        # A runner's workers all bind the one port; the kernel spreads connections among them.
        reuse = settings.worker_id is not None
        await server.start(settings.http_host, settings.http_port, reuse_port=reuse)
        if webhook:
            # Pending updates stay with Telegram and come by webhook, as they would by polling.
            watch.since = time.time()  # delivery errors from before are not this bot's
            await app.bot.set_webhook(
                webhook,
                secret_token=secret,
                drop_pending_updates=False,
                max_connections=CONCURRENT_UPDATES,
            )
        else:
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0, timeout=POLL_TIMEOUT)
        await app.start()
        started = True
        yield server
    finally:
        # Stop taking updates first: the socket closes and requests in flight are answered.
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        await server.stop()
        if app.running:
            await app.stop()  # handles every update already queued
        if started and app.post_stop:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)


async def serve_until_signal(app: AnyApp, settings: Settings, metrics: Metrics) -> None:
    """Serve until SIGTERM or SIGINT."""
    stop = asyncio.Event()
    # The runner's own word first: it may have died before this process could see its parent.
    runner = settings.runner_pid or os.getppid()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with serving(app, settings, metrics):
        mode = "webhook" if settings.webhook_url else "polling"
        log.info("serving by %s; HTTP on %s:%s", mode, settings.http_host, settings.http_port)
        watch = None
        if settings.worker_id is not None:  # a runner's child: it stops with its runner
            watch = asyncio.create_task(watch_runner(stop, runner))
        await stop.wait()
        if watch is not None:
            watch.cancel()
        log.info("stopping: no new updates; finishing those in flight")
