"""End to end on one PostgreSQL database: two workers (Applications). A press may land on
either: an announcement previewed on one is sent once when published on the other, and its
preview then says so; two coordinators publishing at the same moment on two workers get one
version each, and the one who lost sees the change against the new schedule."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import BotApp, build_application
from bot.changes.model import Change
from bot.clock import ManualClock
from bot.config import Settings
from bot.i18n import t
from bot.reminders.rules import TripReminders
from bot.storage import Membership, Storage
from bot.trip.loader import load_trip
from bot.trip.models import Trip
from emulator import BotApiEmulator, EmuUser
from emulator.ptb import running
from tests import dbs
from tests.test_e2e_lease import admit, sending, until

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2015, 5, 18, 12, 0, tzinfo=UTC)
KEYNOTE = "plenary-live-the-city"
DELEGATES = 5
ROUNDS = 10

pytestmark = pytest.mark.skipif(
    not dbs.on_postgres(), reason="several workers share a PostgreSQL database, not a file"
)


@asynccontextmanager
async def two_workers(
    tmp_path: Path,
) -> AsyncIterator[tuple[BotApiEmulator, EmuUser, list[EmuUser], BotApp, BotApp, Membership]]:
    """An emulator, the desk and its delegates admitted, worker A (the sender, which gets no
    updates) and worker B (which gets them all), and the desk's account."""
    quiet = TripReminders(legs={}, morning=None, prep=None)  # only the notices are pushed
    trip: Trip = load_trip(ROOT / "content" / "metropolis-2015").model_copy(
        update={"reminders": quiet}
    )
    url = dbs.database_url(tmp_path / "db")
    async with BotApiEmulator(bot_username="shared_test_bot") as emu:
        desk = emu.user("desk", started=True)
        delegates = [emu.user(f"u{i}", started=True) for i in range(DELEGATES)]
        store = await Storage.open(tmp_path / "db" / "bot.sqlite3", url)
        await admit(store, desk, delegates)
        account = await store.membership(desk.id)
        assert account is not None
        await store.close()

        def worker(name: str) -> BotApp:
            settings = Settings(
                base_url=emu.base_url,
                base_file_url=emu.base_file_url,
                data_dir=tmp_path / name,
                database_url=url,
                content_dir=ROOT / "content",
                pack_on_publish=False,
            )
            return build_application(settings, trips={trip.id: trip}, clock=ManualClock(T0))

        async with sending(worker("a")) as a, running(worker("b"), poll_timeout=1.0) as b:
            yield emu, desk, delegates, a, b, account


async def test_an_announcement_previewed_on_one_worker_is_published_once_on_the_other(
    tmp_path: Path,
) -> None:
    async with two_workers(tmp_path) as (emu, desk, delegates, a, b, account):
        await emu.send_text(desk, "/announce 明早 8 點大廳集合")
        preview = await emu.wait_for(desk)  # worker B holds it
        buttons = preview.callback_data()
        held = int(next(d for d in buttons if d.startswith("ann:pub:")).split(":")[2])
        # The press lands on worker A, twice at once (Telegram re-delivers, or a double tap).
        sent = await asyncio.gather(
            *(a.bot_data.changes.publish_announcement(held, account) for _ in range(2)),
            b.bot_data.changes.publish_announcement(held, account),
        )
        assert sorted(n if n is not None else -1 for n in sent) == [-1, -1, DELEGATES]

        def got() -> Counter[int]:
            return Counter(
                u.id for u in delegates for m in emu.messages(u) if "大廳集合" in (m.text or "")
            )

        await until(lambda: len(got()) == DELEGATES, 10, "the announcement reached everyone")
        # And the desk presses Publish on the preview worker B showed: already dealt with.
        await emu.press(desk, preview, "📣 發布")
        assert (await emu.wait_for(desk)).text == t("zh", "chg_gone")
        await asyncio.sleep(1.0)  # a sweep more: nothing twice
        assert set(got().values()) == {1}

        # Held on A, discarded on B: gone from both.
        again = await a.bot_data.changes.hold_announcement(account, "取消")
        assert await b.bot_data.changes.discard_announcement(again, account)
        assert await a.bot_data.changes.publish_announcement(again, account) is None


