"""Benchmark: 2,000 mixed briefing updates from 50 users, beside a bare PTB echo bot as the floor.

Run: .venv/bin/python -m benchmarks.briefing [--updates 2000 --users 50 --repeat 3] [--webhook]
    [--postgres [URL]] [--workers N] [--compare]
With --webhook the bot by webhook (the emulator POSTs each update to the bot's HTTP server) runs
beside the same bot polling, instead of beside the floor. With --postgres it also runs on
PostgreSQL (the URL, else BOT_DATABASE_URL, else a throw-away scripts/postgres-temp server), as
N webhook workers through the runner with --workers N. --compare prints one table: the floor,
SQLite in one process, PostgreSQL with 1 and with 3 workers.
Both bots run as subprocesses polling the same in-process emulator; each user sends its next
message when the previous reply arrived (a closed loop, like people on phones). The floor uses
PTB's stock transport with the real bot's concurrency and pool size (see `bot/transport.py`).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks import compare, deploy
from benchmarks.harness import (
    RssSampler,
    free_port,
    percentile,
    spread,
    start_bot,
    stop_bot,
    wait_polling,
)
from bot.invites import issue_invite
from bot.storage import Storage
from bot.trip.loader import load_trip
from emulator import BotApiEmulator, EmuUser

ROOT = Path(__file__).resolve().parent.parent
CLOCK = "2015-05-19T10:00:00-03:00"
COMMANDS = ("/itinerary", "/contacts huchon", "/brief", "/itinerary 104.05.18", "/contacts 廣州")


@dataclass
class Result:
    """What one run measured."""

    name: str
    updates: int
    seconds: float
    latencies_ms: list[float]
    peak_rss: int
    cpu_seconds: float
    server_cpu_seconds: float | None = None  # the local PostgreSQL server's, if any

    @property
    def p99(self) -> float:
        """The 99th percentile latency in ms."""
        return percentile(self.latencies_ms, 99)

    @property
    def throughput(self) -> float:
        """Updates per second."""
        return self.updates / self.seconds

    def line(self) -> str:
        """A printable summary."""
        p50, p99 = percentile(self.latencies_ms, 50), percentile(self.latencies_ms, 99)
        return (
            f"{self.name:<17} {self.throughput:8.1f} upd/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms"
            f"   peak RSS {self.peak_rss / 2**20:6.1f} MB"
            f"   CPU {self.cpu_seconds / self.updates * 1000:4.2f} ms/upd"
            + (
                f" + server {self.server_cpu_seconds / self.updates * 1000:4.2f}"
                if self.server_cpu_seconds is not None
                else ""
            )
        )

    def figures(self) -> compare.Figures:
        """The figures of the comparison table."""
        return compare.Figures(
            self.throughput,
            percentile(self.latencies_ms, 50),
            self.p99,
            self.peak_rss / 2**20,
            self.cpu_seconds / self.updates * 1000,
            None
            if self.server_cpu_seconds is None
            else self.server_cpu_seconds / self.updates * 1000,
        )


async def _drive(
    emu: BotApiEmulator, users: list[EmuUser], total: int, texts: tuple[str, ...], pace: float
) -> list[float]:
    """Each user sends, waits for the reply, thinks, sends again.

    Think times are exponential with mean `pace` (and starts are staggered) so that arrivals are
    Poisson-like: users in lockstep would arrive in bursts of 50 that no real delegation makes.
    """
    latencies: list[float] = []
    counter = iter(range(total))
    rng = random.Random(20150518)

    async def one(user: EmuUser, offset: int) -> None:
        if pace:
            await asyncio.sleep(rng.uniform(0, pace))
        for n in counter:
            await emu.send_text(user, texts[(n + offset) % len(texts)])
            update_id = emu.last_update_id
            reply = await emu.wait_for(user, timeout=30)
            emu.drain(user)  # long replies come in parts; the first part is the latency
            assert update_id is not None
            latencies.append((reply.arrived_at - emu.delivered_at[update_id]) * 1000)
            if pace:
                await asyncio.sleep(rng.expovariate(1 / pace))

    await asyncio.gather(*(one(u, i) for i, u in enumerate(users)))
    return latencies


async def run_ours(
    updates: int,
    n_users: int,
    rate: float,
    pace: float,
    webhook: bool = False,
    deployment: deploy.Deployment | None = None,
) -> Result:
    """The delegation bot, polling or by webhook, or deployed as `deployment` says (on a fresh
    database of its server if it has one)."""
    deployment = deployment or deploy.sqlite()
    trip = load_trip(ROOT / "content" / "metropolis-2015")
    url = await deployment.database("briefing")
    with tempfile.TemporaryDirectory() as data:
        storage = await Storage.open(Path(data) / "bot.sqlite3", url)
        now = datetime.fromisoformat(CLOCK).astimezone(UTC)
        codes = []
        for i in range(n_users):
            member = trip.members[i % 2].id
            invite = await issue_invite(
                storage,
                trip,
                member,
                "delegate",
                created_by="bench",
                now=now,
                ttl=timedelta(days=30),
            )
            codes.append(invite.code)
        await storage.close()
        async with BotApiEmulator(bot_username="bench_bot") as emu:
            env = {"BOT_DATA_DIR": data, "BOT_CLOCK_START": CLOCK, "BOT_RATE_LIMIT": str(rate)}
            if webhook:
                port = free_port()
                env["BOT_WEBHOOK_URL"] = f"http://127.0.0.1:{port}/telegram"
                env["BOT_HTTP_PORT"] = str(port)
                proc = start_bot(emu, ["bot", "run"], env)
            else:
                proc = deploy.start(emu, deployment, url, env)
            try:
                if webhook:
                    await emu.wait_until(lambda: emu.webhook.active, 30, "the webhook")
                else:
                    await deploy.ready(emu, deployment)
                users = [
                    emu.user(first_name=f"u{i}", language_code="zh-hant") for i in range(n_users)
                ]
                for user, code in zip(users, codes, strict=True):
                    await emu.send_text(user, f"/start {code}")
                for user in users:
                    await emu.wait_for(user, timeout=30)
                sampler = RssSampler(proc.pid)
                sampler.start()
                server = deploy.server_sampler(deployment)
                start = time.perf_counter()
                latencies = await _drive(emu, users, updates, COMMANDS, pace)
                seconds = time.perf_counter() - start
                cpu = sampler.cpu_seconds()
                server_cpu = server.cpu_seconds() if server else None
                if server:
                    server.stop()
                if share := sampler.workers_share():
                    print(f"   {deployment.name}: the workers' shares of CPU {share}")
                name = "webhook" if webhook else deployment.name
                peak = sampler.stop()
                return Result(name, updates, seconds, latencies, peak, cpu, server_cpu)
            finally:
                await stop_bot(proc)


async def run_floor(updates: int, n_users: int, rate: float, pace: float) -> Result:
    """A bare PTB echo bot: the framework's own floor on this machine."""
    async with BotApiEmulator(bot_username="echo_bot") as emu:
        proc = start_bot(emu, ["benchmarks.echo_bot"], {"BOT_RATE_LIMIT": str(rate)})
        try:
            await wait_polling(emu)
            users = [emu.user(first_name=f"e{i}", started=True) for i in range(n_users)]
            sampler = RssSampler(proc.pid)
            sampler.start()
            start = time.perf_counter()
            latencies = await _drive(emu, users, updates, ("ping",), pace)
            seconds = time.perf_counter() - start
            cpu = sampler.cpu_seconds()
            return Result("echo floor", updates, seconds, latencies, sampler.stop(), cpu)
        finally:
            await stop_bot(proc)


