"""Reminder rows: reconciled with the plan, claimed before a send, settled after a crash."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.invites import hash_code
from bot.reminders.plan import plan, rules_of
from bot.storage import NewInvite, Storage
from bot.trip.models import Trip

T0 = datetime(2015, 5, 19, 13, 0, tzinfo=UTC)


async def _join(store: Storage, user_id: int, member: str, role: str = "delegate") -> None:
    code = f"c{user_id}"
    until = T0 + timedelta(days=30)
    await store.create_invite(
        NewInvite(hash_code(code), "metropolis-2015", member, role, "t", T0, until)  # type: ignore[arg-type]
    )
    await store.redeem_invite(
        hash_code(code), user_id=user_id, chat_id=user_id, lang="zh", name=member, now=T0
    )


async def test_sync_adds_moves_cancels_and_misses(storage: Storage, metropolis: Trip) -> None:
    planned = plan(metropolis, rules_of(metropolis), T0)
    first = await storage.sync_reminders(planned, [metropolis.id], T0)
    assert len(first.open) == len(planned) and first.missed == first.cancelled == 0
    again = await storage.sync_reminders(planned, [metropolis.id], T0)
    assert len(again.open) == len(planned)  # idempotent: keys are stable
    moved = replace(planned[0], due_at=planned[0].due_at + timedelta(minutes=5))
    dropped, later = planned[1], T0 + timedelta(minutes=1)
    result = await storage.sync_reminders([moved, *planned[2:]], [metropolis.id], later)
    assert result.cancelled == 1 and result.missed == 0
    row = await storage.reminder(moved.key)
    assert row is not None and row.plan.due_at == moved.due_at
    assert (await storage.reminder(dropped.key)).state == "cancelled"  # type: ignore[union-attr]
    # Much later the first ones fell out of the plan unsent: missed, and coordinators see it.
    far = T0 + timedelta(days=1)
    late = await storage.sync_reminders(
        plan(metropolis, rules_of(metropolis), far), [metropolis.id], far
    )
    assert late.missed > 0
    problems = await storage.reminder_problems(metropolis.id)
    assert {outcome for _, outcome, _ in problems} == {"missed"}


async def test_a_crash_between_claim_and_record_never_sends_twice(
    tmp_path: Path, metropolis: Trip
) -> None:
    store = await Storage.open(tmp_path / "bot.sqlite3")
    await _join(store, 1, "yi-rongzong")
    await _join(store, 2, "cao-kaiwen")
    r = plan(metropolis, rules_of(metropolis), T0)[0]
    await store.sync_reminders([r], [metropolis.id], T0)
    accounts = await store.reminder_accounts(metropolis.id)
    queued = await store.fire_reminder(r.key, accounts, T0)
    assert {q.user_id for q in queued} == {1, 2}
    assert await store.claim_send(r.key, 1, T0)
    assert not await store.claim_send(r.key, 1, T0)  # claimed once only
    await store.close()  # the crash: user 1's send was claimed, maybe sent; user 2's not tried
    store = await Storage.open(tmp_path / "bot.sqlite3")
    resumed = await store.resume_sends(T0 + timedelta(seconds=5))
    assert [q.user_id for q in resumed] == [2]  # only the untried one goes out
    assert (await store.send_states(r.key)) == {1: "unconfirmed", 2: "queued"}
    assert await store.fire_reminder(r.key, accounts, T0) == resumed  # firing again adds nothing
    problems = await store.reminder_problems(metropolis.id)
    assert [(outcome, n) for _, outcome, n in problems] == [("unconfirmed", 1)]
    await store.close()


async def test_queued_sends_past_their_deadline_are_missed(
    storage: Storage, metropolis: Trip
) -> None:
    await _join(storage, 1, "yi-rongzong")
    r = plan(metropolis, rules_of(metropolis), T0)[0]
    await storage.sync_reminders([r], [metropolis.id], T0)
    await storage.fire_reminder(r.key, await storage.reminder_accounts(metropolis.id), T0)
    assert await storage.resume_sends(r.deadline) == []
    assert await storage.send_states(r.key) == {1: "missed"}


async def test_muted_and_blocked_accounts_take_no_reminders(storage: Storage) -> None:
    for uid, member in ((1, "yi-rongzong"), (2, "cao-kaiwen")):
        await _join(storage, uid, member)
    await storage.set_reminders_muted(1, True, T0)
    assert await storage.reminders_muted(1)
    assert [a.user_id for a in await storage.reminder_accounts("metropolis-2015")] == [2]
    await storage.mark_blocked(2, T0)
    assert await storage.reminder_accounts("metropolis-2015") == []
    await storage.set_reminders_muted(1, False, T0)
    assert [a.user_id for a in await storage.reminder_accounts("metropolis-2015")] == [1]


async def test_a_sent_reminder_is_armed_again_only_when_its_leg_moved(
    storage: Storage, metropolis: Trip
) -> None:
    await _join(storage, 1, "yi-rongzong")
    r = plan(metropolis, rules_of(metropolis), T0)[0]
    await storage.sync_reminders([r], [metropolis.id], T0)
    await storage.fire_reminder(r.key, await storage.reminder_accounts(metropolis.id), T0)
    assert await storage.claim_send(r.key, 1, T0)
    await storage.finish_send(r.key, 1, "sent", T0, None)
    # An unrelated change: the same instant is planned again; the reminder stays settled.
    same = await storage.sync_reminders([r], [metropolis.id], T0)
    assert same.open == [] and (await storage.reminder(r.key)).state == "fired"  # type: ignore[union-attr]
    # The leg moved an hour later: the reminder is planned anew and goes to the delegate again.
    moved = replace(
        r, due_at=r.due_at + timedelta(hours=1), deadline=r.deadline + timedelta(hours=1)
    )
    again = await storage.sync_reminders([moved], [metropolis.id], T0)
    assert [o.plan.due_at for o in again.open] == [moved.due_at]
    queued = await storage.fire_reminder(r.key, await storage.reminder_accounts(metropolis.id), T0)
    assert [q.user_id for q in queued] == [1]
