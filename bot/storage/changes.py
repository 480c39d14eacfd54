"""The published change log, drafts, notices with one outbox row per recipient, acks, last seen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from bot.changes.model import Change, Draft, Published
from bot.storage.access import Membership, _membership
from bot.storage.db import Database, Row, Tx, from_db, to_db
from bot.storage.outbox import Enqueue, OutboxStore, Push, enqueue, queued

NoticeKind = Literal["change", "announce"]
NoticeState = Literal["queued", "claimed", "sent", "unconfirmed", "failed", "blocked"]


@dataclass(frozen=True)
class NoticeAcks:
    """A notice and, per recipient, whether and when they acknowledged it."""

    notice_id: int
    kind: NoticeKind
    version: int | None
    author: str
    at: datetime
    # member id, state, sends, acked
    recipients: list[tuple[str, NoticeState, int, datetime | None]]
    undelivered: list[tuple[str, str]] = field(default_factory=list)  # member id, why: ended


def _published(row: Row) -> Published:
    legs = frozenset(x for x in row["legs"].split(",") if x)
    return Published(
        row["trip_id"],
        row["version"],
        Change.from_json(row["body"]),
        row["author"],
        from_db(row["published_at"]),
        legs,
    )


class ChangesStore(OutboxStore):
    """Storage methods for schedule changes and their notices: a producer of the outbox."""

    db: Database

    async def change_log(self, trip_id: str) -> list[Published]:
        """The trip's published changes, oldest first."""
        async with self.db.execute(
            "SELECT * FROM changes WHERE trip_id=? ORDER BY version", (trip_id,)
        ) as cur:
            return [_published(row) for row in await cur.fetchall()]

    async def trip_version(self, trip_id: str) -> int:
        """How many changes the trip's log holds (0: the content as written)."""
        async with self.db.execute(
            "SELECT COALESCE(MAX(version), 0) FROM changes WHERE trip_id=?", (trip_id,)
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def save_draft(
        self, trip_id: str, user_id: int, base_version: int, change: Change, now: datetime
    ) -> int:
        """Keep a change awaiting Publish / Discard; its id."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO change_drafts (trip_id, user_id, base_version, body, state,"
                " created_at) VALUES (?, ?, ?, ?, 'open', ?)",
                (trip_id, user_id, base_version, change.to_json(), to_db(now)),
            )
            assert cur.lastrowid is not None
            return cur.lastrowid

    async def draft(self, draft_id: int) -> Draft | None:
        """A draft by id."""
        async with self.db.execute("SELECT * FROM change_drafts WHERE id=?", (draft_id,)) as cur:
            row = await cur.fetchone()
        if row is None:
            return None
        return Draft(
            row["id"],
            row["trip_id"],
            row["user_id"],
            row["base_version"],
            Change.from_json(row["body"]),
            row["state"],
        )

    async def rebase_draft(self, draft_id: int, version: int) -> None:
        """The draft now applies on top of `version` (after someone else published)."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE change_drafts SET base_version=? WHERE id=? AND state='open'",
                (version, draft_id),
            )

    async def discard_draft(self, draft_id: int) -> bool:
        """Drop an open draft; False if it was not open."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE change_drafts SET state='discarded' WHERE id=? AND state='open'",
                (draft_id,),
            )
            return cur.rowcount == 1

    async def publish_change(
        self,
        draft: Draft,
        author: str,
        legs: frozenset[str],
        texts: tuple[str, str],
        recipients: Sequence[Membership],
        now: datetime,
    ) -> tuple[int, list[Push]] | None:
        """Append the draft to the log and queue its notice, atomically, if the trip is still
        at the draft's base version; None if someone published first."""
        async with self.db.transaction() as conn:
            async with conn.execute(
                "SELECT COALESCE(MAX(version), 0) FROM changes WHERE trip_id=?", (draft.trip_id,)
            ) as cur:
                row = await cur.fetchone()
            current = int(row[0]) if row else 0
            if current != draft.base_version:
                return None
            state = await conn.execute(
                "UPDATE change_drafts SET state='published' WHERE id=? AND state='open'",
                (draft.id,),
            )
            if state.rowcount != 1:  # pressed twice, or discarded meanwhile
                return None
            version = current + 1
            await conn.execute(
                "INSERT INTO changes (trip_id, version, kind, body, author, legs, published_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    draft.trip_id,
                    version,
                    draft.change.kind,
                    draft.change.to_json(),
                    author,
                    ",".join(sorted(legs)),
                    to_db(now),
                ),
            )
            _, queued = await _insert_notice(
                conn, draft.trip_id, "change", version, author, texts, recipients, now
            )
            return version, queued

    async def create_notice(
        self,
        trip_id: str,
        author: str,
        texts: tuple[str, str],
        recipients: Sequence[Membership],
        now: datetime,
    ) -> list[Push]:
        """An announcement: one notice, one outbox row per recipient, atomically."""
        async with self.db.transaction() as conn:
            _, queued = await _insert_notice(
                conn, trip_id, "announce", None, author, texts, recipients, now
            )
        return queued

    async def notice_text(self, notice_id: int, lang: str) -> str:
        """A notice's text in a language."""
        column = "text_en" if lang == "en" else "text_zh"
        async with self.db.execute(f"SELECT {column} FROM notices WHERE id=?", (notice_id,)) as cur:
            row = await cur.fetchone()
        assert row is not None, f"unknown notice {notice_id}"
        return str(row[0])

    async def notice_expiry(self, notice_id: int) -> tuple[str, int | None]:
        """The notice's trip, and the version of a later change that supersedes it: one that
        touches every leg this change touched (None if there is none, or for announcements)."""
        async with self.db.execute(
            "SELECT n.trip_id, n.version, c.legs FROM notices n LEFT JOIN changes c"
            " ON c.trip_id = n.trip_id AND c.version = n.version WHERE n.id=?",
            (notice_id,),
        ) as cur:
            row = await cur.fetchone()
        assert row is not None, f"unknown notice {notice_id}"
        legs = {x for x in (row["legs"] or "").split(",") if x}
        if row["version"] is None or not legs:
            return row["trip_id"], None
        async with self.db.execute(
            "SELECT version, legs FROM changes WHERE trip_id=? AND version>? ORDER BY version",
            (row["trip_id"], row["version"]),
        ) as cur:
            for later in await cur.fetchall():
                if legs <= set(later["legs"].split(",")):
                    return row["trip_id"], int(later["version"])
        return row["trip_id"], None

    async def resume_notices(self, now: datetime) -> list[Push]:
        """After a start: a claimed send is unconfirmed (never sent again blindly: an unacked
        notice is re-sent by the re-send rule); queued sends are returned to go out."""
        return await self.resume_pushes("notice", now)

    async def queue_resends(
        self, trip_id: str, sent_before: datetime, max_sends: int, now: datetime
    ) -> list[Push]:
        """Queue again the trip's unacknowledged notices last sent before `sent_before`."""
        where = (
            "kind='notice' AND acked_at IS NULL AND state IN ('sent', 'unconfirmed')"
            " AND attempts < ? AND at <= ?"
            " AND ref IN (SELECT CAST(id AS TEXT) FROM notices WHERE trip_id=?)"
            # "pack vN is ready" is said once: /pack always sends the current pack
            " AND ref NOT IN (SELECT CAST(notice_id AS TEXT) FROM pack_notices)"
        )
        args = (max_sends, to_db(sent_before), trip_id)
        async with self.db.transaction() as conn:
            async with conn.execute(
                f"SELECT kind, ref, user_id, chat_id FROM outbox WHERE {where} ORDER BY id", args
            ) as cur:
                found = [Push(*row) for row in await cur.fetchall()]
            await conn.execute(
                f"UPDATE outbox SET state='queued', at=? WHERE {where}", (to_db(now), *args)
            )
        return found

    async def last_unacked_send(self, trip_id: str, max_sends: int) -> datetime | None:
        """When the trip's longest-waiting unacknowledged notice that may go again was sent."""
        async with self.db.execute(
            "SELECT MIN(at) FROM outbox WHERE kind='notice' AND acked_at IS NULL"
            " AND state IN ('sent', 'unconfirmed') AND attempts < ?"
            " AND ref IN (SELECT CAST(id AS TEXT) FROM notices WHERE trip_id=?)",
            (max_sends, trip_id),
        ) as cur:
            row = await cur.fetchone()
        return from_db(row[0]) if row and row[0] else None

    async def ack_notice(self, notice_id: int, user_id: int, now: datetime) -> bool:
        """Record an acknowledgement; False if there is nothing (more) to acknowledge."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE outbox SET acked_at=? WHERE kind='notice' AND ref=? AND user_id=?"
                " AND acked_at IS NULL",
                (to_db(now), str(notice_id), user_id),
            )
            return cur.rowcount == 1

    async def notice_acks(self, trip_id: str, limit: int = 10) -> list[NoticeAcks]:
        """The trip's latest notices with each recipient's state and acknowledgement."""
        async with self.db.execute(
            "SELECT * FROM notices WHERE trip_id=? ORDER BY id DESC LIMIT ?", (trip_id, limit)
        ) as cur:
            notices = list(await cur.fetchall())
        out = []
        for n in reversed(notices):
            async with self.db.execute(
                "SELECT u.name, u.member_id, s.state, s.attempts, s.acked_at, s.error"
                " FROM outbox s JOIN users u ON u.user_id = s.user_id"
                " WHERE s.kind='notice' AND s.ref=? ORDER BY s.user_id",
                (str(n["id"]),),
            ) as cur:
                rows = await cur.fetchall()
            recipients = [
                (
                    r["member_id"],
                    r["state"],
                    r["attempts"],
                    from_db(r["acked_at"]) if r["acked_at"] else None,
                )
                for r in rows
            ]
            undelivered = [
                (r["member_id"], r["error"] or r["state"])
                for r in rows
                if r["state"] in ("failed", "blocked")
            ]
            out.append(
                NoticeAcks(
                    n["id"],
                    n["kind"],
                    n["version"],
                    n["author"],
                    from_db(n["created_at"]),
                    recipients,
                    undelivered,
                )
            )
        return out

    async def notice_recipients(self, trip_id: str, except_user: int) -> list[Membership]:
        """Every account of the trip that can be reached, but the author's own."""
        return [m for m in await self.reachable_members(trip_id) if m.user_id != except_user]

    async def reachable_members(self, trip_id: str) -> list[Membership]:
        """The trip's accounts not revoked and not blocked."""
        async with self.db.execute(
            "SELECT * FROM users WHERE trip_id=? AND revoked_at IS NULL AND blocked_at IS NULL"
            " ORDER BY user_id",
            (trip_id,),
        ) as cur:
            return [_membership(row) for row in await cur.fetchall()]

    async def seen_version(self, user_id: int, trip_id: str) -> int:
        """The trip version the account last looked at the schedule in (0: never)."""
        async with self.db.execute(
            "SELECT version FROM schedule_seen WHERE user_id=? AND trip_id=?", (user_id, trip_id)
        ) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def mark_seen(self, user_id: int, trip_id: str, version: int) -> None:
        """The account has now seen the schedule at `version`."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO schedule_seen (user_id, trip_id, version) VALUES (?, ?, ?)"
                " ON CONFLICT (user_id, trip_id)"
                " DO UPDATE SET version=MAX(schedule_seen.version, excluded.version)",
                (user_id, trip_id, version),
            )


async def _insert_notice(
    conn: Tx,
    trip_id: str,
    kind: NoticeKind,
    version: int | None,
    author: str,
    texts: tuple[str, str],
    recipients: Sequence[Membership],
    now: datetime,
) -> tuple[int, list[Push]]:
    """A notice and one outbox row per recipient, within the caller's transaction: its id, and
    its rows to hand to the sender."""
    cur = await conn.execute(
        "INSERT INTO notices (trip_id, kind, version, author, text_zh, text_en, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (trip_id, kind, version, author, texts[0], texts[1], to_db(now)),
    )
    notice_id = cur.lastrowid
    assert notice_id is not None
    ref = str(notice_id)
    rows = [Enqueue(ref, m.user_id, m.chat_id, m.lang, now) for m in recipients]
    await enqueue(conn, "notice", rows, now)
    return notice_id, await queued(conn, "notice", ref)
