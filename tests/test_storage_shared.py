"""Two Storage instances on one database, as two workers: each effect happens once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.changes.model import Change
from bot.notes.model import NoteDraft
from bot.storage import InviteRefused, Membership, NewInvite, Storage

NOW = datetime(2015, 5, 18, 12, 0, tzinfo=UTC)
TRIP = "metropolis-2015"


def _draft(message_id: int) -> NoteDraft:
    return NoteDraft(
        trip_id=TRIP,
        member_id="cao-kaiwen",
        user_id=7,
        chat_id=7,
        message_id=message_id,
        album=None,
        leg_id=None,
        taken_at=NOW,
        text=f"筆記 {message_id}",
        sections=frozenset(),
        contacts=(),
        attachments=(),
    )


async def test_a_message_delivered_to_both_workers_is_one_note(
    workers: tuple[Storage, Storage],
) -> None:
    a, b = workers
    for message_id in range(1, 21):
        results = await asyncio.gather(
            a.add_note(_draft(message_id), NOW), b.add_note(_draft(message_id), NOW)
        )
        assert sorted(outcome for _, outcome in results) == ["new", "replay"]
        assert results[0][0].id == results[1][0].id
    assert len(await a.notes_of_trip(TRIP)) == 20
    assert len(await b.notes_of_trip(TRIP)) == 20


async def test_two_publishes_at_once_give_one_version(workers: tuple[Storage, Storage]) -> None:
    a, b = workers
    change = Change("delay", leg="leg-1", by=timedelta(minutes=30), reason="交通管制")
    for base in range(5):
        drafts = []
        for store in (a, b):
            draft_id = await store.save_draft(TRIP, 1, base, change, NOW)
            draft = await store.draft(draft_id)
            assert draft is not None
            drafts.append(draft)
        results = await asyncio.gather(
            *(
                store.publish_change(d, "desk", frozenset({"leg-1"}), ("z", "e"), [], NOW)
                for store, d in zip((a, b), drafts, strict=True)
            )
        )
        published = [r for r in results if r is not None]
        assert len(published) == 1 and published[0][0] == base + 1
    log = await b.change_log(TRIP)
    assert [p.version for p in log] == [1, 2, 3, 4, 5]


async def test_an_invite_redeemed_on_both_workers_at_once_is_used_once(
    workers: tuple[Storage, Storage],
) -> None:
    a, b = workers
    for n in range(10):
        code_hash = f"code-{n}"
        await a.create_invite(
            NewInvite(code_hash, TRIP, f"m{n}", "delegate", "desk", NOW, NOW + timedelta(hours=72))
        )
        got = await asyncio.gather(
            a.redeem_invite(
                code_hash, user_id=100 + n, chat_id=100 + n, lang="zh", name="A", now=NOW
            ),
            b.redeem_invite(
                code_hash, user_id=200 + n, chat_id=200 + n, lang="zh", name="B", now=NOW
            ),
        )
        joined = [g for g in got if isinstance(g, Membership)]
        assert len(joined) == 1
        assert [g for g in got if not isinstance(g, Membership)] == [InviteRefused.USED]
    members = await b.trip_members(TRIP)
    assert len(members) == 10


@pytest.mark.postgres_only  # on SQLite one process is the only writer (the run lock)
async def test_a_member_revoked_on_one_worker_is_out_on_the_other_at_once(
    workers: tuple[Storage, Storage],
) -> None:
    a, b = workers
    for code_hash, member, role in (("c1", "m1", "coordinator"), ("c2", "m2", "delegate")):
        await a.create_invite(
            NewInvite(code_hash, TRIP, member, role, "desk", NOW, NOW + timedelta(hours=72))
        )
    await a.redeem_invite("c1", user_id=1, chat_id=1, lang="zh", name="C", now=NOW)
    await a.redeem_invite("c2", user_id=2, chat_id=2, lang="zh", name="D", now=NOW)
    assert (await b.membership(2)) is not None  # worker B has seen the delegate
    assert await a.revoke_member(TRIP, "m2", NOW)
    assert await b.membership(2) is None
