"""A terminal chat with the bot, through the local Bot API emulator: try every command offline."""

from __future__ import annotations

import asyncio
import re
import sys
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

from bot.clock import RehearsalClock, parse_instant
from bot.config import Settings
from bot.emulator import BotApiEmulator, BotMessage, EmuUser
from bot.emulator.ptb import running
from bot.invites import issue_invite
from bot.storage import Role
from bot.trip.loader import load_trips
from bot.trip.models import Trip

HELP = """Type commands as in Telegram (/help lists them). Console extras:
  1, 2, …              press a button of the last message
  :at 2015-05-19T10:00-03:00   move the bot's clock
  :photo FILE [caption]   :doc FILE   :voice FILE   :loc LAT LON
  :quit                 leave (Ctrl-D works too)"""


def default_start(trip: Trip) -> datetime:
    """A useful moment to rehearse: half an hour before the event's first leg."""
    first_day = [leg for leg in trip.legs if leg.start.date() == trip.event.start]
    legs = first_day or trip.legs
    return min(leg.start_at for leg in legs) - timedelta(minutes=30)


def show(message: BotMessage, out: TextIO) -> None:
    """Print one bot message with its buttons numbered."""
    body = message.text or message.caption or ""
    if message.document is not None:
        size = len(message.document.data or b"")
        body = f"[file {message.document.file_name}, {size} bytes] {body}"
    print(f"\n🤖 {body}", file=out)
    labels = message.button_texts()
    if labels:
        print("   " + "  ".join(f"[{i}] {label}" for i, label in enumerate(labels, 1)), file=out)


async def _replies(emu: BotApiEmulator, user: EmuUser, out: TextIO) -> BotMessage | None:
    """Print what the bot sends until it has been quiet for a moment."""
    last = None
    timeout = 5.0
    while True:
        try:
            last = await emu.wait_for(user, timeout=timeout)
        except TimeoutError:
            return last
        show(last, out)
        timeout = 0.4


def _read(name: str) -> bytes:
    return Path(name).expanduser().read_bytes()


async def _act(emu: BotApiEmulator, user: EmuUser, line: str, last: BotMessage | None,
               clock: RehearsalClock) -> str | None:  # fmt: skip
    """Send one typed line as the user; returns a note for the console, if any."""
    if line.isdigit() and last is not None and last.button_texts():
        labels = last.button_texts()
        index = int(line) - 1
        if not 0 <= index < len(labels):
            return f"no button {line}: choose 1–{len(labels)}"
        await emu.press(user, last, labels[index])
        return None
    verb, _, rest = line.partition(" ")
    if verb == ":at":
        clock.set(parse_instant(rest))
        return f"clock set to {clock.now():%Y-%m-%d %H:%M} UTC"
    if verb in (":photo", ":doc", ":voice"):
        name, _, caption = rest.strip().partition(" ")
        data = await asyncio.to_thread(_read, name)
        if verb == ":photo":
            await emu.send_photo(user, data, caption=caption or None)
        elif verb == ":doc":
            await emu.send_document(user, data, file_name=Path(name).name, caption=caption or None)
        else:
            await emu.send_voice(user, data, duration=max(1, len(data) // 4000))
        return None
    if verb == ":loc":
        lat, lon = (float(x) for x in rest.split())
        await emu.send_location(user, lat, lon)
        return None
    await emu.send_text(user, line)
    return None


async def run_console(
    settings: Settings,
    *,
    trip_id: str | None = None,
    member: str | None = None,
    role: str | None = None,
    at: str | None = None,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
) -> int:
    """Run the bot against an in-process emulator and chat with it on the terminal."""
    trips = load_trips(settings.content_dir)
    trip = trips[trip_id] if trip_id else trips[sorted(trips)[0]]
    person = trip.members_by_id[member] if member else trip.members[0]
    chosen: Role = "delegate" if role == "delegate" else "coordinator"
    start = parse_instant(at) if at else settings.clock_start or default_start(trip)
    clock = RehearsalClock(start)
    emu = BotApiEmulator(bot_username="delegation_console_bot", now=clock.now)
    from bot.app import build_application

    async with emu:
        local = replace(settings, base_url=emu.base_url, base_file_url=emu.base_file_url,
                        data_dir=settings.data_dir / "console")  # fmt: skip
        app = build_application(local, trips=trips, clock=clock)
        async with running(app, poll_timeout=10):
            user = emu.user(first_name=person.name.get("en"), language_code="zh-hant")
            invite = await issue_invite(
                app.bot_data.storage, trip, person.id, chosen, created_by="console",
                now=clock.now(), ttl=timedelta(hours=1),
            )  # fmt: skip
            print(f"Console: {trip.title.zh} — as {person.name.zh} ({person.id}), {chosen}; "
                  f"clock at {start:%Y-%m-%d %H:%M} UTC.\n{HELP}", file=out)  # fmt: skip
            await emu.send_text(user, f"/start {invite.code}")
            last = await _replies(emu, user, out)
            while True:
                print("\n> ", end="", file=out, flush=True)
                line = await asyncio.to_thread(stdin.readline)
                if not line or line.strip() in (":quit", ":q"):
                    print(file=out)
                    return 0
                line = re.sub(r"\s+", " ", line.strip())
                if not line:
                    continue
                try:
                    note = await _act(emu, user, line, last, clock)
                except (OSError, ValueError) as exc:
                    note = f"cannot do that: {exc}"
                if note:
                    print(note, file=out)
                    continue
                last = await _replies(emu, user, out) or last
