"""The forms filed with the report: 審核表 (附件二), 出國報告提要, and the 資訊網 upload fields."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from bot.report.build import travellers
from bot.report.check import CheckItem
from bot.report.deadline import deadline_for
from bot.report.model import Block, Form, Heading, Para, Report, Table
from bot.report.settings import trip_categories
from bot.trip.models import Trip
from bot.trip.types import roc

CATEGORIES = ("考察", "進修", "研究", "實習", "視察", "訪問", "開會", "談判", "其他")
YES, NO = "☑", "☐"
_FORMAT_PARTS = ("目的", "過程", "心得", "建議")
# 附件二 審核表: the ten items, the reasons a report is sent back, the ways it is made public.
_RETURN_REASONS = (
    "不符原核定出國計畫",
    "以外文撰寫或僅以所蒐集外文資料為內容",
    "內容空洞簡略或未涵蓋規定要項",
    "抄襲相關資料",
    "引用其他資料未註明資料來源",
    "電子檔案未依格式辦理",
)
_PUBLISHING = (
    "辦理本機關出國報告座談會（說明會），與同仁進行知識分享",
    "於本機關業務會報提出報告",
    "其他",
)
PERSON_FIELDS = ("姓名", "服務機關", "服務單位", "職稱", "職等")
SIGNATURES = ("出國人", "一級單位主管", "機關首長或授權人員")


def _boxes(options: tuple[str, ...], chosen: set[str], per_line: int = 5) -> str:
    """Check boxes, a few to a line: a line break of its own would split a word (□談 / 判)."""
    boxes = [f"{YES if o in chosen else NO}{o}" for o in options]
    lines = ["　".join(boxes[i : i + per_line]) for i in range(0, len(boxes), per_line)]
    return "\n".join(lines)


def _people(trip: Trip) -> str:
    return "\n".join(f"{m.name.zh}（{m.unit.zh} {m.title.zh}）" for m in travellers(trip))


def _facts(trip: Trip, report_date: date) -> list[tuple[str, str]]:
    cats = set(trip_categories(trip.category, trip.report))
    return [
        ("出國報告名稱", trip.title.zh),
        ("出國人員", _people(trip)),
        ("出國類別", _boxes(CATEGORIES, cats)),
        ("出國期間", f"{roc(trip.start)} 至 {roc(trip.end)}"),
        ("報告繳交日期", roc(report_date)),
    ]


def review_form(trip: Trip, checks: list[CheckItem], report_date: date) -> Form:
    """附件二 審核表, pre-filled where the bot knows: on time, and the format's four parts."""
    due = deadline_for(trip.end, trip.report.deadline).due
    on_time = report_date <= due
    timely = (
        f"{YES if on_time else NO}是　{NO if on_time else YES}否（回國日 {roc(trip.end)}，"
        f"期限 {roc(due)}，報告日期 {roc(report_date)}）"
    )
    failed = [p for p in _FORMAT_PARTS if any(c.label == p and not c.ok for c in checks)]
    complete = f"{NO if failed else YES}是" + (f"（缺：{'、'.join(failed)}）" if failed else "")
    rows = [
        ("1", "依限繳交出國報告", timely),
        ("2", "格式完整（本文必須具備「目的」、「過程」、「心得及建議事項」）", complete),
        ("3", "無抄襲相關出國報告", NO),
        ("4", "內容充實完備", NO),
        ("5", "建議具參考價值", NO),
        ("6", "送本機關參考或研辦", NO),
        ("7", "送上級機關參考", NO),
        ("8", "退回補正，原因：\n" + "\n".join(f"{NO}{r}" for r in _RETURN_REASONS), NO),
        (
            "9",
            "本報告除上傳至出國報告資訊網外，將採行之公開發表：\n"
            + "\n".join(f"{NO}{p}" for p in _PUBLISHING),
            NO,
        ),
        ("10", "其他處理意見及方式", ""),
    ]
    blocks: list[Block] = [
        Table(("項目", "內容"), tuple(_facts(trip, report_date))),
        Table(("", "審核項目", "審核結果"), tuple(rows)),
        Para("說明：第 1、2 項由出國報告編製系統依繳交日期及自我檢查預填，其餘由審核人員勾選。"),
        Table(SIGNATURES, (("\n\n\n", "\n\n\n", "\n\n\n"),), even=True),
    ]
    return Form(f"{trip.organiser.zh}出國報告審核表", trip.organiser.zh, tuple(blocks))


