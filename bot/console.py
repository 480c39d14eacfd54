"""A terminal chat with the bot, through the local Bot API emulator: rehearse the trip offline.

The bot is the real one, on the one database under BOT_DATA_DIR, on a rehearsal clock that
`:at` moves and `:speed` quickens; every timed job follows it (bot/timers.py).
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

from bot import itinerary
from bot.app import BotApp, build_application
from bot.clock import RehearsalClock, parse_instant
from bot.config import Settings
from bot.console_screen import QUIET, Screen
from bot.console_state import ConsoleState
from bot.formatting.clock import utc_offset
from bot.i18n import t
from bot.invites import issue_invite
from bot.outbox.pacer import Pacer
from bot.storage import InviteRefused, Membership, Role, Storage
from bot.trip.loader import load_trips
from bot.trip.models import Trip
from emulator import BotApiEmulator, EmuUser
from emulator.ptb import running

HELP = """Type as in Telegram (/help lists the commands). Console extras:
  1, 2, …                      press that button of the latest message with buttons
  :at 2015-05-19T10:00-03:00   move the bot's clock; what fell due meanwhile goes out
                               (if still useful; else it is recorded as missed)
  :speed 60                    the clock runs 60× (a trip hour per real minute); :speed 1
  :until 2015-05-19T18:00-03:00   wait until the clock reads that (with :speed: minutes)
  :edit N TEXT                 edit your message N (the number of the prompt you sent it at)
  :photo FILE [caption]   :doc FILE [caption]   :voice FILE   :loc LAT LON
  :quit                        leave (Ctrl-D works too)"""
FIRST_REPLY = 5.0  # seconds to wait for the bot's answer to a message
AFTER_JUMP = 1.5  # seconds to wait for what a jump of the clock sends


def default_start(trip: Trip) -> datetime:
    """A useful moment to rehearse: half an hour before the event's first leg."""
    first_day = [leg for leg in trip.legs if leg.start.date() == trip.event.start]
    legs = first_day or trip.legs
    return min(leg.start_at for leg in legs) - timedelta(minutes=30)


@dataclass
class Session:
    """One person at the console: their account, the bot, the clock and the screen."""

    emu: BotApiEmulator
    app: BotApp
    user: EmuUser
    clock: RehearsalClock
    screen: Screen
    trip_id: str
    sent: list[int]  # the message ids of this session's messages, by prompt number

    def when(self, instant: datetime | None = None) -> str:
        """An instant as the delegation's clock reads it: '05-18 08:30 UTC−3'."""
        at = instant or self.clock.now()
        zone = itinerary.position(self.app.bot_data.trips[self.trip_id], at).zone
        return f"{at.astimezone(zone):%m-%d %H:%M} {utc_offset(at, zone)}"

    def prompt(self) -> str:
        """The prompt: the number the next message will have for :edit."""
        return f"{len(self.sent) + 1}> "


async def _act(s: Session, line: str) -> str | None:
    """Do one typed line as the user would; a line for the console to print, if any."""
    if line.isdigit():
        return await _press(s, int(line))
    verb, _, rest = line.partition(" ")
    if verb.startswith(":"):
        return await _console_command(s, verb, rest.strip())
    s.sent.append(await s.emu.send_text(s.user, line))
    await s.screen.settle(FIRST_REPLY)
    return None


async def _press(s: Session, number: int) -> str | None:
    message = s.screen.pressable()
    if message is None:
        return f"no buttons to press; to note the number, send /note {number}"
    buttons = [b for row in message.buttons for b in row]
    if not 1 <= number <= len(buttons):
        return f"no button {number}: choose 1–{len(buttons)}"
    button = buttons[number - 1]
    if button.callback_data is None:
        return f"button {number} opens {button.url}" if button.url else f"button {number}: no data"
    print(f"→ {button.text}", file=s.screen.out)
    await s.emu.press(s.user, message, button.callback_data)
    await s.screen.settle(FIRST_REPLY)
    return None


