"""Accounts, roles, languages and invites."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal

import aiosqlite

from bot.storage.db import Database, from_db, to_db

Role = Literal["delegate", "coordinator"]
ROLES: tuple[Role, ...] = ("delegate", "coordinator")


@dataclass(frozen=True)
class Membership:
    """A Telegram account admitted to one trip as one member, with a role and a language."""

    user_id: int
    chat_id: int
    trip_id: str
    member_id: str
    role: Role
    lang: Literal["zh", "en"]
    name: str
    joined_at: datetime

    @property
    def is_coordinator(self) -> bool:
        """Whether this account may change the trip."""
        return self.role == "coordinator"


@dataclass(frozen=True)
class NewInvite:
    """What an invite records; the code itself is never stored."""

    code_hash: str
    trip_id: str
    member_id: str
    role: Role
    created_by: str
    created_at: datetime
    expires_at: datetime


class InviteRefused(StrEnum):
    """Why a code was not accepted."""

    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


def _membership(row: aiosqlite.Row) -> Membership:
    return Membership(
        user_id=row["user_id"], chat_id=row["chat_id"], trip_id=row["trip_id"],
        member_id=row["member_id"], role=row["role"], lang=row["lang"], name=row["name"],
        joined_at=from_db(row["joined_at"]),
    )  # fmt: skip


class AccessStore:
    """Storage methods for who may use the bot."""

    db: Database
    # Every update asks who its sender is; this process is the only writer of `users`, so a
    # cache filled on read and dropped on every write to that account stays exact.
    _members: dict[int, Membership | None]

    async def create_invite(self, invite: NewInvite) -> None:
        """Record a new invite by the hash of its code."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO invites (code_hash, trip_id, member_id, role, created_by, created_at,"
                " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (invite.code_hash, invite.trip_id, invite.member_id, invite.role,
                 invite.created_by, to_db(invite.created_at), to_db(invite.expires_at)),
            )  # fmt: skip

    async def redeem_invite(
        self,
        code_hash: str,
        *,
        user_id: int,
        chat_id: int,
        lang: Literal["zh", "en"],
        name: str,
        now: datetime,
    ) -> Membership | InviteRefused:
        """Use an invite once: admit the account, or say why not. Atomic."""
        async with self.db.transaction() as conn:
            async with conn.execute(
                "SELECT * FROM invites WHERE code_hash = ?", (code_hash,)
            ) as cur:
                invite = await cur.fetchone()
            if invite is None:
                return InviteRefused.UNKNOWN
            if invite["used_at"] is not None:
                return InviteRefused.USED
            if from_db(invite["expires_at"]) <= now:
                return InviteRefused.EXPIRED
            # An account belongs to one trip: joining again replaces the old membership.
            await conn.execute(
                "INSERT INTO users (user_id, chat_id, trip_id, member_id, role, lang, name,"
                " joined_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET chat_id = excluded.chat_id,"
                " trip_id = excluded.trip_id, member_id = excluded.member_id,"
                " role = excluded.role, name = excluded.name, joined_at = excluded.joined_at,"
                " revoked_at = NULL, blocked_at = NULL",
                (user_id, chat_id, invite["trip_id"], invite["member_id"], invite["role"], lang,
                 name, to_db(now)),
            )  # fmt: skip
            await conn.execute(
                "UPDATE invites SET used_at = ?, used_by = ? WHERE code_hash = ?",
                (to_db(now), user_id, code_hash),
            )
            async with conn.execute("SELECT * FROM users WHERE user_id = ?", (user_id,)) as cur:
                row = await cur.fetchone()
        self._members.pop(user_id, None)
        assert row is not None
        return _membership(row)

    async def membership(self, user_id: int) -> Membership | None:
        """The account's current membership, or None if unknown or revoked."""
        if user_id in self._members:
            return self._members[user_id]
        async with self.db.conn.execute(
            "SELECT * FROM users WHERE user_id = ? AND revoked_at IS NULL", (user_id,)
        ) as cur:
            row = await cur.fetchone()
        found = self._members[user_id] = _membership(row) if row else None
        return found

    async def set_language(self, user_id: int, lang: Literal["zh", "en"]) -> None:
        """Remember the account's reply language."""
        async with self.db.transaction() as conn:
            await conn.execute("UPDATE users SET lang = ? WHERE user_id = ?", (lang, user_id))
        self._members.pop(user_id, None)

    async def trip_members(self, trip_id: str) -> list[Membership]:
        """Every active account of a trip, coordinators first."""
        async with self.db.conn.execute(
            "SELECT * FROM users WHERE trip_id = ? AND revoked_at IS NULL"
            " ORDER BY role = 'delegate', member_id, joined_at",
            (trip_id,),
        ) as cur:
            return [_membership(row) for row in await cur.fetchall()]

    async def revoke_member(self, trip_id: str, member_id: str, now: datetime) -> list[Membership]:
        """Take access away from every account of a member, and unused invites for them."""
        async with self.db.transaction() as conn:
            async with conn.execute(
                "SELECT * FROM users WHERE trip_id = ? AND member_id = ? AND revoked_at IS NULL",
                (trip_id, member_id),
            ) as cur:
                gone = [_membership(row) for row in await cur.fetchall()]
            await conn.execute(
                "UPDATE users SET revoked_at = ? WHERE trip_id = ? AND member_id = ?"
                " AND revoked_at IS NULL",
                (to_db(now), trip_id, member_id),
            )
            await conn.execute(
                "UPDATE invites SET expires_at = ? WHERE trip_id = ? AND member_id = ?"
                " AND used_at IS NULL AND expires_at > ?",
                (to_db(now), trip_id, member_id, to_db(now)),
            )
        for account in gone:
            self._members.pop(account.user_id, None)
        return gone

    async def mark_blocked(self, chat_id: int, now: datetime) -> None:
        """Note that the account blocked the bot (Telegram answered 403)."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE users SET blocked_at = ? WHERE chat_id = ?", (to_db(now), chat_id)
            )
