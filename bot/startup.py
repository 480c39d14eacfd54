"""Production start: loud when it cannot serve, patient while Telegram cannot be reached.

Without a token `run` has nothing to serve; with no terminal to open the console on (a
container without `-it`), it must fail, not exit 0. With a token, the Bot API is asked
`getMe` before PTB starts: an unreachable API is retried with backoff, one log line per
attempt and no traceback; a token Telegram refuses stops the start with one line that does
not repeat the token. SIGTERM or Ctrl-C during the wait stop it at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from urllib.parse import urlparse

from telegram import Bot, User
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.request import HTTPXRequest

from bot.config import Settings

log = logging.getLogger(__name__)
NO_TOKEN = (
    "TELEGRAM_BOT_TOKEN is not set, so there is no Telegram bot to serve; "
    "to try the bot without Telegram, run `python -m bot console` in a terminal"
)
FIRST_DELAY = 1.0  # seconds before the second attempt; doubles up to MAX_DELAY
MAX_DELAY = 60.0
STOPPED, REFUSED = 0, 2


def reach_bot_api(
    settings: Settings, *, first_delay: float = FIRST_DELAY, max_delay: float = MAX_DELAY
) -> int | None:
    """Wait until the Bot API answers getMe: None to go on serving, else the exit code
    (0 when stopped by a signal meanwhile, 2 when the token is refused)."""
    return asyncio.run(_reach(settings, first_delay, max_delay))


async def _reach(settings: Settings, first_delay: float, max_delay: float) -> int | None:
    assert settings.token is not None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    request = HTTPXRequest(connection_pool_size=1, connect_timeout=5.0, read_timeout=10.0)
    await request.initialize()
    bot = Bot(
        settings.token,
        base_url=settings.base_url,
        base_file_url=settings.base_file_url,
        request=request,
    )
    where = urlparse(settings.base_url).netloc
    try:
        delay, attempt = first_delay, 0
        while True:
            attempt += 1
            outcome = await _get_me(bot, stop)
            if outcome is None:
                log.info("stopped while waiting for the Bot API at %s", where)
                return STOPPED
            if isinstance(outcome, User):
                log.info("Bot API at %s reached: @%s", where, outcome.username)
                return None
            if isinstance(outcome, InvalidToken):
                log.error(
                    "TELEGRAM_BOT_TOKEN was refused by the Bot API at %s (%s): check the "
                    "token from @BotFather; it may have been revoked",
                    where,
                    _brief(outcome, settings.token),
                )
                return REFUSED
            if not isinstance(outcome, NetworkError):  # an answer, but not one we can serve on
                log.error(
                    "the Bot API at %s answered getMe with an error: %s",
                    where,
                    _brief(outcome, settings.token),
                )
                return REFUSED
            log.warning(
                "Bot API at %s not reachable (attempt %d: %s); next try in %.0f s",
                where,
                attempt,
                _brief(outcome, settings.token),
                delay,
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            if stop.is_set():
                log.info("stopped while waiting for the Bot API at %s", where)
                return STOPPED
            delay = min(max_delay, delay * 2)
    finally:
        await request.shutdown()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)


async def _get_me(bot: Bot, stop: asyncio.Event) -> User | TelegramError | None:
    """getMe's answer or its Telegram error; None if `stop` was set first."""
    task = asyncio.ensure_future(bot.get_me())
    stopped = asyncio.ensure_future(stop.wait())
    await asyncio.wait({task, stopped}, return_when=asyncio.FIRST_COMPLETED)
    stopped.cancel()
    if not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, TelegramError):
            await task
        return None
    try:
        return task.result()
    except TelegramError as exc:
        return exc


def _brief(exc: BaseException, token: str) -> str:
    """The error in one line, without the token (a URL in a message may carry it)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text.replace(token, "<token>")