async def _console_command(s: Session, verb: str, rest: str) -> str | None:
    if verb == ":at":
        s.clock.set(parse_instant(rest))
        return await _clock_moved(s, "clock set to")
    if verb == ":speed":
        speed = float(rest)
        if not 0 < speed <= 10_000:
            raise ValueError("give a speed from 1 (real time) up to 10000, e.g. :speed 60")
        s.clock.set_speed(speed)
        keep_pace(s.app.bot_data.pacer, speed)
        hour = 3600 / speed
        real = f"{hour:.3g} s" if hour < 120 else f"{hour / 60:.3g} min"
        return await _clock_moved(s, f"clock runs ×{speed:g} (a trip hour in {real}); at", wait=0.0)
    if verb == ":until":
        target = parse_instant(rest)
        left = s.clock.real_seconds(target - s.clock.now())
        if left <= 0:
            return f"the clock is past {s.when(target)} already"
        print(f"waiting {left:.0f} s for {s.when(target)} …", file=s.screen.out, flush=True)
        await asyncio.sleep(left)
        await s.screen.settle(0.0)
        return f"clock at {s.when()}"
    if verb == ":edit":
        number, _, text = rest.partition(" ")
        if not number.isdigit() or not 1 <= int(number) <= len(s.sent) or not text:
            return f"give :edit N TEXT with N from 1 to {len(s.sent)} (the prompt's number)"
        await s.emu.edit_text(s.user, s.sent[int(number) - 1], text)
        await s.screen.settle(FIRST_REPLY)
        return None
    if verb in (":photo", ":doc", ":voice", ":loc"):
        s.sent.append(await _send_media(s, verb, rest))
        await s.screen.settle(FIRST_REPLY)
        return None
    if verb in (":help", ":h"):
        return HELP
    return f"unknown console command {verb} (:help lists them)"


async def _clock_moved(s: Session, what: str, wait: float = AFTER_JUMP) -> str:
    await s.app.bot_data.timers.settled()
    # Reminders due at once go out a (paced) second apart per chat: wait for all of them.
    await s.screen.settle(wait, quiet=QUIET + s.app.bot_data.pacer.per_chat_interval)
    now = s.clock.now()
    speed = f", ×{s.clock.speed:g}" if s.clock.speed != 1 else ""
    return f"{what} {now:%Y-%m-%d %H:%M} UTC ({s.when(now)}{speed})"


def keep_pace(pacer: Pacer, speed: float) -> None:
    """At N× the clock, Telegram's limits (a message a second per chat) hold in trip time:
    two reminders due at once come a trip second apart, not a trip minute."""
    default = Pacer()
    pacer.per_second = default.per_second * speed
    pacer.per_chat_interval = default.per_chat_interval / speed


def _read(name: str) -> bytes:
    return Path(name).expanduser().read_bytes()


