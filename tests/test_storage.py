"""Storage: migrations, WAL, invites redeemed once, revocation."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosqlite
import pytest

from bot.storage import InviteRefused, NewInvite, Storage
from bot.storage.db import Tx
from bot.storage.migrations import MIGRATIONS

NOW = datetime(2015, 5, 10, 1, 0, tzinfo=UTC)


def _invite(code_hash: str = "h1", role: str = "delegate", ttl: float = 72) -> NewInvite:
    return NewInvite(
        code_hash,
        "metropolis-2015",
        "tsao",
        role,
        "shell",
        NOW,  # type: ignore[arg-type]
        NOW + timedelta(hours=ttl),
    )


@pytest.mark.sqlite_only
async def test_schema_is_migrated_with_wal_and_foreign_keys(storage: Storage) -> None:
    conn = storage.db
    assert (await (await conn.execute("PRAGMA user_version")).fetchone())[0] == len(MIGRATIONS)
    assert (await (await conn.execute("PRAGMA journal_mode")).fetchone())[0] == "wal"
    assert (await (await conn.execute("PRAGMA foreign_keys")).fetchone())[0] == 1


async def test_reopening_keeps_data_and_does_not_migrate_twice(tmp_path: Path) -> None:
    store = await Storage.open(tmp_path / "db.sqlite3")
    await store.create_invite(_invite())
    await store.close()
    store = await Storage.open(tmp_path / "db.sqlite3")
    got = await store.redeem_invite("h1", user_id=7, chat_id=7, lang="zh", name="K", now=NOW)
    assert not isinstance(got, InviteRefused) and got.member_id == "tsao"
    await store.close()


@pytest.mark.sqlite_only
async def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    async with aiosqlite.connect(path) as conn:
        await conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(RuntimeError, match="newer than this bot"):
        await Storage.open(path)


async def test_invite_is_single_use(storage: Storage) -> None:
    await storage.create_invite(_invite())
    first = await storage.redeem_invite("h1", user_id=1, chat_id=1, lang="zh", name="A", now=NOW)
    assert not isinstance(first, InviteRefused)
    assert first.role == "delegate" and first.trip_id == "metropolis-2015"
    again = await storage.redeem_invite("h1", user_id=2, chat_id=2, lang="en", name="B", now=NOW)
    assert again is InviteRefused.USED
    assert await storage.membership(2) is None


async def test_expired_and_unknown_codes_are_refused(storage: Storage) -> None:
    await storage.create_invite(_invite(ttl=1))
    later = NOW + timedelta(hours=1)
    got = await storage.redeem_invite("h1", user_id=1, chat_id=1, lang="zh", name="A", now=later)
    assert got is InviteRefused.EXPIRED
    got = await storage.redeem_invite("nope", user_id=1, chat_id=1, lang="zh", name="A", now=NOW)
    assert got is InviteRefused.UNKNOWN


async def test_revoke_removes_access_and_pending_invites(storage: Storage) -> None:
    await storage.create_invite(_invite("h1"))
    await storage.create_invite(_invite("h2"))
    await storage.redeem_invite("h1", user_id=1, chat_id=1, lang="zh", name="A", now=NOW)
    assert await storage.membership(1) is not None  # now cached
    gone = await storage.revoke_member("metropolis-2015", "tsao", NOW)
    assert [m.user_id for m in gone] == [1]
    assert await storage.membership(1) is None
    got = await storage.redeem_invite("h2", user_id=1, chat_id=1, lang="zh", name="A", now=NOW)
    assert got is InviteRefused.EXPIRED


async def test_language_and_member_listing(storage: Storage) -> None:
    await storage.create_invite(_invite("h1", role="coordinator"))
    await storage.create_invite(_invite("h2"))
    await storage.redeem_invite("h2", user_id=2, chat_id=2, lang="zh", name="B", now=NOW)
    await storage.redeem_invite("h1", user_id=1, chat_id=1, lang="zh", name="A", now=NOW)
    assert (await storage.membership(2)).lang == "zh"  # type: ignore[union-attr]
    await storage.set_language(2, "en")
    assert (await storage.membership(2)).lang == "en"  # type: ignore[union-attr]
    members = await storage.trip_members("metropolis-2015")
    assert [(m.user_id, m.role, m.lang) for m in members] == [
        (1, "coordinator", "zh"),
        (2, "delegate", "en"),
    ]


async def test_a_failed_write_function_rolls_back_everything(storage: Storage) -> None:
    async def half_then_fail(conn: Tx) -> None:
        await conn.execute(
            "INSERT INTO invites (code_hash, trip_id, member_id, role, created_by, created_at,"
            " expires_at) VALUES ('x', 't', 'm', 'delegate', 's', 'now', 'later')"
        )
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await storage.db.write(half_then_fail)

    async def count(conn: Tx) -> int:
        return int((await (await conn.execute("SELECT count(*) FROM invites")).fetchone())[0])

    assert await storage.db.read(count) == 0
    await storage.create_invite(_invite())  # the connection is usable afterwards


@pytest.mark.sqlite_only
async def test_an_older_database_gets_its_outage_failures_queued_and_its_invites_marked_legacy(
    tmp_path: Path,
) -> None:
    # A database as the previous release left it: notices failed by an outage and by a 400,
    # and an invite stored as an unkeyed SHA-256.
    path = tmp_path / "old.sqlite3"
    sends = [
        (1, "failed", "httpx.ConnectError: All connection attempts failed"),
        (2, "failed", "Bad Request: chat not found"),
        (3, "failed", "Bad Gateway"),
    ]
    with sqlite3.connect(path) as db:
        for script in MIGRATIONS[:6]:
            db.executescript(script)
        db.execute("PRAGMA user_version = 6")
        db.execute(
            "INSERT INTO notices (id, trip_id, kind, author, text_zh, text_en, created_at)"
            " VALUES (1, 't', 'announce', 'a', 'z', 'e', 'x')"
        )
        db.executemany(
            "INSERT INTO notice_sends (notice_id, user_id, chat_id, lang, state, at, error)"
            " VALUES (1, ?, ?, 'zh', ?, 'x', ?)",
            [(u, u, state, error) for u, state, error in sends],
        )
        db.execute(
            "INSERT INTO invites (code_hash, trip_id, member_id, role, created_by, created_at,"
            " expires_at) VALUES ('h', 't', 'm', 'delegate', 's', 'x', 'y')"
        )
    db.close()
    store = await Storage.open(path)
    try:
        async with store.db.execute(
            "SELECT user_id, state FROM outbox WHERE kind = 'notice'"
        ) as cur:
            states = {row[0]: row[1] for row in await cur.fetchall()}
        async with store.db.execute("SELECT legacy FROM invites") as cur:
            legacy = [row[0] for row in await cur.fetchall()]
    finally:
        await store.close()
    assert states == {1: "queued", 2: "failed", 3: "queued"}
    assert legacy == [1]


@pytest.mark.sqlite_only
async def test_the_two_outboxes_of_an_older_database_become_the_one_outbox(
    tmp_path: Path,
) -> None:
    # A database as the previous release left it: a reminder sent to one account and claimed
    # for another (a crash), a notice acknowledged by one and queued for the other.
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        for script in MIGRATIONS[:11]:
            db.executescript(script)
        db.execute("PRAGMA user_version = 11")
        db.executemany(
            "INSERT INTO users (user_id, chat_id, trip_id, member_id, role, lang, joined_at)"
            " VALUES (?, ?, 't', ?, 'delegate', ?, 'x')",
            [(1, 11, "yi", "en"), (2, 22, "cao", "zh")],
        )
        db.execute(
            "INSERT INTO reminders (key, trip_id, kind, subject, rule, message, audience, zone,"
            " due_at, deadline, state, changed_at) VALUES ('t/leg:a/before', 't', 'leg', 'a',"
            " 'before', 'm', 'travellers', 'UTC', 'due', 'deadline', 'fired', 'x')"
        )
        db.executemany(
            "INSERT INTO reminder_sends (key, user_id, chat_id, state, attempts, at)"
            " VALUES ('t/leg:a/before', ?, ?, ?, 1, 'sent-at')",
            [(1, 11, "sent"), (2, 22, "claimed")],
        )
        db.execute(
            "INSERT INTO notices (id, trip_id, kind, author, text_zh, text_en, created_at)"
            " VALUES (7, 't', 'announce', 'a', 'z', 'e', 'created')"
        )
        db.executemany(
            "INSERT INTO notice_sends (notice_id, user_id, chat_id, lang, state, sends, at,"
            " acked_at) VALUES (7, ?, ?, ?, ?, ?, 'n-at', ?)",
            [(1, 11, "en", "sent", 2, "acked"), (2, 22, "zh", "queued", 0, None)],
        )
    db.close()
    store = await Storage.open(path)
    try:
        async with store.db.execute(
            "SELECT kind, ref, user_id, chat_id, lang, state, attempts, earliest, latest, at,"
            " acked_at FROM outbox ORDER BY id"
        ) as cur:
            rows = [tuple(row) for row in await cur.fetchall()]
        tables = await store.db.tables()
        resumed = await store.resume_notices(NOW)
        states = await store.send_states("t/leg:a/before")
    finally:
        await store.close()
    key = "t/leg:a/before"
    assert rows == [
        ("reminder", key, 1, 11, "en", "sent", 1, "due", "deadline", "sent-at", None),
        ("reminder", key, 2, 22, "zh", "claimed", 1, "due", "deadline", "sent-at", None),
        ("notice", "7", 1, 11, "en", "sent", 2, "created", None, "n-at", "acked"),
        ("notice", "7", 2, 22, "zh", "queued", 0, "created", None, "n-at", None),
    ]
    assert "reminder_sends" not in tables and "notice_sends" not in tables
    assert [(p.kind, p.notice_id, p.user_id) for p in resumed] == [("notice", 7, 2)]
    assert states == {1: "sent", 2: "claimed"}  # the reminders' own resume settles theirs
