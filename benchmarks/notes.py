"""Notes throughput: 20 delegates send notes as fast as the bot confirms them (1 in 10 a 1 MB
photo), against a bare PTB bot doing one SQLite insert per message. `python -m benchmarks.notes`.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite
import psutil
from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.app import build_application
from bot.clock import ManualClock
from bot.config import Settings
from bot.emulator import BotApiEmulator, EmuUser
from bot.emulator.ptb import application_builder, running
from bot.invites import hash_code
from bot.storage import NewInvite

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2015, 5, 19, 13, 0, tzinfo=UTC)
DELEGATES = 20
PER_DELEGATE = int(os.environ.get("NOTES_PER_DELEGATE", "50"))


def _photo(i: int) -> bytes:
    # Distinct bytes per photo: the media store would keep identical photos once.
    return b"\xff\xd8\xff\xe0" + os.urandom(1024 * 1024 - 4 - 8) + i.to_bytes(8, "big")


async def _load(emu: BotApiEmulator, users: list[EmuUser]) -> tuple[float, list[float]]:
    """Each delegate sends its next note when the last one is confirmed; (seconds, latencies)."""
    latencies: list[float] = []

    async def delegate(k: int, user: EmuUser) -> None:
        for j in range(PER_DELEGATE):
            seq = k * PER_DELEGATE + j
            if seq % 10 == 0 and os.environ.get("NOTES_PHOTOS", "1") == "1":
                await emu.send_photo(user, _photo(seq), caption=f"photo {seq} #附件")
            else:
                await emu.send_text(user, f"note {seq} #心得 與黃大使交流")
            update_id = emu.last_update_id
            reply = await emu.wait_for(user, timeout=60)
            while (reply.text or "").startswith("📎"):  # a late-file notice is no confirmation
                reply = await emu.wait_for(user, timeout=60)
            assert update_id is not None
            latencies.append(reply.arrived_at - emu.delivered_at[update_id])

    start = time.perf_counter()
    await asyncio.gather(*(delegate(k, u) for k, u in enumerate(users)))
    return time.perf_counter() - start, latencies


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


async def notes_bot(tmp: Path) -> dict[str, float]:
    """The real bot."""
    async with BotApiEmulator(now=ManualClock(NOW).now) as emu:
        settings = Settings(base_url=emu.base_url, base_file_url=emu.base_file_url,
                            data_dir=tmp / "notes", content_dir=ROOT / "content",
                            rate_limit=0)  # fmt: skip
        app = build_application(settings, clock=ManualClock(NOW))
        users = [emu.user(f"d{i}") for i in range(DELEGATES)]
        async with running(app, poll_timeout=1.0):
            store = app.bot_data.storage
            for i, user in enumerate(users):
                code = hash_code(f"bench-{i}")
                until = datetime(2099, 1, 1, tzinfo=UTC)
                invite = NewInvite(code, "metropolis-2015", "cao-kaiwen", "delegate", "bench",
                                   NOW, until)  # fmt: skip
                await store.create_invite(invite)
                await store.redeem_invite(code, user_id=user.id, chat_id=user.id, lang="zh",
                                          name=user.first_name, now=NOW)  # fmt: skip
            seconds, latencies = await _load(emu, users)
            count = len(await store.notes_of_trip("metropolis-2015"))
        rss = psutil.Process().memory_info().rss
    n = DELEGATES * PER_DELEGATE
    assert count == n, f"{count} notes stored of {n}"
    q = statistics.quantiles(latencies, n=100)
    return {"rate": n / seconds, "p50": q[49] * 1000, "p99": q[98] * 1000, "rss": rss / 2**20,
            "per_1000": _size(tmp / "notes") / n * 1000 / 2**20}  # fmt: skip


async def bare_bot(tmp: Path) -> float:
    """The floor: answer each message after one INSERT."""
    db = await aiosqlite.connect(tmp / "bare.sqlite3", isolation_level=None)
    await db.execute("PRAGMA journal_mode=WAL")
    await db.execute("CREATE TABLE notes (chat INTEGER, message INTEGER, text TEXT)")
    lock = asyncio.Lock()

    async def save(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        m = update.effective_message
        assert m is not None
        async with lock:
            row = (m.chat_id, m.message_id, m.text or m.caption)
            await db.execute("INSERT INTO notes VALUES (?, ?, ?)", row)
        await m.reply_text("saved")

    async with BotApiEmulator() as emu:
        app: Application[Any, Any, Any, Any, Any, Any] = (
            application_builder(emu).concurrent_updates(64).build()
        )
        app.add_handler(MessageHandler(filters.ALL, save))
        users = [emu.user(f"b{i}") for i in range(DELEGATES)]
        async with running(app, poll_timeout=1.0):
            seconds, _ = await _load(emu, users)
    await db.close()
    return DELEGATES * PER_DELEGATE / seconds


async def main() -> None:
    """Run both and print the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        figures = await notes_bot(Path(tmp))
        floor = await bare_bot(Path(tmp))
    n = DELEGATES * PER_DELEGATE
    print(f"{n} notes from {DELEGATES} delegates, 1 in 10 a 1 MB photo")
    print(f"notes bot : {figures['rate']:.0f} notes/s, p50 {figures['p50']:.1f} ms, "
          f"p99 {figures['p99']:.1f} ms, RSS {figures['rss']:.0f} MB, "
          f"DB+media {figures['per_1000']:.1f} MB per 1,000 notes")  # fmt: skip
    print(
        f"bare PTB + 1 INSERT: {floor:.0f} msgs/s; "
        f"ratio floor/notes = {floor / figures['rate']:.2f}"
    )


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
