"""End-to-end harness: the real Application, polling the project's Bot API emulator over HTTP."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import BotApp, build_application
from bot.clock import ManualClock
from bot.config import Settings
from bot.invites import issue_invite
from bot.storage import Role
from bot.trip.loader import load_trip
from bot.trip.models import Trip
from bot.web.run import serving
from bot.web.server import HttpServer
from emulator import BotApiEmulator, BotMessage, EmuUser
from emulator.ptb import running
from tests import dbs

ROOT = Path(__file__).resolve().parent.parent
TRIP_DIRS = {
    "metropolis-2015": ROOT / "content" / "metropolis-2015",
    "smart-city-2015": ROOT / "tests" / "fixtures" / "trips" / "smart-city-2015",
    "brussels-2024": ROOT / "tests" / "fixtures" / "trips" / "brussels-2024",
}


@dataclass
class Harness:
    """A running bot, its emulator and its clock."""

    emu: BotApiEmulator
    app: BotApp
    clock: ManualClock
    trips: dict[str, Trip]
    server: HttpServer | None = None

    @property
    def http(self) -> str:
        """The bot's HTTP server, e.g. http://127.0.0.1:PORT."""
        assert self.server is not None and self.server.port is not None
        return f"http://127.0.0.1:{self.server.port}"

    def user(self, name: str, language_code: str = "zh-hant") -> EmuUser:
        """A Telegram user who has not joined anything (Chinese client unless told)."""
        return self.emu.user(first_name=name, language_code=language_code)

    async def invite(self, trip_id: str, member_id: str, role: Role = "delegate") -> str:
        """A fresh invite code, as a coordinator would make."""
        invite = await issue_invite(
            self.app.bot_data.storage,
            self.trips[trip_id],
            member_id,
            role,
            created_by="test",
            now=self.clock.now(),
            ttl=timedelta(hours=72),
        )
        return invite.code

    async def join(
        self,
        member_id: str,
        role: Role = "delegate",
        *,
        trip_id: str = "metropolis-2015",
        language_code: str = "zh-hant",
    ) -> EmuUser:
        """A Telegram user who joined the trip with a valid code."""
        user = self.user(member_id, language_code)
        await self.emu.send_text(user, f"/start {await self.invite(trip_id, member_id, role)}")
        welcome = await self.emu.wait_for(user)
        assert "/help" in welcome.text or "/itinerary" in welcome.text, welcome.text
        return user

    async def ask(self, user: EmuUser, text: str, wait: float = 5.0) -> BotMessage:
        """Send a message and return the bot's next reply to that chat."""
        await self.emu.send_text(user, text)
        return await self.emu.wait_for(user, timeout=wait)

    async def ask_all(self, user: EmuUser, text: str, quiet: float = 0.5) -> list[BotMessage]:
        """Send a message and collect every reply until the bot has been quiet for `quiet` s."""
        replies = [await self.ask(user, text)]
        while True:
            try:
                replies.append(await self.emu.wait_for(user, timeout=quiet))
            except TimeoutError:
                return replies


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def http_settings(webhook: bool, port: int | None = None) -> dict[str, Any]:
    """Settings of the bot's HTTP server on a free port, by webhook or beside polling."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}/telegram" if webhook else None
    return {"http_port": port, "webhook_url": url, "api_probe_s": 0.5}


@asynccontextmanager
async def bot_harness(
    tmp_path: Path,
    now: datetime,
    trip_ids: tuple[str, ...] = ("metropolis-2015",),
    *,
    mode: str = "polling",
    pack_on_publish: bool = False,
    tells_timers: bool = False,
) -> AsyncIterator[Harness]:
    """Start an emulator and the real bot against it; stop both at the end. `mode`: "polling",
    "webhook", or "polling+http" (polling with the HTTP server beside it). Packs are rebuilt on
    publish only when a test asks (`pack_on_publish`): LibreOffice would slow every other test
    and add a notice to every change's messages. With `tells_timers` a move of the clock runs
    the timed jobs due by then (re-sends, reminders, briefings)."""
    clock = ManualClock(now, tells_timers=tells_timers)
    trips = {tid: load_trip(TRIP_DIRS[tid]) for tid in trip_ids}
    async with BotApiEmulator(bot_username="delegation_test_bot", now=clock.now) as emu:
        http = http_settings(mode == "webhook") if mode != "polling" else {}
        settings = Settings(
            base_url=emu.base_url,
            base_file_url=emu.base_file_url,
            data_dir=tmp_path / "data",
            database_url=dbs.database_url(tmp_path / "data"),
            content_dir=ROOT / "content",
            pack_on_publish=pack_on_publish,
            **http,
        )
        app = build_application(settings, trips=trips, clock=clock)
        if mode == "polling":
            async with running(app, poll_timeout=1.0):
                yield Harness(emu, app, clock, trips)
            return
        assert app.bot_data.metrics is not None
        async with serving(app, settings, app.bot_data.metrics) as server:
            yield Harness(emu, app, clock, trips, server)


async def until(check: Callable[[], Any], within: float, what: str) -> float:
    """Await until `check()` (sync or async) is true, looking every 0.05 s; the seconds it took."""
    began = time.monotonic()
    while True:
        got = check()
        if asyncio.iscoroutine(got):
            got = await got
        if got:
            return time.monotonic() - began
        assert time.monotonic() - began < within, f"not within {within} s: {what}"
        await asyncio.sleep(0.05)
