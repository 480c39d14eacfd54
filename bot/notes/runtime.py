"""The in-memory helpers of one running bot: its media store, downloads and album windows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.clock import Clock
from bot.notes.downloads import Downloads
from bot.notes.media import MediaStore
from bot.notes.service import Albums


@dataclass
class Runtime:
    """What notes keep in memory while the bot runs (nothing here needs to survive it)."""

    media: MediaStore
    downloads: Downloads
    albums: Albums


def open_runtime(data_dir: Path, clock: Clock) -> Runtime:
    """The notes runtime of a bot, built once by bot/app.py before any update is handled."""
    media = MediaStore(data_dir)
    media.remove_partials()  # made before this run's first download: any part is a dead run's
    return Runtime(media, Downloads(media, clock), Albums())
