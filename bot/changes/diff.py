"""What changed between two versions of a trip, per leg, as short lines in zh or en.

A moved leg reads "Plenary session: 09:00 → 10:30 (Buenos Aires UTC−3; Taipei 21:30 → 22:30)":
the local clock of where it happens, its zone, and Taipei beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Literal

from bot.formatting.clock import day_label, zone_label, zone_name
from bot.formatting.legs import leg_times
from bot.formatting.punct import paren, semicolon
from bot.trip.models import Leg, Trip
from bot.trip.types import Lang

DiffKind = Literal["added", "removed", "moved", "changed"]
# Fields whose change is worth naming in words; others are summed up as "details".
_NAMED = {
    "title": ("標題", "title"),
    "venue": ("地點", "venue"),
    "place": ("城市", "place"),
    "contacts": ("會面對象", "people"),
    "talking_points": ("談話要點", "talking points"),
    "summary": ("說明", "summary"),
    "flight_no": ("班機", "flight"),
}
_WORDS = {
    "added": ("➕ 新增", "➕ Added"),
    "removed": ("❌ 取消", "❌ Cancelled"),
    "restored": ("↩️ 恢復", "↩️ Restored"),
    "details": ("細節", "details"),
    "ends": ("結束", "ends"),
}
_COLON = ("：", ": ")


@dataclass(frozen=True)
class LegDiff:
    """One leg that differs between two versions of the trip."""

    leg_id: str
    kind: DiffKind
    old: Leg | None
    new: Leg | None
    fields: tuple[str, ...] = ()  # for "changed" (and "moved" with other edits)

    @property
    def at(self) -> datetime:
        """When it happens (new time if it still happens), to sort the diff."""
        leg = self.new or self.old
        assert leg is not None
        return leg.start_at


def compare(old: Trip, new: Trip) -> list[LegDiff]:
    """Every leg added, removed, moved or otherwise changed, in time order."""
    out: list[LegDiff] = []
    before, after = old.legs_by_id, new.legs_by_id
    for leg_id, leg in before.items():
        if leg_id not in after:
            out.append(LegDiff(leg_id, "removed", leg, None))
    for leg_id, leg in after.items():
        was = before.get(leg_id)
        if was is None:
            out.append(LegDiff(leg_id, "added", None, leg))
            continue
        a, b = was.model_dump(mode="json"), leg.model_dump(mode="json")
        fields = tuple(k for k in b if a.get(k) != b[k] and k not in ("start", "end"))
        if (was.start_at, was.end_at) != (leg.start_at, leg.end_at):
            out.append(LegDiff(leg_id, "moved", was, leg, fields))
        elif fields:
            out.append(LegDiff(leg_id, "changed", was, leg, fields))
    return sorted(out, key=lambda d: (d.at, d.leg_id))


def changed_ids(old: Trip, new: Trip) -> frozenset[str]:
    """The ids of the legs that differ (for the 🔄 marks)."""
    return frozenset(d.leg_id for d in compare(old, new))


def diff_lines(old: Trip, new: Trip, lang: Lang, *, restore: bool = False) -> list[str]:
    """One line per changed leg, Telegram HTML, naming only what changed (a restore's legs
    come back rather than being new)."""
    return [diff_line(d, new, lang, restore=restore) for d in compare(old, new)]


def diff_line(d: LegDiff, trip: Trip, lang: Lang, *, restore: bool = False) -> str:
    """A leg's change in one line (`trip` gives the home zone and the place names)."""
    i = 0 if lang == "zh" else 1
    leg = d.new or d.old
    assert leg is not None
    title = f"<b>{escape(leg.title.get(lang))}</b>"
    if d.kind == "added":
        assert d.new is not None
        word = _WORDS["restored" if restore else "added"][i]
        return f"{word}{_COLON[i]}{title}{_paren(_times(d.new, trip, lang), i)}"
    if d.kind == "removed":
        assert d.old is not None
        return f"{_WORDS['removed'][i]}{_COLON[i]}{title}{_paren(_times(d.old, trip, lang), i)}"
    parts = []
    if d.kind == "moved":
        assert d.old is not None and d.new is not None
        parts.append(moved_text(d.old, d.new, trip, lang))
    words = [_NAMED[f][i] if f in _NAMED else _WORDS["details"][i] for f in d.fields]
    parts += list(dict.fromkeys(words))
    return f"🔄 {title}{_COLON[i]}" + ("；" if lang == "zh" else "; ").join(parts)


def moved_text(old: Leg, new: Leg, trip: Trip, lang: Lang) -> str:
    """'09:00 → 10:30 (Buenos Aires UTC−3; Taipei 21:30 → 22:30)', days shown when they differ."""
    zone, home, places = new.start_zone, trip.home_zone, trip.zone_places
    same_zone = old.start_zone == zone
    a_local, b_local = old.start_at.astimezone(old.start_zone), new.start_at.astimezone(zone)
    show_day = a_local.date() != b_local.date()
    a = _clock(a_local, show_day, lang)
    if not same_zone:
        a += f" {zone_label(old.start_at, old.start_zone, lang, places)}"
    b = _clock(b_local, show_day, lang)
    where = zone_label(new.start_at, zone, lang, places)
    a_home, b_home = old.start_at.astimezone(home), new.start_at.astimezone(home)
    if b_home.utcoffset() != b_local.utcoffset() or a_home.utcoffset() != a_local.utcoffset():
        home_day = a_home.date() != b_home.date() or b_home.date() != b_local.date()
        where += (
            f"{semicolon(lang)}{zone_name(home, lang, places)} {_clock(a_home, home_day, lang)} → "
            f"{_clock(b_home, home_day, lang)}"
        )
    text = f"{a} → {b}{paren(where, lang)}"  # full-width （；） in Chinese, ASCII in English
    if new.end_at - new.start_at != old.end_at - old.start_at:
        end_a = old.end_at.astimezone(old.end_zone)
        end_b = new.end_at.astimezone(new.end_zone)
        i = 0 if lang == "zh" else 1
        text += f"{'，' if i == 0 else ', '}{_WORDS['ends'][i]} {end_a:%H:%M} → {end_b:%H:%M}"
    return text


def _paren(text: str, i: int) -> str:
    return f"（{text}）" if i == 0 else f" ({text})"


def _clock(local: datetime, with_day: bool, lang: Lang) -> str:
    return f"{day_label(local.date(), lang)} {local:%H:%M}" if with_day else f"{local:%H:%M}"


def _times(leg: Leg, trip: Trip, lang: Lang) -> str:
    """The leg's day and times with zones and Taipei (as the itinerary shows them)."""
    return f"{day_label(leg.start.date(), lang)} {leg_times(leg, trip, lang)}"
