"""End to end: a member's command is answered promptly while a broadcast fills the 30 msg/s."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app import build_application
from bot.clock import ManualClock
from bot.config import Settings
from bot.invites import hash_code
from bot.reminders.rules import TripReminders
from bot.storage import NewInvite, Role, Storage
from bot.trip.loader import load_trip
from emulator import BotApiEmulator, EmuUser
from emulator.failures import RateLimit
from emulator.ptb import running

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2015, 5, 18, 12, 0, tzinfo=UTC)
DELEGATES = 200  # 8 s of notices at the outbox's 25 msg/s
LEG = "plenary-live-the-city"


async def admit(db: Path, users: list[tuple[EmuUser, Role]]) -> None:
    """Admit the accounts directly in the database the bot will open."""
    store = await Storage.open(db)
    for i, (user, role) in enumerate(users):
        code = hash_code(f"outbox-{i}")
        member = "intl-desk" if role == "coordinator" else "yi-rongzong"
        await store.create_invite(
            NewInvite(code, "metropolis-2015", member, role, "test", T0, T0 + timedelta(days=1))
        )
        await store.redeem_invite(
            code, user_id=user.id, chat_id=user.id, lang="zh", name=f"d{i}", now=T0
        )
    await store.close()


async def test_a_command_during_a_broadcast_is_answered_within_two_seconds(
    tmp_path: Path,
) -> None:
    quiet = TripReminders(legs={}, morning=None, prep=None)  # only the notices are pushed
    trip = load_trip(ROOT / "content" / "metropolis-2015").model_copy(update={"reminders": quiet})
    # The emulator keeps Telegram's limits (30 msg/s overall, 1/s per chat) and answers 429.
    async with BotApiEmulator(bot_username="outbox_test_bot", rate_limit=RateLimit()) as emu:
        desk = emu.user("desk", started=True)
        delegates = [emu.user(f"u{i}", started=True) for i in range(DELEGATES)]
        settings = Settings(
            base_url=emu.base_url,
            base_file_url=emu.base_file_url,
            data_dir=tmp_path,
            content_dir=ROOT / "content",
            pack_on_publish=False,  # as in tests/e2e.py: no extra notice
        )
        assert settings.rate_limit == 30  # PTB's own limiter on, as in production
        await admit(
            settings.db_path, [(desk, "coordinator")] + [(u, "delegate") for u in delegates]
        )
        app = build_application(settings, trips={trip.id: trip}, clock=ManualClock(T0))
        async with running(app, poll_timeout=1.0):
            await emu.send_text(desk, f"/delay {LEG} 45m")
            preview = await emu.wait_for(desk, timeout=10)
            await emu.press(desk, preview, "📣 發布")
            published = await emu.wait_for(desk, timeout=10)
            assert "已發布 v1" in (published.text or "")

            def delivered() -> int:
                return sum(1 for u in delegates if emu.messages(u))

            for _ in range(3):
                sent = time.monotonic()
                await emu.send_text(desk, "/next")
                reply = await emu.wait_for(desk, timeout=10)
                assert reply.arrived_at - sent < 2.0, reply.arrived_at - sent
                assert delivered() < DELEGATES  # the broadcast was still going on
                await asyncio.sleep(max(0.0, sent + 1.2 - time.monotonic()))  # 1/s per chat
            await emu.wait_until(lambda: delivered() == DELEGATES, 60, "every notice delivered")
    counts = Counter(sum(1 for m in emu.messages(u) if "v1" in (m.text or "")) for u in delegates)
    assert counts == {1: DELEGATES}  # each once, none lost
