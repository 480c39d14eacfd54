"""Logging set-up that never writes the bot token."""

from __future__ import annotations

import logging

from bot.logformat import JsonFormatter, RedactInvites


class RedactToken(logging.Filter):
    """Replace the token wherever it appears in a record's message or arguments."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; always keep it."""
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "<token>"), None
        return True


def setup_logging(level: str, token: str | None, fmt: str = "text") -> None:
    """Log to stderr at `level`, as text or JSON lines; keep HTTP client chatter (which prints
    URLs) at WARNING."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    if token:
        handler.addFilter(RedactToken(token))
    handler.addFilter(RedactInvites())
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO, and the Bot API URL contains the token.
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
