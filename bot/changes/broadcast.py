"""Durable broadcasts of notices within Telegram's limits, each recipient once.

Every recipient has an outbox row, written in the same transaction as the change it announces.
Pacing, 429 `retry_after`, 403 and network retries are the outbox's `Deliverer` (25 msg/s
overall, 1/s per chat) and its one `TelegramSink`. A send that fails for network or 5xx
reasons stays queued and is tried again, with capped backoff, until the trip ends or a newer
change of the same legs supersedes it. A send is claimed in SQLite just before its HTTP call, so
a crash never sends it twice; a claimed row found on start is `unconfirmed`, and since it is
not acknowledged it goes out again by the trip's re-send rule — the notice still reaches
everyone. Queued rows left by a crash are sent on start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, time, timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import t
from bot.outbox.lease import sweep
from bot.outbox.pacer import Deliverer, Pacer
from bot.outbox.sink import TelegramSink
from bot.storage import Storage
from bot.storage.outbox import Push
from bot.trip.models import Trip
from bot.trip.types import Lang

log = logging.getLogger(__name__)


def trip_ends_at(trip: Trip) -> datetime:
    """When a trip is over: the end of its last day at home, or its last leg's end if later."""
    last_day = datetime.combine(trip.end + timedelta(days=1), time(), trip.home_zone)
    return max([last_day.astimezone(UTC), *(leg.end_at for leg in trip.legs)])


def ack_markup(notice_id: int, lang: str) -> InlineKeyboardMarkup:
    """The "收到 / Got it" button of a notice; it carries the language the notice is in."""
    said: Lang = "en" if lang == "en" else "zh"
    button = InlineKeyboardButton(t(said, "btn_ack"), callback_data=f"ack:{notice_id}:{said}")
    return InlineKeyboardMarkup([[button]])


def checkin_markup(notice_id: int, lang: str) -> InlineKeyboardMarkup:
    """The 「平安 / 需要協助」 buttons of a check-in: either answer acknowledges it."""
    said: Lang = "en" if lang == "en" else "zh"
    safe = InlineKeyboardButton(t(said, "btn_safe"), callback_data=f"chk:safe:{notice_id}:{said}")
    help_ = InlineKeyboardButton(t(said, "btn_help"), callback_data=f"chk:help:{notice_id}:{said}")
    return InlineKeyboardMarkup([[safe, help_]])


def pack_markup(notice_id: int, lang: str) -> InlineKeyboardMarkup:
    """The "📦 取得簡報包 / Get the pack" button of a pack notice: pressing it acknowledges it."""
    label = t("en" if lang == "en" else "zh", "btn_get_pack")
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=f"pack:{notice_id}")]])


def button_lang(data: str, current: Lang) -> Lang:
    """The language of the message whose button was pressed, so that the answer reads in it
    (one exchange, one language); `current` for a button made before buttons carried it."""
    said = data.rsplit(":", 1)[-1]
    return "en" if said == "en" else "zh" if said == "zh" else current


class _NoticeRows:
    """The notices' side of the outbox: their rows, the text and the ack (or check-in) buttons."""

    kind = "notice"

    def __init__(
        self,
        storage: Callable[[], Storage],
        now: Callable[[], datetime],
        trips: Callable[[], Mapping[str, Trip]],
        on_sent: Callable[[str, datetime], None],
    ) -> None:
        self.storage, self.now, self.trips, self.on_sent = storage, now, trips, on_sent
        self._trip_of: dict[int, str] = {}
        self._texts: dict[tuple[int, str], str] = {}
        self._checkins: dict[int, bool] = {}
        self._packs: dict[int, bool] = {}

    async def claim(self, item: Push) -> bool:
        """Claim the send, or record why it is no longer worth sending."""
        why = await self._expired(item)
        if why:
            log.warning("notice %s to %s: not sent, %s", item.notice_id, item.user_id, why)
            await self.finish(item, "failed", why)
            return False
        return await self.storage().claim_push(item, self.now())

    async def _expired(self, item: Push) -> str | None:
        """Why the notice is no longer worth sending: the trip ended, or a newer change of the
        same legs superseded it (its notice goes out instead)."""
        trip_id, newer = await self.storage().notice_expiry(item.notice_id)
        self._trip_of[item.notice_id] = trip_id
        if newer is not None:
            return f"expired: superseded by change v{newer}"
        trip = self.trips().get(trip_id)
        if trip is not None and self.now() >= trip_ends_at(trip):
            return "expired: the trip has ended"
        return None

    async def render(self, item: Push) -> tuple[str, InlineKeyboardMarkup]:
        """The notice in the recipient's language at send time (a re-send after /lang reads in
        the new one), and its buttons (on the last part)."""
        account = await self.storage().membership(item.user_id)
        lang: Lang = account.lang if account else "zh"
        key = (item.notice_id, lang)
        if key not in self._texts:
            self._texts[key] = await self.storage().notice_text(item.notice_id, lang)
        if item.notice_id not in self._checkins:
            self._checkins[item.notice_id] = await self.storage().is_checkin(item.notice_id)
        if item.notice_id not in self._packs:
            self._packs[item.notice_id] = await self.storage().is_pack_notice(item.notice_id)
        markup = checkin_markup if self._checkins[item.notice_id] else ack_markup
        markup = pack_markup if self._packs[item.notice_id] else markup
        return self._texts[key], markup(item.notice_id, lang)

    async def finish(self, item: Push, state: str, error: str | None) -> None:
        """Record the send's outcome; a notice sent times its trip's re-send."""
        now = self.now()
        await self.storage().finish_push(item, state, now, error)  # type: ignore[arg-type]
        if state == "sent" and item.notice_id in self._trip_of:
            self.on_sent(self._trip_of[item.notice_id], now)


class Broadcaster:
    """The outbox of notices: queue rows, send them paced, resume them after a restart."""

    def __init__(
        self,
        bot: Bot,
        storage: Callable[[], Storage],
        now: Callable[[], datetime],
        trips: Callable[[], Mapping[str, Trip]],
        pacer: Pacer | None = None,
        retry_cap: float = 30.0,
        on_sent: Callable[[str, datetime], None] = lambda trip_id, at: None,
    ) -> None:
        self.storage, self.now = storage, now
        sink = TelegramSink(bot, _NoticeRows(storage, now, trips, on_sent), storage, now)
        self.deliverer: Deliverer[Push] = Deliverer(sink, pacer=pacer, backoff_cap=retry_cap)

    async def resume(self) -> int:
        """The sender lease is ours (at start, or taken over): send what a previous sender left
        unsent. How many were resumed."""
        self.deliverer.start()
        resumed = await self.storage().resume_notices(self.now())
        self.send(resumed)
        return len(resumed)

    async def pause(self) -> None:
        """The sender lease is lost: stop handing out; the rows stay queued."""
        await self.deliverer.halt()

    async def sweep(self) -> int:
        """Send the due notices another worker queued; how many."""
        return sweep(self.deliverer, await self.storage().due_pushes("notice", self.now()))

    def send(self, items: list[Push]) -> None:
        """Hand queued rows to the paced sender (if this worker is the sender: else they wait
        in the table for the one that is)."""
        for item in items:
            self.deliverer.offer(item, item.chat_id)

    @property
    def pending(self) -> int:
        """Sends queued or in flight."""
        return self.deliverer.pending

    async def stop(self) -> None:
        """Stop; sends in flight finish and are recorded."""
        await self.deliverer.stop()
