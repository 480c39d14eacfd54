"""Benchmark: 1, 50 and 500 trips of 30 members and 60 legs, beside a bare PTB echo bot.

Run: .venv/bin/python -m benchmarks.scale [--sizes 1 50 500 --updates 600 --replans 5]
Each size gets fresh content (benchmarks/scale_content.py: the bundled trip widened and copied)
and a fresh SQLite database with every member admitted; the bot runs as a subprocess polling the
in-process emulator, on a rehearsal clock four days before departure (nothing falls due while it
runs). Printed per size: start-up (process start to its first poll: load, build, post_init), the
bot's own planning time at start, RSS once ready, the p50/p99 and CPU of /next, /brief and
/itinerary sent by 25 members spread over the trips (a closed loop), and the time to re-plan
one trip after a published /delay (the bot's own figure, and the press-to-answer time). Ratios
are against the 1-trip run and against the echo bot measured in the same run (the floor).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psutil

from benchmarks.briefing import _drive
from benchmarks.harness import RssSampler, percentile, start_bot, stop_bot, wait_polling
from benchmarks.scale_content import COORDINATOR, write_trips
from bot.storage import Storage
from bot.storage.db import to_db
from emulator import BotApiEmulator, EmuUser

CLOCK = "2015-05-12T10:00:00-03:00"
COMMANDS = ("/next", "/brief", "/itinerary")
DRIVERS = 25  # at most 27: on one trip each plays a different delegate
LEG = "opening-ceremony"  # the leg of trip-0 each published change moves
REPLANNED = re.compile(r"after a change to trip-0, .*; re-planned in ([\d.]+) ms")
PLANNED = re.compile(r"reminders: (\d+) scheduled .* in (\d+) ms")
FAKE = 1_000_000_000  # user ids of members no test account plays (nothing is sent to them)


@dataclass
class Run:
    """What one size measured."""

    trips: int
    startup: float = 0.0  # seconds, process start to the first poll
    planned: str = ""  # the reminders' start-up line
    rss: int = 0
    latencies: list[float] = field(default_factory=list)
    cpu_ms: float = 0.0  # per update
    replan_ms: list[float] = field(default_factory=list)  # the bot's own figure
    publish_ms: list[float] = field(default_factory=list)  # press to the answer


async def _admit(
    data: Path, n: int, members: list[str], emu: BotApiEmulator
) -> tuple[EmuUser, list[EmuUser]]:
    """Every member of every trip in the database; trip-0's and the drivers' as test accounts.
    The coordinator of trip-0, and the drivers."""
    accounts = {m: emu.user(m, language_code="zh-hant", started=True) for m in members}
    drivers: list[EmuUser] = []
    rows = []
    for trip in range(n):
        for i, member in enumerate(members):
            user_id = accounts[member].id if trip == 0 else FAKE + trip * 100 + i
            role = "coordinator" if member == COORDINATOR else "delegate"
            rows.append((user_id, user_id, f"trip-{trip}", member, role))
    for k in range(DRIVERS):
        trip, member = k * n // DRIVERS, members[3 + k % (len(members) - 3)]
        if trip == 0:
            drivers.append(accounts[member])
            continue
        user = emu.user(f"t{trip}-{member}", language_code="zh-hant", started=True)
        drivers.append(user)
        rows = [r for r in rows if (r[2], r[3]) != (f"trip-{trip}", member)]
        rows.append((user.id, user.id, f"trip-{trip}", member, "delegate"))
    store = await Storage.open(data / "bot.sqlite3")
    now = to_db(datetime.fromisoformat(CLOCK).astimezone(UTC))
    async with store.db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO users (user_id, chat_id, trip_id, member_id, role, lang, name, joined_at)"
            " VALUES (?, ?, ?, ?, ?, 'zh', ?, ?)",
            [(*r, r[3], now) for r in rows],
        )
    await store.close()
    return accounts[COORDINATOR], drivers


async def _publish(emu: BotApiEmulator, desk: EmuUser) -> float:
    """Preview and publish one /delay of trip-0; ms from the press to the answer."""
    await emu.send_text(desk, f"/delay {LEG} 5m 測試")
    preview = await emu.wait_for(desk, timeout=30)
    emu.drain(desk)
    while True:
        button = next(b for b in preview.callback_data() if ":pub:" in b or ":sure:" in b)
        pressed = time.monotonic()  # BotMessage.arrived_at is monotonic too
        await emu.press(desk, preview, button)
        answer = await emu.wait_for(desk, timeout=60)
        emu.drain(desk)
        if not any(":sure:" in b for b in answer.callback_data()):
            return (answer.arrived_at - pressed) * 1000
        preview = answer  # a warning first: publish anyway


async def run_bot(n: int, updates: int, replans: int) -> Run:
    """Start the bot on `n` trips, drive it, publish `replans` changes; its figures."""
    result = Run(n)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        members = write_trips(root / "content", n)
        async with BotApiEmulator(bot_username="bench_bot") as emu:
            desk, drivers = await _admit(root / "data", n, members, emu)
            log = root / "bot.log"
            env = {
                "BOT_DATA_DIR": str(root / "data"),
                "BOT_CONTENT_DIR": str(root / "content"),
                "BOT_CLOCK_START": CLOCK,
                "BOT_RATE_LIMIT": "0",
                "BOT_PACK_ON_PUBLISH": "0",
                "BOT_LOG_LEVEL": "INFO",
            }
            began = time.perf_counter()
            with log.open("wb") as err:
                proc = start_bot(emu, ["bot", "run"], env, stderr=err)
            try:
                await wait_polling(emu, limit=300)
                result.startup = time.perf_counter() - began
                await asyncio.sleep(1.0)
                result.rss = psutil.Process(proc.pid).memory_info().rss
                found = PLANNED.search(log.read_text(encoding="utf-8"))
                result.planned = f"{found[1]} reminders in {found[2]} ms" if found else "?"
                sampler = RssSampler(proc.pid)
                sampler.start()
                result.latencies = await _drive(emu, drivers, updates, COMMANDS, 0)
                result.cpu_ms = sampler.cpu_seconds() / updates * 1000
                sampler.stop()
                for _ in range(replans):
                    result.publish_ms.append(await _publish(emu, desk))
                await asyncio.sleep(0.5)
                text = log.read_text(encoding="utf-8")
                result.replan_ms = [float(m) for m in REPLANNED.findall(text)]
            finally:
                await stop_bot(proc)
    return result


async def run_floor(updates: int) -> Run:
    """The echo bot: its start-up, RSS, latency and CPU on this machine, now."""
    result = Run(0)
    async with BotApiEmulator(bot_username="echo_bot") as emu:
        began = time.perf_counter()
        proc = start_bot(emu, ["benchmarks.echo_bot"], {"BOT_RATE_LIMIT": "0"})
        try:
            await wait_polling(emu)
            result.startup = time.perf_counter() - began
            await asyncio.sleep(1.0)
            result.rss = psutil.Process(proc.pid).memory_info().rss
            users = [emu.user(f"e{i}", started=True) for i in range(DRIVERS)]
            sampler = RssSampler(proc.pid)
            sampler.start()
            result.latencies = await _drive(emu, users, updates, ("ping",), 0)
            result.cpu_ms = sampler.cpu_seconds() / updates * 1000
            sampler.stop()
        finally:
            await stop_bot(proc)
    return result


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(runs: list[Run], floor: Run) -> None:
    """One line per size, then the ratios to the 1-trip run and to the floor."""
    print(
        f"floor (echo bot): start-up {floor.startup:.2f} s, RSS {floor.rss / 2**20:.0f} MB, "
        f"p99 {percentile(floor.latencies, 99):.1f} ms, CPU {floor.cpu_ms:.2f} ms/upd"
    )
    print(
        f"{'trips':>5} {'start-up':>9} {'RSS MB':>7} {'p50 ms':>7} {'p99 ms':>7} {'CPU ms':>7}"
        f" {'re-plan ms':>10} {'publish ms':>10}   planned at start"
    )
    for r in runs:
        print(
            f"{r.trips:>5} {r.startup:>8.2f}s {r.rss / 2**20:>7.0f}"
            f" {percentile(r.latencies, 50):>7.1f} {percentile(r.latencies, 99):>7.1f}"
            f" {r.cpu_ms:>7.2f} {_median(r.replan_ms):>10.1f} {_median(r.publish_ms):>10.1f}"
            f"   {r.planned}"
        )
    base = runs[0]
    for r in runs[1:]:
        print(
            f"{r.trips} trips / {base.trips}: p99 "
            f"{percentile(r.latencies, 99) / percentile(base.latencies, 99):.2f}x, CPU/upd "
            f"{r.cpu_ms / base.cpu_ms:.2f}x, re-plan "
            f"{_median(r.replan_ms) / _median(base.replan_ms):.2f}x, publish "
            f"{_median(r.publish_ms) / _median(base.publish_ms):.2f}x, start-up "
            f"{r.startup / base.startup:.2f}x (goal: per-update and re-plan within 1.2x; "
            "start-up < 10 s at 500)"
        )
    for r in runs:
        print(
            f"{r.trips} trips / floor: p99 "
            f"{percentile(r.latencies, 99) / percentile(floor.latencies, 99):.2f}x, CPU/upd "
            f"{r.cpu_ms / floor.cpu_ms:.2f}x, start-up {r.startup / floor.startup:.2f}x, "
            f"start-up beyond the floor's {r.startup - floor.startup:.2f} s"
        )


async def main(sizes: list[int], updates: int, replans: int) -> None:
    """Measure the floor, then each size; print the table and the ratios."""
    print(
        f"trips of 30 members and 60 legs; {updates} commands from {DRIVERS} members; "
        f"{replans} published changes per size"
    )
    floor = await run_floor(updates)
    runs = [await run_bot(n, updates, replans) for n in sizes]
    report(runs, floor)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 50, 500])
    parser.add_argument("--updates", type=int, default=600)
    parser.add_argument("--replans", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.sizes, args.updates, args.replans))
