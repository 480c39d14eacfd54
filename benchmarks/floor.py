"""What the floor bots share: PTB's stock Application, configured from the environment and
sized like the real bot (`bot/transport.py`), so that a ratio measures the bot's own work."""

from __future__ import annotations

import os
from typing import Any

from telegram.ext import AIORateLimiter, ApplicationBuilder

from bot.transport import CONCURRENT_UPDATES, POOL_SIZE, POOL_TIMEOUT


def floor_builder() -> ApplicationBuilder[Any, Any, Any, Any, Any, Any]:
    """A builder polling TELEGRAM_BASE_URL, with PTB's rate limiter if BOT_RATE_LIMIT > 0."""
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_BASE_URL"])
        .base_file_url(os.environ["TELEGRAM_BASE_FILE_URL"])
        .concurrent_updates(CONCURRENT_UPDATES)
        .connection_pool_size(POOL_SIZE)
        .pool_timeout(POOL_TIMEOUT)
    )
    rate = float(os.environ.get("BOT_RATE_LIMIT", "0") or 0)
    if rate > 0:
        builder = builder.rate_limiter(AIORateLimiter(overall_max_rate=rate, max_retries=3))
    return builder
