"""Structured logs (BOT_LOG_FORMAT=json) and the redaction of invite codes from every log line.

Each update's handling sets the context (update id, chat id, the handler that took it), so a
line logged anywhere during it carries them; "update handled" closes it with the latency.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

# (update id, chat id) of the update being handled, and the handler callback's name.
UPDATE: ContextVar[tuple[int | None, int | None]] = ContextVar("update", default=(None, None))
HANDLER: ContextVar[str | None] = ContextVar("handler", default=None)

# An invite code travels as "/start CODE" (typed, or shown by /invite) and "?start=CODE" (links).
_INVITE = re.compile(r"(/start(?:@\w+)?\s+|start=)[A-Za-z0-9_-]{4,64}")


def redact_invites(text: str) -> str:
    """The text with every invite code replaced by <invite>."""
    return _INVITE.sub(r"\1<invite>", text)


class RedactInvites(logging.Filter):
    """Rewrite a record's message and traceback so that no invite code is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite in place; always keep the record."""
        message = record.getMessage()
        clean = redact_invites(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_invites(record.exc_text)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, event, update_id, chat_id, handler,
    latency_ms (on "update handled"), the worker (one of several) and the traceback if any."""

    def __init__(self, worker: int | None = None) -> None:
        super().__init__()
        self.worker = worker

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        update_id, chat_id = UPDATE.get()
        out: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
            "update_id": getattr(record, "update_id", update_id),
            "chat_id": getattr(record, "chat_id", chat_id),
            "handler": getattr(record, "handler", HANDLER.get()),
        }
        if self.worker is not None:
            out["worker"] = self.worker
        latency = getattr(record, "latency_ms", None)
        if latency is not None:
            out["latency_ms"] = latency
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            out["exc"] = record.exc_text
        return json.dumps(out, ensure_ascii=False, default=str)


def named(
    callback: Callable[[Any, Any], Awaitable[Any]],
) -> Callable[[Any, Any], Coroutine[Any, Any, Any]]:
    """The handler callback, noting its name in the log context when it runs."""
    name = f"{callback.__module__}.{callback.__qualname__}"

    async def run(update: Any, context: Any) -> Any:
        HANDLER.set(name)
        return await callback(update, context)

    return run
