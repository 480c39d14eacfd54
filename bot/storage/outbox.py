"""The one outbox: a row per message to push (a reminder or a notice to one account), with the
one state machine queued → claimed → sent / unconfirmed / failed / blocked / missed.

A row is claimed (committed) just before its HTTP call, so a crash between the call and the
record leaves it `claimed`, found on start and made `unconfirmed`: never sent twice. Each row
carries its earliest and latest useful send time; a queued row past its latest is `missed`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.storage.db import Database, Tx, to_db

PushKind = Literal["reminder", "notice", "digest"]
SendState = Literal["queued", "claimed", "sent", "unconfirmed", "failed", "blocked", "missed"]


@dataclass(frozen=True)
class Push:
    """One message of a kind to one account: what the sink claims, renders and records."""

    kind: PushKind
    ref: str  # the reminder's key, the notice's id
    user_id: int
    chat_id: int

    @property
    def key(self) -> str:
        """The reminder's key."""
        return self.ref

    @property
    def notice_id(self) -> int:
        """The notice's id."""
        return int(self.ref)


@dataclass(frozen=True)
class Enqueue:
    """A row to put in the outbox."""

    ref: str
    user_id: int
    chat_id: int
    lang: str
    earliest: datetime
    latest: datetime | None = None


async def enqueue(conn: Tx, kind: PushKind, rows: Sequence[Enqueue], now: datetime) -> None:
    """Put rows in the outbox within the producer's transaction; a row already there (the same
    kind, ref and account) is left as it is: each message goes to each account once."""
    await conn.executemany(
        "INSERT OR IGNORE INTO outbox (kind, ref, user_id, chat_id, lang, state, earliest,"
        " latest, at) VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?)",
        [
            (
                kind,
                r.ref,
                r.user_id,
                r.chat_id,
                r.lang,
                to_db(r.earliest),
                to_db(r.latest) if r.latest else None,
                to_db(now),
            )
            for r in rows
        ],
    )


async def queued(conn: Tx, kind: PushKind, ref: str) -> list[Push]:
    """The rows of one message still queued, in the order they were put."""
    async with conn.execute(
        "SELECT kind, ref, user_id, chat_id FROM outbox WHERE kind=? AND ref=? AND state='queued'"
        " ORDER BY id",
        (kind, ref),
    ) as cur:
        return [Push(*row) for row in await cur.fetchall()]


class OutboxStore:
    """Storage methods of the outbox, the same for every kind of push."""

    db: Database

    async def claim_push(self, item: Push, now: datetime) -> bool:
        """Take a queued row just before its send (at most once); False if it is not queued any
        more, if its latest useful instant passed (it is then missed), or if this process no
        longer holds the sender lease (another worker sends now)."""
        lease = self.db.sender_lease()
        fence = lease.fence() if lease.started else ("", ())
        if fence is None:
            return False
        cond, fenced = fence
        async with self.db.transaction() as conn:
            # On PostgreSQL the row is locked, and one another transaction holds is skipped.
            cur = await conn.execute(
                "SELECT id, latest FROM outbox WHERE kind=? AND ref=? AND user_id=?"
                f" AND state='queued'{cond} FOR UPDATE SKIP LOCKED",
                (item.kind, item.ref, item.user_id, *fenced),
            )
            row = await cur.fetchone()
            if row is None:
                return False
            if row[1] is not None and row[1] <= to_db(now):
                await conn.execute(
                    "UPDATE outbox SET state='missed', at=?, error='past its deadline' WHERE id=?",
                    (to_db(now), row[0]),
                )
                return False
            await conn.execute(
                "UPDATE outbox SET state='claimed', attempts=attempts+1, at=? WHERE id=?",
                (to_db(now), row[0]),
            )
            return True

    async def finish_push(
        self, item: Push, state: SendState, now: datetime, error: str | None = None
    ) -> None:
        """Record how a claimed send ended; `queued` releases the claim for another try (the
        failed try does not count)."""
        undo = 1 if state == "queued" else 0
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE outbox SET state=?, at=?, error=?, attempts=MAX(0, attempts-?)"
                " WHERE kind=? AND ref=? AND user_id=?",
                (state, to_db(now), error, undo, item.kind, item.ref, item.user_id),
            )

    async def queue_pushes(
        self, kind: PushKind, ref: str, rows: Sequence[Enqueue], now: datetime
    ) -> list[Push]:
        """Put one message's rows in the outbox (each account once, ever) and commit; the rows of
        it still queued, to hand to the sender."""
        async with self.db.transaction() as conn:
            await enqueue(conn, kind, rows, now)
            return await queued(conn, kind, ref)

    async def miss_push(self, item: Push, now: datetime, why: str = "past its deadline") -> None:
        """A queued row that can no longer be of use: recorded as missed, never sent."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE outbox SET state='missed', at=?, error=?"
                " WHERE kind=? AND ref=? AND user_id=? AND state='queued'",
                (to_db(now), why, item.kind, item.ref, item.user_id),
            )

    async def resume_pushes(self, kind: PushKind, now: datetime) -> list[Push]:
        """After a start: claimed rows become unconfirmed (never sent again blindly); queued rows
        past their latest are missed; the other queued rows are returned to go out."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE outbox SET state='unconfirmed', at=? WHERE kind=? AND state='claimed'",
                (to_db(now), kind),
            )
            await conn.execute(
                "UPDATE outbox SET state='missed', at=?, error='past its deadline'"
                " WHERE kind=? AND state='queued' AND latest IS NOT NULL AND latest <= ?",
                (to_db(now), kind, to_db(now)),
            )
            async with conn.execute(
                "SELECT kind, ref, user_id, chat_id FROM outbox WHERE kind=? AND state='queued'"
                " ORDER BY id",
                (kind,),
            ) as cur:
                return [Push(*row) for row in await cur.fetchall()]

    async def due_pushes(self, kind: PushKind, now: datetime) -> list[Push]:
        """The queued rows of a kind due by `now`, oldest first: the sender's sweep finds rows
        that other workers queued."""
        async with self.db.execute(
            "SELECT kind, ref, user_id, chat_id FROM outbox WHERE kind=? AND state='queued'"
            " AND earliest <= ? ORDER BY id",
            (kind, to_db(now)),
        ) as cur:
            return [Push(*row) for row in await cur.fetchall()]

    async def push_states(self, kind: PushKind, ref: str) -> dict[int, str]:
        """user_id -> state of each row of one message."""
        async with self.db.execute(
            "SELECT user_id, state FROM outbox WHERE kind=? AND ref=?", (kind, ref)
        ) as cur:
            return {row[0]: row[1] for row in await cur.fetchall()}
