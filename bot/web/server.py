"""The bot's HTTP server on aiohttp: Telegram's webhook, /healthz and /metrics.

Following PTB's customwebhookbot example, the Application runs without an Updater and this
server puts each update on `update_queue`. Before it answers 200 (after which Telegram never
sends the update again), a member's note is committed to the update journal, as polling does
before it confirms a batch; so a crash after the answer still loses no note.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from telegram import Update
from telegram.ext import Application

from bot.calendar import etag, trip_calendar
from bot.fieldkit.members import member_trip
from bot.invites import hash_code
from bot.state import BotData
from bot.storage import OpsCounts
from bot.web.health import Health, check_health
from bot.web.metrics import Metrics
from bot.web.probe import ApiWatch

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
AnyApp = Application[Any, Any, Any, Any, BotData, Any]


class CannotListen(RuntimeError):
    """The server's address is taken or not this machine's."""


class HttpServer:
    """Serves one bot's webhook (when given a secret), health and metrics."""

    def __init__(
        self,
        app: AnyApp,
        metrics: Metrics,
        *,
        webhook_path: str | None = None,
        secret: str | None = None,
        max_body: int = 256 * 1024,
        api_stale: float = 60.0,
        watch: ApiWatch | None = None,
        worker_id: int | None = None,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.secret = (secret or "").encode()
        self.max_body = max_body
        self.api_stale = api_stale
        self.watch = watch or ApiWatch(None)
        self._webhook_path = webhook_path
        self.worker = {"id": worker_id, "pid": os.getpid()}
        self._answered: dict[int, Any] = {}  # status -> its counter, looked up once
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    def routes(self) -> web.Application:
        """The aiohttp application with every route."""
        web_app = web.Application(client_max_size=self.max_body)
        if self._webhook_path is not None:
            web_app.router.add_post(self._webhook_path, self.receive_update)
        web_app.router.add_get("/healthz", self.health)
        web_app.router.add_get("/metrics", self.render_metrics)
        web_app.router.add_get("/cal/{token:[A-Za-z0-9_-]{16,64}}.ics", self.calendar_feed)
        return web_app

    async def start(self, host: str, port: int, *, reuse_port: bool = False) -> None:
        """Listen on host:port (0: a free port, then in `self.port`); with `reuse_port`, beside
        the other workers bound to it."""
        # In-flight requests get 10 s to finish when the server stops.
        runner = web.AppRunner(self.routes(), access_log=None, shutdown_timeout=10.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port, reuse_port=reuse_port or None).start()
        except OSError as exc:
            await runner.cleanup()
            raise CannotListen(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        log.info("HTTP server listening on %s:%d", host, self.port)

    async def stop(self) -> None:
        """Stop listening, then wait for the requests in flight."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def receive_update(self, request: web.Request) -> web.Response:
        """Telegram's POST: check the secret, journal a note, queue the update, answer 200."""
        given = request.headers.get(SECRET_HEADER, "").encode(errors="replace")
        if not self.secret or not hmac.compare_digest(given, self.secret):
            return self._answer(403, "wrong secret token")
        if request.content_length is not None and request.content_length > self.max_body:
            return self._answer(413, "body too large")
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, self.app.bot)
        except web.HTTPRequestEntityTooLarge:
            return self._answer(413, "body too large")
        except Exception:
            return self._answer(400, "not an update")
        bot_data = self.app.bot_data
        try:
            if bot_data.journal is not None:
                await bot_data.journal.record([update], bot_data.bot_username)
        except Exception:
            # Not answered 200: Telegram sends it again, as a poll would refetch the batch.
            log.exception("update journal failed for update %s", update.update_id)
            return self._answer(500, "journal failed")
        await self.app.update_queue.put(update)
        return self._answer(200, "")

    def _answer(self, status: int, text: str) -> web.Response:
        counter = self._answered.get(status)
        if counter is None:
            counter = self._answered[status] = self.metrics.webhook.labels(str(status))
        counter.inc()
        return web.Response(status=status, text=text)

    async def health(self, request: web.Request) -> web.Response:
        """200 with each check's verdict when all pass; 503 naming what failed."""
        result, _ = await self._check()
        body = result.to_json() | {"worker": self.worker}
        return web.json_response(body, status=200 if result.healthy else 503)

    async def render_metrics(self, request: web.Request) -> web.Response:
        """Prometheus text format."""
        _, counts = await self._check()
        body = self.metrics.render(counts)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def calendar_feed(self, request: web.Request) -> web.Response:
        """A member's subscription: the effective schedule in their language; 304 if unchanged,
        404 for an unknown link or a revoked member."""
        data = self.app.bot_data
        member = await data.storage.feed_member(hash_code(request.match_info["token"]))
        if member is None:
            return web.Response(status=404, text="no such calendar")
        changes, trip_id = data.changes, member.trip_id
        log = changes.logs.get(trip_id, [])
        # Only the member's own legs, as in chat (a leg they left stays out, not cancelled).
        content = member_trip(changes.content[trip_id], member.member_id)
        own = member_trip(data.trips[trip_id], member.member_id)
        body = trip_calendar(content, own, log, member.lang, base=member.joined_at)
        tag = etag(body)
        headers = {"ETag": tag, "Cache-Control": "private, max-age=300"}
        if tag in {t.strip() for t in request.headers.get("If-None-Match", "").split(",")}:
            return web.Response(status=304, headers=headers)
        headers["Content-Type"] = "text/calendar; charset=utf-8"
        return web.Response(body=body, headers=headers)

    async def _check(self) -> tuple[Health, OpsCounts | None]:
        data = self.app.bot_data
        queue = self.app.job_queue
        return await check_health(
            data._storage,
            data.now(),
            scheduler_running=bool(queue is not None and queue.scheduler.running),
            last_api_ok=self.metrics.last_api_ok,
            api_stale=self.api_stale,
            webhook=self.watch.webhook(self.api_stale),
            sender=data.lease.held if data.lease is not None else None,
        )
