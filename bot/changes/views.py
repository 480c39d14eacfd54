"""Coordinators' views: the change log (/changes) and who acknowledged what (/acks)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from html import escape, unescape

from bot import itinerary
from bot.changes.model import ChangeKind, Conflict, Published
from bot.changes.parse import PICK_LIMIT, ParseError
from bot.formatting.clock import dual_clock, stamp
from bot.formatting.people import member_name
from bot.formatting.punct import colon, enum, paren
from bot.i18n import t
from bot.storage import Storage
from bot.storage.changes import NoticeAcks, NoticeState
from bot.trip.models import Leg, Trip
from bot.trip.types import Lang

LOG_LIMIT = 15
ANNOUNCE_CHARS = 16  # of an announcement's text, to tell it from the others in /acks
_KIND = {
    "delay": ("延後", "delayed"),
    "move": ("改時間", "moved"),
    "cancel": ("取消", "cancelled"),
    "restore": ("恢復", "restored"),
    "revision": ("修訂行程", "revised"),
}


def log_text(
    trip: Trip,
    log: list[Published],
    conflicts: list[Conflict],
    lang: Lang,
    now: datetime,
    content: Trip | None = None,
) -> str:
    """Who changed what, when (where the delegation is now, Taipei beside) and why; `content`
    names the legs a cancel took away."""
    zone = itinerary.position(trip, now).zone
    legs = {**(content.legs_by_id if content else {}), **trip.legs_by_id}
    if not log:
        return t(lang, "changes_none")
    i = 0 if lang == "zh" else 1
    lines = [t(lang, "changes_header", version=log[-1].version)]
    for p in log[-LOG_LIMIT:]:
        what = _KIND[p.change.kind][i]
        if p.change.leg:
            leg = legs.get(p.change.leg)
            what += f" {escape(leg.title.get(lang)) if leg else p.change.leg}"
        if p.change.by is not None:
            what += f" +{int(p.change.by.total_seconds() // 60)}m"
        if p.change.start is not None:
            what += f" → {p.change.start:%m-%d %H:%M}"
        when = dual_clock(p.at, zone, trip.home_zone, lang, trip.zone_places)
        who = escape(member_name(trip, p.author, lang))  # older rows hold a display name
        line = f"v{p.version} {when} {who}{'：' if i == 0 else ': '}{what}"
        if p.change.reason:
            line += f"（{escape(p.change.reason)}）" if i == 0 else f" ({escape(p.change.reason)})"
        lines.append(line)
    if conflicts:
        lines += ["", t(lang, "changes_conflicts")]
        lines += [f"• {escape(c.text(lang))}" for c in conflicts]
    return "\n".join(lines)


def refusal(kind: ChangeKind, error: ParseError, trip: Trip, now: datetime, lang: Lang) -> str:
    """Why a /delay or /move was not read, the command's usage, an example on a coming leg of
    the trip, and (when its arguments are missing) the coming legs to name."""
    usage = f"chg_usage_{kind}"
    lines = [escape(t(lang, error.key, **error.values))]
    legs = itinerary.upcoming(trip, now, PICK_LIMIT)
    if kind in ("delay", "move"):
        if error.key != usage:
            lines.append(escape(t(lang, usage)))
        if legs:
            lines.append(t(lang, "chg_example", command=escape(_example(kind, legs[0]))))
    if error.key == usage and legs:
        lines.append(t(lang, "chg_legs"))
        lines += [
            f"• {escape(leg.id)}{colon(lang)}{escape(leg.title.get(lang))}"
            f"{paren(stamp(leg.start_at, leg.start_zone, lang, trip.zone_places), lang)}"
            for leg in legs
        ]
    return "\n".join(lines)


def _example(kind: ChangeKind, leg: Leg) -> str:
    if kind == "delay":
        return f"/delay {leg.id} 30m"
    later = leg.start + timedelta(hours=1)
    return f"/move {leg.id} {later:%Y-%m-%d %H:%M}"


def notice_label(n: NoticeAcks, text: str, is_checkin: bool, lang: Lang) -> str:
    """Which notice it is: 'v3' for a change, 平安回報 for a check-in, 求助通知 for a help
    alert, else 公告「the start of its text」. `text` is the stored HTML in `lang`."""
    if n.version is not None:
        return t(lang, "acks_change", version=n.version)
    if is_checkin:
        return t(lang, "acks_checkin")
    # A help alert is stored as an announcement; it alone starts with the alert's mark.
    if text.startswith(t(lang, "checkin_alert", name="", at="").split("<", 1)[0]):
        return t(lang, "acks_alert")
    lines = text.split("\n")
    body = unescape(re.sub(r"<[^>]+>", "", lines[1] if len(lines) > 2 else lines[0])).strip()
    start = body if len(body) <= ANNOUNCE_CHARS else body[: ANNOUNCE_CHARS - 1] + "…"
    return t(lang, "acks_announce", start=escape(start))


async def notice_labels(storage: Storage, notices: list[NoticeAcks], lang: Lang) -> dict[int, str]:
    """Each notice's label (notice_label), by notice id."""
    return {
        n.notice_id: notice_label(
            n,
            await storage.notice_text(n.notice_id, lang),
            await storage.is_checkin(n.notice_id),
            lang,
        )
        for n in notices
    }


def _recipient(name: str, state: NoticeState, sends: int, lang: Lang) -> str:
    label = t(lang, f"acks_state_{state}")
    if sends > 1:
        return t(lang, "acks_who_sends", name=name, state=label, n=sends)
    return t(lang, "acks_who", name=name, state=label)


def acks_text(
    notices: list[NoticeAcks], labels: Mapping[int, str], trip: Trip, lang: Lang, now: datetime
) -> str:
    """Per notice (labelled by notice_labels): how many acknowledged it, and the names of those
    who did not."""
    zone = itinerary.position(trip, now).zone
    if not notices:
        return t(lang, "acks_none")
    lines = []
    for n in notices:
        what = labels.get(n.notice_id) or t(lang, "acks_announce", start="…")
        what += f" {dual_clock(n.at, zone, trip.home_zone, lang, trip.zone_places)}"
        yes = [r for r in n.recipients if r[3] is not None]
        lines.append(t(lang, "acks_line", what=what, yes=len(yes), n=len(n.recipients)))
        missing = [
            _recipient(escape(member_name(trip, who, lang)), state, sends, lang)
            for who, state, sends, acked in n.recipients
            if acked is None
        ]
        if missing:
            lines.append(t(lang, "acks_missing", names=enum(lang).join(missing)))
        if n.undelivered:
            # `why` is the Bot API's own (English) description: kept as it came, ASCII around it.
            names = "; ".join(
                f"{escape(member_name(trip, who, lang))}: {escape(why[:80])}"
                for who, why in n.undelivered
            )
            lines.append(t(lang, "acks_undelivered", names=names))
    return "\n".join(lines)
