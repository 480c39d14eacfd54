"""Invite codes: single-use, expiring, stored only as a keyed hash; guessing is throttled."""

from __future__ import annotations

import secrets
import string
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.storage import NewInvite, Role, Storage
from bot.storage.access import legacy_hash
from bot.trip.models import Trip


class InviteError(ValueError):
    """The invite cannot be made; the message says which argument is wrong."""


@dataclass(frozen=True)
class Invite:
    """A fresh invite: the code to hand over, and what it admits."""

    code: str
    trip_id: str
    member_id: str
    role: Role
    expires_at: datetime

    def link(self, bot_username: str) -> str:
        """The t.me deep link that opens the bot with this code."""
        return f"https://t.me/{bot_username}?start={self.code}"


def hash_code(code: str) -> str:
    """A code's unkeyed SHA-256, the form invites had before keyed hashes (still honoured)."""
    return legacy_hash(code)


def start_code(text: str | None, bot_username: str) -> str | None:
    """The code of an exact `/start CODE` or `/start@<this bot> CODE`; None for anything else
    (whitespace, `/startx`, another bot's `/start`, a missing or extra argument)."""
    parts = (text or "").split()
    if len(parts) != 2:
        return None
    command, code = parts
    own = f"/start@{bot_username}".lower() if bot_username else "/start"
    return code if command == "/start" or command.lower() == own else None


@dataclass
class Throttle:
    """Attempts with a code per key (account, chat): `limit` within `window`, then a cool-down.

    An attempt is counted before the code is looked up, so a burst handled concurrently is held
    to the limit too; a code that works clears the count."""

    limit: int = 5
    window: timedelta = timedelta(minutes=1)
    cool_down: timedelta = timedelta(minutes=10)
    _attempts: dict[object, deque[datetime]] = field(default_factory=dict)
    _blocked_until: dict[object, datetime] = field(default_factory=dict)

    def attempt(self, keys: tuple[object, ...], now: datetime) -> str:
        """Count an attempt: "ok" to look the code up, "cooling" if this one began a cool-down
        (say so, once), "blocked" while one lasts (say nothing)."""
        if any(self._blocked_until.get(k, now) > now for k in keys):
            return "blocked"
        if len(self._attempts) + len(self._blocked_until) > 10_000:
            self._forget(now)  # many accounts guessing: keep only what still counts
        verdict = "ok"
        for key in keys:
            times = self._attempts.setdefault(key, deque())
            while times and times[0] <= now - self.window:
                times.popleft()
            times.append(now)
            if len(times) > self.limit:
                self._blocked_until[key] = now + self.cool_down
                times.clear()
                verdict = "cooling"
        return verdict

    def _forget(self, now: datetime) -> None:
        self._attempts = {
            k: v for k, v in self._attempts.items() if v and v[-1] > now - self.window
        }
        self._blocked_until = {k: v for k, v in self._blocked_until.items() if v > now}

    def forgive(self, keys: tuple[object, ...]) -> None:
        """A code worked: forget the attempts."""
        for key in keys:
            self._attempts.pop(key, None)


async def issue_invite(
    storage: Storage,
    trip: Trip,
    member_id: str,
    role: Role,
    *,
    created_by: str,
    now: datetime,
    ttl: timedelta,
) -> Invite:
    """Make and record an invite for a member of the trip."""
    if member_id not in trip.members_by_id:
        known = ", ".join(m.id for m in trip.members)
        raise InviteError(f"member {member_id!r} is not in trip {trip.id!r} (members: {known})")
    if role not in ("delegate", "coordinator"):
        raise InviteError(f"role must be delegate or coordinator, not {role!r}")
    # 96 bits, URL-safe: fits Telegram's 64-character /start payload. A letter or digit in
    # front (about 6 bits more), so that no code starts with "-" and reads as an option.
    code = secrets.choice(string.ascii_letters + string.digits) + secrets.token_urlsafe(12)
    invite = Invite(code, trip.id, member_id, role, now + ttl)
    await storage.create_invite(
        NewInvite(storage.invite_hash(code), trip.id, member_id, role, created_by, now, now + ttl)
    )
    return invite
