"""The report built from the real METROPOLIS trip and notes from the seed report, read back."""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import docx
import pytest

from bot.notes.model import Attachment, Note, Section
from bot.report.build import build_report
from bot.report.docx import write_docx
from bot.report.model import numbered, zh_number
from bot.trip.models import Trip

NOW = datetime(2015, 6, 1, 2, 0, tzinfo=UTC)  # 104.06.01 in Taipei
CHAPTERS = [
    "壹、摘要",
    "貳、出國人員名單",
    "參、目的",
    "肆、過程",
    "伍、心得",
    "陸、建議",
    "柒、附件（活動照片）",
]
# Texts from the seed report (肆.四, 伍, 陸, 柒).
VOICE = (
    "會議針對聯合國即將召開，對於 21 世紀城市發展、都市化及市民生活之願景具相當影響力之全球 3 "
    "大會議議題，進行討論與交流，並以會議結論作為本協會未來於會中之建言，為各城市發聲。"
)
EMBASSY = (
    "會議期間黃大使及代表處藍秘書翠華亦撥冗出席大會開閉幕典禮等活動，以瞭解我國城市參與國際組"
    "織活動之情形，並藉此機會深化與當地城市之關係。"
)
WALK = "另分 3 組分別搭乘地鐵、騎乘腳踏車及徒步參觀市區建設，實地體驗城市居民生活。"
OUTCOME = (
    "宣傳花博行銷本市：與會員互動中，伺機宣傳本市 2018 主辦之花博，期爭取 METROPOLIS 會員城市"
    "注意，進而踴躍參加，共襄盛舉。"
)
REFLECTIONS = [
    "METROPOLIS 會員城市皆為都會型大城市，都會人口規模及重要性甚不亞於聯合國成員國，且都會城市"
    "領導人具更高政治責任感，因此協會每年召開年會皆吸引會員城市踴躍派員與會，互相交流學習。",
    "拉丁美洲國家運動風氣盛行，足球、籃球皆為其生活中不可或缺的一部分，在城市改造過程中，體育"
    "活動也扮演了硬體建設以外之重要精神腳色。",
    "在臺灣外交困境中，靈活運用城市外交以接軌國際，由地方政府結合中央政策，走出外交的另一條活路。",
]
RECOMMENDATIONS = [
    "本市一向享有棒球城市美名，且有兩座符合國際標準之棒球場，可利用舉辦國際棒球賽事行銷城市，"
    "並推廣全民體育活動，凝聚市民向心力。",
    "可將代表團於會中邀訪之城市同時列為花博邀展之城市，加深受邀城市對本市之印象，有助提高花博"
    "邀展之成功機率。",
]
PHOTOS = [  # (leg, caption, member), out of itinerary order on purpose
    ("visit-group-walk", "市政參訪（步行組）-市區導覽", "cao-kaiwen"),
    ("plenary-voice-of-mayors", "易委員與新任秘書長 Mr. Blasco 合影", "cao-kaiwen"),
    ("closing-ceremony", "閉幕式後於 Colón Theater 合影", "yi-rongzong"),
    ("call-representative-office", "易委員蒞駐阿根廷代表處拜會黃大使(中)", "cao-kaiwen"),
]
PHOTO_ORDER = [PHOTOS[3][1], PHOTOS[1][1], PHOTOS[2][1], PHOTOS[0][1]]
SUMMARY = (
    "本府國際事務委員會易委員榮宗率市府同仁一行 2 人，前往阿根廷布宜諾斯艾利斯，參加 5 月 18 "
    "日至 21 日由布宜諾斯艾利斯市政府與「大都會協會」共同舉辦之「2015 年大都會協會年會」及協會"
    "成立 30 周年慶祝活動。本次會議以「城市生活」為主題，藉由「包容、創新及永續發展」三個面向"
    "，實地探討一個邁向永續發展的大都會城市治理經驗；共有來自全球 37 個國家，63 個城市之 151 "
    "個組織派員與會。本府第一次派員參與此組織之會議活動，藉此機會熟悉會務運作、瞭解大會舉辦模"
    "式及建立人脈關係，俾未來爭取協會管理階層職務及主辦相關會議活動。"
)


