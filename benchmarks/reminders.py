"""Benchmark: reminders for 200 delegates on 5 trips of 60 legs, 1,000 of them due at once.

Run: .venv/bin/python -m benchmarks.reminders
The bot runs as a subprocess on real time against the in-process emulator, which enforces
Telegram's limits (30 msg/s overall, 1/s per chat). Reported: the time to plan and schedule
everything at start (from the bot's own log line), the RSS with it all scheduled, and the
lateness of 1,000 reminders due in the same second (negative: arrived ahead of the instant),
how many were sent earlier than the lead window allows (must be 0), and the spread of the
deliveries beside the limit's floor of 1000 / 30 s.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psutil

from benchmarks.harness import ROOT, TOKEN, percentile, stop_bot, wait_polling
from bot.invites import hash_code
from bot.storage import NewInvite, Storage
from emulator import BotApiEmulator, EmuUser
from emulator.failures import RateLimit

TRIPS, LEGS, PER_TRIP, DUE_LEGS = 5, 60, 40, 5
# Seconds after the benchmark starts: the bot has started and planned by then, with room for
# the outbox to begin sending ahead (1,000 at 25 msg/s take 40 s; the lead window is 2 min).
DUE_IN = 60.0
LEAD = 120.0  # the trips' `reminders: lead` (the default)
BA = ZoneInfo("America/Argentina/Buenos_Aires")
PLANNED = re.compile(r"reminders: (\d+) scheduled .* in (\d+) ms")


def _local(instant: datetime) -> str:
    return instant.astimezone(BA).strftime("%Y-%m-%d %H:%M:%S")


def write_trip(folder: Path, n: int, due: datetime) -> None:
    """A trip of LEGS legs: DUE_LEGS meetings whose reminders fall due at `due`, the rest later."""
    day = due.astimezone(BA).date()
    lines = [
        f"id: trip-{n}",
        "title: 效能測試",
        "organiser: 臺中市政府",
        "destination: 阿根廷",
        "home_zone: Asia/Taipei",
        f"start: {day}",
        f"end: {day + timedelta(days=12)}",
        f"event: {{name: 測試, city: 測試, country: 測試, start: {day}, end: {day}}}",
        "purpose: [測試]",
        "budget: {amount: 0}",
        "members:",
        *(f"  - {{id: m{i}, name: 成員{i}, unit: 單位, title: 職稱}}" for i in range(PER_TRIP)),
        "reminders:",
        "  legs:",
        "    flight: [{id: check-in, before: 24h, say: check_in},"
        " {id: leave, before: 3h, say: leave_for_airport}]",
        "    meeting: [{id: before, before: 30m}]",
        "    session: [{id: before, before: 30m}]",
        "  morning: 07:30",
        "legs:",
    ]
    for k in range(LEGS):
        start = due + timedelta(minutes=30) if k < DUE_LEGS else due + timedelta(hours=2 + 4 * k)
        kind = "meeting" if k < DUE_LEGS or k % 3 else "flight"
        end = _local(start + timedelta(hours=1))
        lines += [
            f"  - id: leg-{k}",
            f"    kind: {kind}",
            f"    title: 行程 {n}-{k}",
            f"    start: {_local(start)}",
            f"    end: {end}",
        ]
        if kind == "flight":
            lines += [
                f"    from: {{airport: EZE, city: 布宜諾斯艾利斯, zone: {BA.key}}}",
                f"    to: {{airport: AEP, city: 布宜諾斯艾利斯, zone: {BA.key}}}",
            ]
        else:
            lines.append(f"    zone: {BA.key}")
    folder.mkdir(parents=True)
    (folder / "trip.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


async def admit(data: Path, users: list[EmuUser], now: datetime) -> None:
    """Admit every account directly in the database the bot will open."""
    store = await Storage.open(data / "bot.sqlite3")
    for i, user in enumerate(users):
        trip, member, code = f"trip-{i // PER_TRIP}", f"m{i % PER_TRIP}", f"bench-{i}"
        await store.create_invite(
            NewInvite(
                hash_code(code), trip, member, "delegate", "bench", now, now + timedelta(days=1)
            )
        )
        await store.redeem_invite(
            hash_code(code), user_id=user.id, chat_id=user.id, lang="zh", name=member, now=now
        )
    await store.close()


async def main() -> None:
    """Run once and print the figures."""
    t0 = datetime.now(UTC)
    due = t0 + timedelta(seconds=DUE_IN)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for n in range(TRIPS):
            write_trip(root / "content" / f"trip-{n}", n, due)
        async with BotApiEmulator(bot_username="bench_bot", rate_limit=RateLimit()) as emu:
            users = [emu.user(f"u{i}", started=True) for i in range(TRIPS * PER_TRIP)]
            await admit(root / "data", users, t0)
            log = root / "bot.log"
            env = {
                **os.environ,
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_BASE_URL": emu.base_url,
                "TELEGRAM_BASE_FILE_URL": emu.base_file_url,
                "BOT_LOG_LEVEL": "INFO",
                "BOT_DATA_DIR": str(root / "data"),
                "BOT_CONTENT_DIR": str(root / "content"),
            }
            env.pop("BOT_CLOCK_START", None)
            with log.open("wb") as err:  # the bot's log, for its planning line
                proc = subprocess.Popen(  # noqa: ASYNC220 - started once, like harness.start_bot
                    [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stderr=err
                )
            try:
                await wait_polling(emu)
                await asyncio.sleep(1.0)
                rss = psutil.Process(proc.pid).memory_info().rss
                found = PLANNED.search(log.read_text(encoding="utf-8"))
                expected = TRIPS * PER_TRIP * DUE_LEGS
                await emu.wait_until(
                    lambda: sum(len(emu.messages(u)) for u in users) >= expected,
                    DUE_IN + 120,
                    "every reminder delivered",
                )
            finally:
                await stop_bot(proc)
    # BotMessage.arrived_at is monotonic; the due instant is wall-clock.
    offset = time.time() - time.monotonic()
    due_wall = due.timestamp()
    late = sorted(m.arrived_at + offset - due_wall for u in users for m in emu.messages(u))
    spread, floor = late[-1] - late[0], expected / 30.0
    print(
        f"{TRIPS} trips × {LEGS} legs, {TRIPS * PER_TRIP} delegates; "
        "emulator at 30 msg/s, 1/s per chat"
    )
    if found:
        print(f"plan+schedule at start: {found[2]} ms for {found[1]} reminders (target < 1000 ms)")
    print(f"RSS with everything scheduled: {rss / 2**20:.1f} MB")
    p50, p99 = percentile(late, 50), percentile(late, 99)
    print(
        f"{len(late)} reminders due in the same second: lateness p50 {p50:.2f} s, p99 {p99:.2f} s"
        " (goal p99 ≤ 1 s)"
    )
    print(f"sent earlier than lead ({LEAD:.0f} s): {sum(x < -LEAD for x in late)}")
    print(
        f"delivery spread {spread:.1f} s vs floor {floor:.1f} s: ratio {spread / floor:.3f}"
        " (the outbox keeps 25 of the 30 msg/s for pushes)"
    )
    print(f"emulator: {emu.stats.rate_limited} answered 429, {emu.stats.statuses.get(200, 0)} ok")


if __name__ == "__main__":
    asyncio.run(main())
