"""Accounts, roles, languages and invites."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Literal

from bot.storage.db import Database, Row, Tx, from_db, to_db

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
    """Why a code was not accepted (the first three get the same answer: guessers learn nothing)."""

    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    ALREADY_IN = "already_in"  # the member's own code, and they are in with that role
    OTHER_MEMBER = "other_member"  # an account of one member sent another member's code
    LAST_COORDINATOR = "last_coordinator"  # it would leave the trip without a coordinator

    @property
    def is_bad_code(self) -> bool:
        """Unknown, used or expired: a failed attempt, counted by the throttle."""
        return self in (InviteRefused.UNKNOWN, InviteRefused.USED, InviteRefused.EXPIRED)


KEY_FILE = "invite.key"


def legacy_hash(code: str) -> str:
    """The unkeyed SHA-256 of a code, as invites made before keyed hashes were stored."""
    return hashlib.sha256(code.strip().encode()).hexdigest()


def keyed_hash(code: str, key: bytes) -> str:
    """The stored form of a code: HMAC-SHA-256 with the data directory's secret."""
    return hmac.new(key, code.strip().encode(), hashlib.sha256).hexdigest()


def load_key(data_dir: Path) -> bytes:
    """The secret of the data directory's invite hashes, made (mode 0600) on first use."""
    path = data_dir / KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    key = secrets.token_bytes(32)
    with os.fdopen(fd, "wb") as out:
        out.write(key)
    return key


def _membership(row: Row) -> Membership:
    return Membership(
        user_id=row["user_id"],
        chat_id=row["chat_id"],
        trip_id=row["trip_id"],
        member_id=row["member_id"],
        role=row["role"],
        lang=row["lang"],
        name=row["name"],
        joined_at=from_db(row["joined_at"]),
    )