def png(width: int = 8, height: int = 6, seed: int = 0) -> bytes:
    """A small valid RGB PNG, written by hand."""
    row = lambda y: b"\0" + bytes((x * 7 + y * 3 + seed) % 256 for x in range(width * 3))  # noqa: E731

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(row(y) for y in range(height)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


class Notes:
    """Hand-made notes on the right legs, numbered and timed as storage would."""

    def __init__(self, trip: Trip, data_dir: Path) -> None:
        self.trip, self.data_dir, self.items = trip, data_dir, []  # type: list[Note]
        self.data_dir.mkdir(parents=True, exist_ok=True)

    def add(
        self,
        member: str,
        leg: str | None,
        text: str,
        *tags: Section,
        minutes: int = 10,
        contacts: tuple[str, ...] = (),
        photo: str | None = None,
    ) -> Note:
        start = self.trip.legs_by_id[leg].start_at if leg else NOW - timedelta(days=9)
        files: tuple[Attachment, ...] = ()
        if photo is not None:
            name = f"media/p{len(self.items)}.png"
            (self.data_dir / "media").mkdir(exist_ok=True)
            (self.data_dir / name).write_bytes(png(40 + len(self.items), 30, len(self.items)))
            files = (Attachment("photo", "stored", path=name, sha256=name, caption=photo),)
        note = Note(
            len(self.items) + 1,
            self.trip.id,
            member,
            100 + (member == "cao-kaiwen"),
            leg,
            start + timedelta(minutes=minutes),
            text,
            frozenset(tags),
            contacts,
            files,
        )
        self.items.append(note)
        return note


def seed_notes(trip: Trip, data_dir: Path) -> Notes:
    """The seed's 過程, 心得, 建議 and photos as two delegates would have sent them."""
    n = Notes(trip, data_dir)
    n.add("yi-rongzong", "plenary-voice-of-mayors", "#摘要 " + SUMMARY, "summary", minutes=5)
    n.add("cao-kaiwen", "plenary-voice-of-mayors", VOICE, minutes=20)
    n.add("yi-rongzong", "plenary-voice-of-mayors", VOICE + " ", minutes=30)  # the same, again
    n.add("yi-rongzong", "call-representative-office", EMBASSY, contacts=("huang-lien-sheng",))
    n.add("cao-kaiwen", "visit-group-walk", WALK)
    n.add(
        "yi-rongzong",
        "anniversary-dinner",
        OUTCOME + " #效益",
        "outcome",
        contacts=("pierre-desrochers",),
    )
    n.add("yi-rongzong", "thematic-sports", REFLECTIONS[1] + " #心得", "reflection", minutes=40)
    n.add("cao-kaiwen", "statutory-board", "#心得 " + REFLECTIONS[0], "reflection")
    n.add("cao-kaiwen", "standby", REFLECTIONS[2] + " #心得", "reflection")
    n.add("yi-rongzong", "thematic-sports", RECOMMENDATIONS[0] + " #建議", "recommendation")
    n.add(
        "cao-kaiwen", "side-event-guangzhou-award", RECOMMENDATIONS[1] + " #建議", "recommendation"
    )
    for leg, caption, member in PHOTOS:
        n.add(member, leg, caption, minutes=50, photo=caption)
    return n


def read_back(path: Path) -> tuple[list[tuple[str, str]], docx.document.Document]:
    """(style, text) of every body paragraph, and the document."""
    doc = docx.Document(str(path))
    return [(p.style.name, p.text) for p in doc.paragraphs], doc


def chapter(paras: list[tuple[str, str]], title: str) -> list[tuple[str, str]]:
    """The paragraphs between a chapter heading and the next one."""
    start = paras.index(("Heading 1", title)) + 1
    end = next((i for i in range(start, len(paras)) if paras[i][0] == "Heading 1"), len(paras))
    return paras[start:end]


@pytest.fixture
def built(metropolis: Trip, tmp_path: Path) -> tuple[list[tuple[str, str]], docx.document.Document]:
    notes = seed_notes(metropolis, tmp_path / "data")
    report = build_report(metropolis, notes.items, now=NOW, data_dir=tmp_path / "data")
    write_docx(report, tmp_path / "report.docx")
    return read_back(tmp_path / "report.docx")


def test_numbering_levels() -> None:
    assert [zh_number(n) for n in (1, 9, 10, 11, 20, 21, 99)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十一",
        "九十九",
    ]
    assert [numbered(level, 3) for level in range(1, 6)] == [
        "參、",
        "三、",
        "（三）",
        "3.",
        "（3）",
    ]


def test_chapters_in_the_official_order_with_cover_and_contents(built) -> None:  # type: ignore[no-untyped-def]
    paras, doc = built
    assert [t for s, t in paras if s == "Heading 1"] == CHAPTERS
    assert [t for s, t in chapter(paras, "肆、過程") if s == "Heading 2"] == [
        "一、出國前準備過程",
        "二、行程表",
        "三、出國預算金額",
        "四、會議過程及內容",
    ]
    texts = [t for _, t in paras]
    assert texts[0] == "出國報告（出國類別：開會）"
    assert "服務機關：臺中市政府" in texts and "出國期間：104年5月16日至104年5月25日" in texts
    assert "報告日期：104年6月1日" in texts
    assert any("曹凱雯" in t and t.startswith("　") for t in texts)  # 姓名職稱 for each traveller
    assert not any("國內聯繫窗口" in t for t in texts)  # the home desk does not travel
    # 目次: a TOC field whose shown result is the static list of chapters.
    body = doc.element.body.xml
    assert 'TOC \\o "1-2"' in body and "w:fldChar" in body
    toc = texts[texts.index("目次") + 1 : texts.index("目次") + 12]
    assert toc[:4] == CHAPTERS[:4] and "四、會議過程及內容" in toc


def test_member_prep_and_itinerary_tables(built) -> None:  # type: ignore[no-untyped-def]
    paras, doc = built
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows == [
        ["編號", "單位", "職稱", "官職等", "姓名"],
        ["1", "臺中市政府國際事務委員會", "委員", "", "易榮宗"],
        ["2", "臺中市政府秘書處", "約聘人員", "7 等", "曹凱雯"],
    ]
    prep = [[c.text for c in row.cells] for row in doc.tables[1].rows]
    assert prep[0] == ["日期", "內容"] and prep[1][0] == "104.03.26" and len(prep) == 11
    assert "104.03.31" in prep[1][1]  # the day the step closed
    assert all(re.fullmatch(r"\d{3}\.\d{2}\.\d{2}", r[0]) for r in prep[1:])
    trip = [[c.text for c in row.cells] for row in doc.tables[2].rows]
    assert trip[0] == ["日期", "地點", "行程"] and len(trip) == 11
    assert trip[1][:2] == ["104.05.16", "臺北－新德里－羅馬"]
    assert trip[4][0] == "104.05.19" and "拜會駐阿根廷代表處黃大使聯昇" in trip[4][2]
    assert trip[-1][:2] == ["104.05.25", "曼谷－臺北"]
    assert ("Normal", "新臺幣 470,275 元") in chapter(paras, "肆、過程")


def test_each_programme_item_has_its_notes_merged_once(built) -> None:  # type: ignore[no-untyped-def]
    paras, _ = built
    process = chapter(paras, "肆、過程")
    texts = [t for _, t in process]

    def under(item: str) -> list[str]:
        i = next(i for i, (s, t) in enumerate(process) if s == "Heading 4" and item in t)
        end = next(j for j in range(i + 1, len(process)) if process[j][0].startswith("Heading"))
        return texts[i + 1 : end]

    assert VOICE in under("全體大會：市長之聲（104.05.20）")
    assert sum(t == VOICE for _, t in paras) == 1  # two delegates, same text: once
    assert EMBASSY in under("拜會駐阿根廷代表處黃大使聯昇")
    assert WALK in under("市政參訪：步行組")
    headings3 = [t for s, t in process if s == "Heading 3"]
    assert headings3[0] == "（一）行程概況" and "（二）全體大會" in headings3
    effect = headings3.index(next(h for h in headings3 if h.endswith("與會效益")))
    assert headings3[effect + 1].endswith("重要接觸人士")
    assert f"1.{OUTCOME}" in texts
    # Reflections, recommendations, the summary and captions stay out of 過程.
    for text in [*REFLECTIONS, *RECOMMENDATIONS, SUMMARY, *(p[1] for p in PHOTOS)]:
        assert text not in texts


def test_reflections_and_recommendations_numbered_in_time_order(built) -> None:  # type: ignore[no-untyped-def]
    paras, _ = built
    assert [t for _, t in chapter(paras, "伍、心得") if t] == [
        "一、" + REFLECTIONS[0],
        "二、" + REFLECTIONS[1],
        "三、" + REFLECTIONS[2],
    ]
    assert [t for _, t in chapter(paras, "陸、建議") if t] == [
        "一、" + RECOMMENDATIONS[0],
        "二、" + RECOMMENDATIONS[1],
    ]
    assert [t for _, t in chapter(paras, "壹、摘要") if t] == [SUMMARY]


def test_annex_photos_captioned_in_itinerary_order(built) -> None:  # type: ignore[no-untyped-def]
    paras, doc = built
    assert [t for s, t in chapter(paras, "柒、附件（活動照片）") if s == "Caption"] == PHOTO_ORDER
    assert len(doc.inline_shapes) == 4
    width = doc.sections[0].page_width - doc.sections[0].left_margin - doc.sections[0].right_margin
    assert all(0 < shape.width <= width for shape in doc.inline_shapes)


def test_tagged_annex_photos_only_and_large_photos_fit_the_page(
    metropolis: Trip,
    tmp_path: Path,
) -> None:
    notes = seed_notes(metropolis, tmp_path / "data")
    big = notes.add("yi-rongzong", "closing-ceremony", "#附件 合影", "annex", photo="大合影")
    (tmp_path / "data" / big.attachments[0].path).write_bytes(png(3000, 1000))  # type: ignore[operator]
    report = build_report(metropolis, notes.items, now=NOW, data_dir=tmp_path / "data")
    write_docx(report, tmp_path / "r.docx")
    paras, doc = read_back(tmp_path / "r.docx")
    assert [t for s, t in chapter(paras, "柒、附件（活動照片）") if s == "Caption"] == ["大合影"]
    section = doc.sections[0]
    assert (
        doc.inline_shapes[0].width
        == section.page_width - section.left_margin - section.right_margin
    )


def test_fonts_page_numbers_and_stable_bytes(metropolis: Trip, tmp_path: Path) -> None:
    notes = seed_notes(metropolis, tmp_path / "data")
    report = build_report(metropolis, notes.items, now=NOW, data_dir=tmp_path / "data")
    write_docx(report, tmp_path / "a.docx")
    write_docx(report, tmp_path / "b.docx")
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.docx") as z:
        styles = z.read("word/styles.xml").decode()
        footer = next(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
        fonts = z.read("word/fontTable.xml").decode()
        stored = [i for i in z.infolist() if i.filename.startswith("word/media/")]
    # The Traditional Chinese 楷書 face LibreOffice has (fonts-arphic-ukai), 標楷體 for Word.
    assert styles.count('w:eastAsia="AR PL UKai TW"') >= 5  # Normal, Title, Caption, Heading 1–4
    assert "PAGE" in footer and "w:fldChar" in footer
    assert 'w:name="AR PL UKai TW"' in fonts and 'w:altName w:val="標楷體"' in fonts
    assert len(stored) == 4 and all(i.compress_type == zipfile.ZIP_STORED for i in stored)


def test_deleted_notes_and_notes_without_a_leg(metropolis: Trip, tmp_path: Path) -> None:
    notes = seed_notes(metropolis, tmp_path / "data")
    gone = notes.add("cao-kaiwen", "visit-group-walk", "這則已刪除")
    notes.items[-1] = replace(gone, deleted=True)
    notes.add("cao-kaiwen", None, "行前與代表處聯繫確認接機事宜。")
    report = build_report(metropolis, notes.items, now=NOW, data_dir=tmp_path / "data")
    texts = [getattr(b, "text", "") for b in report.blocks]
    assert "這則已刪除" not in texts
    i = texts.index("行前與代表處聯繫確認接機事宜。")
    assert texts[i - 1].endswith("其他紀要")
