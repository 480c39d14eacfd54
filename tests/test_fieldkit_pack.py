"""The briefing pack's blocks (no LibreOffice needed): page 1 leads back to the bot, with the QR
code when given; a coordinator's pack has the private numbers, a delegate's does not."""

from __future__ import annotations

from pathlib import Path

from bot.fieldkit.pack import pack_form, write_qr
from bot.report.layout import cell_lines, column_widths, width
from bot.report.model import Heading, PageBreak, Para, Picture, Table
from bot.trip.fieldkit import Phone
from bot.trip.loader import load_trip
from bot.trip.types import Lang
from tests.test_trip_fieldkit import METROPOLIS

LINK = "https://t.me/delegation_test_bot"
PRIVATE, PUBLIC = "+54 9 11 0000 0002", "+54 11 0000 0001"


def texts(blocks: tuple[object, ...]) -> str:
    return "\n".join(b.text for b in blocks if isinstance(b, Para | Heading))


def test_page_one_ends_with_the_qr_code_and_the_link(tmp_path: Path) -> None:
    trip = load_trip(METROPOLIS)
    qr = write_qr(LINK, tmp_path / "qr.png")
    assert qr.read_bytes().startswith(b"\x89PNG")
    blocks = pack_form(trip, "cao-kaiwen", "zh", private=False, bot_link=LINK, qr=qr).blocks
    first = blocks[: next(i for i, b in enumerate(blocks) if isinstance(b, PageBreak))]
    assert first[-1] == Picture(qr, f"最新行程請見 {LINK}")
    plain = pack_form(trip, "cao-kaiwen", "en", private=False, bot_link=LINK).blocks
    page = plain[: next(i for i, b in enumerate(plain) if isinstance(b, PageBreak))]
    assert page[-1] == Para(f"The current schedule: {LINK}")


def test_a_coordinators_pack_has_the_private_numbers_a_delegates_not() -> None:
    trip = load_trip(METROPOLIS)
    contact = trip.contacts[0].model_copy(
        update={"phones": [Phone(number=PUBLIC), Phone(number=PRIVATE, private=True)]}
    )
    trip = trip.model_copy(update={"contacts": [contact, *trip.contacts[1:]]})
    trip.__dict__.pop("contacts_by_id", None)
    coordinator = texts(pack_form(trip, "intl-desk", "zh", private=True, bot_link=LINK).blocks)
    delegate = texts(pack_form(trip, "cao-kaiwen", "zh", private=False, bot_link=LINK).blocks)
    assert PUBLIC in coordinator and PRIVATE in coordinator
    assert PUBLIC in delegate and PRIVATE not in delegate


def day_tables(lang: Lang) -> list[Table]:
    trip = load_trip(METROPOLIS)
    blocks = pack_form(trip, "cao-kaiwen", lang, private=False, bot_link=LINK).blocks
    return [b for b in blocks if isinstance(b, Table) and b.header[0] in ("時間", "Time")]


def test_the_chinese_time_column_is_short_lines_that_never_split_a_place() -> None:
    tables = day_tables("zh")
    cells = [row[0] for table in tables for row in table.rows]
    assert "08:30–20:00\n布宜諾斯艾利斯 UTC−3\n臺北 19:30–\n5/19（二） 07:00" in cells
    assert "09:30–12:00\n布宜諾斯艾利斯 UTC−3\n臺北 20:30–23:00" in cells
    arrival = "→\u00a020:30 布宜諾斯艾利斯 UTC−3"  # held to its arrow
    assert f"11:55 羅馬 UTC+2\n{arrival}\n臺北 17:55 →\n5/18（一） 07:30" in cells
    # About half of the table's 37.8 ems at most: the title column keeps the rest.
    assert max(width(line) for cell in cells for line in cell.split("\n")) <= 20
    assert all("布宜諾斯艾利斯" in table.names for table in tables)
    # At the width the report's layout gives the column, the lines it writes keep each place
    # whole, and a cell is at most 5 lines (the trial saw 8, the place name cut in three).
    for table in tables:
        columns = [[r[c] for r in (table.header, *table.rows)] for c in range(3)]
        time_em = column_widths(columns, 453.5 / 12, 1.7, table.names)[0]
        for cell in columns[0][1:]:
            lines = cell_lines(cell, time_em - 1.7, table.names)
            assert all(p in "".join(lines) for p in ("布宜諾斯艾利斯", "臺北") if p in cell)
            assert [x for x in lines if "布宜諾斯" in x] == [x for x in lines if "艾利斯" in x]
            assert len(lines) <= 5


def test_the_english_time_cell_stays_one_string() -> None:
    cells = [row[0] for table in day_tables("en") for row in table.rows]
    assert "09:30–12:00 Buenos Aires UTC−3 | Taipei 20:30–23:00" in cells


def test_the_title_breaks_between_names_and_no_header_row_is_empty() -> None:
    trip = load_trip(METROPOLIS)
    zh = pack_form(trip, "cao-kaiwen", "zh", private=False, bot_link=LINK)
    assert zh.title.split("\n") == [
        "行前簡報手冊：出席「2015 年大都會協會年會」",
        "（阿根廷布宜諾斯艾利斯）",
    ]
    en = pack_form(trip, "cao-kaiwen", "en", private=False, bot_link=LINK)
    assert en.title.split("\n")[-1] == "Buenos Aires, Argentina"
    for form in (zh, en):
        tables = [b for b in form.blocks if isinstance(b, Table)]
        assert tables and all(all(cell.strip() for cell in t.header) for t in tables)


def test_the_emergency_card_is_one_table_with_every_country_and_mofas_line() -> None:
    trip = load_trip(METROPOLIS)
    blocks = pack_form(trip, "cao-kaiwen", "zh", private=False, bot_link=LINK).blocks
    start = blocks.index(Heading(1, "緊急聯絡卡"))
    (card,) = [b for b in blocks[start:] if isinstance(b, Table) and b.header[0] == "地點"]
    countries = [row[0] for row in card.rows if row[0]]
    assert countries == ["各地皆可撥打"] + [e.country.zh for e in trip.emergency]
    assert ("", "外交部旅外國人緊急服務專線", "+886 800 085 095 （待確認）") in card.rows
    office = next(row for row in card.rows if row[1].startswith("駐義大利台北代表處"))
    assert office[1].endswith("\nhttps://www.roc-taiwan.org/it/") and office[2] == ""
