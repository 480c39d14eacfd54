"""BotApiEmulator: an in-process aiohttp server speaking the HTTP Telegram Bot API."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from types import TracebackType

from aiohttp import web

from emulator import api_files, api_messages, api_misc
from emulator.failures import (
    SENDING_METHODS,
    FailurePlan,
    FailureRule,
    RateLimit,
    RateLimiter,
)
from emulator.models import ApiCall, BotEvent, EmulatorStats
from emulator.observe import Observer
from emulator.params import ApiError, Params, bad_request, read_params
from emulator.state import EmulatorState, Handler
from emulator.users import ChatRef, UserActions, chat_id_of
from emulator.webhook import WebhookDelivery

log = logging.getLogger(__name__)

METHODS: dict[str, Handler] = {**api_misc.METHODS, **api_messages.METHODS, **api_files.METHODS}
# Telegram matches method names case-insensitively.
_CANONICAL = {name.lower(): name for name in METHODS}
_CHAT_METHODS = SENDING_METHODS | {"sendChatAction"}


class BotApiEmulator(UserActions, Observer):
    """A fake api.telegram.org for one bot, driven from tests as any number of users."""

    def __init__(
        self,
        *,
        bot_username: str = "emulated_bot",
        bot_first_name: str = "Emulated Bot",
        bot_id: int | None = None,
        token: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        rate_limit: RateLimit | None = None,
        group_privacy: bool = True,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        if bot_id is None:
            prefix = (token or "").split(":", 1)[0]
            bot_id = int(prefix) if prefix.isdigit() else 7_000_000_001
        self.token = token
        self.host = host
        self._requested_port = port
        self.group_privacy = group_privacy
        self.state = EmulatorState(bot_id, bot_username, bot_first_name, now)
        self.failures = FailurePlan()
        self.limiter = RateLimiter(rate_limit) if rate_limit else None
        self.stats = EmulatorStats()
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._offline = False
        self._port: int | None = None
        self._init_users()
        self._init_observer()

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Bind and serve; port 0 (the default) picks a free one."""
        if self._runner is not None:
            raise RuntimeError("emulator already started")
        self.state.queue.open()
        app = web.Application(client_max_size=api_files.MAX_UPLOAD + 10 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        # Cancelling handlers of dropped connections ends long polls PTB abandoned on stop.
        runner = web.AppRunner(
            app, handler_cancellation=True, access_log=None, shutdown_timeout=2.0
        )
        await runner.setup()
        self._site = web.TCPSite(runner, self.host, self._requested_port)
        await self._site.start()
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        log.info("Bot API emulator listening on %s", self.base_url)

    async def stop(self) -> None:
        """Release pending long polls and close the server."""
        self.state.queue.close()
        await self.state.webhook.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The bound port (only after start)."""
        if self._port is None:
            raise RuntimeError("emulator not started")
        return self._port

    @property
    def base_url(self) -> str:
        """For ApplicationBuilder().base_url(...)."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ApplicationBuilder().base_file_url(...)."""
        return f"http://{self.host}:{self.port}/file/bot"

    # -- failure injection ---------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 400,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: ChatRef | None = None,
        description: str | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` ("*" for any), optionally for one chat, with
        an error: 429 carries parameters.retry_after; 403 reads "bot was blocked by the user"."""
        target = chat_id_of(chat_id) if chat_id is not None else None
        self.failures.rules.append(
            FailureRule(method, status, description, retry_after, times, target)
        )

    def fail_file_downloads(self, times: int = 1, *, status: int = 500) -> None:
        """Answer the next `times` file downloads (GET /file/...) with `status`."""
        self.failures.download_failures += times
        self.failures.download_status = status

    async def refuse_connections(self) -> None:
        """An outage: stop listening (new connections are refused) and drop every request on a
        connection already open, until `accept_connections`."""
        self._offline = True
        if self._site is not None:
            await self._site.stop()
            self._site = None

    async def accept_connections(self) -> None:
        """End the outage: listen again on the same port."""
        self._offline = False
        if self._runner is not None and self._site is None:
            self._site = web.TCPSite(self._runner, self.host, self.port, reuse_address=True)
            await self._site.start()

    def clear_failures(self) -> None:
        """Drop pending injected failures and blocks."""
        self.failures = FailurePlan()

    # -- views for tests and benchmarks ------------------------------------------------------

    @property
    def delivered_at(self) -> dict[int, float]:
        """update_id -> time.monotonic() when getUpdates first handed it to the bot."""
        return self.state.queue.delivered_at

    @property
    def queued_at(self) -> dict[int, float]:
        """update_id -> time.monotonic() when a user action queued it."""
        return self.state.queue.queued_at

    @property
    def last_update_id(self) -> int | None:
        """The update_id of the latest user action."""
        return self.state.queue.last_update_id

    @property
    def pending_updates(self) -> int:
        """Updates the bot has not confirmed yet."""
        return len(self.state.queue.pending)

    @property
    def events(self) -> list[BotEvent]:
        """Everything the bot did (send/edit/delete/action/callback_answer), in order."""
        return self.state.events

    @property
    def webhook(self) -> WebhookDelivery:
        """Webhook delivery: its URL, secret and every POST attempted."""
        return self.state.webhook

    @property
    def calls(self) -> list[ApiCall]:
        """Recent HTTP calls with the status answered (the last 20 000)."""
        return list(self.state.calls)

    # -- HTTP --------------------------------------------------------------------------------

    def _authorized(self, request: web.Request) -> bool:
        return self.token is None or request.match_info["token"] == self.token

    async def _handle_method(self, request: web.Request) -> web.Response:
        if self._offline and request.transport is not None:
            request.transport.abort()  # a kept-alive connection dies with the outage
            return web.Response(status=503)
        name = request.match_info["method"]
        method = _CANONICAL.get(name.lower(), name)
        self.stats.calls[method] += 1
        if request.can_read_body:
            self.stats.encodings[request.content_type] += 1
        self.state.changed()  # any call is bot activity that a test may be waiting for
        chat_id: int | None = None
        try:
            if not self._authorized(request):
                raise ApiError(401, "Unauthorized")
            params = await read_params(request)
            chat_id = self._chat_id_hint(params)
            handler = METHODS.get(method)
            if handler is None:
                raise bad_request(f"method not implemented in emulator: {name}")
            self._gate(method, chat_id)
            result = await handler(self.state, params)
        except ApiError as err:
            self._record(method, err.status, err.description, chat_id)
            log.debug("%s -> %s %s", method, err.status, err.description)
            return web.json_response(err.to_dict(), status=err.status)
        except Exception as exc:
            # Surface emulator bugs in the bot's error and the call log, not as a bare 500 page.
            log.exception("emulator failed on %s", method)
            bug = ApiError(500, f"Internal Server Error: emulator bug in {method}: {exc!r}")
            self._record(method, bug.status, bug.description, chat_id)
            return web.json_response(bug.to_dict(), status=bug.status)
        self._record(method, 200, None, chat_id)
        return web.json_response({"ok": True, "result": result})

    def _chat_id_hint(self, params: Params) -> int | None:
        """The chat a call concerns, for failure matching; errors are left to the handler."""
        try:
            raw = params.get_json("chat_id")
            return self.state.resolve_chat_id(raw) if raw is not None else None
        except ApiError:
            return None

    def _gate(self, method: str, chat_id: int | None) -> None:
        """Injected failures, blocked users and flood limits, in that order."""
        injected = self.failures.take(method, chat_id)
        if injected is not None:
            self.stats.injected += 1
            raise injected
        if chat_id in self.failures.blocked and method in _CHAT_METHODS:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if self.limiter is not None and method in SENDING_METHODS:
            chat = self.state.chats.get(chat_id) if chat_id is not None else None
            wait = self.limiter.check(chat_id, bool(chat and chat.is_group), time.monotonic())
            if wait is not None:
                self.stats.rate_limited += 1
                raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})

    def _record(self, method: str, status: int, description: str | None, chat: int | None) -> None:
        self.stats.statuses[status] += 1
        self.state.calls.append(ApiCall(method, status, time.monotonic(), description, chat))

    async def _handle_file(self, request: web.Request) -> web.Response:
        self.stats.file_downloads += 1
        path = request.match_info["path"]
        stored = self.state.files_by_path.get(path)
        err: ApiError | None = None
        if not self._authorized(request):
            err = ApiError(401, "Unauthorized")
        else:
            err = self.failures.take_download()
        if err is None and (stored is None or stored.data is None):
            err = ApiError(404, "Not Found")
        if err is not None:
            self._record("download", err.status, err.description, None)
            return web.json_response(err.to_dict(), status=err.status)
        assert stored is not None and stored.data is not None
        self._record("download", 200, None, None)
        mime = stored.mime_type or "application/octet-stream"
        return web.Response(body=stored.data, headers={"Content-Type": mime})
