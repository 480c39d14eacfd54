"""The self-check printed with every compile: the points the review form (審核表) looks at."""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime

from bot.notes.model import Note
from bot.report.build import NONE
from bot.report.model import SUMMARY_MAX, SUMMARY_MIN, Para, Report, Table
from bot.report.notes import clean, live, origin
from bot.trip.models import Trip
from bot.trip.types import roc

# Placeholder text a writer leaves to fill in later; XX only as a word of its own.
PLACEHOLDERS = re.compile(r"TODO|待填|待補|[○〇◯Ｏ]{2,}|(?<![A-Za-z])[XxＸ]{2,3}(?![A-Za-z])")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class CheckItem:
    """One line of the self-check: OK, or a warning saying where to fix it."""

    ok: bool
    label: str
    detail: str = ""
    where: str = ""

    def line(self) -> str:
        """The item as one printed line."""
        mark = "✅" if self.ok else "⚠️"
        text = f"{mark} {self.label}"
        if self.detail:
            text += f"：{self.detail}"
        if self.where and not self.ok:
            text += f"（請修正：{self.where}）"
        return text


def add_months(d: date, months: int) -> date:
    """`d` plus whole months, clamped to the month's last day (11-30 + 3 → 02-28/29)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, monthrange(year, month)[1]))


def filing_deadline(trip: Trip) -> date:
    """The last day to file: three months after the return date."""
    return add_months(trip.end, 3)


def self_check(report: Report, trip: Trip, notes: list[Note], now: datetime) -> list[CheckItem]:
    """Every check, in the order of the review form."""
    items = [_present(report, "參、", "目的", "行程內容 trip.yaml 的 purpose")]
    items.append(_present(report, "肆、", "過程", "於行程中傳送筆記"))
    if not any(isinstance(b, Para) and b.origin and b.origin.startswith("筆記")
               for b in report.chapter_blocks("肆、")):  # fmt: skip
        items.append(CheckItem(False, "過程", "會議過程及內容沒有任何現場筆記，僅有行程說明",
                               "於各行程中傳送筆記"))  # fmt: skip
    items.append(_present(report, "伍、", "心得", "傳送含 #心得 的筆記"))
    items.append(_present(report, "陸、", "建議", "傳送含 #建議 的筆記；確實無建議可保留「無」"))
    items += [_summary(report), *_placeholders(report), *_captions(report), *_language(trip, notes)]
    items += [CheckItem(False, "附件", i.text, i.where) for i in report.issues]
    items.append(_deadline(trip, now))
    return items


def _present(report: Report, prefix: str, label: str, where: str) -> CheckItem:
    blocks = report.chapter_blocks(prefix)
    paras = [b for b in blocks if isinstance(b, Para) and b.text.strip() not in ("", NONE)]
    if paras or any(isinstance(b, Table) and b.rows for b in blocks):
        return CheckItem(True, label, f"{len(paras)} 段")
    return CheckItem(False, label, "內容為空或「無」", where)


def _summary(report: Report) -> CheckItem:
    n = len(re.sub(r"\s", "", report.summary))
    where = "傳送或修改含 #摘要 的筆記"
    if report.summary_is_draft:
        return CheckItem(False, "摘要", f"由行程資料產生的草稿（{n} 字），請改寫", where)
    if not SUMMARY_MIN <= n <= SUMMARY_MAX:
        return CheckItem(False, "摘要", f"{n} 字，宜為 {SUMMARY_MIN}–{SUMMARY_MAX} 字", where)
    return CheckItem(True, "摘要", f"{n} 字")


def _placeholders(report: Report) -> list[CheckItem]:
    out = []
    for chapter, text, where in report.texts():
        for m in PLACEHOLDERS.finditer(text):
            found = f"{chapter}有「{m.group()}」"
            out.append(CheckItem(False, "待填文字", found, where or chapter))
    return out or [CheckItem(True, "待填文字", "無 TODO、○○、待填、XX")]


def _captions(report: Report) -> list[CheckItem]:
    pictures = report.pictures()
    missing = [p for p in pictures if not p.caption.strip()]
    out = [CheckItem(False, "照片說明", "照片沒有說明", p.origin or str(p.path)) for p in missing]
    out += [CheckItem(False, "照片檔案", f"找不到 {p.path}", p.origin or str(p.path))
            for p in pictures if not p.path.is_file()]  # fmt: skip
    return out or [CheckItem(True, "照片說明", f"{len(pictures)} 張照片皆有說明")]


def is_english_only(text: str) -> bool:
    """Text with Latin letters and no Chinese character at all."""
    return bool(_LATIN.search(text)) and not _CJK.search(text)


def _language(trip: Trip, notes: list[Note]) -> list[CheckItem]:
    foreign = [n for n in live(notes) if is_english_only(clean(n.text))]
    foreign += [n for n in live(notes) if n not in foreign
                and any(is_english_only(a.caption or "") for a in n.attachments)]  # fmt: skip
    why = "筆記僅有英文，請譯為中文"
    out = [CheckItem(False, "中文撰寫", why, origin(trip, n)) for n in foreign]
    return out or [CheckItem(True, "中文撰寫", "所有筆記皆含中文")]


def _deadline(trip: Trip, now: datetime) -> CheckItem:
    due = filing_deadline(trip)
    left = (due - now.astimezone(trip.home_zone).date()).days
    detail = f"回國日 {roc(trip.end)} 起三個月內，期限 {roc(due)}"
    where = "上傳至公務出國報告資訊網"
    if left < 0:
        return CheckItem(False, "繳交期限", f"{detail}，已逾期 {-left} 天", "請儘速" + where)
    return CheckItem(True, "繳交期限", f"{detail}，尚餘 {left} 天", where)


def check_text(items: list[CheckItem]) -> str:
    """The check as printed text: a count line, then one line per item."""
    warnings = sum(not i.ok for i in items)
    head = f"自我檢查：{warnings} 項警告" if warnings else "自我檢查：全部通過"
    return "\n".join([head, *(i.line() for i in items)])