def summary_form(trip: Trip, report: Report, report_date: date) -> Form:
    """出國報告提要: facts, 摘要, 心得 and 建議, for trips that file it instead of the report."""
    s = trip.report
    rows = [*_facts(trip, report_date)[:4]]
    rows.insert(3, ("出國地區", f"{trip.destination.zh}（{trip.event.city.zh}）"))
    rows += [
        ("報告日期", roc(report_date)),
        ("系統識別號", s.system_id or ""),
        ("主題分類", s.topic or ""),
        ("施政分類", s.policy or ""),
        ("關鍵詞", "、".join(s.keywords)),
    ]
    blocks: list[Block] = [Table(("項目", "內容"), tuple(rows)), Heading(2, "一、內容摘要")]
    blocks += [Para(p) for p in report.summary.split("\n") if p.strip()]
    for n, (title, prefix) in enumerate((("心得", "伍、"), ("建議", "陸、")), start=2):
        blocks.append(Heading(2, f"{'一二三'[n - 1]}、{title}"))
        blocks += [b for b in report.chapter_blocks(prefix) if isinstance(b, Para)]
    return Form(f"{trip.organiser.zh}出國報告提要", trip.organiser.zh, tuple(blocks))


def rank_class(rank: str | None) -> str:
    """職等 as 資訊網 asks it: 簡任, 薦任, 委任 or 其他; blank when the content gives no rank
    (the self-check asks for it: a rank is never guessed)."""
    if not rank:
        return ""
    return next((c for c in ("簡任", "薦任", "委任") if c in rank), "其他")


def service_unit(unit: str, agency: str) -> str:
    """服務單位 without the 服務機關 beside it: 臺中市政府國際事務委員會 → 國際事務委員會."""
    inner = unit.removeprefix(agency).strip()
    return inner or unit


def metadata(trip: Trip, report: Report, report_date: date, pages: int) -> dict[str, Any]:
    """The fields typed into 公務出國報告資訊網, with the PDF's page count."""
    s = trip.report
    return {
        "系統識別號": s.system_id or "",
        "計畫名稱": s.plan or trip.title.zh,
        "報告名稱": trip.title.zh,
        "報告日期": roc(report_date),
        "頁數": pages,
        "出國期間起": roc(trip.start),
        "出國期間迄": roc(trip.end),
        "出國國家": trip.destination.zh,
        "參訪機關": "、".join(s.visited) or (trip.event.host.zh if trip.event.host else ""),
        "出國類別": "、".join(trip_categories(trip.category, s)),
        "主題分類": s.topic or "",
        "施政分類": s.policy or "",
        "關鍵詞": "、".join(s.keywords),
        "摘要": report.summary.replace("\n", ""),
        "出國人員": [
            {
                "姓名": m.name.zh,
                "服務機關": trip.organiser.zh,
                "服務單位": service_unit(m.unit.zh, trip.organiser.zh),
                "職稱": m.title.zh,
                "職等": rank_class(m.rank),
            }
            for m in travellers(trip)
        ],
    }


def metadata_text(fields: dict[str, Any], fmt: str) -> str:
    """The fields as JSON, or as CSV with one row per traveller (UTF-8, for a spreadsheet)."""
    if fmt == "json":
        return json.dumps(fields, ensure_ascii=False, indent=2) + "\n"
    report = {k: v for k, v in fields.items() if k != "出國人員"}
    people = fields["出國人員"] or [{}]
    buffer = io.StringIO()
    names = [
        *report,
        *(people[0] or {"姓名": "", "服務機關": "", "服務單位": "", "職稱": "", "職等": ""}),
    ]
    writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    for person in people:
        writer.writerow({**report, **person})
    return buffer.getvalue()
