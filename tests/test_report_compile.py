"""The compile the CLI and /report share: it reports what happened, with the published changes;
what a report never carries; the drafted 摘要; the notes of every kind."""

from __future__ import annotations

import asyncio
import re
import unicodedata
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import docx
import pytest

from bot import cli
from bot.changes.model import Change
from bot.notes.model import Attachment
from bot.report.build import build_report, draft_summary, sentences
from bot.report.check import self_check
from bot.report.docx import write_docx
from bot.report.markdown import render_markdown
from bot.report.model import SUMMARY_MAX, SUMMARY_MIN, Para
from bot.storage import Storage
from bot.trip.loader import load_trips
from bot.trip.models import Trip
from tests.conftest import FIXTURE_TRIPS
from tests.test_report_build import NOW, Notes, chapter, read_back, seed_notes

ROOT = Path(__file__).resolve().parent.parent
TRIP = "metropolis-2015"


async def publish(storage: Storage, trip_id: str, *changes: Change) -> None:
    """Publish changes as a coordinator's Publish button does: draft, then append to the log."""
    for change in changes:
        version = await storage.trip_version(trip_id)
        draft_id = await storage.save_draft(trip_id, 1, version, change, NOW)
        draft = await storage.draft(draft_id)
        assert draft is not None
        legs = frozenset({change.leg or ""})
        assert await storage.publish_change(draft, "desk", legs, ("", ""), [], NOW) is not None


def test_a_published_move_and_cancel_are_what_the_report_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    data.mkdir()

    async def prepare() -> None:
        storage = await Storage.open(data / "bot.sqlite3")
        try:
            await publish(
                storage,
                TRIP,
                Change("move", leg="statutory-board", start=datetime(2015, 5, 19, 10, 0)),
                Change("move", leg="call-representative-office", start=datetime(2015, 5, 22, 10)),
                Change("cancel", leg="thematic-open-innovation"),
                Change("cancel", leg="workshop-women"),
            )
        finally:
            await storage.close()

    asyncio.run(prepare())
    monkeypatch.setenv("BOT_DATA_DIR", str(data))
    monkeypatch.setenv("BOT_CONTENT_DIR", str(ROOT / "content"))
    out = tmp_path / "r.docx"
    assert cli.main(["report", "--trip", TRIP, "--out", str(out)]) == 0
    paras, doc = read_back(out)
    process = [t for _, t in chapter(paras, "肆、過程")]
    assert any(re.fullmatch(r"\d+\.法定會議：大都會董事會議（104\.05\.19）", t) for t in process)
    assert not any("大都會董事會議（104.05.18）" in t for t in process)
    assert any(t.endswith("拜會駐阿根廷代表處黃大使聯昇（104.05.22）") for t in process)
    table = {r.cells[0].text: r.cells[2].text for r in doc.tables[2].rows[1:]}
    assert "拜會駐阿根廷代表處黃大使聯昇" in table["104.05.22"]
    assert "拜會駐阿根廷代表處黃大使聯昇" not in table["104.05.19"]
    everything = "\n".join(t for _, t in paras)
    assert "城市與開放創新" not in everything  # cancelled: not reported as held
    # A group's intro names and counts what was held, not what the content planned.
    assert "大都會婦女研討會" not in everything and "共 3 場" not in everything
    assert "研討活動計有大都會青年研討會及合作點的連結——大都會小組合作研討會，共 2 場。" in process
    assert "共 6 場" not in everything and "，共 5 場。" in everything


# A section reference of the seed (（陸.五）, （伍.三）…), an editor's remark, an emoji.
_SECTION_REF = re.compile(r"[（(][壹貳參叄肆伍陸柒捌玖拾][.．、]\s*[一二三四五六七八九十\d]*[）)]")
_REMARKS = re.compile(
    r"報告未載|報告所載|待查證|查證|假設|推定|附件照片「|出處|來源：|source:|TODO"
)


def _emoji(text: str) -> list[str]:
    return [
        c for c in text if unicodedata.category(c) == "So" and ord(c) > 0x2000 and c not in "☑☐○〇"
    ]


