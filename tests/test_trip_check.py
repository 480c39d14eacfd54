"""`check_folder`: one `ok:` line per sound trip, one `file:line: field: message` per problem."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from bot.trip.check import check_folder, main
from bot.trip.loader import load_trip

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
METROPOLIS = CONTENT / "metropolis-2015"
SMART_CITY = Path(__file__).resolve().parent / "fixtures" / "trips" / "smart-city-2015"


def run(path: Path | str) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = check_folder(path, out)
    return code, out.getvalue().splitlines()


def ok_line(folder: Path) -> str:
    trip = load_trip(folder)
    return (
        f"ok: {trip.id} — {len(trip.legs)} legs, {len(trip.contacts)} contacts, "
        f"{len(trip.talking_points)} talking points"
    )


def line_of(path: Path, needle: str) -> int:
    hits = [n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line]
    assert len(hits) == 1
    return hits[0]


def test_the_bundled_content_is_sound() -> None:
    code, lines = run(CONTENT)
    assert code == 0
    assert ok_line(METROPOLIS) in lines
    assert all(line.startswith("ok: ") for line in lines)


def test_a_single_trip_folder() -> None:
    assert run(METROPOLIS) == (0, [ok_line(METROPOLIS)])
    assert run(str(SMART_CITY)) == (0, [ok_line(SMART_CITY)])
    assert ok_line(SMART_CITY) == "ok: smart-city-2015 — 9 legs, 3 contacts, 2 talking points"


def test_a_content_root_with_two_trips(tmp_path: Path) -> None:
    shutil.copytree(METROPOLIS, tmp_path / "a-metropolis")
    shutil.copytree(SMART_CITY, tmp_path / "b-smart-city")
    (tmp_path / "README.md").write_text("# content", encoding="utf-8")
    assert run(tmp_path) == (0, [ok_line(METROPOLIS), ok_line(SMART_CITY)])


def test_a_broken_trip_prints_each_problem_with_file_line_and_field(tmp_path: Path) -> None:
    folder = tmp_path / "smart-city-2015"
    shutil.copytree(SMART_CITY, folder)
    trip_file, legs = folder / "trip.yaml", folder / "legs.yaml"
    trip_file.write_text(
        trip_file.read_text("utf-8").replace("amount: 300000", "amount: abc"), "utf-8"
    )
    text = legs.read_text("utf-8")
    legs.write_text(text.replace("end: 2015-10-23 17:30", "end: 2015-10-23 13:30"), "utf-8")
    code, lines = run(folder)
    assert code == 1
    assert lines == [
        f"{trip_file}:{line_of(trip_file, 'amount: abc')}: budget.amount: "
        "Input should be a valid integer, unable to parse string as an integer"
    ]
    # The field errors come first; once they are fixed, the cross-field check speaks.
    trip_file.write_text(
        trip_file.read_text("utf-8").replace("amount: abc", "amount: 300000"), "utf-8"
    )
    code, lines = run(folder)
    assert code == 1
    assert lines == [
        f"{legs}:{line_of(legs, 'end: 2015-10-23 13:30')}: legs[2].end: ends "
        "(2015-10-23 13:30 Europe/Berlin) before it starts (2015-10-23 14:00 Europe/Berlin)"
    ]


def test_a_root_with_one_good_and_one_broken_trip(tmp_path: Path) -> None:
    shutil.copytree(METROPOLIS, tmp_path / "metropolis-2015")
    bad = tmp_path / "smart-city-2015"
    shutil.copytree(SMART_CITY, bad)
    people = bad / "people.yaml"
    text = people.read_text("utf-8")
    people.write_text(text.replace("contacts: [erika-beispiel]", "contacts: [nobody]"), "utf-8")
    code, lines = run(tmp_path)
    assert code == 1
    assert lines == [
        ok_line(METROPOLIS),
        f"{people}:{line_of(people, 'contacts: [nobody]')}: talking_points[0].contacts[0]: "
        "unknown contact 'nobody'",
    ]


def test_a_trip_id_used_twice(tmp_path: Path) -> None:
    shutil.copytree(SMART_CITY, tmp_path / "one")
    shutil.copytree(SMART_CITY, tmp_path / "two")
    code, lines = run(tmp_path)
    trip_file = tmp_path / "two" / "trip.yaml"
    assert code == 1
    assert lines == [
        ok_line(SMART_CITY),
        f"{trip_file}:{line_of(trip_file, 'id: smart-city-2015')}: id: "
        f"trip id 'smart-city-2015' is also used by {tmp_path / 'one'}",
    ]


def test_a_yaml_syntax_error(tmp_path: Path) -> None:
    folder = tmp_path / "trip"
    shutil.copytree(SMART_CITY, folder)
    (folder / "zz-extra.yaml").write_text("notes:\n  - [unclosed\n", "utf-8")
    code, lines = run(folder)
    assert code == 1
    assert len(lines) == 1
    assert lines[0].startswith(f"{folder / 'zz-extra.yaml'}:")
    assert ": (yaml): YAML syntax:" in lines[0]


@pytest.mark.parametrize("kind", ["missing", "empty", "file"])
def test_nothing_to_check(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "nothing"
    if kind == "empty":
        target.mkdir()
    elif kind == "file":
        target.write_text("id: x\n", "utf-8")
    code, lines = run(target)
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith(f"{target}:0: (folder): ")


def test_main_checks_the_folder_given(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(SMART_CITY)]) == 0
    assert capsys.readouterr().out == ok_line(SMART_CITY) + "\n"
    assert main([str(SMART_CITY / "nope")]) == 1
