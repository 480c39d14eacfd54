"""The Bot API probe: an idle bot still learns whether it reaches Telegram, and Telegram it.

Every BOT_API_PROBE_SECONDS the bot asks getWebhookInfo. Any answer keeps /healthz's `bot_api`
check fresh (the transport counts it). In webhook mode the answer also says whether Telegram's
deliveries reach this bot: another URL set (a second bot with the same token), a delivery
error since this bot set its webhook, or updates piling up at Telegram fail the `webhook`
check, since the bot itself would otherwise never notice that nothing comes.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from telegram import WebhookInfo
from telegram.error import RetryAfter
from telegram.ext import CallbackContext, ExtBot

log = logging.getLogger(__name__)
GROWING = 3  # probes in a row with more updates waiting at Telegram: they pile up


@dataclass(frozen=True)
class Sample:
    """One getWebhookInfo answer, at `at` (seconds since the epoch, as Telegram's dates)."""

    at: float
    url: str
    pending: int
    last_error_at: float | None = None
    last_error: str | None = None


def webhook_verdict(samples: Sequence[Sample], url: str, since: float, window: float) -> str:
    """The `webhook` check: "ok", or why Telegram's deliveries do not reach the bot that set
    `url` at `since` (errors and growth count within `window` seconds of the last sample)."""
    if not samples:
        return "ok"  # not asked yet; the bot_api check says whether it can be
    last = samples[-1]
    if last.url != url:
        return "Telegram delivers to another URL (a second bot with this token?)"
    error_at = last.last_error_at
    # Telegram's dates are whole seconds; an error from before this bot's setWebhook is old.
    if error_at is not None and error_at >= max(int(since), last.at - window):
        return f"Telegram's last delivery failed {last.at - error_at:.0f} s ago: {last.last_error}"
    recent = [s for s in samples if s.at >= last.at - window][-GROWING:]
    if len(recent) == GROWING and all(a.pending < b.pending for a, b in pairwise(recent)):
        return f"{last.pending} updates waiting at Telegram, more at each probe"
    return "ok"


class ApiWatch:
    """What the probes saw of the webhook."""

    def __init__(self, url: str | None) -> None:
        self.url = url  # the webhook this bot sets; None when polling
        self.since = 0.0  # when it set it
        self.samples: deque[Sample] = deque(maxlen=16)

    def reached(self, info: WebhookInfo, now: float) -> None:
        """A probe was answered (`now`: seconds since the epoch)."""
        error_at = info.last_error_date.timestamp() if info.last_error_date else None
        self.samples.append(
            Sample(now, info.url, info.pending_update_count, error_at, info.last_error_message)
        )

    def webhook(self, window: float) -> str | None:
        """The `webhook` check's verdict; None when polling (no such check)."""
        if self.url is None:
            return None
        return webhook_verdict(self.samples, self.url, self.since, window)


async def probe_api_job(context: CallbackContext[ExtBot[None], Any, Any, Any]) -> None:
    """Ask getWebhookInfo now and then (the job's data is the ApiWatch to tell)."""
    watch = context.job.data if context.job else None
    assert isinstance(watch, ApiWatch)
    try:
        info = await context.bot.get_webhook_info()
    except RetryAfter:
        return  # answered: flood control is no outage
    except Exception:  # counted by the transport; the health check reports it
        return
    watch.reached(info, time.time())
