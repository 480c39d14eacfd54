"""Benchmark: one schedule change broadcast to 1,000 delegates through the emulator.

Run: .venv/bin/python -m benchmarks.broadcast
The real bot (in process) polls the emulator, which enforces Telegram's limits (30 msg/s
overall, 1/s per chat) and answers 429 beyond them. A coordinator sends /delay, then presses
Publish; timed from the press to the last notice arriving. Reported beside the floor of
1000 / 30 s: the wall time and its ratio, the 429s, and notices lost or duplicated. The
coordinator meanwhile sends /next every PROBE_GAP s, and the p99 of its replies' latency during
the broadcast is printed beside the same replies with no broadcast (measured just before it).
`python -m benchmarks.broadcast 30` runs the outbox at 30 msg/s instead of its 25, for comparison.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.harness import percentile
from bot.app import build_application
from bot.clock import ManualClock
from bot.config import Settings
from bot.invites import hash_code
from bot.reminders.rules import TripReminders
from bot.storage import NewInvite, Role, Storage
from bot.trip.loader import load_trip
from emulator import BotApiEmulator, EmuUser
from emulator.failures import RateLimit
from emulator.ptb import running

ROOT = Path(__file__).resolve().parent.parent
DELEGATES = 1000
T0 = datetime(2015, 5, 18, 12, 0, tzinfo=UTC)
LEG = "plenary-live-the-city"
PROBES, PROBE_GAP = 15, 2.0  # /next from the coordinator, one every 2 s (1/s per chat)


async def probe(emu: BotApiEmulator, user: EmuUser, n: int) -> list[float]:
    """Send /next `n` times, PROBE_GAP apart; each reply's latency in seconds."""
    took = []
    for _ in range(n):
        before = len(emu.messages(user))

        def answered(before: int = before) -> bool:
            return len(emu.messages(user)) > before

        sent = time.monotonic()
        await emu.send_text(user, "/next")
        await emu.wait_until(answered, 30, "a reply to /next")
        took.append(emu.messages(user)[before].arrived_at - sent)
        await asyncio.sleep(max(0.0, PROBE_GAP - (time.monotonic() - sent)))
    return took


async def admit(db: Path, users: list[tuple[EmuUser, Role]]) -> None:
    """Admit the accounts directly in the database the bot will open."""
    store = await Storage.open(db)
    for i, (user, role) in enumerate(users):
        code = hash_code(f"bench-{i}")
        member = "intl-desk" if role == "coordinator" else "yi-rongzong"
        await store.create_invite(
            NewInvite(code, "metropolis-2015", member, role, "bench", T0, T0 + timedelta(days=1))
        )
        await store.redeem_invite(
            code, user_id=user.id, chat_id=user.id, lang="zh", name=f"d{i}", now=T0
        )
    await store.close()


async def main() -> None:
    """Run once and print the figures."""
    # Reminders silenced: their own sends would share the 30 msg/s and blur the figure.
    quiet = TripReminders(legs={}, morning=None, prep=None)
    trip = load_trip(ROOT / "content" / "metropolis-2015").model_copy(update={"reminders": quiet})
    with tempfile.TemporaryDirectory() as tmp:
        async with BotApiEmulator(bot_username="bench_bot", rate_limit=RateLimit()) as emu:
            desk = emu.user("desk", started=True)
            delegates = [emu.user(f"u{i}", started=True) for i in range(DELEGATES)]
            settings = Settings(
                base_url=emu.base_url,
                base_file_url=emu.base_file_url,
                data_dir=Path(tmp),
                content_dir=ROOT / "content",
            )
            accounts: list[tuple[EmuUser, Role]] = [(desk, "coordinator")]
            await admit(settings.db_path, accounts + [(u, "delegate") for u in delegates])
            app = build_application(settings, trips={trip.id: trip}, clock=ManualClock(T0))
            if len(sys.argv) > 1:  # the outbox's share of the 30 msg/s, for comparison
                app.bot_data.pacer.per_second = float(sys.argv[1])
            async with running(app, poll_timeout=1.0):
                await emu.send_text(desk, f"/delay {LEG} 45m")
                preview = await emu.wait_for(desk, timeout=10)
                quiet_replies = await probe(emu, desk, PROBES)
                await asyncio.sleep(1.5)  # let the per-second buckets refill before timing
                limited = emu.stats.rate_limited
                began = time.monotonic()
                await emu.press(desk, preview, "📣 發布")
                await emu.wait_until(  # the press's own reply, so the probes see only theirs
                    lambda: any("已發布" in (m.text or "") for m in emu.messages(desk)),
                    10,
                    "the reply to Publish",
                )
                probing = asyncio.create_task(probe(emu, desk, PROBES))
                await emu.wait_until(
                    lambda: all(emu.messages(u) for u in delegates), 120, "every notice delivered"
                )
                took = time.monotonic() - began
                busy_replies = await probing
                await asyncio.sleep(2.0)  # anything sent twice would arrive by now
    counts = Counter(sum(1 for m in emu.messages(u) if "v1" in (m.text or "")) for u in delegates)
    floor = DELEGATES / 30.0
    print(f"one change to {DELEGATES} delegates; emulator at 30 msg/s overall, 1/s per chat")
    print(
        f"wall time {took:.1f} s vs floor {floor:.1f} s: ratio {took / floor:.3f} (target ≤ 1.15)"
    )
    print(f"429s received: {emu.stats.rate_limited - limited}")
    rate = app.bot_data.pacer.per_second
    busy = [percentile(busy_replies, q) * 1000 for q in (50, 99)]
    calm = [percentile(quiet_replies, q) * 1000 for q in (50, 99)]
    print(
        f"/next replies, {PROBES} each, outbox at {rate:g} msg/s: during the broadcast"
        f" p50 {busy[0]:.0f} ms, p99 {busy[1]:.0f} ms; with no broadcast"
        f" p50 {calm[0]:.0f} ms, p99 {calm[1]:.0f} ms"
    )
    print(f"lost: {counts.get(0, 0)}, duplicated: {sum(n for k, n in counts.items() if k > 1)}")


if __name__ == "__main__":
    asyncio.run(main())
