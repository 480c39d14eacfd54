"""The self-check: OK items, and warnings that say where to fix; the draft is still produced."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from bot.report.build import build_report, draft_summary
from bot.report.check import add_months, check_text, filing_deadline, self_check
from bot.report.model import SUMMARY_MAX, SUMMARY_MIN, Para
from bot.trip.models import Trip
from tests.test_report_build import NOW, SUMMARY, Notes, seed_notes


def checks(trip: Trip, notes: Notes, now: datetime = NOW) -> dict[str, list[tuple[bool, str, str]]]:
    report = build_report(trip, notes.items, now=now, data_dir=notes.data_dir)
    out: dict[str, list[tuple[bool, str, str]]] = {}
    for item in self_check(report, trip, notes.items, now):
        out.setdefault(item.label, []).append((item.ok, item.detail, item.where))
    return out


def test_a_complete_report_passes(metropolis: Trip, tmp_path: Path) -> None:
    # The 資訊網 fields are the trip's registration, not the report: filled in here.
    registered = metropolis.report.model_copy(
        update={"system_id": "C10401427", "topic": "國際交流", "policy": "國際事務"}
    )
    rank = "簡任第 11 職等"
    members = [m.model_copy(update={"rank": m.rank or rank}) for m in metropolis.members]
    metropolis = metropolis.model_copy(update={"report": registered, "members": members})
    found = checks(metropolis, seed_notes(metropolis, tmp_path))
    assert all(ok for items in found.values() for ok, _, _ in items), found
    assert found["摘要"][0][1] == f"{len(SUMMARY.replace(' ', ''))} 字"
    assert found["繳交期限"] == [
        (
            True,
            "回國日 104.05.25 次日起 3 個月內，期限 104.08.25，尚餘 85 天"
            "（104 年不在官方辦公日曆內，僅避開週末）",
            "上傳至公務出國報告資訊網",
        )
    ]


def test_empty_upload_fields_and_an_unknown_rank_are_warned(
    metropolis: Trip, tmp_path: Path
) -> None:
    found = checks(metropolis, seed_notes(metropolis, tmp_path))
    ((ok, detail, where),) = found["資訊網欄位"]
    # The bundled trip is not registered yet, and 易榮宗's rank is not in the content.
    assert not ok
    assert detail == "尚缺 系統識別號、主題分類、施政分類、職等（易榮宗）"
    assert "trip.yaml" in where and "members.yaml" in where


def test_a_report_with_warnings(metropolis: Trip, tmp_path: Path) -> None:
    notes = Notes(metropolis, tmp_path)
    notes.add("yi-rongzong", "meeting-day-1", "#摘要 " + SUMMARY * 2, "summary")
    notes.add("cao-kaiwen", "plenary-live-the-city", "講者介紹○○市的經驗，細節待填。")
    english = notes.add("cao-kaiwen", "thematic-sports", "Sport brings citizens together.")
    notes.add("yi-rongzong", "standby", "拉丁美洲運動風氣盛行。#心得", "reflection")
    report = build_report(metropolis, notes.items, now=NOW, data_dir=tmp_path)
    assert report.chapter_blocks("陸、")[0] == Para("無")  # compiled anyway
    found = checks(metropolis, notes)
    assert found["建議"] == [
        (False, "內容為空或「無」", "傳送含 #建議 的筆記；確實無建議可保留「無」")
    ]
    ok, detail, where = found["摘要"][0]
    assert (
        not ok and detail.startswith(f"{len(SUMMARY.replace(' ', '')) * 2} 字") and "#摘要" in where
    )
    marks = {(d, w) for ok, d, w in found["待填文字"] if not ok}
    assert marks == {
        ("肆、過程有「○○」", "筆記 #2（曹凱雯）"),
        ("肆、過程有「待填」", "筆記 #2（曹凱雯）"),
    }
    assert found["中文撰寫"] == [
        (False, "筆記僅有英文，請譯為中文", f"筆記 #{english.id}（曹凱雯）")
    ]
    assert found["心得"][0][0] and found["目的"][0][0]
    text = check_text(self_check(report, metropolis, notes.items, NOW))
    assert text.startswith("自我檢查：") and "項警告" in text and "期限 104.08.25" in text


def test_no_notes_at_all_gives_a_draft_summary_and_warnings(
    metropolis: Trip, tmp_path: Path
) -> None:
    report = build_report(metropolis, [], now=NOW, data_dir=tmp_path)
    assert (
        report.summary_is_draft
        and "易榮宗" in report.summary
        and "布宜諾斯艾利斯" in report.summary
    )
    assert "104.05.18" in report.summary and "2015 年大都會協會年會" in report.summary
    found = checks(metropolis, Notes(metropolis, tmp_path))
    assert not found["摘要"][0][0] and "草稿" in found["摘要"][0][1]
    assert not found["心得"][0][0] and not found["建議"][0][0]
    assert any(not ok and "現場筆記" in d for ok, d, _ in found["過程"])


def test_photos_without_caption_or_file(metropolis: Trip, tmp_path: Path) -> None:
    notes = Notes(metropolis, tmp_path)
    notes.add("yi-rongzong", "closing-ceremony", "", photo="")
    lost = notes.add("cao-kaiwen", "closing-ceremony", "合影", photo="合影", minutes=20)
    (tmp_path / lost.attachments[0].path).unlink()  # type: ignore[operator]
    found = checks(metropolis, notes)
    assert found["照片說明"] == [(False, "照片沒有說明", "筆記 #1（易榮宗）")]
    assert found["照片檔案"][0][0] is False and found["照片檔案"][0][2] == "筆記 #2（曹凱雯）"


def test_filing_deadline_and_overdue(metropolis: Trip, tmp_path: Path) -> None:
    assert filing_deadline(metropolis) == date(2015, 8, 25)
    assert add_months(date(2015, 11, 30), 3) == date(2016, 2, 29)
    late = checks(metropolis, Notes(metropolis, tmp_path), datetime(2015, 9, 1, 4, tzinfo=UTC))
    assert late["繳交期限"] == [
        (
            False,
            "回國日 104.05.25 次日起 3 個月內，期限 104.08.25，已逾期 7 天"
            "（104 年不在官方辦公日曆內，僅避開週末）",
            "請儘速上傳至公務出國報告資訊網",
        )
    ]


def test_the_drafted_summary_fits_the_usual_length(metropolis: Trip) -> None:
    text = draft_summary(metropolis)
    n = len(re.sub(r"\s", "", text))
    assert SUMMARY_MIN <= n <= SUMMARY_MAX, n
    assert text.endswith("。") and "易榮宗" in text and "104.05.18" in text
