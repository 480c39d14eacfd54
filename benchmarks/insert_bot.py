"""The notes floor: a bare PTB bot that answers each message after one SQLite insert.

It uses PTB's stock transport, sized like the real bot's (`bot/transport.py`).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import aiosqlite
from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from benchmarks.floor import floor_builder


def main() -> None:
    """Poll the Bot API at TELEGRAM_BASE_URL; store each message's text in BOT_DATA_DIR."""
    path = Path(os.environ["BOT_DATA_DIR"]) / "bare.sqlite3"
    lock = asyncio.Lock()
    db: aiosqlite.Connection | None = None

    async def open_db(_: Application[Any, Any, Any, Any, Any, Any]) -> None:
        nonlocal db
        db = await aiosqlite.connect(path, isolation_level=None)
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("CREATE TABLE IF NOT EXISTS notes (chat INTEGER, message INTEGER, text)")

    async def close_db(_: Application[Any, Any, Any, Any, Any, Any]) -> None:
        if db is not None:
            await db.close()

    async def save(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        m = update.effective_message
        assert m is not None and db is not None
        row = (m.chat_id, m.message_id, m.text or m.caption)
        async with lock:
            await db.execute("INSERT INTO notes VALUES (?, ?, ?)", row)
        await m.reply_text("saved")

    app = floor_builder().post_init(open_db).post_shutdown(close_db).build()
    app.add_handler(MessageHandler(filters.ALL, save))
    app.run_polling()


if __name__ == "__main__":
    main()