async def test_two_workers_publishing_at_once_get_one_version_each(tmp_path: Path) -> None:
    async with two_workers(tmp_path) as (_emu, _desk, _delegates, a, b, account):
        services = (a.bot_data.changes, b.bot_data.changes)
        for n in range(ROUNDS):
            for service in services:
                await service.refresh(account.trip_id)  # as each update's gate does
            ids = [
                await service.draft(
                    account,
                    Change("delay", leg=KEYNOTE, by=timedelta(minutes=5), reason=f"r{n}-{i}"),
                )
                for i, service in enumerate(services)
            ]
            drafts = [await a.bot_data.storage.draft(d) for d in ids]
            outcomes = await asyncio.gather(
                *(
                    service.publish(d, account)
                    for service, d in zip(services, drafts, strict=True)
                    if d is not None
                )
            )
            assert sorted(o.status for o in outcomes) == ["moved", "published"], outcomes
            won = next(o for o in outcomes if o.status == "published")
            assert won.version == 2 * n + 1
            # The loser caught up: its draft is shown against the new version, and goes next.
            loser = next(i for i, o in enumerate(outcomes) if o.status == "moved")
            assert outcomes[loser].version == 2 * n + 1
            redo = await a.bot_data.storage.draft(ids[loser])
            assert redo is not None and redo.base_version == 2 * n + 1
            second = await services[loser].publish(redo, account)
            assert (second.status, second.version) == ("published", 2 * n + 2)
        log = await b.bot_data.storage.change_log(account.trip_id)
        assert [p.version for p in log] == list(range(1, 2 * ROUNDS + 1))
        for service in services:  # the last loser published itself; the other catches up here
            await service.refresh(account.trip_id)
        assert services[0].versions == services[1].versions == {account.trip_id: 2 * ROUNDS}


PHOTO = b"\xff\xd8\xff\xe0" + b"jpeg-bytes " * 200


async def test_a_file_is_fetched_by_one_worker_and_a_dead_workers_lease_runs_out(
    tmp_path: Path,
) -> None:
    async with two_workers(tmp_path) as (emu, _desk, delegates, a, b, _account):
        emu.fail_file_downloads(times=1000)
        await emu.send_photo(delegates[0], PHOTO, caption="網路不穩")
        assert "下載中" in ((await emu.wait_for(delegates[0])).text or "")  # B recorded it
        pending = await a.bot_data.storage.pending_files()
        assert len(pending) == 1
        # B's own retry would end its backoff; here B is as good as dead: its timers stop.
        b.bot_data.timers.cancel(f"download {pending[0].id}")
        emu.clear_failures()
        fetched = emu.stats.calls["getFile"]
        downloads = (a.bot_data.notes.downloads, b.bot_data.notes.downloads)
        await downloads[0].sweep_job(None)  # A: B's backoff lease still holds the file
        assert emu.stats.calls["getFile"] == fetched
        for app in (a, b):  # the workers' clocks agree, as in the field
            clock = app.bot_data.clock
            assert isinstance(clock, ManualClock)
            clock.advance(timedelta(minutes=11))  # past any lease of B's
        # Both sweep at once (B came back, say): one of them fetches it, once.
        await asyncio.gather(*(d.sweep_job(None) for d in downloads))
        await until(lambda: emu.stats.file_downloads > 0, 5, "the file fetched")
        assert emu.stats.calls["getFile"] == fetched + 1
        assert await a.bot_data.storage.pending_files() == []
        note = await b.bot_data.storage.note(pending[0].note_id)
        assert note is not None and note.attachments[0].status == "stored"
