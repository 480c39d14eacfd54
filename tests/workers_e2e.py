"""The 3-worker end-to-end harness: the runner (`python -m bot run`, BOT_WORKERS=3) against
the emulator by webhook on one port, and what the tests read back from PostgreSQL, the workers'
log and the emulator."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

from emulator import BotApiEmulator, EmuUser
from tests.e2e import ROOT, free_port, until
from tests.test_e2e_reminders import T0

TOKEN = "123456:WorkersE2eTokenWorkersE2eToken_00"
NOTICE = "🔄 行程變更"


@dataclass
class Workers:
    """The runner process, its port and the database URL."""

    proc: asyncio.subprocess.Process
    port: int
    url: str

    async def health(self) -> dict[str, Any]:
        """One /healthz answer, from whichever worker the kernel gives the new connection."""
        connector = aiohttp.TCPConnector(force_close=True)
        url = f"http://127.0.0.1:{self.port}/healthz"
        async with aiohttp.ClientSession(connector=connector) as http, http.get(url) as res:
            body: dict[str, Any] = await res.json()
            return body

    async def sender(self, within: float, not_pid: int | None = None) -> int:
        """The pid of the worker that says it holds the sender lease (not `not_pid`)."""
        found: list[int] = []

        async def look() -> bool:
            try:
                body = await self.health()
            except aiohttp.ClientError:
                return False  # a worker dying or starting: the next connection goes elsewhere
            pid = int(body["worker"]["pid"])
            if body.get("sender") and pid != not_pid:
                found.append(pid)
            return bool(found)

        await until(look, within, "a worker holding the sender lease")
        return found[0]

    async def pids(self, n: int, within: float) -> set[int]:
        """Wait until /healthz was answered by `n` different workers; their pids."""
        seen: set[int] = set()

        async def look() -> bool:
            with suppress(aiohttp.ClientError):
                seen.add(int((await self.health())["worker"]["pid"]))
            return len(seen) >= n

        await until(look, within, f"{n} workers answering /healthz")
        return seen


@asynccontextmanager
async def workers(emu: BotApiEmulator, tmp_path: Path, url: str) -> AsyncIterator[Workers]:
    """`python -m bot run` with BOT_WORKERS=3 behind one port; stopped by SIGTERM at the end."""
    port = free_port()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": emu.base_url,
        "TELEGRAM_BASE_FILE_URL": emu.base_file_url,
        "BOT_DATA_DIR": str(tmp_path / "data"),
        "BOT_CONTENT_DIR": str(tmp_path / "content"),
        "BOT_DATABASE_URL": url,
        "BOT_WEBHOOK_URL": f"http://127.0.0.1:{port}/tg",
        "BOT_HTTP_PORT": str(port),
        "BOT_WORKERS": "3",
        "BOT_CLOCK_START": T0.isoformat(),
        "BOT_RATE_LIMIT": "0",
        "BOT_LOG_LEVEL": "INFO",
    }
    env.pop("BOT_WORKER_ID", None)
    log = (tmp_path / "workers.log").open("ab")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=log,
        start_new_session=True,  # its own process group: the cleanup reaches every worker
    )
    try:
        yield Workers(proc, port, url)
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)  # the runner forwards it to each worker
            try:
                await asyncio.wait_for(proc.wait(), 40)
            except TimeoutError:
                os.killpg(proc.pid, signal.SIGKILL)
                await proc.wait()
        log.close()


def gained_since(tmp_path: Path, since: datetime) -> datetime | None:
    """When a worker's log says it gained the sender lease (and resumed the outbox) after
    `since`, if it does yet."""
    for line in (tmp_path / "workers.log").read_text(errors="replace").splitlines():
        if "sender lease gained" in line:
            at = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
            if at > since:
                return at
    return None


async def stored_notes(url: str) -> Counter[str]:
    """How many times each note text is stored (notes rows), beside the note_messages count."""
    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction(isolation="repeatable_read"):  # one snapshot for all three
            rows = await conn.fetch("SELECT text, count(*) AS n FROM notes GROUP BY text")
            links = await conn.fetchval("SELECT count(*) FROM note_messages")
            distinct = await conn.fetchval(
                "SELECT count(*) FROM (SELECT DISTINCT chat_id, message_id FROM note_messages) m"
            )
    finally:
        await conn.close()
    got = Counter({r["text"]: int(r["n"]) for r in rows})
    assert links == distinct == got.total(), (links, distinct, got.total())
    return got


async def outbox_states(url: str, kind: str) -> Counter[str]:
    """How many outbox rows of `kind` are in each state."""
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT state FROM outbox WHERE kind = $1", kind)
    finally:
        await conn.close()
    return Counter(r["state"] for r in rows)


async def notice_states(url: str) -> dict[int, str]:
    """user_id -> the state of the change notice's outbox row."""
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT user_id, state FROM outbox WHERE kind = 'notice'")
    finally:
        await conn.close()
    return {int(r["user_id"]): r["state"] for r in rows}


def reminders(emu: BotApiEmulator, users: list[EmuUser], leg: str) -> Counter[int]:
    """How many reminders of `leg` each user got (a note's receipt names its leg too)."""
    return Counter(
        {
            u.id: sum(
                (m.text or "").startswith("⏰") and f"🤝 {leg}\n" in (m.text or "")
                for m in emu.messages(u)
            )
            for u in users
        }
    )


def notices(emu: BotApiEmulator, users: list[EmuUser]) -> Counter[int]:
    """How many change notices each user got."""
    return Counter(
        {u.id: sum((m.text or "").startswith(NOTICE) for m in emu.messages(u)) for u in users}
    )
