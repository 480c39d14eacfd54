"""The in-memory helpers of one running bot: its downloads and its album windows."""

from __future__ import annotations

from dataclasses import dataclass

from bot.notes.downloads import Downloads
from bot.notes.media import MediaStore
from bot.notes.service import Albums
from bot.state import BotData


@dataclass
class Runtime:
    """What notes keep in memory while the bot runs (nothing here needs to survive it)."""

    media: MediaStore
    downloads: Downloads
    albums: Albums


def runtime(data: BotData) -> Runtime:
    """The notes runtime of a bot, created on first use."""
    if data.notes is None:
        media = MediaStore(data.settings.data_dir)
        media.remove_partials()  # made before this run's first download: any part is a dead run's
        data.notes = Runtime(media, Downloads(media, data.clock), Albums())
    return data.notes
