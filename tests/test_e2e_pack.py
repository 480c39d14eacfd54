"""End to end: /pack sends a PDF whose text layer has the member's day in local and Taipei time
with the hotel, in a Traditional Chinese font; `python -m bot pack` writes the same. Skipped
only where LibreOffice is absent and not in CI (tests/test_report_pdf.py's rule)."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import segno
from pypdf import PdfReader

from bot.fieldkit.pack import build_pack
from bot.report.pdf import page_texts
from bot.trip.loader import load_trip
from tests.e2e import ROOT, bot_harness
from tests.test_report_pdf import require_office

T0 = datetime(2015, 5, 19, 13, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def office() -> None:
    require_office()


def fonts(pdf: Path) -> list[str]:
    lines = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    return [line.split()[0].split("+")[-1] for line in lines]


async def test_pack_sends_a_pdf_with_the_days_legs_in_local_and_taipei_time(
    tmp_path: Path,
) -> None:
    async with bot_harness(tmp_path, T0) as h:
        cao = await h.join("cao-kaiwen")
        building, sent = await h.ask_all(cao, "/pack", quiet=60)
        assert building.text is not None and "製作中" in building.text
        assert sent.document is not None and sent.document.data is not None
        assert sent.document.file_name == "pack-metropolis-2015-cao-kaiwen-zh.pdf"
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(sent.document.data)
    # Where a line wraps depends on the fonts installed; compare without whitespace.
    text = re.sub(r"\s+", "", "".join(page_texts(pdf)))
    # 5/19: the keynote, 09:30–12:00 in Buenos Aires, 20:30–23:00 in Taipei.
    assert "5/19（二）" in text and "專題演講" in text
    assert "09:30–12:00布宜諾斯艾利斯UTC−3臺北20:30–23:00" in text  # in lines, no ｜
    assert "住宿：布宜諾斯艾利斯住宿" in text and "緊急聯絡卡" in text and "911" in text
    assert "https://t.me/delegation_test_bot" in text
    assert "UKaiTW" in fonts(pdf)


def test_python_m_bot_pack_writes_the_pdf(tmp_path: Path) -> None:
    out = tmp_path / "yi-en.pdf"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "pack",
            "--trip",
            "metropolis-2015",
            "--member",
            "yi-rongzong",
            "--lang",
            "en",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "BOT_DATA_DIR": str(tmp_path / "data"),
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
        },
    )
    assert done.returncode == 0, done.stderr
    assert out.stat().st_mode & 0o777 == 0o600  # the member's numbers: private, as reports are
    text = "\n".join(page_texts(out))
    assert "Day by day (local and Taipei time)" in text and "Emergency card" in text
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "pack",
            "--trip",
            "metropolis-2015",
            "--member",
            "nobody",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "--member: no member 'nobody'" in bad.stderr


def test_page_one_has_a_qr_code_of_the_link_back_to_the_bot(tmp_path: Path) -> None:
    trip = load_trip(ROOT / "content" / "metropolis-2015")
    link = "https://t.me/delegation_test_bot"
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(build_pack(trip, "cao-kaiwen", "zh", private=False, bot_link=link))
    first = PdfReader(pdf).pages[0]
    xobjects = first["/Resources"]["/XObject"].get_object()
    images = [x.get_object() for x in xobjects.values()]
    images = [x for x in images if x["/Subtype"] == "/Image"]
    # The one picture on page 1 is the QR code of the link, at segno's size for it.
    side = segno.make(link, error="m").symbol_size(scale=6, border=4)
    assert [(x["/Width"], x["/Height"]) for x in images] == [side]
    assert link in re.sub(r"\s+", "", first.extract_text())
