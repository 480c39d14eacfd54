"""Coordinators' views: the change log (/changes) and who acknowledged what (/acks)."""

from __future__ import annotations

from datetime import datetime
from html import escape

from bot import itinerary
from bot.changes.model import Conflict, Published
from bot.formatting.clock import dual_clock
from bot.formatting.people import member_name
from bot.i18n import t
from bot.storage.changes import NoticeAcks
from bot.trip.models import Trip
from bot.trip.types import Lang

LOG_LIMIT = 15
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


def acks_text(notices: list[NoticeAcks], trip: Trip, lang: Lang, now: datetime) -> str:
    """Per notice: how many acknowledged it, and the names of those who did not."""
    zone = itinerary.position(trip, now).zone
    if not notices:
        return t(lang, "acks_none")
    lines = []
    for n in notices:
        what = f"v{n.version}" if n.version is not None else ("公告" if lang == "zh" else "notice")
        what += f" {dual_clock(n.at, zone, trip.home_zone, lang, trip.zone_places)}"
        yes = [r for r in n.recipients if r[3] is not None]
        lines.append(t(lang, "acks_line", what=what, yes=len(yes), n=len(n.recipients)))
        missing = [
            f"{escape(member_name(trip, who, lang))}（{state}×{sends}）"
            if lang == "zh"
            else f"{escape(member_name(trip, who, lang))} ({state}×{sends})"
            for who, state, sends, acked in n.recipients
            if acked is None
        ]
        if missing:
            lines.append(
                t(lang, "acks_missing", names=("、" if lang == "zh" else ", ").join(missing))
            )
        if n.undelivered:
            names = "; ".join(
                f"{escape(member_name(trip, who, lang))}: {escape(why[:80])}"
                for who, why in n.undelivered
            )
            lines.append(t(lang, "acks_undelivered", names=names))
    return "\n".join(lines)
