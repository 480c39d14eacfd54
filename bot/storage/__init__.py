"""Storage: one class over one database (SQLite or PostgreSQL), methods named for what they do."""

from __future__ import annotations

from pathlib import Path

from bot.storage.access import (
    ROLES,
    AccessStore,
    InviteRefused,
    Membership,
    NewInvite,
    Role,
    load_key,
)
from bot.storage.albums import AlbumsStore
from bot.storage.announcements import AnnouncementsStore
from bot.storage.backends import open_database
from bot.storage.changes import ChangesStore
from bot.storage.checkins import CheckinsStore
from bot.storage.claims import FileClaimsStore
from bot.storage.db import Database, StorageError, check_database, is_disk_full
from bot.storage.feeds import FeedsStore
from bot.storage.journal import JournalEntry, JournalStore
from bot.storage.notes import NotesStore
from bot.storage.ops import OpsCounts, OpsStore
from bot.storage.packs import PacksStore
from bot.storage.reminders import RemindersStore

__all__ = [
    "ROLES",
    "InviteRefused",
    "JournalEntry",
    "Membership",
    "NewInvite",
    "OpsCounts",
    "Role",
    "Storage",
    "StorageError",
    "check_database",
    "is_disk_full",
]


class Storage(
    AccessStore,
    NotesStore,
    RemindersStore,
    ChangesStore,
    JournalStore,
    OpsStore,
    FeedsStore,
    CheckinsStore,
    PacksStore,
    AnnouncementsStore,
    FileClaimsStore,
    AlbumsStore,
):
    """The bot's durable state; every write is committed before the method returns."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._members = {}

    @classmethod
    async def open(cls, path: Path, url: str | None = None) -> Storage:
        """Open the SQLite database at `path`, or the PostgreSQL database at `url` (the invite
        key stays in `path`'s folder either way), migrating it to the current schema."""
        storage = cls(await open_database(url or path))
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        storage._invite_key = load_key(path.parent)
        return storage

    async def close(self) -> None:
        """Close the connection."""
        await self.db.close()