def test_no_report_carries_section_refs_remarks_or_emoji(tmp_path: Path) -> None:
    trips = {**load_trips(ROOT / "content"), **load_trips(FIXTURE_TRIPS)}
    found: list[str] = []
    for trip in trips.values():
        data = tmp_path / trip.id
        data.mkdir()
        notes = seed_notes(trip, data).items if trip.id == TRIP else []
        report = build_report(trip, notes, now=NOW, data_dir=data)
        write_docx(report, data / "r.docx")
        document = docx.Document(str(data / "r.docx"))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        for text in [render_markdown(report, data), *(p.text for p in document.paragraphs), *cells]:
            found += [f"{trip.id}: {m.group()}" for m in _SECTION_REF.finditer(text)]
            found += [f"{trip.id}: {m.group()}" for m in _REMARKS.finditer(text)]
            found += [f"{trip.id}: {e}" for e in _emoji(text)]
    assert found == [], "\n".join(sorted(set(found)))


def test_emoji_stickers_and_shorthand_are_left_out_and_listed(
    metropolis: Trip, tmp_path: Path
) -> None:
    notes = seed_notes(metropolis, tmp_path)
    flowers = notes.add(
        "yi-rongzong", "anniversary-dinner", "宣傳花博，多國代表表示有興趣參加🌸🇹🇼 #效益", "outcome"
    )
    laugh = notes.add("cao-kaiwen", "visit-group-bike", "騎腳踏車遊市區，超好玩哈哈哈 XD 👍")
    sticker = notes.add("cao-kaiwen", "visit-group-bike", "👍")
    plain = "大會網站 www.metropolis.org 公布 8888 筆市民意見。"
    notes.add("cao-kaiwen", "visit-group-subway", plain)  # no chat in it: kept as it is
    report = build_report(metropolis, notes.items, now=NOW, data_dir=tmp_path)
    text = render_markdown(report, tmp_path)
    assert "宣傳花博，多國代表表示有興趣參加" in text and "騎腳踏車遊市區，超好玩" in text
    assert not _emoji(text) and "哈哈哈" not in text and "XD" not in text and plain in text
    # Tagged #效益: an item of 與會效益, closed with 。 like every sentence of the report.
    assert "2.宣傳花博，多國代表表示有興趣參加。" in text
    flagged = [
        i.where for i in self_check(report, metropolis, notes.items, NOW) if i.label == "聊天符號"
    ]
    assert flagged == [
        f"筆記 #{n.id}（{who}）"
        for n, who in ((flowers, "易榮宗"), (laugh, "曹凱雯"), (sticker, "曹凱雯"))
    ]


@pytest.mark.parametrize(
    ("note", "paragraph", "left_out"),
    [
        (
            "與會城市代表分享參與市政經驗🌸🇹🇼 超讚der lol",
            "與會城市代表分享參與市政經驗超讚。",
            "「🌸🇹🇼」「der」「lol」",
        ),
        ("+1 市長之聲很精彩 XD", "市長之聲很精彩。", "「+1」「XD」"),
        ("地鐵組出發哈哈  ，沿途介紹市區建設", "地鐵組出發，沿途介紹市區建設。", "「哈哈」"),
        ("UTC+1 時區的代表團共 8+1 人", "UTC+1 時區的代表團共 8+1 人。", None),
    ],
)
def test_chat_shorthand_leaves_no_trace_and_the_check_says_what_went(
    metropolis: Trip, tmp_path: Path, note: str, paragraph: str, left_out: str | None
) -> None:
    notes = Notes(metropolis, tmp_path)
    notes.add("yi-rongzong", "visit-group-subway", note)
    report = build_report(metropolis, notes.items, now=NOW, data_dir=tmp_path)
    said = [b.text for b in report.chapter_blocks("肆、") if isinstance(b, Para)]
    assert paragraph in said
    assert not any("  " in t for t in said)
    flagged = [i for i in self_check(report, metropolis, notes.items, NOW) if i.label == "聊天符號"]
    if left_out is None:
        assert flagged == []
    else:
        why = f"已略去表情符號或網路用語 {left_out}，請確認文意完整"
        assert [i.detail for i in flagged] == [why]


