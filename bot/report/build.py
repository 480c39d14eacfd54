"""Build the report from the trip, its notes and the date: chapters in the official order."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from bot.itinerary import ordered
from bot.notes.model import Note
from bot.report.model import (
    SUMMARY_MAX,
    Block,
    Cover,
    Heading,
    Issue,
    PageBreak,
    Para,
    Picture,
    Report,
    Table,
)
from bot.report.model import numbered as num
from bot.report.notes import (
    Entry,
    caption,
    clean,
    documents,
    live,
    merged,
    origin,
    photos,
    sort_key,
    tagged,
)
from bot.report.process import process_chapter
from bot.report.text import sentences, spaced
from bot.trip.models import Leg, Member, Trip
from bot.trip.types import ROC_OFFSET, roc

NONE = "無"
CHAPTERS = ("摘要", "出國人員名單", "目的", "過程", "心得", "建議", "附件（活動照片）")


def roc_long(d: date) -> str:
    """The long ROC form used on the cover: 104年5月16日."""
    return f"{d.year - ROC_OFFSET}年{d.month}月{d.day}日"


def travellers(trip: Trip) -> list[Member]:
    """The members who travel, leader first (the home desk is not in the report)."""
    people = [m for m in trip.members if m.travelling]
    return sorted(people, key=lambda m: not m.leader)


def build_report(
    trip: Trip,
    notes: list[Note],
    *,
    now: datetime,
    data_dir: Path,
    cancelled: Sequence[Leg] = (),
) -> Report:
    """The whole report as data; no file is read or written here. `trip` is the effective
    schedule; `cancelled`, the legs its content planned that published changes took away."""
    notes = live(notes)
    summary_entries = merged(trip, tagged(notes, "summary"))
    summary = "\n".join(e.text for e in summary_entries) or draft_summary(trip)
    blocks: list[Block] = []

    def chapter(n: int) -> None:
        blocks.append(PageBreak())
        blocks.append(Heading(1, num(1, n) + CHAPTERS[n - 1]))

    chapter(1)
    if summary_entries:
        blocks += [Para(e.text, origin=e.origin) for e in summary_entries]
    else:
        blocks += [Para(p, origin="摘要草稿（由行程資料產生）") for p in summary.split("\n")]
    chapter(2)
    blocks.append(_member_table(trip))
    chapter(3)
    blocks += [Para(p.zh, origin="行程內容 trip.yaml: purpose") for p in trip.purpose]
    chapter(4)
    blocks += process_chapter(trip, notes, cancelled)
    chapter(5)
    blocks += _numbered(merged(trip, tagged(notes, "reflection")))
    chapter(6)
    blocks += _numbered(merged(trip, tagged(notes, "recommendation")))
    chapter(7)
    pictures, issues = _annex(trip, notes, data_dir)
    files = _documents(trip, notes)
    blocks += pictures + files if pictures or files else [Para(NONE)]

    today = now.astimezone(trip.home_zone).date()
    cover = Cover(
        category=trip.category,
        title=trip.title.zh,
        organiser=trip.organiser.zh,
        travellers=tuple(f"{m.unit.zh} {m.title.zh} {m.name.zh}" for m in travellers(trip)),
        destination=trip.destination.zh,
        period=f"{roc_long(trip.start)}至{roc_long(trip.end)}",
        report_date=roc_long(today),
        names=(trip.event.name.zh, trip.event.city.zh, trip.event.country.zh, trip.destination.zh),
    )
    return Report(
        trip_id=trip.id,
        title=trip.title.zh,
        cover=cover,
        blocks=tuple(blocks),
        summary=summary,
        summary_is_draft=not summary_entries,
        issues=tuple(issues),
    )


def draft_summary(trip: Trip) -> str:
    """A first 摘要 from the trip facts, of whole sentences chosen to fit 200–300 characters;
    none of them a whole paragraph of 參、目的, which the reader finds a page later."""
    people = travellers(trip)
    ev = trip.event
    lead = people[0] if people else None
    who = f"{lead.unit.zh}{lead.title.zh}{lead.name.zh}率團" if lead else trip.organiser.zh
    intro = spaced(f"{who}一行 {len(people)} 人前往{ev.country.zh}{ev.city.zh}，")
    intro += spaced(f"參加{roc(ev.start)}至{roc(ev.end)}舉行之") + f"「{ev.name.zh}」。"
    host = f"會議由{ev.host.zh}。" if ev.host else ""
    theme = f"會議主題為{ev.theme.zh}。" if ev.theme else ""
    # What the programme held, from the effective schedule: a cancelled group is not named.
    held = [s.title.zh for s in trip.sections if any(leg.section == s.id for leg in trip.legs)]
    listed = "、".join(held[:-1]) + "及" + held[-1] if len(held) > 1 else "".join(held)
    programme = f"大會議程包括{listed}等。" if held else ""
    whole = {p.zh.strip() for p in trip.purpose}
    # The last purpose paragraph usually states this trip's own aims; the first ones, background.
    aims = [s for s in sentences(trip.purpose[-1].zh) if s not in whole] if trip.purpose else []
    background = [s for p in trip.purpose[:-1] for s in sentences(p.zh) if s not in whole]
    # Sentences by how much a reader needs them; each is taken whole if it still fits.
    ranked = [intro, programme, *aims, theme, host, *reversed(background)]
    chosen: set[str] = set()
    for sentence in ranked:
        if sentence and _chars("".join(chosen) + sentence) <= SUMMARY_MAX:
            chosen.add(sentence)
    first = "".join(s for s in (intro, host, theme, programme) if s in chosen)
    rest = "".join(s for s in background + aims if s in chosen)
    return first + ("\n" + rest if rest else "")


def _chars(text: str) -> int:
    return len(re.sub(r"\s", "", text))


def _member_table(trip: Trip) -> Table:
    rows = tuple(
        (str(i), m.unit.zh, m.title.zh, m.rank or "", m.name.zh)
        for i, m in enumerate(travellers(trip), start=1)
    )
    return Table(("編號", "單位", "職稱", "官職等", "姓名"), rows)


def _numbered(entries: list[Entry]) -> list[Block]:
    if not entries:
        return [Para(NONE)]
    return [
        Para(num(2, i) + e.text, origin=e.origin, kind="item")
        for i, e in enumerate(entries, start=1)
    ]


def _documents(trip: Trip, notes: list[Note]) -> list[Block]:
    """The documents delegates sent (agendas, papers), by file name, in itinerary order."""
    order = {leg.id: i for i, leg in enumerate(ordered(trip))}
    names = [
        (a.file_name or f"文件（筆記 #{n.id}）") + (f"（{said}）" if said else "")
        for n in sorted(notes, key=lambda n: sort_key(order, n))
        for a in documents(n)
        for said in [clean(a.caption or n.text)]
    ]
    names = list(dict.fromkeys(names))
    if not names:
        return []
    items = [
        Para(num(2, i) + name, origin="筆記附件", kind="item")
        for i, name in enumerate(names, start=1)
    ]
    return [Para("附件文件：", origin="筆記附件"), *items]


def _annex(trip: Trip, notes: list[Note], data_dir: Path) -> tuple[list[Block], list[Issue]]:
    """The #附件 photos, or every photo if none is tagged, in itinerary order, each once."""
    chosen = tagged(notes, "annex") or notes
    chosen = [n for n in chosen if photos(n)]
    order = {leg.id: i for i, leg in enumerate(ordered(trip))}
    blocks: list[Block] = []
    issues: list[Issue] = []
    seen: set[str] = set()
    for note in sorted(chosen, key=lambda n: sort_key(order, n)):
        for photo in photos(note):
            if photo.status != "stored" or not photo.path:
                text = f"照片尚未存檔（{photo.status}），未列入附件"
                issues.append(Issue(text, origin(trip, note)))
                continue
            ident = photo.sha256 or photo.path
            if ident in seen:
                continue
            seen.add(ident)
            blocks.append(Picture(data_dir / photo.path, caption(note, photo), origin(trip, note)))
    return blocks, issues
