"""The schema as an ordered list of migrations; PRAGMA user_version counts those applied."""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: accounts, trip membership, language, invites (only the hash of a code is kept)
    """
    CREATE TABLE users (
        user_id     INTEGER PRIMARY KEY,
        chat_id     INTEGER NOT NULL,
        trip_id     TEXT    NOT NULL,
        member_id   TEXT    NOT NULL,
        role        TEXT    NOT NULL CHECK (role IN ('delegate', 'coordinator')),
        lang        TEXT    NOT NULL CHECK (lang IN ('zh', 'en')),
        name        TEXT    NOT NULL DEFAULT '',
        joined_at   TEXT    NOT NULL,
        revoked_at  TEXT,
        blocked_at  TEXT
    );
    CREATE INDEX users_by_trip ON users (trip_id, member_id);
    CREATE TABLE invites (
        code_hash   TEXT PRIMARY KEY,
        trip_id     TEXT NOT NULL,
        member_id   TEXT NOT NULL,
        role        TEXT NOT NULL CHECK (role IN ('delegate', 'coordinator')),
        created_by  TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        expires_at  TEXT NOT NULL,
        used_at     TEXT,
        used_by     INTEGER REFERENCES users (user_id)
    );
    """,
]
