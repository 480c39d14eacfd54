"""Logging set-up that never writes the bot token, wherever the text comes from.

Redaction sits at the outermost layers, not in the log calls: a filter on every handler of the
root logger rewrites a record's message, arguments, traceback and stack; the excepthooks
rewrite what escapes logging; the HTTP transport rewrites its errors. Anything shaped like a
bot token (`<digits>:<secret>`) is replaced, and so is the configured token itself. The filter
is self-contained, so any formatter (text or JSON) can sit beside it.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import traceback
from types import TracebackType

from bot.logformat import JsonFormatter, RedactInvites

TOKEN_SHAPE = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")
MASK = "<token>"
# Other secrets that travel in Bot API calls logged at DEBUG: a calendar feed's key is the only
# thing that guards the feed, and the webhook secret the only thing that guards the webhook.
FEED_KEY = re.compile(r"(/cal/)[A-Za-z0-9_-]{16,64}(\.ics)")
WEBHOOK_SECRET = re.compile(
    r"((?:secret_token|x-telegram-bot-api-secret-token)['\"]?\s*[:=]\s*['\"]?)[A-Za-z0-9_-]+",
    re.IGNORECASE,
)


def redact(text: str, token: str | None = None) -> str:
    """The text with the token, anything shaped like a bot token, calendar feed keys and the
    webhook secret masked."""
    if token:
        text = text.replace(token, MASK)
        secret = token.partition(":")[2]
        if len(secret) >= 8:
            text = text.replace(secret, MASK)
    text = FEED_KEY.sub(r"\1<key>\2", text)
    text = WEBHOOK_SECRET.sub(r"\1<secret>", text)
    return TOKEN_SHAPE.sub(MASK, text)


class RedactToken(logging.Filter):
    """Mask the token in a record's message, arguments, traceback and stack; keep the record."""

    def __init__(self, token: str | None = None) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; always keep it."""
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what there is, redacted
            message = f"{record.msg!r} % {record.args!r}"
        record.msg, record.args = redact(message, self.token), None
        if record.exc_info and record.exc_info[0] is not None:
            text = record.exc_text or "".join(traceback.format_exception(*record.exc_info))
            # The rendered, redacted traceback replaces the live one, which any formatter
            # would otherwise render again, token and all.
            record.exc_text, record.exc_info = redact(text.rstrip("\n"), self.token), None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text, self.token)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.token)
        return True


def install_excepthooks(token: str | None) -> None:
    """Uncaught exceptions (main thread and others) go to stderr with the token masked."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, value, tb))
        sys.stderr.write(redact(text, token))
        sys.stderr.flush()

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook


def setup_logging(
    level: str, token: str | None, fmt: str = "text", worker: int | None = None
) -> None:
    """Log to stderr at `level`, as text or JSON lines, redacted, naming the worker if one of
    several; keep HTTP client chatter (which prints URLs) at WARNING; warnings and uncaught
    exceptions pass the same redaction."""
    handler = logging.StreamHandler()
    named = f" [worker {worker}]" if worker is not None else ""
    text = f"%(asctime)s %(levelname)s{named} %(name)s: %(message)s"
    handler.setFormatter(logging.Formatter(text))
    handler.addFilter(RedactToken(token))
    handler.addFilter(RedactInvites())
    if fmt == "json":
        handler.setFormatter(JsonFormatter(worker=worker))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.captureWarnings(True)
    install_excepthooks(token)
    # httpx logs every request URL at INFO, and the Bot API URL contains the token.
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
