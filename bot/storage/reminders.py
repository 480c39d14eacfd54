"""Planned reminders, who each went to (claimed before the send: at most once), and mutes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.reminders.plan import PlannedReminder
from bot.storage.access import Membership, _membership
from bot.storage.db import Database, Row, from_db, to_db
from bot.storage.outbox import Enqueue, OutboxStore, Push, SendState, enqueue, queued

ReminderState = Literal["planned", "fired", "missed", "cancelled"]
# Outcomes a coordinator should hear about.
PROBLEMS = ("unconfirmed", "failed", "missed")
_FIELDS = ("kind", "subject", "rule", "message", "audience", "zone", "due_at", "deadline")


@dataclass(frozen=True)
class ReminderRow:
    """A planned reminder as stored, with its state."""

    plan: PlannedReminder
    state: ReminderState


@dataclass(frozen=True)
class SyncResult:
    """What reconciling the rows with the plan found."""

    open: list[ReminderRow]  # still to fire, soonest first
    missed: int  # fell due and passed their deadline unsent
    cancelled: int  # no longer in the plan


def _row(row: Row) -> ReminderRow:
    plan = PlannedReminder(
        key=row["key"],
        trip_id=row["trip_id"],
        kind=row["kind"],
        subject=row["subject"],
        rule=row["rule"],
        message=row["message"],
        audience=row["audience"],
        zone=row["zone"],
        due_at=from_db(row["due_at"]),
        deadline=from_db(row["deadline"]),
    )
    return ReminderRow(plan, row["state"])


def _values(r: PlannedReminder) -> tuple[str, ...]:
    return (
        r.kind,
        r.subject,
        r.rule,
        r.message,
        r.audience,
        r.zone,
        to_db(r.due_at),
        to_db(r.deadline),
    )


class RemindersStore(OutboxStore):
    """Storage methods for reminders: a producer of the outbox."""

    db: Database

    async def sync_reminders(
        self, planned: Sequence[PlannedReminder], trip_ids: Iterable[str], now: datetime
    ) -> SyncResult:
        """Make the rows match the plan: add new, move changed, miss or cancel dropped. Atomic."""
        trips = list(trip_ids)
        marks = ",".join("?" * len(trips))
        by_key = {r.key: r for r in planned}
        async with self.db.transaction() as conn:
            async with conn.execute(
                f"SELECT * FROM reminders WHERE trip_id IN ({marks})", trips
            ) as cur:
                rows = await cur.fetchall()
            # Fired and missed reminders are settled for good; a cancelled one may come back. A
            # fired one whose due instant moved (its leg was moved) is armed again: the delegates
            # need the new time. An unrelated change leaves the instant, so nothing is re-sent.
            rearm = {
                row["key"]
                for row in rows
                if row["state"] == "fired"
                and row["key"] in by_key
                and row["due_at"] != to_db(by_key[row["key"]].due_at)
            }
            settled = {row["key"] for row in rows if row["state"] in ("fired", "missed")} - rearm
            await conn.executemany(
                "DELETE FROM outbox WHERE kind='reminder' AND ref=?", [(k,) for k in rearm]
            )
            stored = {row["key"]: row for row in rows if row["key"] not in settled}
            new = [r for k, r in by_key.items() if k not in stored and k not in settled]
            await conn.executemany(
                "INSERT INTO reminders (key, trip_id, kind, subject, rule, message, audience, zone,"
                " due_at, deadline, state, changed_at) VALUES (?,?,?,?,?,?,?,?,?,?,'planned',?)",
                [(r.key, r.trip_id, *_values(r), to_db(now)) for r in new],
            )
            moved = [
                r
                for k, r in by_key.items()
                if k in stored
                and (
                    stored[k]["state"] != "planned"
                    or tuple(stored[k][f] for f in _FIELDS) != _values(r)
                )
            ]
            await conn.executemany(
                "UPDATE reminders SET kind=?, subject=?, rule=?, message=?, audience=?, zone=?,"
                " due_at=?, deadline=?, state='planned', changed_at=? WHERE key=?",
                [(*_values(r), to_db(now), r.key) for r in moved],
            )
            # Out of the plan: past its deadline it was missed, else the plan dropped it.
            gone = [
                row for k, row in stored.items() if k not in by_key and row["state"] == "planned"
            ]
            missed = [row["key"] for row in gone if from_db(row["deadline"]) <= now]
            cancelled = [row["key"] for row in gone if from_db(row["deadline"]) > now]
            for state, keys in (("missed", missed), ("cancelled", cancelled)):
                await conn.executemany(
                    "UPDATE reminders SET state=?, changed_at=? WHERE key=?",
                    [(state, to_db(now), k) for k in keys],
                )
        still = [ReminderRow(r, "planned") for k, r in by_key.items() if k not in settled]
        return SyncResult(still, len(missed), len(cancelled))

    async def resume_sends(self, now: datetime) -> list[Push]:
        """After a start: claimed sends become unconfirmed (never re-sent); queued sends are
        returned to send, unless their reminder's deadline passed (then they are missed)."""
        return await self.resume_pushes("reminder", now)

    async def reminder(self, key: str) -> ReminderRow | None:
        """One reminder by key."""
        async with self.db.execute("SELECT * FROM reminders WHERE key=?", (key,)) as cur:
            row = await cur.fetchone()
        return _row(row) if row else None

    async def miss_reminder(self, key: str, now: datetime) -> None:
        """Record that a reminder passed its deadline before it could fire."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE reminders SET state='missed', changed_at=? WHERE key=? AND state='planned'",
                (to_db(now), key),
            )

    async def fire_reminder(
        self, key: str, accounts: Sequence[Membership], now: datetime
    ) -> list[Push]:
        """Queue the reminder for these accounts (once each, ever) and mark it fired. Atomic."""
        async with self.db.transaction() as conn:
            async with conn.execute(
                "SELECT due_at, deadline FROM reminders WHERE key=?", (key,)
            ) as cur:
                row = await cur.fetchone()
            assert row is not None, f"unknown reminder {key}"
            due, deadline = from_db(row["due_at"]), from_db(row["deadline"])
            await enqueue(
                conn,
                "reminder",
                [Enqueue(key, a.user_id, a.chat_id, a.lang, due, deadline) for a in accounts],
                now,
            )
            await conn.execute(
                "UPDATE reminders SET state='fired', changed_at=? WHERE key=? AND state='planned'",
                (to_db(now), key),
            )
            return await queued(conn, "reminder", key)

    async def claim_send(self, key: str, user_id: int, now: datetime) -> bool:
        """Take a queued send just before it goes out; False if it is not queued any more, or if
        its reminder's deadline passed (the event started: the send is then missed)."""
        return await self.claim_push(Push("reminder", key, user_id, 0), now)

    async def finish_send(
        self, key: str, user_id: int, state: SendState, now: datetime, error: str | None = None
    ) -> None:
        """Record how a claimed send ended: sent, failed, blocked (or queued again to retry)."""
        await self.finish_push(Push("reminder", key, user_id, 0), state, now, error)

    async def reminder_accounts(self, trip_id: str) -> list[Membership]:
        """The trip's accounts that take reminders: not revoked, not blocked, not muted."""
        async with self.db.execute(
            "SELECT * FROM users WHERE trip_id=? AND revoked_at IS NULL AND blocked_at IS NULL"
            " AND user_id NOT IN (SELECT user_id FROM reminder_mutes) ORDER BY user_id",
            (trip_id,),
        ) as cur:
            return [_membership(row) for row in await cur.fetchall()]

    async def set_reminders_muted(self, user_id: int, muted: bool, now: datetime) -> None:
        """Mute or unmute an account's reminders (schedule-change notices are not affected)."""
        async with self.db.transaction() as conn:
            if muted:
                await conn.execute(
                    "INSERT OR IGNORE INTO reminder_mutes (user_id, muted_at) VALUES (?, ?)",
                    (user_id, to_db(now)),
                )
            else:
                await conn.execute("DELETE FROM reminder_mutes WHERE user_id=?", (user_id,))

    async def reminders_muted(self, user_id: int) -> bool:
        """Whether the account muted its reminders."""
        async with self.db.execute(
            "SELECT 1 FROM reminder_mutes WHERE user_id=?", (user_id,)
        ) as cur:
            return await cur.fetchone() is not None

    async def upcoming_reminders(self, trip_id: str, now: datetime) -> list[ReminderRow]:
        """The trip's reminders still to fire, soonest first."""
        async with self.db.execute(
            "SELECT * FROM reminders WHERE trip_id=? AND state='planned' AND deadline > ?"
            " ORDER BY due_at, key",
            (trip_id, to_db(now)),
        ) as cur:
            return [_row(row) for row in await cur.fetchall()]

    async def reminder_problems(self, trip_id: str) -> list[tuple[ReminderRow, str, int]]:
        """Missed reminders, and sends that failed, were missed or are unconfirmed, with counts."""
        async with self.db.execute(
            "SELECT r.*, 'missed' AS outcome, 0 AS n FROM reminders r"
            " WHERE r.trip_id=? AND r.state='missed'"
            " UNION ALL SELECT r.*, s.state AS outcome, COUNT(*) AS n FROM reminders r"
            " JOIN outbox s ON s.kind = 'reminder' AND s.ref = r.key WHERE r.trip_id=?"
            f" AND s.state IN ({','.join('?' * len(PROBLEMS))}) GROUP BY r.key, s.state"
            " ORDER BY due_at",
            (trip_id, trip_id, *PROBLEMS),
        ) as cur:
            return [(_row(row), row["outcome"], row["n"]) for row in await cur.fetchall()]

    async def send_states(self, key: str) -> dict[int, str]:
        """user_id -> state of each send of a reminder (tests, /reminders)."""
        return await self.push_states("reminder", key)
