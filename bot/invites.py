"""Invite codes: single-use, expiring, and stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.storage import NewInvite, Role, Storage
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
    """The stored form of a code."""
    return hashlib.sha256(code.strip().encode()).hexdigest()


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
    # 96 bits, URL-safe: fits Telegram's 64-character /start payload.
    code = secrets.token_urlsafe(12)
    invite = Invite(code, trip.id, member_id, role, now + ttl)
    await storage.create_invite(
        NewInvite(hash_code(code), trip.id, member_id, role, created_by, now, now + ttl)
    )
    return invite
