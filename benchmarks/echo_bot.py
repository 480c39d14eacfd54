"""The framework's floor: a bare PTB bot that echoes every message (run as a subprocess)."""

from __future__ import annotations

import os
from typing import Any

from telegram import Update
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.transport import CONCURRENT_UPDATES, POOL_SIZE, POOL_TIMEOUT


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer with the same text."""
    if update.effective_message and update.effective_message.text:
        await update.effective_message.reply_text(update.effective_message.text)


def main() -> None:
    """Poll TELEGRAM_BASE_URL with PTB's stock transport, sized like the real bot's."""
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
    app = builder.build()
    app.add_handler(MessageHandler(filters.ALL, echo))
    app.run_polling()


if __name__ == "__main__":
    main()