class AccessStore:
    """Storage methods for who may use the bot."""

    db: Database
    # Every update asks who its sender is. On SQLite this process is the only writer of `users`
    # (the run lock), so a cache filled on read and dropped on every write to that account
    # stays exact; on PostgreSQL other workers write too, and nothing is cached.
    _members: dict[int, Membership | None]
    _invite_key: bytes

    def invite_hash(self, code: str) -> str:
        """How a new invite's code is stored: keyed with the data directory's secret."""
        return keyed_hash(code, self._invite_key)

    async def redeem_code(
        self,
        code: str,
        *,
        user_id: int,
        chat_id: int,
        lang: Literal["zh", "en"],
        name: str,
        now: datetime,
    ) -> Membership | InviteRefused:
        """`redeem_invite` for a code as typed: its keyed hash, or its old unkeyed one."""
        return await self.redeem_invite(
            self.invite_hash(code),
            legacy=legacy_hash(code),
            user_id=user_id,
            chat_id=chat_id,
            lang=lang,
            name=name,
            now=now,
        )

    async def create_invite(self, invite: NewInvite) -> None:
        """Record a new invite by the hash of its code."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO invites (code_hash, trip_id, member_id, role, created_by, created_at,"
                " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    invite.code_hash,
                    invite.trip_id,
                    invite.member_id,
                    invite.role,
                    invite.created_by,
                    to_db(invite.created_at),
                    to_db(invite.expires_at),
                ),
            )

    async def redeem_invite(
        self,
        code_hash: str,
        *,
        legacy: str | None = None,
        user_id: int,
        chat_id: int,
        lang: Literal["zh", "en"],
        name: str,
        now: datetime,
    ) -> Membership | InviteRefused:
        """Use an invite once: admit the account, or say why not. Atomic.

        A role changes only on purpose: an account that is in already may use only its own
        member's code, and only to take the role the code gives; the trip keeps a coordinator.
        A refused code stays unused. `legacy` is the code's unkeyed hash, for older invites."""
        async with self.db.transaction() as conn:
            async with conn.execute(
                "SELECT * FROM invites WHERE code_hash = ? OR (legacy = 1 AND code_hash = ?)",
                (code_hash, legacy or code_hash),
            ) as cur:
                invite = await cur.fetchone()
            if invite is None:
                return InviteRefused.UNKNOWN
            if invite["used_at"] is not None:
                return InviteRefused.USED
            if from_db(invite["expires_at"]) <= now:
                return InviteRefused.EXPIRED
            async with conn.execute(
                "SELECT * FROM users WHERE user_id = ? AND revoked_at IS NULL", (user_id,)
            ) as cur:
                current = await cur.fetchone()
            if current is not None:
                if (current["trip_id"], current["member_id"]) != (
                    invite["trip_id"],
                    invite["member_id"],
                ):
                    return InviteRefused.OTHER_MEMBER
                if current["role"] == invite["role"]:
                    return InviteRefused.ALREADY_IN
                if current["role"] == "coordinator" and not await _other_coordinators(
                    conn, current["trip_id"], current["member_id"]
                ):
                    return InviteRefused.LAST_COORDINATOR
            # An account belongs to one trip: joining again replaces the old membership.
            await conn.execute(
                "INSERT INTO users (user_id, chat_id, trip_id, member_id, role, lang, name,"
                " joined_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET chat_id = excluded.chat_id,"
                " trip_id = excluded.trip_id, member_id = excluded.member_id,"
                " role = excluded.role, name = excluded.name, joined_at = excluded.joined_at,"
                " revoked_at = NULL, blocked_at = NULL",
                (
                    user_id,
                    chat_id,
                    invite["trip_id"],
                    invite["member_id"],
                    invite["role"],
                    lang,
                    name,
                    to_db(now),
                ),
            )
            await conn.execute(
                "UPDATE invites SET used_at = ?, used_by = ? WHERE code_hash = ?",
                (to_db(now), user_id, invite["code_hash"]),
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
        async with self.db.execute(
            "SELECT * FROM users WHERE user_id = ? AND revoked_at IS NULL", (user_id,)
        ) as cur:
            row = await cur.fetchone()
        found = _membership(row) if row else None
        if self.db.kind == "sqlite":  # on a shared server another worker may revoke it
            self._members[user_id] = found
        return found

    async def revoked_at(self, user_id: int) -> datetime | None:
        """When the account's membership was revoked, or None if it is active or unknown."""
        async with self.db.execute(
            "SELECT revoked_at FROM users WHERE user_id = ?", (user_id,)
        ) as cur:
            row = await cur.fetchone()
        return from_db(row[0]) if row and row[0] is not None else None

    async def set_language(self, user_id: int, lang: Literal["zh", "en"]) -> None:
        """Remember the account's reply language."""
        async with self.db.transaction() as conn:
            await conn.execute("UPDATE users SET lang = ? WHERE user_id = ?", (lang, user_id))
        self._members.pop(user_id, None)

    async def trip_members(self, trip_id: str) -> list[Membership]:
        """Every active account of a trip, coordinators first."""
        async with self.db.execute(
            "SELECT * FROM users WHERE trip_id = ? AND revoked_at IS NULL"
            " ORDER BY role = 'delegate', member_id, joined_at",
            (trip_id,),
        ) as cur:
            return [_membership(row) for row in await cur.fetchall()]

    async def revoke_member(
        self, trip_id: str, member_id: str, now: datetime
    ) -> list[Membership] | None:
        """Take access away from every account of a member, and unused invites for them; None
        (and nothing changed) if that would leave the trip without a coordinator."""
        async with self.db.transaction() as conn:
            async with conn.execute(
                "SELECT * FROM users WHERE trip_id = ? AND member_id = ? AND revoked_at IS NULL",
                (trip_id, member_id),
            ) as cur:
                gone = [_membership(row) for row in await cur.fetchall()]
            if any(m.is_coordinator for m in gone) and not await _other_coordinators(
                conn, trip_id, member_id
            ):
                return None
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


async def _other_coordinators(conn: Tx, trip_id: str, member_id: str) -> int:
    """Active coordinator accounts of the trip that belong to another member."""
    async with conn.execute(
        "SELECT COUNT(*) FROM users WHERE trip_id = ? AND member_id != ? AND role = 'coordinator'"
        " AND revoked_at IS NULL",
        (trip_id, member_id),
    ) as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0
