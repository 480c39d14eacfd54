"""肆、過程: preparation, itinerary, budget, and the programme with the notes taken during it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from bot.itinerary import ordered
from bot.notes.model import Note
from bot.report.model import Block, Heading, Para, Table, numbered
from bot.report.notes import (
    clean,
    coordinates,
    is_process_text,
    key,
    live,
    merged,
    origin,
    places,
    tagged,
)
from bot.report.text import group_intro, spaced, without_mentions
from bot.trip.models import Leg, Trip
from bot.trip.types import Text, roc

# Legs that are travel rather than programme: listed in 行程表, but in 四 only if noted on.
_TRAVEL = {"flight", "ground", "standby"}


def process_chapter(trip: Trip, notes: list[Note], cancelled: Sequence[Leg] = ()) -> list[Block]:
    """The four parts of 肆、過程 under the chapter heading; `cancelled` are the legs the
    content plans that the published changes took away (their mentions go too)."""
    blocks: list[Block] = [Heading(2, numbered(2, 1) + "出國前準備過程")]
    blocks.append(_prep_table(trip) if trip.prep else Para("無"))
    blocks += [Heading(2, numbered(2, 2) + "行程表"), _itinerary_table(trip)]
    blocks += [Heading(2, numbered(2, 3) + "出國預算金額"), Para(budget_text(trip))]
    blocks.append(Heading(2, numbered(2, 4) + "會議過程及內容"))
    return blocks + _programme(trip, notes, cancelled)


def budget_text(trip: Trip) -> str:
    """The budget as the report writes it: 新臺幣 470,275 元."""
    b = trip.budget
    return f"新臺幣 {b.amount:,} 元" if b.currency == "TWD" else f"{b.currency} {b.amount:,}"


def _prep_table(trip: Trip) -> Table:
    rows = []
    for m in sorted(trip.prep, key=lambda m: m.date):
        text = m.text.zh
        # A step that closed later: say when, unless the text already does.
        if m.until and roc(m.until) not in text:
            text += f"（{roc(m.until)} 完成）"
        rows.append((roc(m.date), text))
    return Table(("日期", "內容"), tuple(rows))


def _itinerary_table(trip: Trip) -> Table:
    """One row per local date of the top-level legs: places chained, items listed."""
    days: dict[date, list[Leg]] = defaultdict(list)
    for leg in ordered(trip):
        if leg.part_of is None:
            days[leg.start.date()].append(leg)
    rows = []
    every: set[str] = set()
    for day in sorted(days):
        places: list[str] = []
        for leg in days[day]:
            if leg.origin and leg.destination:
                stops = [leg.origin.city.zh, leg.destination.city.zh]
            else:
                stops = [leg.place.zh if leg.place else ""]
            places += [p for p in stops if p and (not places or places[-1] != p)]
        every |= set(places)
        items = list(dict.fromkeys(leg.title.zh for leg in days[day]))
        rows.append((roc(day), "－".join(places), "\n".join(items)))
    # A place name is never split across two lines (阿姆斯特 / 丹), in 地點 as in 行程.
    return Table(("日期", "地點", "行程"), tuple(rows), names=tuple(sorted(every, key=len)))


def _programme(trip: Trip, notes: list[Note], cancelled: Sequence[Leg]) -> list[Block]:
    ev = trip.event
    intro = f"本次「{ev.name.zh}」"
    intro += f"由{ev.host.zh}，" if ev.host else "，"
    intro += spaced(f"於{roc(ev.start)}至{roc(ev.end)}在") + f"{ev.country.zh}{ev.city.zh}舉行"
    intro += f"，主題為{ev.theme.zh}。" if ev.theme else "。"
    blocks: list[Block] = [Para(intro + "會議過程及內容如下：", origin="行程內容 trip.yaml: event")]

    by_leg: dict[str | None, list[Note]] = defaultdict(list)
    for note in live(notes):
        if is_process_text(note) or places(note):
            leg_id = note.leg_id if note.leg_id in trip.legs_by_id else None
            by_leg[leg_id].append(note)
    groups: dict[str | None, list[Leg]] = defaultdict(list)
    for leg in ordered(trip):
        if leg.section is not None or leg.kind not in _TRAVEL or by_leg.get(leg.id):
            groups[leg.section].append(leg)

    titles: list[tuple[str | None, str, Text | None]] = (
        [(None, "行程概況", None)] if groups.get(None) or by_leg.get(None) else []
    )
    # The report is in Chinese only: no English beside a heading.
    titles += [(s.id, s.title.zh, s.summary) for s in trip.sections if groups.get(s.id)]
    n = 0
    for section_id, title, summary in titles:
        n += 1
        blocks.append(Heading(3, numbered(3, n) + title))
        # Written for the planned items: a cancelled one must not still be named or counted.
        gone = [leg for leg in cancelled if leg.section == section_id]
        kept = groups.get(section_id, [])
        text = group_intro(title, summary.zh if summary else None, kept, gone) if section_id else ""
        if text and cancelled and not gone:  # another group's item it may still name
            text = without_mentions(text, cancelled)
        if text:
            where = f"行程內容 itinerary.yaml: sections {section_id}"
            blocks.append(Para(text, origin=where))
        for i, leg in enumerate(kept, start=1):
            blocks.append(Heading(4, f"{numbered(4, i)}{leg.title.zh}（{roc(leg.start.date())}）"))
            blocks += _item(trip, leg, by_leg.get(leg.id, []), cancelled)
        if section_id is None and by_leg.get(None):
            i = len(groups.get(None, [])) + 1
            blocks.append(Heading(4, numbered(4, i) + "其他紀要"))
            blocks += [Para(e.text, 1, e.origin) for e in merged(trip, texts(by_leg[None]))]
            blocks += _places(trip, None, by_leg[None])

    outcomes = merged(trip, tagged(live(notes), "outcome"))
    if outcomes:
        n += 1
        blocks.append(Heading(3, numbered(3, n) + "與會效益"))
        blocks += [
            Para(numbered(4, i) + e.text, 1, e.origin, "item")
            for i, e in enumerate(outcomes, start=1)
        ]
    contacts = _contacts_made(trip, notes)
    if contacts.rows:
        n += 1
        blocks += [Heading(3, numbered(3, n) + "重要接觸人士"), contacts]
    return blocks


def _item(trip: Trip, leg: Leg, notes: list[Note], cancelled: Sequence[Leg]) -> list[Block]:
    """A programme item: its description from the content, then the notes, merged."""
    out: list[Block] = []
    seen: set[str] = set()
    summary = leg.summary.zh if leg.summary else ""
    summary = without_mentions(summary, cancelled) if cancelled else summary
    if summary:
        out.append(Para(summary, 1, f"行程內容 itinerary.yaml: legs {leg.id}"))
        seen.add(key(summary))
    out += [Para(e.text, 1, e.origin) for e in merged(trip, texts(notes), seen)]
    return out + _places(trip, leg, notes)


def texts(notes: list[Note]) -> list[Note]:
    """The notes whose text is prose of 過程 (not a place's name)."""
    return [n for n in notes if is_process_text(n)]


def _places(trip: Trip, leg: Leg | None, notes: list[Note]) -> list[Block]:
    """Where the delegation was: the place's name, else its position beside the leg's venue."""
    out: list[Block] = []
    said: set[str] = set()
    venue = (leg.venue or leg.place) if leg else None
    for note in notes:
        for spot in places(note):
            assert spot.latitude is not None and spot.longitude is not None
            name = clean(note.text)
            if not name:
                name = coordinates(spot.latitude, spot.longitude)
                name = f"{venue.zh}，{name}" if venue else name
            if name not in said:
                said.add(name)
                out.append(Para(f"現場位置：{name}", 1, origin(trip, note)))
    return out


def _contacts_made(trip: Trip, notes: list[Note]) -> Table:
    named = {c for n in live(notes) for c in n.contacts}
    rows = tuple((c.name.zh, c.role.zh, c.organisation.zh) for c in trip.contacts if c.id in named)
    return Table(("姓名", "職稱", "單位"), rows)
