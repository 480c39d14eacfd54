"""The self-check printed with every compile: the points the review form (審核表) looks at."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from bot.notes.model import Note
from bot.report.build import NONE, travellers
from bot.report.deadline import add_months, deadline_for
from bot.report.model import SUMMARY_MAX, SUMMARY_MIN, Para, Report, Table
from bot.report.notes import chat_marks, clean, live, origin
from bot.report.settings import required_forms, trip_categories
from bot.trip.models import Trip
from bot.trip.types import roc

__all__ = ["CheckItem", "add_months", "check_text", "filing_deadline", "self_check"]
FORM_NAMES = {"report": "出國報告", "review": "審核表", "summary": "出國報告提要"}
_RULES = {"executive-yuan": "行政院出國報告綜合處理要點", "taichung": "臺中市政府規定"}

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


def filing_deadline(trip: Trip) -> date:
    """The last day to file, under the office's rule (content `report: deadline:`)."""
    return deadline_for(trip.end, trip.report.deadline).due


def self_check(report: Report, trip: Trip, notes: list[Note], now: datetime) -> list[CheckItem]:
    """Every check, in the order of the review form."""
    items = [_present(report, "參、", "目的", "行程內容 trip.yaml 的 purpose")]
    items.append(_present(report, "肆、", "過程", "於行程中傳送筆記"))
    if not any(
        isinstance(b, Para) and b.origin and b.origin.startswith("筆記")
        for b in report.chapter_blocks("肆、")
    ):
        items.append(
            CheckItem(
                False, "過程", "會議過程及內容沒有任何現場筆記，僅有行程說明", "於各行程中傳送筆記"
            )
        )
    items.append(_present(report, "伍、", "心得", "傳送含 #心得 的筆記"))
    items.append(_present(report, "陸、", "建議", "傳送含 #建議 的筆記；確實無建議可保留「無」"))
    items += [_summary(report), *_placeholders(report), *_captions(report), *_language(trip, notes)]
    items += [*_chat(trip, notes), *_voice(trip, notes)]
    items += [CheckItem(False, "附件", i.text, i.where) for i in report.issues]
    items += [_forms(trip), _upload(trip), _deadline(trip, now)]
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
        why = f"沒有 #摘要 筆記，本摘要是由行程資料擬成的草稿（{n} 字），請改寫"
        return CheckItem(False, "摘要", why, where)
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
    out += [
        CheckItem(False, "照片檔案", f"找不到 {p.path}", p.origin or str(p.path))
        for p in pictures
        if not p.path.is_file()
    ]
    return out or [CheckItem(True, "照片說明", f"{len(pictures)} 張照片皆有說明")]


def is_english_only(text: str) -> bool:
    """Text with Latin letters and no Chinese character at all."""
    return bool(_LATIN.search(text)) and not _CJK.search(text)


def _language(trip: Trip, notes: list[Note]) -> list[CheckItem]:
    foreign = [n for n in live(notes) if is_english_only(clean(n.text))]
    foreign += [
        n
        for n in live(notes)
        if n not in foreign and any(is_english_only(a.caption or "") for a in n.attachments)
    ]
    why = "筆記僅有英文，請譯為中文"
    out = [CheckItem(False, "中文撰寫", why, origin(trip, n)) for n in foreign]
    return out or [CheckItem(True, "中文撰寫", "所有筆記皆含中文")]


def _chat(trip: Trip, notes: list[Note]) -> list[CheckItem]:
    """The notes whose emoji or shorthand were left out, each with what was left out."""
    out = []
    for note in live(notes):
        marks = chat_marks(" ".join([note.text, *captions(note)]))
        if marks:
            left_out = "".join(f"「{m}」" for m in dict.fromkeys(marks))
            why = f"已略去表情符號或網路用語 {left_out}，請確認文意完整"
            out.append(CheckItem(False, "聊天符號", why, origin(trip, note)))
    return out


def captions(note: Note) -> list[str]:
    """The captions of a note's attachments."""
    return [a.caption for a in note.attachments if a.caption]


def duration_text(seconds: int | None) -> str:
    """A voice note's length as the self-check says it: 42 秒, 1 分 05 秒."""
    if seconds is None:
        return "長度不明"
    minutes, sec = divmod(seconds, 60)
    return f"{minutes} 分 {sec:02d} 秒" if minutes else f"{sec} 秒"


def _voice(trip: Trip, notes: list[Note]) -> list[CheckItem]:
    """One line for the voice notes nobody has written up: each with its leg and length."""
    found = []
    for note in live(notes):
        leg = trip.legs_by_id.get(note.leg_id or "")
        where = f"{leg.title.zh}（{roc(leg.start.date())}）" if leg else "未歸入行程"
        voices = [a for a in note.attachments if a.kind == "voice"]
        found += [f"筆記 #{note.id} {where} {duration_text(a.duration)}" for a in voices]
    if not found:
        return []
    label = f"待整理：{len(found)} 則語音筆記"
    return [CheckItem(False, label, "；".join(found), "聽打後以文字筆記補上")]


def _forms(trip: Trip) -> CheckItem:
    s = trip.report
    names = "、".join(FORM_NAMES[f] for f in required_forms(trip.category, s))
    cats = "、".join(trip_categories(trip.category, s))
    detail = f"{names}（{_RULES[s.office_rule]}，出國類別：{cats}）"
    return CheckItem(True, "應繳文件", detail)


def _upload(trip: Trip) -> CheckItem:
    """The 資訊網 fields the content leaves empty: the writer types them in, so they are said."""
    s = trip.report
    fields = [("系統識別號", s.system_id), ("主題分類", s.topic), ("施政分類", s.policy)]
    fields.append(("關鍵詞", "、".join(s.keywords)))
    missing = [name for name, value in fields if not value]
    no_rank = [m.name.zh for m in travellers(trip) if not m.rank]
    if no_rank:
        missing.append(f"職等（{'、'.join(no_rank)}）")
    if missing:
        where = "上傳前於 trip.yaml 的 report:（職等：members.yaml 的 rank）填入"
        return CheckItem(False, "資訊網欄位", f"尚缺 {'、'.join(missing)}", where)
    return CheckItem(True, "資訊網欄位", f"系統識別號 {s.system_id}，欄位齊全")


def _deadline(trip: Trip, now: datetime) -> CheckItem:
    rule = trip.report.deadline
    d = deadline_for(trip.end, rule)
    due = d.due
    left = (due - now.astimezone(trip.home_zone).date()).days
    start = "次日起" if rule.from_next_day else "起"
    detail = f"回國日 {roc(trip.end)} {start} {rule.months} 個月內，期限 {roc(due)}"
    detail += f"，已逾期 {-left} 天" if left < 0 else f"，尚餘 {left} 天"
    if d.moved_from:
        detail += f"（{roc(d.moved_from)} 適逢假日，順延至次一上班日）"
    if d.unknown_years:
        years = "、".join(str(y - 1911) for y in d.unknown_years)
        detail += f"（{years} 年不在官方辦公日曆內，僅避開週末）"
    where = "上傳至公務出國報告資訊網"
    if left < 0:
        return CheckItem(False, "繳交期限", detail, "請儘速" + where)
    return CheckItem(True, "繳交期限", detail, where)


def check_text(items: list[CheckItem]) -> str:
    """The check as printed text: a count line, then one line per item."""
    warnings = sum(not i.ok for i in items)
    head = f"自我檢查：{warnings} 項警告" if warnings else "自我檢查：全部通過"
    return "\n".join([head, *(i.line() for i in items)])
