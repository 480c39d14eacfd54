"""The framework's floor: a bare PTB bot that echoes every message (run as a subprocess)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes, MessageHandler, filters

from benchmarks.floor import floor_builder


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer with the same text."""
    if update.effective_message and update.effective_message.text:
        await update.effective_message.reply_text(update.effective_message.text)


def main() -> None:
    """Poll TELEGRAM_BASE_URL and echo every message."""
    app = floor_builder().build()
    app.add_handler(MessageHandler(filters.ALL, echo))
    app.run_polling()


if __name__ == "__main__":
    main()