def test_location_voice_and_document_notes(metropolis: Trip, tmp_path: Path) -> None:
    notes = seed_notes(metropolis, tmp_path)
    spot = Attachment("location", "stored", latitude=-34.60107, longitude=-58.38332)
    bare = notes.add("cao-kaiwen", "closing-ceremony", "")
    notes.items[-1] = replace(bare, attachments=(spot,))
    named = notes.add("yi-rongzong", "visit-city-tower-mdc", "大都會設計中心（CMD）")
    notes.items[-1] = replace(named, attachments=(replace(spot, latitude=-34.6392),))
    voice = notes.add("yi-rongzong", "plenary-voice-of-mayors", "")
    notes.items[-1] = replace(voice, attachments=(Attachment("voice", "stored", duration=65),))
    paper = notes.add("cao-kaiwen", "side-event-guangzhou-award", "")
    doc_file = Attachment("document", "stored", file_name="Guangzhou_Award_2014.pdf")
    notes.items[-1] = replace(paper, attachments=(doc_file,))
    # A document's text is its caption: said beside the file in 柒, not as prose in 過程.
    agenda = notes.add("cao-kaiwen", "statutory-board", "大會議程")
    agenda_file = Attachment("document", "stored", file_name="agenda.pdf")
    notes.items[-1] = replace(agenda, attachments=(agenda_file,))
    report = build_report(metropolis, notes.items, now=NOW, data_dir=tmp_path)
    process = [b.text for b in report.chapter_blocks("肆、") if hasattr(b, "text")]
    closing = next(i for i, t in enumerate(process) if "大會閉幕典禮（科隆劇院）（" in t)
    after = process[closing + 1 :]
    venue = metropolis.legs_by_id["closing-ceremony"].venue
    assert venue is not None
    spot_text = f"現場位置：{venue.zh}，南緯 34.6011°、西經 58.3833°"
    assert spot_text == next(t for t in after if "現場位置" in t)
    assert "現場位置：大都會設計中心（CMD）" in process
    annex = [b.text for b in report.chapter_blocks("柒、") if isinstance(b, Para)]
    assert annex == ["附件文件：", "一、agenda.pdf（大會議程）", "二、Guangzhou_Award_2014.pdf"]
    assert not [t for t in process if "大會議程" in t]
    items = {i.label: i for i in self_check(report, metropolis, notes.items, NOW)}
    pending = items["待整理：1 則語音筆記"]
    assert not pending.ok
    assert pending.detail == f"筆記 #{voice.id} 全體大會：市長之聲（104.05.20） 1 分 05 秒"


def test_the_drafted_summary_is_whole_sentences_of_its_source(metropolis: Trip) -> None:
    trips = [metropolis, *load_trips(FIXTURE_TRIPS).values()]
    for trip in trips:
        text = draft_summary(trip)
        assert text.endswith("。")
        source = {s for p in trip.purpose for s in sentences(p.zh)}
        drafted = sentences(text.split("\n", 1)[1]) if "\n" in text else []
        assert all(s in source for s in drafted), drafted
        # 參、目的 is a page later: no paragraph of it is copied whole into the 摘要.
        assert not any(p.zh in text for p in trip.purpose), trip.id
    text = draft_summary(metropolis)
    assert SUMMARY_MIN <= len(re.sub(r"\s", "", text)) <= SUMMARY_MAX
    # The dates stand apart from the words around them, as everywhere in the report.
    assert "參加 104.05.18 至 104.05.21 舉行之" in text
    # What the programme held, from the effective schedule.
    assert "大會議程包括全體大會、主題會議、研討活動" in text


def test_a_drafted_summary_says_so_in_the_check(metropolis: Trip, tmp_path: Path) -> None:
    notes = Notes(metropolis, tmp_path)
    report = build_report(metropolis, notes.items, now=NOW, data_dir=tmp_path)
    item = next(i for i in self_check(report, metropolis, [], NOW) if i.label == "摘要")
    assert not item.ok and "沒有 #摘要 筆記" in item.detail and "草稿" in item.detail
