"""Races between two workers (two Storage instances on one database), repeated: publishes at
the same moment get one version each, consecutive, and an invite redeemed at once from both is
used once. On PostgreSQL every write transaction takes one advisory lock first
(bot/storage/postgres.py), on SQLite BEGIN IMMEDIATE; the log's key (trip_id, version) would
refuse a second row of one version even without them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.changes.model import Change, Draft
from bot.invites import issue_invite
from bot.storage import InviteRefused, Membership, Storage
from bot.trip.loader import load_trip

NOW = datetime(2015, 5, 18, 12, 0, tzinfo=UTC)
TRIP = "metropolis-2015"
ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 20


async def _publish_until_done(store: Storage, user_id: int, minutes: int) -> int:
    """Press Publish as a coordinator would: on "moved", take the new version and press again;
    the version this draft got."""
    change = Change("delay", leg="leg-1", by=timedelta(minutes=minutes), reason=f"r{minutes}")
    draft_id = await store.save_draft(TRIP, user_id, await store.trip_version(TRIP), change, NOW)
    while True:
        draft = await store.draft(draft_id)
        assert isinstance(draft, Draft) and draft.state == "open"
        done = await store.publish_change(draft, f"u{user_id}", frozenset(), ("z", "e"), [], NOW)
        if done is not None:
            return done[0]
        await store.rebase_draft(draft_id, await store.trip_version(TRIP))


async def test_publishes_on_two_workers_at_once_get_distinct_consecutive_versions(
    workers: tuple[Storage, Storage],
) -> None:
    a, b = workers
    got = await asyncio.gather(
        *(_publish_until_done(store, i, i) for i in range(ROUNDS) for store in (a, b))
    )
    assert sorted(got) == list(range(1, 2 * ROUNDS + 1))  # one version each, none twice
    log = await b.change_log(TRIP)
    assert [p.version for p in log] == list(range(1, 2 * ROUNDS + 1))
    # Each version is the draft that got it: its reason went with it.
    assert sorted(p.change.reason for p in log) == sorted(
        f"r{i}" for i in [*range(ROUNDS), *range(ROUNDS)]
    )


async def test_one_invite_redeemed_on_two_workers_at_once_is_used_once(
    workers: tuple[Storage, Storage],
) -> None:
    a, b = workers
    trip = load_trip(ROOT / "content" / TRIP)
    member = trip.members[0].id
    for n in range(ROUNDS):
        invite = await issue_invite(
            a, trip, member, "delegate", created_by="desk", now=NOW, ttl=timedelta(hours=1)
        )
        got = await asyncio.gather(
            *(
                store.redeem_invite(
                    store.invite_hash(invite.code),
                    user_id=1000 * k + n,
                    chat_id=1000 * k + n,
                    lang="zh",
                    name="x",
                    now=NOW,
                )
                for k, store in ((1, a), (2, b))
            )
        )
        assert len([g for g in got if isinstance(g, Membership)]) == 1, got
        assert [g for g in got if not isinstance(g, Membership)] == [InviteRefused.USED]
    assert len(await a.trip_members(TRIP)) == ROUNDS
