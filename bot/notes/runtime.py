"""The in-memory helpers of one running bot: its media store, downloads and album windows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from telegram import Bot

from bot.clock import Clock
from bot.i18n import t
from bot.notes.downloads import CLAIM_FOR, Downloads
from bot.notes.media import MediaStore
from bot.notes.service import Albums
from bot.storage import Storage
from bot.storage.notes import PendingFile
from bot.timers import Timers


@dataclass
class Runtime:
    """What notes keep in memory while the bot runs (nothing here needs to survive it)."""

    media: MediaStore
    downloads: Downloads
    albums: Albums


def open_runtime(
    data_dir: Path, clock: Clock, bot: Bot, storage: Storage, timers: Timers
) -> Runtime:
    """The notes runtime of a bot, built once by bot/app.py before any update is handled."""
    media = MediaStore(data_dir)
    # Alone on its data (SQLite's run lock), any part is a dead run's; beside other workers on
    # one volume, only one no download has written to for as long as a lease lasts.
    shared = storage.db.kind == "postgresql"
    media.remove_partials(CLAIM_FOR.total_seconds() if shared else 0.0)

    async def tell(pending: PendingFile) -> None:
        """A file that came late is stored now: say so to its author, in their language."""
        member = await storage.membership(pending.user_id)
        lang = member.lang if member else "zh"
        await bot.send_message(pending.chat_id, t(lang, "note_file_done", id=pending.note_id))

    downloads = Downloads(media, clock, bot=bot, storage=storage, timers=timers, notify=tell)
    return Runtime(media, downloads, Albums(storage, clock))