async def main_webhook(
    updates: int, users: int, rates: list[float], paces: list[float], repeat: int
) -> None:
    """The bot by webhook beside the bot polling, alternately; print the medians of the ratios."""
    print(f"{updates} updates from {users} users, webhook vs polling, {repeat} pairs of runs")
    for rate, pace in ((r, p) for r in rates for p in paces):
        limiter = f"AIORateLimiter {rate:g} msg/s" if rate else "no rate limiter"
        load = f"each user thinks {pace:g} s between replies" if pace else "closed loop, no pause"
        print(f"-- {limiter}; {load}")
        pairs = []
        for _ in range(repeat):
            polling = await run_ours(updates, users, rate, pace)
            hook = await run_ours(updates, users, rate, pace, webhook=True)
            print(hook.line())
            print(polling.line())
            pairs.append((hook, polling))
        tput = [p.throughput / h.throughput for h, p in pairs]
        p99 = [h.p99 / p.p99 for h, p in pairs]
        cpu = [h.cpu_seconds / p.cpu_seconds for h, p in pairs]
        print(f"   throughput ratio polling/webhook {spread(tput)} (target ≤ 1.1)")
        print(f"   p99 ratio webhook/polling {spread(p99)} (target ≤ 1.1)")
        print(f"   CPU per update webhook/polling {spread(cpu)}")


