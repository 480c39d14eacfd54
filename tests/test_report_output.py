"""Markdown has the DOCX's chapters; PDF through LibreOffice where present; the CLI."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bot import cli
from bot.report.build import build_report
from bot.report.docx import write_docx
from bot.report.markdown import write_markdown
from bot.report.pdf import PdfUnavailable, convert_to_pdf, soffice
from bot.trip.models import Trip
from tests.test_report_build import CHAPTERS, NOW, PHOTO_ORDER, read_back, seed_notes


def test_markdown_has_the_same_chapters_and_relative_photo_links(
    metropolis: Trip,
    tmp_path: Path,
) -> None:
    notes = seed_notes(metropolis, tmp_path / "data")
    report = build_report(metropolis, notes.items, now=NOW, data_dir=tmp_path / "data")
    out = tmp_path / "out" / "report.md"
    out.parent.mkdir()
    write_markdown(report, out)
    write_docx(report, tmp_path / "report.docx")
    md = out.read_text(encoding="utf-8")
    assert re.findall(r"^## (.+)$", md, re.M) == CHAPTERS
    paras, _ = read_back(tmp_path / "report.docx")
    docx_headings = [t for s, t in paras if s.startswith("Heading")]
    md_headings = re.findall(r"^#{2,6} (.+)$", md, re.M)
    assert md_headings == docx_headings
    assert "| 1 | 臺中市政府國際事務委員會 | 委員 |  | 易榮宗 |" in md
    links = re.findall(r"!\[(.*?)\]\((.*?)\)", md)
    assert [c for c, _ in links] == PHOTO_ORDER
    assert all(not Path(p).is_absolute() and (out.parent / p).is_file() for _, p in links)


def test_pdf_without_libreoffice_says_how_to_install(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(
        PdfUnavailable, match="apt-get install libreoffice-writer-nogui fonts-arphic-ukai"
    ):
        convert_to_pdf(tmp_path / "r.docx")


_NO_PDF = (
    "LibreOffice (soffice) is not installed"
    if soffice() is None
    else "pdftotext (poppler-utils) is not installed"
    if shutil.which("pdftotext") is None
    else ""
)


@pytest.mark.skipif(bool(_NO_PDF), reason=_NO_PDF or "-")
def test_pdf_has_the_chinese_headings_in_its_text_layer(metropolis: Trip, tmp_path: Path) -> None:
    notes = seed_notes(metropolis, tmp_path / "data")
    report = build_report(metropolis, notes.items, now=NOW, data_dir=tmp_path / "data")
    write_docx(report, tmp_path / "report.docx")
    pdf = convert_to_pdf(tmp_path / "report.docx")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    for heading in CHAPTERS:
        assert heading in text


def test_cli_writes_the_report_and_prints_the_check(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BOT_CONTENT_DIR", str(Path(__file__).parent.parent / "content"))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert cli.main(["report", "--trip", "metropolis-2015", "--out", str(tmp_path / "r.md")]) == 0
    out = capsys.readouterr().out
    assert (
        out.startswith("自我檢查：") and "⚠️ 建議" in out and f"written: {tmp_path / 'r.md'}" in out
    )
    assert "## 壹、摘要" in (tmp_path / "r.md").read_text(encoding="utf-8")
    assert cli.main(["report", "--trip", "nope", "--out", str(tmp_path / "r.docx")]) == 2
    assert cli.main(["report", "--trip", "metropolis-2015", "--out", str(tmp_path / "r.txt")]) == 2
    monkeypatch.setattr(shutil, "which", lambda name: None)
    args = ["report", "--trip", "metropolis-2015", "--out", str(tmp_path / "r.docx")]
    assert cli.main([*args, "--format", "pdf"]) == 3
    assert "apt-get install" in capsys.readouterr().err
    assert (tmp_path / "r.docx").is_file()  # the DOCX is there even without LibreOffice
    assert cli.main([*args, "--metadata", str(tmp_path / "m.json")]) == 3
    assert "--metadata: PDF and ODT need LibreOffice" in capsys.readouterr().err


def test_cli_forms_and_metadata_arguments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BOT_CONTENT_DIR", str(Path(__file__).parent.parent / "content"))
    base = ["report", "--trip", "metropolis-2015"]
    assert cli.main([*base, "--out", str(tmp_path / "r.md"), "--form", "review"]) == 0
    review = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert review.startswith("# 臺中市政府出國報告審核表") and "依限繳交出國報告" in review
    assert cli.main([*base, "--out", str(tmp_path / "s.docx"), "--form", "summary"]) == 0
    assert (tmp_path / "s.docx").is_file()
    capsys.readouterr()
    assert cli.main([*base, "--metadata", str(tmp_path / "m.txt")]) == 2
    assert "--metadata: 'm.txt' is neither .json nor .csv" in capsys.readouterr().err
    assert cli.main(base) == 2
    assert "--out" in capsys.readouterr().err
