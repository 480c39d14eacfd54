"""End to end on one PostgreSQL database: a change published on worker A is what worker B
serves at once (its gate checks the trip's version per update), and B's own next publish gets
the next version number, not a second v1."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import BotApp, build_application
from bot.changes.model import Change
from bot.changes.parse import parse_quick
from bot.clock import ManualClock
from bot.config import Settings
from bot.reminders.rules import TripReminders
from bot.storage import Storage
from bot.trip.loader import load_trip
from emulator import BotApiEmulator, BotMessage, EmuUser
from emulator.ptb import running
from tests import dbs
from tests.test_e2e_lease import T0, admit, sending

ROOT = Path(__file__).resolve().parent.parent
TRIP = "metropolis-2015"
KEYNOTE = "plenary-live-the-city"  # 19 May 09:30–12:00 Buenos Aires

pytestmark = pytest.mark.postgres_only  # several workers share a PostgreSQL database


async def publish_on(app: BotApp, user_id: int, words: list[str]) -> int:
    """A coordinator's quick change published on `app` through its core; the version."""
    changes, member = app.bot_data.changes, await app.bot_data.storage.membership(user_id)
    assert member is not None
    change = parse_quick("delay", words, changes.content[TRIP], app.bot_data.trips[TRIP], T0)
    assert isinstance(change, Change)
    draft = await app.bot_data.storage.draft(await changes.draft(member, change))
    assert draft is not None
    outcome = await changes.publish(draft, member)
    assert outcome.status == "published", outcome
    return outcome.version


async def ask(emu: BotApiEmulator, user: EmuUser, text: str) -> BotMessage:
    """Send a command; the bot's answer (past a change notice the sender pushes meanwhile)."""
    await emu.send_text(user, text)
    while ((got := await emu.wait_for(user)).text or "").startswith("🔄 行程變更"):
        pass
    return got


async def test_a_change_published_on_a_is_served_by_b_at_once(tmp_path: Path) -> None:
    quiet = TripReminders(legs={}, morning=None, prep=None)
    trip = load_trip(ROOT / "content" / TRIP).model_copy(update={"reminders": quiet})
    url = dbs.database_url(tmp_path / "db")
    async with BotApiEmulator(bot_username="fresh_test_bot") as emu:
        desk = emu.user("desk", started=True)
        yi = emu.user("yi", started=True)
        store = await Storage.open(tmp_path / "db" / "bot.sqlite3", url)
        await admit(store, desk, [yi])

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
            day = (await ask(emu, yi, "/itinerary 2015-05-19")).text or ""
            assert "09:30–12:00" in day, day  # B has served the schedule before the change
            assert await publish_on(a, desk.id, [KEYNOTE, "90m", "交通管制"]) == 1
            day = (await ask(emu, yi, "/itinerary 2015-05-19")).text or ""
            assert "11:00–13:30" in day, day  # B's very next answer has A's change
            assert b.bot_data.changes.versions[TRIP] == 1
            # B publishes next, through the chat: the next version, on top of A's.
            preview = await ask(emu, desk, f"/delay {KEYNOTE} 15m")
            assert preview.button_texts() == ["📣 發布", "🗑 捨棄"], preview.text
            await emu.press(desk, preview, "📣 發布")
            done = await emu.wait_for(desk)
            said = done.text or ""
            assert said.startswith("✅ 已發布") and "v2" in said, said
            assert await store.trip_version(TRIP) == 2
            day = (await ask(emu, yi, "/itinerary 2015-05-19")).text or ""
            assert "11:15–13:45" in day, day
        await store.close()
