"""Durable broadcasts of notices within Telegram's limits, each recipient once.

Every recipient has an outbox row, written in the same transaction as the change it announces.
Pacing, 429 `retry_after`, 403 and network retries are the reminders' `Deliverer` (~30 msg/s
overall, 1/s per chat). A send that fails for network or 5xx reasons stays queued and is tried
again, with capped backoff, until the trip ends or a newer change of the same legs supersedes it.
A send is claimed in SQLite just before its HTTP call, so a crash never
sends it twice; a claimed row found on start is `unconfirmed`, and since it is not acknowledged
it goes out again by the trip's re-send rule — the notice still reaches everyone. Queued rows
left by a crash are sent on start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, time, timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode

from bot.formatting.legs import split_message
from bot.i18n import t
from bot.reminders.deliver import Deliverer, Pacer
from bot.storage import Storage
from bot.storage.changes import NoticeOut
from bot.trip.models import Trip
from bot.trip.types import Lang

log = logging.getLogger(__name__)


def trip_ends_at(trip: Trip) -> datetime:
    """When a trip is over: the end of its last day at home, or its last leg's end if later."""
    last_day = datetime.combine(trip.end + timedelta(days=1), time(), trip.home_zone)
    return max([last_day.astimezone(UTC), *(leg.end_at for leg in trip.legs)])


def ack_markup(notice_id: int, lang: str) -> InlineKeyboardMarkup:
    """The "收到 / Got it" button of a notice."""
    label = t("en" if lang == "en" else "zh", "btn_ack")
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=f"ack:{notice_id}")]])


def checkin_markup(notice_id: int, lang: str) -> InlineKeyboardMarkup:
    """The 「平安 / 需要協助」 buttons of a check-in: either answer acknowledges it."""
    said: Lang = "en" if lang == "en" else "zh"
    safe = InlineKeyboardButton(t(said, "btn_safe"), callback_data=f"chk:safe:{notice_id}")
    help_ = InlineKeyboardButton(t(said, "btn_help"), callback_data=f"chk:help:{notice_id}")
    return InlineKeyboardMarkup([[safe, help_]])


def pack_markup(notice_id: int, lang: str) -> InlineKeyboardMarkup:
    """The "📦 取得簡報包 / Get the pack" button of a pack notice: pressing it acknowledges it."""
    label = t("en" if lang == "en" else "zh", "btn_get_pack")
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=f"pack:{notice_id}")]])


class _NoticeSink:
    """Claims, sends (text in the recipient's language, button on the last part), records."""

    def __init__(
        self,
        bot: Bot,
        storage: Callable[[], Storage],
        now: Callable[[], datetime],
        trips: Callable[[], Mapping[str, Trip]],
    ) -> None:
        self.bot, self.storage, self.now, self.trips = bot, storage, now, trips
        self._texts: dict[tuple[int, str], str] = {}
        self._checkins: dict[int, bool] = {}
        self._packs: dict[int, bool] = {}
        self._parts_sent: dict[tuple[int, int], int] = {}

    async def claim(self, item: NoticeOut) -> bool:
        why = await self._expired(item)
        if why:
            log.warning("notice %s to %s: not sent, %s", item.notice_id, item.user_id, why)
            await self.done(item, "failed", why)
            return False
        return await self.storage().claim_notice(item, self.now())

    async def _expired(self, item: NoticeOut) -> str | None:
        """Why the notice is no longer worth sending: the trip ended, or a newer change of the
        same legs superseded it (its notice goes out instead)."""
        trip_id, newer = await self.storage().notice_expiry(item.notice_id)
        if newer is not None:
            return f"expired: superseded by change v{newer}"
        trip = self.trips().get(trip_id)
        if trip is not None and self.now() >= trip_ends_at(trip):
            return "expired: the trip has ended"
        return None

    async def send(self, item: NoticeOut) -> None:
        key = (item.notice_id, item.lang)
        if key not in self._texts:
            self._texts[key] = await self.storage().notice_text(item.notice_id, item.lang)
        if item.notice_id not in self._checkins:
            self._checkins[item.notice_id] = await self.storage().is_checkin(item.notice_id)
        if item.notice_id not in self._packs:
            self._packs[item.notice_id] = await self.storage().is_pack_notice(item.notice_id)
        markup = checkin_markup if self._checkins[item.notice_id] else ack_markup
        markup = pack_markup if self._packs[item.notice_id] else markup
        parts = split_message(self._texts[key])
        # A retry after a failure part-way resumes with the part that failed: none twice.
        done = self._parts_sent.get((item.notice_id, item.user_id), 0)
        for i, part in enumerate(parts[done:], start=done):
            last = i == len(parts) - 1
            await self.bot.send_message(
                item.chat_id,
                part,
                parse_mode=ParseMode.HTML,
                disable_web_page_preview=True,
                reply_markup=markup(item.notice_id, item.lang) if last else None,
            )
            self._parts_sent[(item.notice_id, item.user_id)] = i + 1

    async def done(self, item: NoticeOut, state: str, error: str | None) -> None:
        storage = self.storage()
        await storage.finish_notice(item, state, self.now(), error)  # type: ignore[arg-type]
        if state == "queued":  # to be tried again: keep the parts already sent
            log.info("notice %s to %s: retrying (%s)", item.notice_id, item.user_id, error)
            return
        self._parts_sent.pop((item.notice_id, item.user_id), None)
        if state == "blocked":
            await storage.mark_blocked(item.chat_id, self.now())
        elif state != "sent":
            log.warning("notice %s to %s: %s (%s)", item.notice_id, item.user_id, state, error)


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
    ) -> None:
        self.storage, self.now = storage, now
        self.deliverer: Deliverer[NoticeOut] = Deliverer(
            _NoticeSink(bot, storage, now, trips), pacer=pacer, backoff_cap=retry_cap
        )

    async def start(self) -> int:
        """Start sending; queue what a previous run left unsent. How many were resumed."""
        self.deliverer.start()
        resumed = await self.storage().resume_notices(self.now())
        self.send(resumed)
        return len(resumed)

    def send(self, items: list[NoticeOut]) -> None:
        """Hand queued rows to the paced sender."""
        for item in items:
            self.deliverer.put(item, item.chat_id)

    @property
    def pending(self) -> int:
        """Sends queued or in flight."""
        return self.deliverer.pending

    async def stop(self) -> None:
        """Stop; sends in flight finish and are recorded."""
        await self.deliverer.stop()
