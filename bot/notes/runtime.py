"""The in-memory helpers of one running bot: its downloads and its album windows."""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from bot.notes.downloads import Downloads
from bot.notes.media import MediaStore
from bot.notes.service import Albums
from bot.state import BotData

# Keyed by the bot's BotData so two bots in one process (tests, restarts) never share state.
_RUNTIMES: weakref.WeakKeyDictionary[BotData, Runtime] = weakref.WeakKeyDictionary()


@dataclass
class Runtime:
    """What notes keep in memory while the bot runs (nothing here needs to survive it)."""

    media: MediaStore
    downloads: Downloads
    albums: Albums


def runtime(data: BotData) -> Runtime:
    """The notes runtime of a bot, created on first use."""
    found = _RUNTIMES.get(data)
    if found is None:
        media = MediaStore(data.settings.data_dir)
        found = _RUNTIMES[data] = Runtime(media, Downloads(media), Albums())
    return found
