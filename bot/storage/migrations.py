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
    # 2: field notes; every message that became (part of) a note, keyed for re-delivery;
    # attachments (pending until downloaded) and the history of edited notes
    """
    CREATE TABLE notes (
        id          INTEGER PRIMARY KEY,
        trip_id     TEXT    NOT NULL,
        member_id   TEXT    NOT NULL,
        user_id     INTEGER NOT NULL,
        chat_id     INTEGER NOT NULL,
        album       TEXT,
        leg_id      TEXT,
        taken_at    TEXT    NOT NULL,
        text        TEXT    NOT NULL DEFAULT '',
        sections    TEXT    NOT NULL DEFAULT '',
        contacts    TEXT    NOT NULL DEFAULT '',
        created_at  TEXT    NOT NULL,
        deleted_at  TEXT,
        locked_at   TEXT,
        UNIQUE (chat_id, album)
    );
    CREATE INDEX notes_by_trip ON notes (trip_id, taken_at);
    CREATE INDEX notes_by_user ON notes (user_id, taken_at);
    CREATE TABLE note_messages (
        chat_id     INTEGER NOT NULL,
        message_id  INTEGER NOT NULL,
        note_id     INTEGER NOT NULL REFERENCES notes (id),
        PRIMARY KEY (chat_id, message_id)
    );
    CREATE TABLE note_files (
        id          INTEGER PRIMARY KEY,
        note_id     INTEGER NOT NULL REFERENCES notes (id),
        message_id  INTEGER NOT NULL,
        kind        TEXT    NOT NULL,
        status      TEXT    NOT NULL CHECK (status IN ('pending', 'stored', 'failed', 'refused')),
        file_id     TEXT,
        path        TEXT,
        sha256      TEXT,
        mime_type   TEXT,
        size        INTEGER,
        file_name   TEXT,
        caption     TEXT,
        duration    INTEGER,
        latitude    REAL,
        longitude   REAL,
        attempts    INTEGER NOT NULL DEFAULT 0,
        error       TEXT
    );
    CREATE INDEX note_files_by_note ON note_files (note_id, message_id);
    CREATE INDEX note_files_pending ON note_files (status) WHERE status = 'pending';
    CREATE TABLE note_revisions (
        id          INTEGER PRIMARY KEY,
        note_id     INTEGER NOT NULL REFERENCES notes (id),
        changed_at  TEXT    NOT NULL,
        change      TEXT    NOT NULL,
        text        TEXT    NOT NULL,
        sections    TEXT    NOT NULL,
        contacts    TEXT    NOT NULL,
        leg_id      TEXT,
        deleted_at  TEXT
    );
    """,
    # 3: reminders: one row per planned reminder (stable key), one per account it went to;
    # a send is claimed before it goes out (at most once), and accounts that muted them
    """
    CREATE TABLE reminders (
        key         TEXT PRIMARY KEY,
        trip_id     TEXT NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('leg', 'morning', 'prep')),
        subject     TEXT NOT NULL,
        rule        TEXT NOT NULL,
        message     TEXT NOT NULL,
        audience    TEXT NOT NULL CHECK (audience IN ('travellers', 'coordinators')),
        zone        TEXT NOT NULL,
        due_at      TEXT NOT NULL,
        deadline    TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('planned', 'fired', 'missed', 'cancelled')),
        changed_at  TEXT NOT NULL
    );
    CREATE INDEX reminders_by_trip ON reminders (trip_id, state, due_at);
    CREATE TABLE reminder_sends (
        key         TEXT    NOT NULL REFERENCES reminders (key),
        user_id     INTEGER NOT NULL,
        chat_id     INTEGER NOT NULL,
        state       TEXT    NOT NULL CHECK (state IN ('queued', 'claimed', 'sent', 'unconfirmed',
                                                      'failed', 'blocked', 'missed')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        at          TEXT    NOT NULL,
        error       TEXT,
        PRIMARY KEY (key, user_id)
    );
    CREATE INDEX reminder_sends_open ON reminder_sends (state) WHERE state IN ('queued', 'claimed');
    CREATE TABLE reminder_mutes (
        user_id     INTEGER PRIMARY KEY,
        muted_at    TEXT NOT NULL
    );
    """,
    # 4: schedule changes: the append-only log per trip (its length is the trip's version),
    # drafts awaiting Publish, notices with one outbox row per recipient (claimed before the
    # send: at most once; acks and re-sends counted), and the version each account last looked at
    """
    CREATE TABLE changes (
        trip_id      TEXT    NOT NULL,
        version      INTEGER NOT NULL,
        kind         TEXT    NOT NULL,
        body         TEXT    NOT NULL,
        author       TEXT    NOT NULL,
        legs         TEXT    NOT NULL DEFAULT '',
        published_at TEXT    NOT NULL,
        PRIMARY KEY (trip_id, version)
    );
    CREATE TABLE change_drafts (
        id           INTEGER PRIMARY KEY,
        trip_id      TEXT    NOT NULL,
        user_id      INTEGER NOT NULL,
        base_version INTEGER NOT NULL,
        body         TEXT    NOT NULL,
        state        TEXT    NOT NULL CHECK (state IN ('open', 'published', 'discarded')),
        created_at   TEXT    NOT NULL
    );
    CREATE TABLE notices (
        id          INTEGER PRIMARY KEY,
        trip_id     TEXT    NOT NULL,
        kind        TEXT    NOT NULL CHECK (kind IN ('change', 'announce')),
        version     INTEGER,
        author      TEXT    NOT NULL,
        text_zh     TEXT    NOT NULL,
        text_en     TEXT    NOT NULL,
        created_at  TEXT    NOT NULL
    );
    CREATE TABLE notice_sends (
        notice_id   INTEGER NOT NULL REFERENCES notices (id),
        user_id     INTEGER NOT NULL,
        chat_id     INTEGER NOT NULL,
        lang        TEXT    NOT NULL CHECK (lang IN ('zh', 'en')),
        state       TEXT    NOT NULL CHECK (state IN ('queued', 'claimed', 'sent', 'unconfirmed',
                                                      'failed', 'blocked')),
        sends       INTEGER NOT NULL DEFAULT 0,
        at          TEXT    NOT NULL,
        acked_at    TEXT,
        error       TEXT,
        PRIMARY KEY (notice_id, user_id)
    );
    CREATE INDEX notice_sends_open ON notice_sends (state) WHERE state IN ('queued', 'claimed');
    CREATE TABLE schedule_seen (
        user_id     INTEGER NOT NULL,
        trip_id     TEXT    NOT NULL,
        version     INTEGER NOT NULL,
        PRIMARY KEY (user_id, trip_id)
    );
    """,
    # 5: note messages as fetched from Telegram. PTB confirms a batch on its next poll, before
    # the handlers have run; a crash in between would lose them, so they are replayed on start.
    """
    CREATE TABLE update_journal (
        update_id   INTEGER PRIMARY KEY,
        chat_id     INTEGER NOT NULL,
        message_id  INTEGER NOT NULL,
        payload     TEXT    NOT NULL,
        received_at TEXT    NOT NULL
    );
    CREATE INDEX update_journal_by_age ON update_journal (received_at);
    """,
    # 6: how often each journalled update was replayed; one that never becomes a note (a handler
    # that keeps failing, a member revoked meanwhile) is replayed twice at most
    """
    ALTER TABLE update_journal ADD COLUMN replays INTEGER NOT NULL DEFAULT 0;
    """,
    # 7: network and 5xx failures no longer end an outbox row: rows an outage left failed go
    # out again (each is dropped at its claim if no longer useful)
    """
    UPDATE notice_sends SET state = 'queued' WHERE state = 'failed'
        AND (error LIKE 'httpx.%' OR error LIKE '%Bad Gateway%' OR error LIKE '%(5__)');
    UPDATE reminder_sends SET state = 'queued' WHERE state = 'failed'
        AND (error LIKE 'httpx.%' OR error LIKE '%Bad Gateway%' OR error LIKE '%(5__)');
    """,
    # 8: invite codes are stored as an HMAC keyed with the data directory's secret; invites
    # made before keep their unkeyed SHA-256 (marked legacy) and are honoured until they expire
    """
    ALTER TABLE invites ADD COLUMN legacy INTEGER NOT NULL DEFAULT 0;
    UPDATE invites SET legacy = 1;
    """,
    # 9: the health check's proof that the database takes writes (one row, rewritten)
    """
    CREATE TABLE heartbeat (
        id  INTEGER PRIMARY KEY CHECK (id = 1),
        at  TEXT    NOT NULL
    );
    """,
    # 10: calendar subscription links; the secret is stored only as its sha256, and a link
    # answers only while its account's membership stands (revoked with the member)
    """
    CREATE TABLE calendar_feeds (
        token_hash  TEXT    PRIMARY KEY,
        user_id     INTEGER NOT NULL,
        created_at  TEXT    NOT NULL
    );
    CREATE INDEX calendar_feeds_by_user ON calendar_feeds (user_id);
    """,
    # 11: safety check-ins. A check-in is a notice (the one outbox, its re-sends ask the silent
    # again); this table marks it as one, and each member's answer is kept beside it
    """
    CREATE TABLE checkins (
        notice_id   INTEGER PRIMARY KEY REFERENCES notices (id),
        trip_id     TEXT    NOT NULL,
        message     TEXT    NOT NULL DEFAULT '',
        created_at  TEXT    NOT NULL
    );
    CREATE TABLE checkin_answers (
        notice_id   INTEGER NOT NULL REFERENCES checkins (notice_id),
        user_id     INTEGER NOT NULL,
        answer      TEXT    NOT NULL CHECK (answer IN ('safe', 'help')),
        at          TEXT    NOT NULL,
        PRIMARY KEY (notice_id, user_id)
    );
    """,
    # 12: briefing-pack notices. "Pack vN is ready" is a notice (the one outbox); this table
    # marks it as one, with the published version the pack was rebuilt for. Automatic check-ins
    # (content `checkins:`) are kept by key, so a restart or a rehearsal's jump asks none twice
    """
    CREATE TABLE pack_notices (
        notice_id   INTEGER PRIMARY KEY REFERENCES notices (id),
        trip_id     TEXT    NOT NULL,
        version     INTEGER NOT NULL,
        created_at  TEXT    NOT NULL
    );
    CREATE TABLE auto_checkins (
        trip_id     TEXT    NOT NULL,
        key         TEXT    NOT NULL,
        notice_id   INTEGER NOT NULL REFERENCES checkins (notice_id),
        PRIMARY KEY (trip_id, key)
    );
    """,
    # 13: one outbox for every push. Reminders and notices had a table each with the same
    # queued -> claimed -> sent / unconfirmed / ... states; their rows move into one table, each
    # with its earliest and latest useful send time (a notice is useful until its trip ends or a
    # newer change supersedes it: no latest here), and the two tables go.
    """
    CREATE TABLE outbox (
        id          INTEGER PRIMARY KEY,
        kind        TEXT    NOT NULL CHECK (kind IN ('reminder', 'notice')),
        ref         TEXT    NOT NULL,
        user_id     INTEGER NOT NULL,
        chat_id     INTEGER NOT NULL,
        lang        TEXT    NOT NULL CHECK (lang IN ('zh', 'en')),
        state       TEXT    NOT NULL CHECK (state IN ('queued', 'claimed', 'sent', 'unconfirmed',
                                                      'failed', 'blocked', 'missed')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        earliest    TEXT    NOT NULL,
        latest      TEXT,
        at          TEXT    NOT NULL,
        acked_at    TEXT,
        error       TEXT,
        UNIQUE (kind, ref, user_id)
    );
    CREATE INDEX outbox_open ON outbox (state) WHERE state IN ('queued', 'claimed');
    INSERT INTO outbox (kind, ref, user_id, chat_id, lang, state, attempts, earliest, latest, at,
                        error)
        SELECT 'reminder', s.key, s.user_id, s.chat_id,
               COALESCE((SELECT u.lang FROM users u WHERE u.user_id = s.user_id), 'zh'),
               s.state, s.attempts, r.due_at, r.deadline, s.at, s.error
        FROM reminder_sends s JOIN reminders r ON r.key = s.key ORDER BY s.rowid;
    INSERT INTO outbox (kind, ref, user_id, chat_id, lang, state, attempts, earliest, latest, at,
                        acked_at, error)
        SELECT 'notice', CAST(s.notice_id AS TEXT), s.user_id, s.chat_id, s.lang, s.state,
               s.sends, n.created_at, NULL, s.at, s.acked_at, s.error
        FROM notice_sends s JOIN notices n ON n.id = s.notice_id ORDER BY s.notice_id, s.rowid;
    DROP TABLE reminder_sends;
    DROP TABLE notice_sends;
    """,
    # 14: the coordinators' daily digests go through the outbox too (kind 'digest'), so each is
    # sent once per coordinator and paced with the rest. The kind's CHECK widens: the table is
    # made again and its rows copied in order (ids are the database's; nothing refers to them).
    """
    DROP INDEX outbox_open;
    ALTER TABLE outbox RENAME TO outbox_before_digests;
    CREATE TABLE outbox (
        id          INTEGER PRIMARY KEY,
        kind        TEXT    NOT NULL CHECK (kind IN ('reminder', 'notice', 'digest')),
        ref         TEXT    NOT NULL,
        user_id     INTEGER NOT NULL,
        chat_id     INTEGER NOT NULL,
        lang        TEXT    NOT NULL CHECK (lang IN ('zh', 'en')),
        state       TEXT    NOT NULL CHECK (state IN ('queued', 'claimed', 'sent', 'unconfirmed',
                                                      'failed', 'blocked', 'missed')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        earliest    TEXT    NOT NULL,
        latest      TEXT,
        at          TEXT    NOT NULL,
        acked_at    TEXT,
        error       TEXT,
        UNIQUE (kind, ref, user_id)
    );
    CREATE INDEX outbox_open ON outbox (state) WHERE state IN ('queued', 'claimed');
    INSERT INTO outbox (kind, ref, user_id, chat_id, lang, state, attempts, earliest, latest, at,
                        acked_at, error)
        SELECT kind, ref, user_id, chat_id, lang, state, attempts, earliest, latest, at,
               acked_at, error
        FROM outbox_before_digests ORDER BY id;
    DROP TABLE outbox_before_digests;
    """,
    # 15: state several workers share: an announcement held for Publish / Discard (the press may
    # reach another worker), and a lease on a note file being downloaded (one worker fetches it
    # at a time; a dead worker's claim runs out at claimed_until), and how many parts of an album
    # have arrived so far, on any worker (the last part alone confirms the note)
    """
    CREATE TABLE held_announcements (
        id          INTEGER PRIMARY KEY,
        trip_id     TEXT    NOT NULL,
        user_id     INTEGER NOT NULL,
        text        TEXT    NOT NULL,
        held_at     TEXT    NOT NULL
    );
    ALTER TABLE note_files ADD COLUMN claimed_by TEXT;
    ALTER TABLE note_files ADD COLUMN claimed_until TEXT;
    CREATE TABLE album_parts (
        chat_id     INTEGER NOT NULL,
        album       TEXT    NOT NULL,
        parts       INTEGER NOT NULL,
        PRIMARY KEY (chat_id, album)
    );
    """,
    # 16: when an album's count was last touched, so that counts a crash (or a last part that
    # never came) left behind are dropped by the chat's next album
    """
    ALTER TABLE album_parts ADD COLUMN seen_at TEXT;
    """,
]
