"""The field-kit content: hotels by night, contact numbers, emergency per country, participation,
budget items; `check` names the file, line and field of each problem."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.trip.check import check_folder
from bot.trip.loader import load_trip

ROOT = Path(__file__).resolve().parent.parent
METROPOLIS = ROOT / "content" / "metropolis-2015"


def run(path: Path) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = check_folder(path, out)
    return code, out.getvalue().splitlines()


def line_of(path: Path, needle: str) -> int:
    hits = [n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line]
    assert len(hits) == 1, hits
    return hits[0]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "metropolis-2015"
    shutil.copytree(METROPOLIS, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_the_bundled_trip_has_its_hotel_nights_and_the_office() -> None:
    trip = load_trip(METROPOLIS)
    (hotel,) = trip.hotels
    assert hotel.nights() == [date(2015, 5, d) for d in range(17, 23)]
    assert hotel.assumed and hotel.phones == []  # the report gives no hotel: nothing invented
    argentina = trip.emergency[0]
    assert [e.id for e in trip.emergency] == [
        "argentina",
        "taiwan",
        "india",
        "italy",
        "netherlands",
        "thailand",
    ]
    # No office number could be confirmed: each office has its MOFA page instead.
    for entry in trip.emergency:
        assert entry.numbers and all(n.assumed and n.source for n in entry.numbers)
        if entry.office is not None:
            assert entry.office.assumed and entry.office.phones == [] and entry.office.web
    assert argentina.office is not None
    assert {n.number for n in argentina.numbers} >= {"911", "107"}
    assert all(n.assumed for n in argentina.numbers)
    assert argentina.contacts == ["huang-lien-sheng", "lan-tsui-hua"]
    assert all(leg.members is None for leg in trip.legs)  # both travel the whole trip


def test_a_hotel_night_outside_the_trip(folder: Path) -> None:
    kit = folder / "fieldkit.yaml"
    edit(kit, "check_out: 2015-05-23", "check_out: 2015-05-27")
    assert run(folder) == (
        1,
        [
            f"{kit}:{line_of(kit, 'check_out: 2015-05-27')}: hotels[0].check_out: "
            "a night outside the trip (2015-05-16 to 2015-05-25)"
        ],
    )


def test_a_hotel_that_ends_before_it_starts_and_a_night_booked_twice(folder: Path) -> None:
    kit = folder / "fieldkit.yaml"
    edit(
        kit,
        "emergency:",
        "  - {id: two, name: 另一家, check_in: 2015-05-22, "
        "check_out: 2015-05-23}\n  - {id: three, name: 第三家, check_in: 2015-05-20, "
        "check_out: 2015-05-19}\n\nemergency:",
    )
    code, lines = run(folder)
    assert code == 1
    assert lines == [
        f"{kit}:{line_of(kit, 'id: two')}: hotels[1].check_in: "
        "the night of 2015-05-22 is already at hotels[0]",
        f"{kit}:{line_of(kit, 'id: three')}: hotels[2].check_out: check_out must be after check_in",
    ]


def test_budget_items_that_do_not_add_up(folder: Path) -> None:
    trip_file = folder / "trip.yaml"
    edit(
        trip_file,
        "  currency: TWD\n",
        "  currency: TWD\n  items:\n"
        "    - {id: air, label: 機票, amount: 400000}\n"
        "    - {id: per-diem, label: 生活費, amount: 2000, currency: USD, converted: 60000}\n",
    )
    code, lines = run(folder)
    assert (code, lines) == (
        1,
        [
            f"{trip_file}:{line_of(trip_file, 'amount: 470275')}: budget.amount: "
            "the items add up to 460000 TWD, not 470275"
        ],
    )
    edit(trip_file, "converted: 60000", "converted: 70275")
    assert run(folder)[0] == 0
    edit(trip_file, ", converted: 70275", "")
    code, lines = run(folder)
    assert lines == [
        f"{trip_file}:{line_of(trip_file, 'id: per-diem')}: budget.items[1].converted: "
        "an item in USD needs 'converted': its amount in TWD"
    ]


def test_a_participation_that_names_an_unknown_or_stay_at_home_member(folder: Path) -> None:
    legs = folder / "itinerary.yaml"
    edit(
        legs,
        "  - id: flight-tpe-del\n",
        "  - id: flight-tpe-del\n    members: [yi-rongzong, nobody]\n",
    )
    edit(legs, "  - id: flight-del-fco\n", "  - id: flight-del-fco\n    members: [intl-desk]\n")
    code, lines = run(folder)
    assert code == 1
    assert lines == [
        f"{legs}:{line_of(legs, 'nobody')}: legs[0].members[1]: unknown member 'nobody'",
        f"{legs}:{line_of(legs, '[intl-desk]')}: legs[1].members[0]: "
        "member 'intl-desk' does not travel (travelling: false)",
    ]


@pytest.mark.parametrize(
    ("old", "new", "field", "needle"),
    [
        ("number: 911", "number: nine-one-one", "emergency[0].numbers[0].number", "nine-one-one"),
        ("lat: -34.6085", "lat: -134.6", "emergency[0].office.location.lat", "-134.6"),
        (
            "contacts: [huang-lien-sheng, lan-tsui-hua]\n    source",
            "contacts: [huang-lien-sheng, nobody]\n    source",
            "emergency[0].contacts[1]",
            "nobody",
        ),
        ("zones: [America/Argentina/Buenos_Aires]", "zones: []", "emergency[0].zones", "zones: []"),
        ("number: 800-0885-0885", "number: call-mofa", "everywhere.numbers[0].number", "call-mofa"),
        (
            "  home_office:\n",
            "  home_office:\n    fax: 1\n",
            "everywhere.home_office.fax",
            "fax: 1",
        ),
    ],
)
def test_emergency_field_errors(folder: Path, old: str, new: str, field: str, needle: str) -> None:
    kit = folder / "fieldkit.yaml"
    edit(kit, old, new)
    code, lines = run(folder)
    assert code == 1
    assert len(lines) == 1
    assert lines[0].startswith(f"{kit}:{line_of(kit, needle)}: {field}: ")


def test_contact_phones_with_a_private_flag(folder: Path) -> None:
    people = folder / "contacts.yaml"
    edit(
        people,
        "    aliases: [藍秘書, Secretary Lan]\n",
        "    aliases: [藍秘書, Secretary Lan]\n    phones:\n"
        "      - {number: +54 11 5555 0101, label: {zh: 辦公室, en: Office}}\n"
        "      - {number: +54 9 11 5555 0102, private: true}\n"
        "    email: lan@example.org\n",
    )
    contact = load_trip(folder).contacts_by_id["lan-tsui-hua"]
    assert [(p.number, p.private) for p in contact.phones] == [
        ("+54 11 5555 0101", False),
        ("+54 9 11 5555 0102", True),
    ]
    edit(people, "private: true", "private: maybe")
    assert run(folder)[1] == [
        f"{people}:{line_of(people, 'private: maybe')}: contacts[1].phones[1].private: "
        "Input should be a valid boolean, unable to interpret input"
    ]
