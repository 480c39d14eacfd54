"""The PDF, ODT and forms through LibreOffice: 目次 with page numbers, no blank page, the TC
font, the cover title; the 審核表, 提要 and 資訊網 fields. Under CI=true, a missing LibreOffice
fails these tests instead of skipping them (scripts/test installs it)."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from odf import teletype
from odf.opendocument import load as load_odt
from odf.text import H

from bot import cli
from bot.report.build import build_report
from bot.report.compile import compile_report
from bot.report.forms import metadata, metadata_text
from bot.report.layout import cell_lines, column_widths, title_lines, width
from bot.report.pdf import page_texts, soffice
from bot.trip.models import Trip
from tests.test_report_build import CHAPTERS, NOW, seed_notes

_MISSING = [
    name
    for name, found in (("LibreOffice", soffice()), ("pdffonts", shutil.which("pdffonts")))
    if not found
]


def require_office() -> None:
    """LibreOffice and poppler are there; else skip, or fail in CI."""
    if _MISSING:
        why = f"not installed: {', '.join(_MISSING)} (scripts/test installs them)"
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)


@pytest.fixture
def office() -> None:
    """The tests that convert: LibreOffice must be there."""
    require_office()


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory, metropolis: Trip) -> Path:
    require_office()  # module-scoped: it runs before the function's `office` fixture
    tmp = tmp_path_factory.mktemp("pdf")
    notes = seed_notes(metropolis, tmp / "data")
    done = compile_report(
        metropolis,
        notes.items,
        now=NOW,
        data_dir=tmp / "data",
        out=tmp / "report.pdf",
        fmt="pdf",
        metadata_out=tmp / "meta.json",
    )
    assert done.files[1].suffix == ".pdf" and done.pages is not None
    return done.files[1]


@pytest.mark.usefixtures("office")
def test_contents_has_the_page_numbers_of_the_headings(pdf: Path) -> None:
    pages = page_texts(pdf)
    toc = next(i for i, t in enumerate(pages) if t.lstrip().startswith("目次"))
    lines = [re.sub(r"\s+", "", line) for line in pages[toc].splitlines()]
    entries = dict(re.findall(r"^(.+?)\.{3,}(\d+)$", "\n".join(lines), re.M))
    assert set(CHAPTERS) <= set(entries), lines
    for heading, number in entries.items():
        page = pages[int(number) - 1]
        assert heading in re.sub(r"\s+", "", page), (heading, number)
    assert [int(entries[c]) for c in CHAPTERS] == sorted(int(entries[c]) for c in CHAPTERS)


@pytest.mark.usefixtures("office")
def test_no_blank_page_and_the_cover_title_breaks_between_names(pdf: Path) -> None:
    pages = page_texts(pdf)
    assert all(t.strip() for t in pages), [i + 1 for i, t in enumerate(pages) if not t.strip()]
    cover = [line.strip() for line in pages[0].splitlines()]
    assert "出席「2015 年大都會協會年會」" in cover and "（阿根廷布宜諾斯艾利斯）" in cover


@pytest.mark.usefixtures("office")
def test_the_body_is_in_the_traditional_chinese_kai_face(pdf: Path) -> None:
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    names = [line.split()[0].split("+")[-1] for line in fonts]
    assert "UKaiTW" in names, names
    assert not [n for n in names if "JP" in n or "SansCJK" in n or "Sans-CJK" in n], names


@pytest.mark.usefixtures("office")
def test_the_metadata_has_the_pdfs_page_count(pdf: Path, metropolis: Trip) -> None:
    fields = json.loads((pdf.parent / "meta.json").read_text(encoding="utf-8"))
    assert fields["頁數"] == len(page_texts(pdf))
    assert fields["出國期間起"] == "104.05.16" and fields["出國期間迄"] == "104.05.25"
    assert fields["報告名稱"] == metropolis.title.zh and fields["出國類別"] == "開會"
    assert [p["姓名"] for p in fields["出國人員"]] == ["易榮宗", "曹凱雯"]
    assert fields["關鍵詞"] == "、".join(metropolis.report.keywords)


@pytest.mark.usefixtures("office")
def test_odt_opens_with_its_chapters(metropolis: Trip, tmp_path: Path) -> None:
    notes = seed_notes(metropolis, tmp_path / "data")
    done = compile_report(
        metropolis,
        notes.items,
        now=NOW,
        data_dir=tmp_path / "data",
        out=tmp_path / "r.odt",
        fmt="odt",
    )
    odt = done.files[-1]
    assert odt.suffix == ".odt" and not odt.with_suffix(".pdf").exists()
    headings = [teletype.extractText(h) for h in load_odt(str(odt)).getElementsByType(H)]
    assert [h for h in headings if h in CHAPTERS] == CHAPTERS


@pytest.mark.usefixtures("office")
def test_the_forms_as_pdf_carry_the_trips_facts(metropolis: Trip, tmp_path: Path) -> None:
    notes = seed_notes(metropolis, tmp_path / "data")
    for form in ("review", "summary"):
        done = compile_report(
            metropolis,
            notes.items,
            now=NOW,
            data_dir=tmp_path / "data",
            out=tmp_path / f"{form}.pdf",
            fmt="pdf",
            form=form,
        )
        text = re.sub(r"\s+", "", "".join(page_texts(done.files[-1])))
        assert "易榮宗" in text and "104.05.16至104.05.25" in text, form  # spacing aside


def _docx_text(path: Path) -> tuple[str, list[list[list[str]]]]:
    doc = docx.Document(str(path))
    tables = [[[c.text for c in r.cells] for r in t.rows] for t in doc.tables]
    return "\n".join(p.text for p in doc.paragraphs), tables


def test_review_form_is_pre_filled_and_leaves_the_signatures(
    metropolis: Trip, tmp_path: Path
) -> None:
    notes = seed_notes(metropolis, tmp_path / "data")
    done = compile_report(
        metropolis,
        notes.items,
        now=NOW,
        data_dir=tmp_path / "data",
        out=tmp_path / "review.docx",
        fmt="docx",
        form="review",
    )
    text, (facts, items, signatures) = _docx_text(done.files[0])
    assert "臺中市政府出國報告審核表" in text
    assert facts[1] == ["出國報告名稱", metropolis.title.zh]
    assert "易榮宗" in facts[2][1] and "☑開會" in facts[3][1] and "☐考察" in facts[3][1]
    assert len(items) == 11  # header and the ten items
    assert items[1][1] == "依限繳交出國報告"
    assert items[1][2] == "☑是　☐否（回國日 104.05.25，期限 104.08.25，報告日期 104.06.01）"
    assert items[2][2] == "☑是"  # 目的, 過程, 心得 and 建議 are there
    assert "以外文撰寫或僅以所蒐集外文資料為內容" in items[8][1]
    assert "電子檔案未依格式辦理" in items[8][1]
    assert signatures[0] == ["出國人", "一級單位主管", "機關首長或授權人員"]
    assert all(not cell.strip() for cell in signatures[1])
    # Without 心得: the format is not complete, and the form says what is missing.
    bare = [n for n in notes.items if "reflection" not in n.sections]
    done = compile_report(
        metropolis,
        bare,
        now=NOW,
        data_dir=tmp_path / "data",
        out=tmp_path / "review2.docx",
        fmt="docx",
        form="review",
    )
    assert _docx_text(done.files[0])[1][1][2][2] == "☐是（缺：心得）"


def test_summary_form_and_csv_metadata(metropolis: Trip, tmp_path: Path) -> None:
    notes = seed_notes(metropolis, tmp_path / "data")
    done = compile_report(
        metropolis,
        notes.items,
        now=NOW,
        data_dir=tmp_path / "data",
        out=tmp_path / "summary.md",
        fmt="md",
        form="summary",
    )
    md = done.files[0].read_text(encoding="utf-8")
    assert md.startswith("# 臺中市政府出國報告提要")
    assert "| 出國期間 | 104.05.16 至 104.05.25 |" in md and "一、內容摘要" in md
    assert "二、心得" in md and "三、建議" in md and "棒球城市" in md
    assert metropolis.report.keywords and "、".join(metropolis.report.keywords) in md
    meta = tmp_path / "meta.csv"
    fields = metadata(
        metropolis,
        build_report(metropolis, notes.items, now=NOW, data_dir=tmp_path / "data"),
        NOW.date(),
        16,
    )
    meta.write_text(metadata_text(fields, "csv"), encoding="utf-8")
    rows = list(csv.DictReader(meta.open(encoding="utf-8")))
    assert [r["姓名"] for r in rows] == ["易榮宗", "曹凱雯"] and rows[1]["職等"] == "其他"
    # No rank in the content: left blank (the self-check asks for it), never guessed.
    assert rows[0]["職等"] == ""
    # 服務單位 beside 服務機關, not repeating it.
    assert [(r["服務機關"], r["服務單位"]) for r in rows] == [
        ("臺中市政府", "國際事務委員會"),
        ("臺中市政府", "秘書處"),
    ]
    assert rows[0]["頁數"] == "16" and rows[0]["出國國家"] == "阿根廷"


def test_layout_of_titles_and_columns() -> None:
    title = "出席「2015 年大都會協會年會」（阿根廷布宜諾斯艾利斯）"
    assert title_lines(title, 19) == ["出席「2015 年大都會協會年會」", "（阿根廷布宜諾斯艾利斯）"]
    assert title_lines(title, 40) == [title]
    # No bracket to break at: around the names, never inside one.
    bare = "出席2015年大都會協會年會暨協會成立30周年慶祝活動於阿根廷布宜諾斯艾利斯"
    lines = title_lines(bare, 16, ["布宜諾斯艾利斯", "阿根廷"])
    assert "".join(lines) == bare and all(width(line) <= 16 for line in lines)
    assert lines[-1] == "於阿根廷布宜諾斯艾利斯" or lines[-1] == "布宜諾斯艾利斯", lines
    date_col, text_col = column_widths([["日期", "104.05.16"], ["內容", "簽請派員出席" * 8]], 32)
    assert date_col < 7 and abs(date_col + text_col - 32) < 1e-9


@pytest.mark.usefixtures("office")
def test_place_names_in_the_itinerary_table_are_never_split(pdf: Path) -> None:
    text = "".join(page_texts(pdf))
    at = text.index("二、行程表", text.index("肆、過程", text.index("柒、") + 1))
    table = text[at : text.index("三、出國預算金額", at)]
    lines = [line.strip() for line in table.splitlines()]
    # Each name whole on one line, in 地點 as in 行程 (not 「阿姆斯特 / 丹」).
    for name in ("阿姆斯特丹", "布宜諾斯艾利斯", "新德里"):
        assert any(name in line for line in lines), (name, lines)
    assert not [line for line in lines if line.endswith("阿姆斯特") or line == "丹"], lines


def test_cells_wrap_between_names() -> None:
    names = ("布宜諾斯艾利斯", "阿姆斯特丹")
    assert cell_lines("布宜諾斯艾利斯－阿姆斯特丹", 10, names) == ["布宜諾斯艾利斯－", "阿姆斯特丹"]
    assert cell_lines("搭機：布宜諾斯艾利斯 → 阿姆斯特丹", 12, names) == [
        "搭機：布宜諾斯艾利斯 →",
        "阿姆斯特丹",
    ]
    assert cell_lines("參加「2015 年大都會協會年會」（第 1 天）", 17) == [
        "參加「2015 年大都會協會年會」",
        "（第 1 天）",
    ]
    # A column is never narrower than the longest name it holds, however long the others.
    places, items = ["地點", "布宜諾斯艾利斯－阿姆斯特丹"], ["行程", "很長的行程說明" * 20]
    _, place_col, item_col = column_widths([["日期", "104.05.23"], places, items], 30, names=names)
    assert place_col >= width("布宜諾斯艾利斯－") + 1.2 and item_col > place_col


@pytest.mark.usefixtures("office")
def test_a_docx_alone_has_the_page_numbers_of_its_contents(
    metropolis: Trip, tmp_path: Path
) -> None:
    notes = seed_notes(metropolis, tmp_path / "data")
    done = compile_report(
        metropolis,
        notes.items,
        now=NOW,
        data_dir=tmp_path / "data",
        out=tmp_path / "only.docx",
        fmt="docx",
    )
    assert done.files == (tmp_path / "only.docx",) and sorted(tmp_path.iterdir()) == [
        tmp_path / "data",
        tmp_path / "only.docx",
    ]
    paras = [p.text for p in docx.Document(str(tmp_path / "only.docx")).paragraphs]
    toc = paras[paras.index("目次") + 1 :]
    entries = dict(re.findall(r"^(.+?)\t(\d+)$", "\n".join(toc), re.M))
    assert set(CHAPTERS) <= set(entries), toc[:10]
    item = next(c for c in done.checks if c.label == "目次頁碼")
    assert item.ok and str(done.pages) in item.detail


def test_a_docx_without_libreoffice_says_its_contents_has_no_page_numbers(
    metropolis: Trip, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    done = compile_report(
        metropolis, [], now=NOW, data_dir=tmp_path, out=tmp_path / "only.docx", fmt="docx"
    )
    item = next(c for c in done.checks if c.label == "目次頁碼")
    assert not item.ok and "未安裝 LibreOffice" in item.detail and done.pages is None


@pytest.mark.usefixtures("office")
def test_metadata_alone_writes_only_the_fields(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BOT_CONTENT_DIR", str(Path(__file__).parent.parent / "content"))
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "x.pdf").write_bytes(b"the writer's own PDF")
    base = ["report", "--trip", "metropolis-2015", "--metadata", str(folder / "x.csv")]
    assert cli.main(base) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["x.csv", "x.pdf"]
    assert (folder / "x.pdf").read_bytes() == b"the writer's own PDF"
    rows = list(csv.DictReader((folder / "x.csv").open(encoding="utf-8")))
    assert int(rows[0]["頁數"]) > 10
    out = capsys.readouterr().out
    assert f"written: {folder / 'x.csv'}" in out and "x.docx" not in out
    assert "⚠️ 資訊網欄位：尚缺 系統識別號、主題分類、施政分類、職等（易榮宗）" in out