async def _send_media(s: Session, verb: str, rest: str) -> int:
    if verb == ":loc":
        lat, lon = (float(x) for x in rest.split())
        return await s.emu.send_location(s.user, lat, lon)
    name, _, caption = rest.partition(" ")
    data = await asyncio.to_thread(_read, name)
    if verb == ":photo":
        return await s.emu.send_photo(s.user, data, caption=caption or None)
    if verb == ":doc":
        return await s.emu.send_document(
            s.user, data, file_name=Path(name).name, caption=caption or None
        )
    return await s.emu.send_voice(s.user, data, duration=max(1, len(data) // 4000))


async def run_console(
    settings: Settings,
    *,
    trip_id: str | None = None,
    member: str | None = None,
    role: str | None = None,
    at: str | None = None,
    code: str | None = None,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
) -> int:
    """Run the bot against an in-process emulator and chat with it on the terminal."""
    trips = load_trips(settings.content_dir)
    if trip_id and trip_id not in trips:
        print(f"--trip: no trip {trip_id!r} (trips: {', '.join(sorted(trips))})", file=out)
        return 2
    trip = trips[trip_id] if trip_id else trips[sorted(trips)[0]]
    if member and member not in trip.members_by_id:
        ids = ", ".join(m.id for m in trip.members)
        print(f"--as: no member {member!r} in {trip.id} (members: {ids})", file=out)
        return 2
    person = trip.members_by_id[member] if member else trip.members[0]
    chosen: Role = "delegate" if role == "delegate" else "coordinator"
    try:
        start = parse_instant(at) if at else settings.clock_start or default_start(trip)
    except ValueError as exc:
        print(f"--at: {exc}", file=out)
        return 2
    clock = RehearsalClock(start)
    folder = settings.data_dir / "console"
    _log_to(folder / "bot.log", settings.log_level)
    saved = ConsoleState.load(folder / "emulator.json")
    # The account joins before the bot starts, so that what falls due at once reaches it.
    joined = await _join(settings, saved, trip, person.id, chosen, code, clock.now())
    if isinstance(joined, str):
        print(joined, file=out)
        return 2
    trip = trips[joined.trip_id]
    person = trip.members_by_id[joined.member_id]
    async with BotApiEmulator(bot_username="delegation_console_bot", now=clock.now) as emu:
        saved.resume(emu)
        user = emu.state.users[joined.user_id]
        local = replace(settings, base_url=emu.base_url, base_file_url=emu.base_file_url)
        app = build_application(local, trips=trips, clock=clock)
        screen = Screen(emu, user.chat_id, out, folder / "files", lambda at: s.when(at))
        s = Session(emu, app, user, clock, screen, trip.id, [])
        print(
            f"Console: {trip.title.zh} — as {person.name.zh} ({person.id}), "
            f"{joined.role}; clock at {start:%Y-%m-%d %H:%M} UTC ({s.when(start)}).\n"
            f"Data: {settings.data_dir} (BOT_DATA_DIR), shared with run, invite and "
            f"report; files the bot sends are saved in {folder / 'files'}; its log is "
            f"{folder / 'bot.log'}.\n{HELP}",
            file=out,
        )
        async with running(app, poll_timeout=10):
            printer = asyncio.create_task(screen.run())
            try:
                screen.replay(saved.missed(emu, user.id))
                await _act(s, "/start")
                return await _loop(s, stdin)
            finally:
                printer.cancel()
                saved.keep_away(emu, user.id)
                saved.save(emu)


def _log_to(path: Path, level: str) -> None:
    """The bot's log goes to a file: the terminal is the chat."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "apscheduler", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


async def _join(
    settings: Settings,
    saved: ConsoleState,
    trip: Trip,
    member_id: str,
    role: Role,
    code: str | None,
    now: datetime,
) -> Membership | str:
    """Admit the console's account with `code`, or with a fresh invite for the member; the
    membership, or why the code was refused."""
    storage = await Storage.open(settings.db_path, settings.database_url)
    try:
        if code is None:
            user_id = saved.account_id(trip.id, member_id) or saved.new_id()
            revoked = await storage.revoked_at(user_id)
            if revoked is not None:  # a coordinator's /revoke holds in the console too
                return (
                    f"--as: {member_id}'s console account was revoked at {revoked:%Y-%m-%d %H:%M}"
                    f" UTC. To rehearse as them again, issue an invite (python -m bot invite"
                    f" --trip {trip.id} --member {member_id} --role {role}), then pass it with"
                    " --code."
                )
            current = await storage.membership(user_id)
            if current is not None and (current.trip_id, current.member_id, current.role) == (
                trip.id,
                member_id,
                role,
            ):  # a later session of the same rehearsal: in already
                return current
            code = (
                await issue_invite(
                    storage,
                    trip,
                    member_id,
                    role,
                    created_by="console",
                    now=now,
                    ttl=timedelta(hours=1),
                )
            ).code
        else:
            user_id = saved.new_id()
        result = await storage.redeem_code(
            code, user_id=user_id, chat_id=user_id, lang="zh", name="console", now=now
        )
    finally:
        await storage.close()
    if isinstance(result, InviteRefused):
        key = "invite_refused" if result.is_bad_code else f"invite_{result.value}"
        return f"--code: {t('en', key)}"
    saved.remember(result.trip_id, result.member_id, user_id, result.member_id)
    return result


async def _loop(s: Session, stdin: TextIO) -> int:
    out = s.screen.out
    while True:
        s.screen.prompt = s.prompt()
        print(f"\n{s.screen.prompt}", end="", file=out, flush=True)
        line = await asyncio.to_thread(stdin.readline)
        s.screen.prompt = None
        if not line or line.strip() in (":quit", ":q"):
            # What is on its way (paced a second apart per chat) is shown before leaving.
            paced = QUIET + s.app.bot_data.pacer.per_chat_interval
            await s.screen.settle(paced, quiet=paced)
            print(file=out)
            return 0
        line = re.sub(r"\s+", " ", line.strip())
        if not line:
            continue
        try:
            note = await _act(s, line)
        except (OSError, ValueError, LookupError) as exc:
            note = f"cannot do that: {exc}"
        if note:
            print(note, file=out)
