"""How a benchmarked bot is deployed: SQLite in one process, or a PostgreSQL database served by
N webhook workers through the runner (`bot/workers.py`); and the PostgreSQL server to use.

The server is a URL given on the command line, else BOT_DATABASE_URL, else a throw-away one
started by `scripts/postgres-temp` and stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from benchmarks.harness import ROOT, RssSampler, free_port, start_process, wait_polling
from benchmarks.pg import drop_made, fresh_database
from emulator import BotApiEmulator

# `bot run --workers 1` is a plain process (the CLI starts the runner only for 2 or more): one
# worker through the runner is started as the CLI starts several.
_ONE_WORKER = "import sys; from bot.workers import run_workers; sys.exit(run_workers(1))"


@dataclass(frozen=True)
class Deployment:
    """Where the bot stores (`server`: a PostgreSQL server, None: SQLite) and how it is served
    (`workers` 0: one `bot run` polling; N >= 1: N webhook workers through the runner)."""

    name: str
    server: str | None = None
    workers: int = 0

    async def database(self, label: str) -> str | None:
        """A fresh database on the server for one run (None on SQLite)."""
        return await fresh_database(self.server, label) if self.server else None


def sqlite() -> Deployment:
    """The default: SQLite, one process, polling."""
    return Deployment("SQLite, 1 process")


def postgres(server: str, workers: int) -> Deployment:
    """PostgreSQL, with `workers` webhook workers (0: one process polling)."""
    how = f"{workers} worker{'s' if workers > 1 else ''}" if workers else "1 process"
    return Deployment(f"PG, {how}", server, workers)


def start(
    emu: BotApiEmulator, deployment: Deployment, url: str | None, env: dict[str, str]
) -> subprocess.Popen[bytes]:
    """Start the bot on database `url` as `deployment` says, with `env` added."""
    env = dict(env)
    if url:
        env["BOT_DATABASE_URL"] = url
    if not deployment.workers:
        return start_process(emu, ["-m", "bot", "run"], env)
    port = free_port()
    env |= {
        "BOT_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
        "BOT_HTTP_PORT": str(port),
        "BOT_WORKERS": str(deployment.workers),
    }
    if deployment.workers == 1:
        return start_process(emu, ["-c", _ONE_WORKER], env)
    return start_process(emu, ["-m", "bot", "run", "--workers", str(deployment.workers)], env)


async def ready(emu: BotApiEmulator, deployment: Deployment, limit: float = 60.0) -> None:
    """Wait until the bot polls, or until every worker listens (each sets the webhook after it
    binds the port, so connections made from then on are spread over all of them)."""
    if not deployment.workers:
        await wait_polling(emu, limit)
        return
    await emu.wait_until(
        lambda: emu.stats.calls.get("setWebhook", 0) >= deployment.workers,
        limit,
        f"{deployment.workers} workers to set the webhook",
    )


@contextlib.asynccontextmanager
async def server(given: str | None) -> AsyncIterator[str]:
    """The PostgreSQL server URL: `given`, else BOT_DATABASE_URL (the run's databases are
    dropped from it at the end), else a throw-away server."""
    url = given or os.environ.get("BOT_DATABASE_URL", "").strip()
    if url:
        try:
            yield url
        finally:
            await drop_made(url)  # the server lives on: leave it as it was
        return
    script = str(ROOT / "scripts" / "postgres-temp")
    done = await asyncio.to_thread(
        subprocess.run, [script], capture_output=True, text=True, check=True
    )
    folder, url = done.stdout.split("\n")[:2]
    try:
        yield url
    finally:
        await asyncio.to_thread(subprocess.run, [script, "stop", folder], check=False)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--postgres [URL], --workers N and --compare, as the benchmarks on PostgreSQL share them."""
    parser.add_argument(
        "--postgres",
        metavar="URL",
        nargs="?",
        const="",
        help="also run on PostgreSQL: this server, else BOT_DATABASE_URL, else a throw-away one",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="on PostgreSQL, N webhook workers through the runner (0: one process polling)",
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="one table: floor, SQLite 1 process, PostgreSQL 1 worker and 3 workers",
    )


def server_sampler(deployment: Deployment) -> RssSampler | None:
    """A started sampler of the PostgreSQL server's processes when they are on this machine
    (a socket folder holding `data/postmaster.pid`, as scripts/postgres-temp makes); else None.
    The server's CPU is the part of PostgreSQL's cost that the bot's own figures leave out."""
    if deployment.server is None:
        return None
    hosts = parse_qs(urlsplit(deployment.server).query).get("host", [])
    pid_file = Path(hosts[0]) / "data" / "postmaster.pid" if hosts else None
    if pid_file is None or not pid_file.is_file():
        return None
    sampler = RssSampler(int(pid_file.read_text().split()[0]))
    sampler.start()
    return sampler
