"""End to end on one PostgreSQL database: two workers (Applications), one sender. A notice
published on the worker without the lease is sent once, by the holder; when the holder stops,
the other takes over within seconds and sends what remained, nothing twice."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import BotApp, build_application
from bot.clock import ManualClock
from bot.config import Settings
from bot.invites import hash_code
from bot.reminders.rules import TripReminders
from bot.storage import NewInvite, Storage
from bot.trip.loader import load_trip
from emulator import BotApiEmulator, EmuUser
from emulator.ptb import running
from tests import dbs
from tests.e2e import until

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2015, 5, 18, 12, 0, tzinfo=UTC)
DELEGATES = 60  # 2.4 s of notices at the outbox's 25 msg/s: the holder stops in the middle

pytestmark = pytest.mark.postgres_only  # several workers share a PostgreSQL database


async def admit(store: Storage, desk: EmuUser, delegates: list[EmuUser]) -> None:
    """Admit the accounts directly in the shared database."""
    for i, user in enumerate([desk, *delegates]):
        code, role = hash_code(f"lease-{i}"), "coordinator" if user is desk else "delegate"
        member = "intl-desk" if user is desk else "yi-rongzong"
        await store.create_invite(
            NewInvite(code, "metropolis-2015", member, role, "test", T0, T0 + timedelta(days=1))
        )
        await store.redeem_invite(
            code, user_id=user.id, chat_id=user.id, lang="zh", name=f"d{i}", now=T0
        )


@asynccontextmanager
async def sending(app: BotApp) -> AsyncIterator[BotApp]:
    """Run a worker that receives no updates (they all reach the other): its hooks and jobs."""
    await app.initialize()
    assert app.post_init and app.post_stop and app.post_shutdown
    await app.post_init(app)
    await app.start()
    try:
        yield app
    finally:
        await app.stop()
        await app.post_stop(app)
        await app.shutdown()
        await app.post_shutdown(app)


async def test_a_notice_published_on_the_other_worker_goes_once_and_survives_the_holder(
    tmp_path: Path,
) -> None:
    quiet = TripReminders(legs={}, morning=None, prep=None)  # only the notices are pushed
    trip = load_trip(ROOT / "content" / "metropolis-2015").model_copy(update={"reminders": quiet})
    url = dbs.database_url(tmp_path / "db")
    async with BotApiEmulator(bot_username="lease_test_bot") as emu:
        desk = emu.user("desk", started=True)
        delegates = [emu.user(f"u{i}", started=True) for i in range(DELEGATES)]
        store = await Storage.open(tmp_path / "db" / "bot.sqlite3", url)
        await admit(store, desk, delegates)

        def worker(name: str) -> BotApp:
            settings = Settings(
                base_url=emu.base_url,
                base_file_url=emu.base_file_url,
                data_dir=tmp_path / name,  # its own run lock and media; the database is shared
                database_url=url,
                content_dir=ROOT / "content",
                pack_on_publish=False,
            )
            return build_application(settings, trips={trip.id: trip}, clock=ManualClock(T0))

        def got(text: str) -> Counter[int]:
            return Counter(
                u.id for u in delegates for m in emu.messages(u) if text in (m.text or "")
            )

        async with AsyncExitStack() as holder_running:
            holder = await holder_running.enter_async_context(sending(worker("a")))
            async with running(worker("b"), poll_timeout=1.0) as other:
                assert holder.bot_data.lease and holder.bot_data.lease.held
                assert other.bot_data.lease and not other.bot_data.lease.held
                for service in (other.bot_data.reminders, other.bot_data.digests):
                    assert not service.deliverer.running  # every outbox waits for the lease
                account = await other.bot_data.storage.membership(desk.id)
                assert account is not None
                # Published where the desk's update landed: the worker that does not send.
                assert await other.bot_data.changes.announce(account, "first call") == DELEGATES
                took = await until(lambda: len(got("first call")) == DELEGATES, 15, "first")
                print(f"\nfirst notice to {DELEGATES} by the holder in {took:.1f} s")
                assert other.bot_data.changes.broadcaster.deliverer.sent == 0
                assert holder.bot_data.changes.broadcaster.deliverer.sent == DELEGATES

                assert await other.bot_data.changes.announce(account, "second call") == DELEGATES
                await until(lambda: len(got("second call")) >= 5, 10, "second begun")
                await holder_running.aclose()  # the holder stops in the middle of it
                by_holder = len(got("second call"))
                lease = other.bot_data.lease
                took = await until(lambda: lease.held, 5, "take-over")
                # The services resume just after the lease is taken (the gain's own step).
                resumed = other.bot_data.reminders.deliverer
                await until(lambda: resumed.running, 5, "the outboxes resumed")
                print(f"lease moved {took:.2f} s after the holder stopped ({by_holder} sent)")
                await until(lambda: len(got("second call")) == DELEGATES, 15, "the rest")
                assert by_holder < DELEGATES  # the other worker did send what remained
                await asyncio.sleep(1.5)  # one more sweep: still nothing twice
                assert set(got("first call").values()) == {1}
                assert set(got("second call").values()) == {1}
                assert other.bot_data.changes.broadcaster.deliverer.sent > 0
                states = await store.push_states("notice", "2")
                assert set(states.values()) == {"sent"}, Counter(states.values())
        await store.close()
