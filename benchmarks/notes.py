"""Notes throughput: 20 delegates send notes as fast as the bot confirms them (1 in 10 a 1 MB
photo), beside a bare PTB bot doing one SQLite insert per message. Both bots run as processes
of their own against the in-process emulator, as they would against Telegram.

With `--postgres [URL]` the notes bot also runs on a fresh PostgreSQL database of that server
(else of BOT_DATABASE_URL, else of a throw-away scripts/postgres-temp server), printed beside
SQLite; with `--workers N` there as N webhook workers through the runner. `--compare` prints
one table: the floor, SQLite in one process, PostgreSQL with 1 and with 3 workers.

Run: .venv/bin/python -m benchmarks.notes [--per-delegate 50 --repeat 3] [--postgres [URL]]
    [--workers N] [--compare]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks import compare, deploy
from benchmarks.harness import RssSampler, percentile, spread, start_bot, stop_bot, wait_polling
from bot.invites import issue_invite
from bot.storage import Storage
from bot.trip.loader import load_trip
from emulator import BotApiEmulator, EmuUser

ROOT = Path(__file__).resolve().parent.parent
CLOCK = "2015-05-19T10:00:00-03:00"
DELEGATES = 20


def _photo(i: int) -> bytes:
    # Distinct bytes per photo: the media store would keep identical photos once.
    return b"\xff\xd8\xff\xe0" + os.urandom(1024 * 1024 - 4 - 8) + i.to_bytes(8, "big")


async def _load(emu: BotApiEmulator, users: list[EmuUser], per: int) -> tuple[float, list[float]]:
    """Each delegate sends its next note when the last one is confirmed; (seconds, latencies)."""
    latencies: list[float] = []
    photos = [_photo(i) for i in range(0, DELEGATES * per, 10)]  # made before the clock starts

    async def delegate(k: int, user: EmuUser) -> None:
        for j in range(per):
            seq = k * per + j
            if seq % 10 == 0:
                await emu.send_photo(user, photos[seq // 10], caption=f"photo {seq} #附件")
            else:
                await emu.send_text(user, f"note {seq} #心得 與黃大使交流")
            update_id = emu.last_update_id
            reply = await emu.wait_for(user, timeout=60)
            while (reply.text or "").startswith("📎"):  # a late-file notice is no confirmation
                reply = await emu.wait_for(user, timeout=60)
            assert update_id is not None
            latencies.append((reply.arrived_at - emu.delivered_at[update_id]) * 1000)

    start = time.perf_counter()
    await asyncio.gather(*(delegate(k, u) for k, u in enumerate(users)))
    return time.perf_counter() - start, latencies


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


async def _run(
    data: Path,
    per: int,
    join: list[str] | None,
    url: str | None = None,
    deployment: deploy.Deployment | None = None,
) -> dict[str, float]:
    """One run: the notes bot deployed as `deployment` says, or without one the floor."""
    async with BotApiEmulator(bot_username="notes_bench_bot") as emu:
        env = {"BOT_DATA_DIR": str(data), "BOT_CLOCK_START": CLOCK, "BOT_RATE_LIMIT": "0"}
        if deployment is None:
            proc = start_bot(emu, ["benchmarks.insert_bot"], env)
        else:
            proc = deploy.start(emu, deployment, url, env)
        try:
            if deployment is None:
                await wait_polling(emu)
            else:
                await deploy.ready(emu, deployment)
            users = [
                emu.user(f"d{i}", language_code="zh-hant", started=True) for i in range(DELEGATES)
            ]
            for user, code in zip(users, join or [], strict=False):
                await emu.send_text(user, f"/start {code}")
                await emu.wait_for(user, timeout=30)
            sampler = RssSampler(proc.pid)
            sampler.start()
            server = deploy.server_sampler(deployment) if deployment else None
            seconds, latencies = await _load(emu, users, per)
            cpu = sampler.cpu_seconds()
            server_cpu = server.cpu_seconds() if server else None
            if server:
                server.stop()
            if deployment is not None and (share := sampler.workers_share()):
                print(f"   {deployment.name}: the workers' shares of CPU {share}")
            rss = sampler.stop()
        finally:
            await stop_bot(proc)
    n = DELEGATES * per
    return {
        **({} if server_cpu is None else {"server_cpu_ms": server_cpu / n * 1000}),
        "rate": n / seconds,
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        "rss": rss / 2**20,
        "cpu_ms": cpu / n * 1000,
    }


async def _codes(data: Path, url: str | None = None) -> list[str]:
    trip = load_trip(ROOT / "content" / "metropolis-2015")
    storage = await Storage.open(data / "bot.sqlite3", url)
    now = datetime.fromisoformat(CLOCK).astimezone(UTC)
    try:
        codes = []
        for _ in range(DELEGATES):
            invite = await issue_invite(
                storage,
                trip,
                "cao-kaiwen",
                "delegate",
                created_by="bench",
                now=now,
                ttl=timedelta(days=30),
            )
            codes.append(invite.code)
        return codes
    finally:
        await storage.close()


async def _stored(data: Path, url: str | None) -> int:
    storage = await Storage.open(data / "bot.sqlite3", url)
    try:
        row = await (await storage.db.execute("SELECT count(*) FROM notes")).fetchone()
        assert row is not None
        return int(row[0])
    finally:
        await storage.close()


async def _ours(data: Path, per: int, deployment: deploy.Deployment) -> dict[str, float]:
    """The notes bot on fresh data; every note must be stored once."""
    url = await deployment.database("notes")
    ours = await _run(data, per, await _codes(data, url), url, deployment)
    stored = await _stored(data, url)
    assert stored == DELEGATES * per, f"{stored} notes stored of {DELEGATES * per}"
    return ours


async def _pair(
    per: int, on_pg: deploy.Deployment | None
) -> tuple[dict[str, float], dict[str, float], float, dict[str, float] | None]:
    """One run of each bot on fresh data: (ours, floor, DB+media MB per 1,000 notes, ours on
    PostgreSQL if a server is given)."""
    with tempfile.TemporaryDirectory() as tmp:
        ours_dir, floor_dir = Path(tmp) / "notes", Path(tmp) / "floor"
        for folder in (ours_dir, floor_dir, Path(tmp) / "pg"):
            folder.mkdir()
        floor = await _run(floor_dir, per, None)
        ours = await _ours(ours_dir, per, deploy.sqlite())
        pg = await _ours(Path(tmp) / "pg", per, on_pg) if on_pg else None
        return ours, floor, _size(ours_dir) / (DELEGATES * per) * 1000 / 2**20, pg


async def main(per: int, repeat: int, on_pg: deploy.Deployment | None = None) -> None:
    """Run both bots, alternately, `repeat` times; print each run and the median ratio."""
    n = DELEGATES * per
    print(f"{n} notes from {DELEGATES} delegates, 1 in 10 a 1 MB photo; bots as processes")
    ratios: list[float] = []
    cpu: list[float] = []
    pg_ratios: list[float] = []
    for _ in range(repeat):
        ours, floor, per_1000, pg = await _pair(per, on_pg)
        print(
            f"notes bot : {ours['rate']:.0f} notes/s, p50 {ours['p50']:.1f} ms, "
            f"p99 {ours['p99']:.1f} ms, peak RSS {ours['rss']:.0f} MB, "
            f"CPU {ours['cpu_ms']:.2f} ms/note, "
            f"DB+media {per_1000:.1f} MB per 1,000 notes"
        )
        print(
            f"bare PTB + 1 INSERT: {floor['rate']:.0f} msgs/s, p50 {floor['p50']:.1f} ms, "
            f"p99 {floor['p99']:.1f} ms, peak RSS {floor['rss']:.0f} MB, "
            f"CPU {floor['cpu_ms']:.2f} ms/msg"
        )
        if on_pg is not None and pg is not None:
            print(
                f"notes bot on {on_pg.name}: {pg['rate']:.0f} notes/s, p50 {pg['p50']:.1f} ms,"
                f" p99 {pg['p99']:.1f} ms, peak RSS {pg['rss']:.0f} MB, "
                f"CPU {pg['cpu_ms']:.2f} ms/note"
                + (f" + server {pg['server_cpu_ms']:.2f}" if "server_cpu_ms" in pg else "")
            )
            pg_ratios.append(floor["rate"] / pg["rate"])
        ratios.append(floor["rate"] / ours["rate"])
        cpu.append(ours["cpu_ms"] / floor["cpu_ms"])
    # The machine's speed drifts between runs, so the figure is the median of paired ratios.
    print(f"throughput ratio floor/notes: {spread(ratios)} (target ≤ 1.5)")
    print(f"CPU per message notes/floor: {spread(cpu)}")
    if pg_ratios:
        print(f"throughput ratio floor/notes on PostgreSQL: {spread(pg_ratios)}")


def _figures(run: dict[str, float]) -> compare.Figures:
    return compare.Figures(
        run["rate"], run["p50"], run["p99"], run["rss"], run["cpu_ms"], run.get("server_cpu_ms")
    )


async def main_compare(per: int, repeat: int, server: str) -> None:
    """The floor, SQLite in one process, PostgreSQL with 1 and 3 workers, in rounds; one table
    with the medians of the ratios taken round by round."""
    print(
        f"{DELEGATES * per} notes from {DELEGATES} delegates, 1 in 10 a 1 MB photo; {repeat} rounds"
    )
    floor: list[compare.Figures] = []
    runs: dict[str, list[compare.Figures]] = {}
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            deployments = compare.deployments(server)
            for folder in ["floor", *(f"bot{i}" for i in range(len(deployments)))]:
                (Path(tmp) / folder).mkdir()
            floor.append(_figures(await _run(Path(tmp) / "floor", per, None)))
            for i, deployment in enumerate(deployments):
                run = await _ours(Path(tmp) / f"bot{i}", per, deployment)
                runs.setdefault(deployment.name, []).append(_figures(run))
                print(f"{deployment.name}: {run['rate']:.0f} notes/s, p99 {run['p99']:.1f} ms")
    print(compare.table("note", floor, runs))


async def _main(args: argparse.Namespace) -> None:
    if args.postgres is None and not args.workers and not args.compare:
        await main(args.per_delegate, args.repeat)
        return
    async with deploy.server(args.postgres) as server:
        if args.compare:
            await main_compare(args.per_delegate, args.repeat, server)
        else:
            await main(args.per_delegate, args.repeat, deploy.postgres(server, args.workers))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-delegate", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3, help="pairs of runs")
    deploy.add_arguments(parser)
    asyncio.run(_main(parser.parse_args()))
