"""Briefing packs kept per published version: rebuilt off the event loop after each change, then
"pack vN is ready" goes to every member through the notice outbox (bot/changes/broadcast.py)."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import weakref
from pathlib import Path

from bot.fieldkit.pack import build_pack
from bot.i18n import t
from bot.report.pdf import PdfUnavailable
from bot.state import BotData
from bot.storage import Membership
from bot.trip.types import LANGS

log = logging.getLogger(__name__)
# One LibreOffice at a time (per event loop): packs queue up, the bot stays responsive.
_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)
_tasks: set[asyncio.Task[None]] = set()  # kept until done, so none is collected mid-build


def bot_link(data: BotData) -> str:
    """The t.me link back to the bot (its username is known once it has started)."""
    return f"https://t.me/{data.bot_username}"


def current_version(data: BotData, trip_id: str) -> int:
    """The trip's published version (0 before any change)."""
    return data.changes.versions.get(trip_id, 0)


def pack_path(data: BotData, member: Membership, version: int) -> Path:
    """Where a member's pack of that version is kept in the data folder; its name carries a
    fingerprint of the trip and the link, so content edited before a restart is never served
    from an older build (~2 ms for the bundled trip)."""
    role = "c" if member.is_coordinator else "d"
    trip = data.trips[member.trip_id].model_dump_json() + bot_link(data)
    mark = hashlib.sha256(trip.encode("utf-8")).hexdigest()[:12]
    name = f"{member.member_id}-{member.lang}-{role}-{mark}.pdf"
    return data.settings.data_dir / "packs" / member.trip_id / f"v{version}" / name


def kept_pack(data: BotData, member: Membership) -> bytes | None:
    """The member's pack of the current version if it was built already."""
    path = pack_path(data, member, current_version(data, member.trip_id))
    return path.read_bytes() if path.is_file() else None


async def pack_of(data: BotData, member: Membership) -> bytes:
    """The member's pack for the current version: kept from the last rebuild, else built now
    (off the event loop) and kept. PdfUnavailable without LibreOffice."""
    version = current_version(data, member.trip_id)
    path = pack_path(data, member, version)
    if path.is_file():
        return path.read_bytes()
    lock = _locks.setdefault(asyncio.get_running_loop(), asyncio.Lock())
    async with lock:
        pdf = await asyncio.to_thread(
            build_pack,
            data.trips[member.trip_id],
            member.member_id,
            member.lang,
            private=member.is_coordinator,
            bot_link=bot_link(data),
        )
    await asyncio.to_thread(_keep, path, pdf)
    return pdf


def _keep(path: Path, pdf: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(pdf)
    partial.replace(path)  # a reader never sees half a file


async def rebuild_packs(data: BotData, trip_id: str, version: int) -> int:
    """Build every reachable member's pack of `version`, then queue "pack vN is ready" to
    them; how many were told. Nothing is sent when a newer version was published meanwhile
    (its own rebuild tells them) or a pack could not be built."""
    members = await data.storage.reachable_members(trip_id)
    try:
        for member in members:
            if current_version(data, trip_id) != version:
                return 0
            await pack_of(data, member)
    except PdfUnavailable:
        log.warning("packs of %s v%d not rebuilt", trip_id, version, exc_info=True)
        return 0
    if current_version(data, trip_id) != version:
        return 0
    zh, en = (t(lang, "pack_ready", version=version) for lang in LANGS)
    queued = await data.storage.create_pack_notice(trip_id, version, (zh, en), members, data.now())
    data.changes.broadcaster.send(queued)
    log.info("packs of %s v%d rebuilt; %d member(s) told", trip_id, version, len(queued))
    return len(queued)


def rebuild_after_publish(data: BotData, built: dict[str, int], trip_id: str | None = None) -> None:
    """Start, in the background (never blocking the publish), the rebuild of each trip (or of
    `trip_id` alone) whose published version is newer than `built` (updated), when
    BOT_PACK_ON_PUBLISH is on."""
    if not data.settings.pack_on_publish:
        return
    versions = data.changes.versions
    trips = versions.items() if trip_id is None else [(trip_id, versions.get(trip_id, 0))]
    for tid, version in trips:
        if built.get(tid, 0) < version:
            built[tid] = version
            task = asyncio.get_running_loop().create_task(_rebuild_logged(data, tid, version))
            _tasks.add(task)
            task.add_done_callback(_tasks.discard)


async def _rebuild_logged(data: BotData, trip_id: str, version: int) -> None:
    try:
        await rebuild_packs(data, trip_id, version)
    except Exception:  # a background task: its failure must be seen in the log
        log.exception("packs of %s v%d: rebuild failed", trip_id, version)