async def main(
    updates: int,
    users: int,
    rates: list[float],
    paces: list[float],
    repeat: int,
    on_pg: deploy.Deployment | None = None,
) -> None:
    """Run both bots, alternately, `repeat` times per setting; print each run and the medians.

    The machine is shared and its speed drifts between runs by a third or more, so one pair of
    runs proves little: the ratios are taken pair by pair and their median is the figure.
    """
    print(f"{updates} updates from {users} users, bots as subprocesses, {repeat} pairs of runs")
    for rate, pace in ((r, p) for r in rates for p in paces):
        limiter = f"AIORateLimiter {rate:g} msg/s on both" if rate else "no rate limiter on either"
        load = f"each user thinks {pace:g} s between replies" if pace else "closed loop, no pause"
        print(f"-- {limiter}; {load}")
        pairs = []
        beside = []
        for _ in range(repeat):
            floor = await run_floor(updates, users, rate, pace)
            ours = await run_ours(updates, users, rate, pace)
            print(ours.line())
            print(floor.line())
            pairs.append((ours, floor))
            if on_pg:
                pg = await run_ours(updates, users, rate, pace, deployment=on_pg)
                print(pg.line())
                beside.append((pg, ours))
        tput = [f.throughput / o.throughput for o, f in pairs]
        p99 = [o.p99 / f.p99 for o, f in pairs]
        cpu = [o.cpu_seconds / f.cpu_seconds for o, f in pairs]
        print(f"   throughput ratio floor/ours {spread(tput)} (target ≤ 1.5)")
        print(f"   p99 ratio ours/floor {spread(p99)} (target ≤ 1.5)")
        print(f"   CPU per update ours/floor {spread(cpu)}")
        if beside:
            print(
                f"   {beside[0][0].name} beside SQLite: throughput SQLite/PostgreSQL "
                f"{spread([o.throughput / g.throughput for g, o in beside])}, p99 "
                f"PostgreSQL/SQLite {spread([g.p99 / o.p99 for g, o in beside])}"
            )
        print(
            f"   ours: p99 {spread([o.p99 for o, _ in pairs], 'ms')} (target < 50), peak RSS "
            f"{max(o.peak_rss for o, _ in pairs) / 2**20:.1f} MB (target < 120)"
        )


async def main_compare(
    updates: int, users: int, rates: list[float], paces: list[float], repeat: int, server: str
) -> None:
    """The floor, SQLite in one process, PostgreSQL with 1 and 3 workers, in rounds; one table
    per setting, with the medians of the ratios taken round by round."""
    print(f"{updates} updates from {users} users; {repeat} rounds of the floor and 3 bots")
    for rate, pace in ((r, p) for r in rates for p in paces):
        limiter = f"AIORateLimiter {rate:g} msg/s" if rate else "no rate limiter"
        load = f"each user thinks {pace:g} s between replies" if pace else "closed loop, no pause"
        print(f"-- {limiter}; {load}")
        floor: list[compare.Figures] = []
        runs: dict[str, list[compare.Figures]] = {}
        for _ in range(repeat):
            result = await run_floor(updates, users, rate, pace)
            print(result.line())
            floor.append(result.figures())
            for deployment in compare.deployments(server):
                result = await run_ours(updates, users, rate, pace, deployment=deployment)
                print(result.line())
                runs.setdefault(deployment.name, []).append(result.figures())
        print(compare.table("upd", floor, runs))


async def _main(args: argparse.Namespace) -> None:
    if args.webhook:
        await main_webhook(args.updates, args.users, args.rates, args.paces, args.repeat)
        return
    settings = (args.updates, args.users, args.rates, args.paces, args.repeat)
    if args.postgres is None and not args.workers and not args.compare:
        await main(*settings)
        return
    async with deploy.server(args.postgres) as server:
        if args.compare:
            await main_compare(*settings, server)
        else:
            await main(*settings, deploy.postgres(server, args.workers))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument(
        "--rates", type=float, nargs="+", default=[0, 30], help="overall msg/s limits (0 = none)"
    )
    parser.add_argument(
        "--paces", type=float, nargs="+", default=[0, 1.0], help="think time per user (0 = none)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="pairs of runs per setting")
    parser.add_argument("--webhook", action="store_true", help="webhook beside polling")
    deploy.add_arguments(parser)
    asyncio.run(_main(parser.parse_args()))
