"""End to end: invite guessing is throttled and learns nothing; codes are keyed hashes; roles
change only on purpose; the last coordinator stays."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.storage import NewInvite, Storage
from tests.e2e import bot_harness

T0 = datetime(2015, 5, 19, 13, 0, tzinfo=UTC)
TRIP = "metropolis-2015"


async def test_unknown_used_and_expired_codes_get_the_same_refusal(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        used = await h.invite(TRIP, "cao-kaiwen")
        await h.ask(h.user("First"), f"/start {used}")
        expired = await h.invite(TRIP, "yi-rongzong")
        h.clock.advance(timedelta(hours=73))
        answers = set()
        for code in ("not-a-real-code", used, expired):
            answers.add((await h.ask(h.user("Guesser"), f"/start {code}")).text)
    assert len(answers) == 1, answers


async def test_failed_attempts_are_throttled_per_account_then_cool_down(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        guesser = h.user("Guesser")
        for i in range(20):
            await h.emu.send_text(guesser, f"/start wrong-{i:02}")
        await h.emu.wait_until(lambda: len(h.emu.messages(guesser)) >= 6, 5, "answers")
        good = await h.invite(TRIP, "cao-kaiwen")
        await h.emu.send_text(guesser, f"/start {good}")  # even a good code waits out the cool-down
        await asyncio.sleep(1.5)
        texts = [m.text or "" for m in h.emu.messages(guesser)]
        in_trip = await h.app.bot_data.storage.membership(guesser.id)
        h.emu.drain(guesser)
        h.clock.advance(timedelta(minutes=11))
        after = await h.ask(guesser, f"/start {good}")
    # 5 refusals and the cool-down notice (concurrent: in any order), then silence.
    assert len(texts) == 6, texts
    assert len(set(texts)) == 2 and sum("10 分鐘" in text for text in texts) == 1
    assert in_trip is None
    assert "歡迎" in (after.text or "")


async def test_codes_are_stored_as_a_keyed_hash_and_old_hashes_still_work(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        code = await h.invite(TRIP, "cao-kaiwen")
        data = tmp_path / "data"
        key = (data / "invite.key").read_bytes()
        async with h.app.bot_data.storage.db.execute("SELECT code_hash FROM invites") as cur:
            stored = {row[0] for row in await cur.fetchall()}
        assert hmac.new(key, code.encode(), hashlib.sha256).hexdigest() in stored
        assert hashlib.sha256(code.encode()).hexdigest() not in stored
        assert stat.S_IMODE((data / "invite.key").stat().st_mode) == 0o600
        # An invite from before keyed hashes (unkeyed SHA-256, marked legacy by the migration).
        old = "old-code-from-last-week"
        storage: Storage = h.app.bot_data.storage
        await storage.create_invite(
            NewInvite(
                hashlib.sha256(old.encode()).hexdigest(),
                TRIP,
                "yi-rongzong",
                "delegate",
                "shell",
                T0,
                T0 + timedelta(days=1),
            )
        )
        async with storage.db.transaction() as conn:
            await conn.execute("UPDATE invites SET legacy = 1 WHERE created_by = 'shell'")
        reply = await h.ask(h.user("Yi"), f"/start {old}")
    assert "易榮宗" in (reply.text or "")


async def test_a_member_sending_another_members_code_keeps_their_role(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        desk = await h.join("intl-desk", "coordinator")
        other = await h.join("yi-rongzong", "coordinator")  # a second coordinator
        delegate_code = await h.invite(TRIP, "cao-kaiwen")
        refused = await h.ask(desk, f"/start {delegate_code}")
        members = await h.ask(desk, "/members")
        cao = await h.ask(h.user("Cao"), f"/start {delegate_code}")  # the code is still good
        assert other
    assert "承辦人" in (refused.text or "") and "身分不變" in (refused.text or "")
    assert "已加入成員" in (members.text or "")
    assert "曹凱雯" in (cao.text or "")


async def test_a_member_sending_their_own_code_again_is_told_they_are_in(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        user = h.user("Cao")
        await h.ask(user, f"/start {await h.invite(TRIP, 'cao-kaiwen')}")
        again = await h.ask(user, f"/start {await h.invite(TRIP, 'cao-kaiwen')}")
    assert "您已加入" in (again.text or "")


async def test_the_last_coordinator_cannot_be_revoked_or_demoted(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        desk = await h.join("intl-desk", "coordinator")
        revoke = await h.ask(desk, "/revoke intl-desk")
        demote = await h.ask(desk, f"/start {await h.invite(TRIP, 'intl-desk', 'delegate')}")
        still = await h.app.bot_data.storage.membership(desk.id)
        second = await h.join("yi-rongzong", "coordinator")
        revoked = await h.ask(second, "/revoke intl-desk")
    assert "唯一的承辦人" in (revoke.text or "") and "唯一的承辦人" in (demote.text or "")
    assert still is not None and still.role == "coordinator"
    assert "已撤銷" in (revoked.text or "")
