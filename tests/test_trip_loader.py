"""The bundled METROPOLIS content, the second (fictional) trip, and every validation error.

Broken trips are built in tmp_path from a copy of the fixture trip; the real content is never
edited. Each error test asserts the exact file, line and field the loader reports.
"""

from __future__ import annotations

import itertools
import re
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.changes.revision import problem_text
from bot.trip.loader import ContentError, Problem, load_trip, load_trips, parse_yaml
from bot.trip.models import Leg, Trip

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
METROPOLIS = CONTENT / "metropolis-2015"
SMART_CITY = Path(__file__).resolve().parent / "fixtures" / "trips" / "smart-city-2015"

BA = "America/Argentina/Buenos_Aires"
MEETING_DAYS = [date(2015, 5, d) for d in (18, 19, 20, 21)]


@pytest.fixture(scope="module")
def trip() -> Trip:
    return load_trip(METROPOLIS)


@pytest.fixture(scope="module")
def second() -> Trip:
    return load_trip(SMART_CITY)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def duration(leg: Leg) -> timedelta:
    """Elapsed time; through UTC, since aware datetimes sharing a tzinfo subtract by wall clock."""
    return utc(leg.end_at) - utc(leg.start_at)


def flights(trip: Trip) -> list[Leg]:
    return sorted(
        (leg for leg in trip.legs if leg.kind == "flight"), key=lambda leg: utc(leg.start_at)
    )


def in_section(trip: Trip, section: str) -> list[Leg]:
    return [leg for leg in trip.legs if leg.section == section]


# ── METROPOLIS 2015: the trip as the report gives it ───────────────────────────


def test_metropolis_trip_header(trip: Trip) -> None:
    assert trip.id == "metropolis-2015"
    assert "大都會協會" in trip.title.zh and trip.title.en and "METROPOLIS" in trip.title.en
    assert trip.category == "開會"
    assert trip.organiser.zh == "臺中市政府"
    assert (trip.destination.zh, trip.destination.en) == ("阿根廷", "Argentina")
    assert str(trip.home_zone) == "Asia/Taipei"
    assert (trip.start, trip.end) == (date(2015, 5, 16), date(2015, 5, 25))
    assert len(trip.days()) == 10


def test_metropolis_event_theme_and_pillars(trip: Trip) -> None:
    event = trip.event
    assert (event.start, event.end) == (date(2015, 5, 18), date(2015, 5, 21))
    assert event.city.en == "Buenos Aires" and event.country.zh == "阿根廷"
    assert event.theme is not None
    assert "城市生活" in event.theme.zh and "Live the City" in (event.theme.en or "")
    for pillar in ("包容", "創新", "永續發展"):
        assert pillar in event.theme.zh
    for pillar in ("Inclusion", "Innovation", "Sustainability"):
        assert pillar in (event.theme.en or "")


def test_metropolis_purpose_is_the_three_paragraphs_of_section_3(trip: Trip) -> None:
    assert len(trip.purpose) == 3
    assert "1985" in trip.purpose[0].zh and "139" in trip.purpose[0].zh
    assert "UCLG ASPAC" in trip.purpose[1].zh and "2008" in trip.purpose[1].zh
    assert "第一次派員" in trip.purpose[2].zh and "管理階層職務" in trip.purpose[2].zh
    assert all(p.en for p in trip.purpose)


def test_metropolis_budget(trip: Trip) -> None:
    assert trip.budget.amount == 470275
    assert trip.budget.currency == "TWD"


def test_metropolis_members(trip: Trip) -> None:
    travelling = [m for m in trip.members if m.travelling]
    assert [m.name.zh for m in travelling] == ["易榮宗", "曹凱雯"]
    yi, cao = travelling
    assert yi.leader and not cao.leader
    assert yi.title.zh == "委員" and yi.unit.zh == "臺中市政府國際事務委員會"
    assert cao.title.zh == "約聘人員" and cao.rank == "7 等" and cao.unit.zh == "臺中市政府秘書處"
    (home,) = [m for m in trip.members if not m.travelling]
    assert "窗口" in home.name.zh  # a role account, not an invented person
    assert not home.leader


def test_metropolis_every_prep_row(trip: Trip) -> None:
    rows = [(m.date, m.until) for m in trip.prep]
    d = date
    assert rows == [
        (d(2015, 3, 26), d(2015, 3, 31)),
        (d(2015, 4, 15), None),
        (d(2015, 4, 18), None),
        (d(2015, 4, 21), None),
        (d(2015, 5, 4), None),
        (d(2015, 5, 5), None),
        (d(2015, 5, 8), None),
        (d(2015, 5, 11), d(2015, 5, 13)),
        (d(2015, 5, 12), None),
        (d(2015, 5, 14), None),
    ]
    assert "報名" in trip.prep[4].text.zh
    assert "文宣" in trip.prep[8].text.zh
    assert all(m.text.en for m in trip.prep)


def test_metropolis_flights_airports_and_zones(trip: Trip) -> None:
    route = [
        (f.origin.airport, str(f.origin.zone), f.destination.airport, str(f.destination.zone))
        for f in flights(trip)
        if f.origin and f.destination
    ]
    assert route == [
        ("TPE", "Asia/Taipei", "DEL", "Asia/Kolkata"),
        ("DEL", "Asia/Kolkata", "FCO", "Europe/Rome"),
        ("FCO", "Europe/Rome", "EZE", BA),
        ("EZE", BA, "AMS", "Europe/Amsterdam"),
        ("AMS", "Europe/Amsterdam", "BKK", "Asia/Bangkok"),
        ("BKK", "Asia/Bangkok", "TPE", "Asia/Taipei"),
    ]


def test_metropolis_flight_days_follow_the_itinerary_table(trip: Trip) -> None:
    days = [(f.start.date().day, f.end.date().day) for f in flights(trip)]
    # 16th: Taipei → New Delhi → Rome (arriving Rome on the 17th); 17th: Rome → Buenos Aires;
    # 23rd → Amsterdam on the 24th; 24th → Bangkok on the 25th; 25th → Taipei.
    assert days == [(16, 16), (16, 17), (17, 17), (23, 24), (24, 25), (25, 25)]


def test_metropolis_flights_are_plausible_and_connect(trip: Trip) -> None:
    legs = flights(trip)
    for leg in legs:
        assert timedelta(hours=1) <= duration(leg) <= timedelta(hours=20), leg.id
        assert leg.assumed, f"{leg.id}: the report gives no clock times"
        assert leg.flight_no is None, f"{leg.id}: the report gives no flight numbers"
    for before, after in itertools.pairwise(legs):
        assert before.destination and after.origin
        assert before.destination.airport == after.origin.airport
        assert utc(after.start_at) - utc(before.end_at) >= timedelta(hours=1), after.id
    long_haul = legs[2]
    assert (long_haul.origin and long_haul.origin.airport, long_haul.end.date()) == (
        "FCO",
        date(2015, 5, 17),
    )
    assert duration(long_haul) > timedelta(hours=12)


def test_metropolis_every_leg_is_sane(trip: Trip) -> None:
    ids = [leg.id for leg in trip.legs]
    assert len(ids) == len(set(ids))
    for leg in trip.legs:
        assert utc(leg.end_at) > utc(leg.start_at), leg.id
        assert duration(leg) <= timedelta(hours=20), leg.id
        assert trip.start <= leg.start.date() <= trip.end, leg.id
        assert trip.start <= leg.end.date() <= trip.end, leg.id
        assert leg.assumed, f"{leg.id}: every clock time is ours"
        assert leg.title.zh and leg.title.en, leg.id
        if leg.kind != "flight":
            assert leg.zone is not None and leg.place is not None, leg.id
            assert leg.summary is not None and leg.summary.en, leg.id


def test_metropolis_itinerary_rows_for_the_meeting_days_and_standby(trip: Trip) -> None:
    days = [leg for leg in trip.legs if leg.kind == "conference"]
    assert [leg.start.date() for leg in days] == MEETING_DAYS
    assert all(str(leg.zone) == BA for leg in days)
    (standby,) = [leg for leg in trip.legs if leg.kind == "standby"]
    assert standby.start.date() == date(2015, 5, 22) and standby.title.zh == "回程待機"


def test_metropolis_programme_is_on_the_meeting_days_inside_its_day(trip: Trip) -> None:
    programme = [leg for leg in trip.legs if leg.section or leg.part_of]
    # 2 plenary + 6 thematic + 3 workshops + 5 statutory + side event + 4 visits + dinner
    # + opening and closing
    assert len(programme) == 24
    for leg in programme:
        assert str(leg.zone) == BA, leg.id
        assert leg.start.date() in MEETING_DAYS, leg.id
        if leg.part_of:
            day = trip.legs_by_id[leg.part_of]
            assert day.kind == "conference", leg.id
            assert day.start_at <= leg.start_at and leg.end_at <= day.end_at, leg.id


def test_metropolis_sections(trip: Trip) -> None:
    ids = {s.id for s in trip.sections}
    assert {"plenary", "thematic", "workshop", "statutory", "side-event", "site-visit"} <= ids


def test_metropolis_all_six_thematic_sessions(trip: Trip) -> None:
    sessions = {leg.title.en: leg for leg in in_section(trip, "thematic")}
    expected = {
        "Sports for Social and Urban Transformation": "包容",
        "Experiences in Community Leadership": "包容",
        "Creative and Collaborative Cities": "創新",
        "Urban and Open Innovation": "創新",
        "Successful Examples of Adaptation and Resilience to Climate Change": "永續發展",
        "Towards a Friendlier Mobility": "永續發展",
    }
    assert len(sessions) == 6
    for name, pillar in expected.items():
        (leg,) = [leg for title, leg in sessions.items() if title and name in title]
        assert leg.kind == "session"
        assert leg.track is not None and leg.track.zh == pillar, name


def test_metropolis_plenary(trip: Trip) -> None:
    plenary = {leg.id: leg for leg in in_section(trip, "plenary")}
    assert len(plenary) == 2
    keynote, mayors = plenary["plenary-live-the-city"], plenary["plenary-voice-of-mayors"]
    assert "專題演講" in keynote.title.zh and "市長之聲" in mayors.title.zh
    assert mayors.summary is not None
    for text in (
        "紐約",
        "COP21",
        "Habitat III",
        "基多",
        "Alain Le Saux",
        "Felip Roca Blasco",
        "San Salvador",
        "Ramallah",
    ):
        assert text in mayors.summary.zh, text
    assert {"alain-le-saux", "felip-roca-blasco"} <= set(mayors.contacts)


def test_metropolis_workshops_and_statutory_meetings(trip: Trip) -> None:
    workshops = [leg.title.en or "" for leg in in_section(trip, "workshop")]
    assert len(workshops) == 3
    for name in ("Youth", "Transversality of Gender", "Connecting the Dots"):
        assert any(name in t for t in workshops), name
    statutory = " ".join(leg.title.en or "" for leg in in_section(trip, "statutory"))
    for name in (
        "Regional Secretaries",
        "Women Meeting",
        "Executive Financial Committee",
        "Board of Directors",
        "FMDV",
        "Women's International Network",
    ):
        assert name in statutory, name


def test_metropolis_side_event_site_visits_and_dinner(trip: Trip) -> None:
    (side,) = in_section(trip, "side-event")
    assert side.venue is not None and "市政府" in side.venue.zh
    assert side.summary is not None and "廣州" in side.summary.zh
    assert {"yue-chaoyang", "yang-jiancheng"} <= set(side.contacts)
    visits = in_section(trip, "site-visit")
    text = " ".join((leg.summary.zh if leg.summary else "") + leg.title.zh for leg in visits)
    for name in ("City Tower", "Metropolitan Design Center", "地鐵", "腳踏車", "徒步", "30 周年"):
        assert name in text, name
    (dinner,) = [leg for leg in trip.legs if leg.kind == "social"]
    assert "30" in dinner.title.zh


def test_metropolis_ceremonies_and_representative_office(trip: Trip) -> None:
    ceremonies = {leg.id: leg for leg in in_section(trip, "ceremony")}
    closing = ceremonies["closing-ceremony"]
    assert closing.venue is not None and closing.venue.en == "Colón Theater"
    for leg in ceremonies.values():
        assert {"huang-lien-sheng", "lan-tsui-hua"} <= set(leg.contacts)
    call = trip.legs_by_id["call-representative-office"]
    assert call.kind == "meeting" and "huang-lien-sheng" in call.contacts
    assert call.start.date() in MEETING_DAYS


CONTACT_NAMES = {
    "黃聯昇",
    "藍翠華",
    "Jean-Paul Huchon",
    "Alain Le Saux",
    "Felip Roca Blasco",
    "Hélène Jourdan",
    "Mauricio Macri",
    "Alejandro Colombo",
    "Julieta Peruzzo",
    "Pierre Desrochers",
    "Franklyn Parks Tau",
    "Daniela Chacón Arias",
    "岳朝陽",
    "楊建城",
    "安焌皓",
}


def test_metropolis_every_person_the_report_names(trip: Trip) -> None:
    assert {c.name.zh for c in trip.contacts} == CONTACT_NAMES
    assert len(trip.contacts) == 15
    for contact in trip.contacts:
        assert contact.why.zh and contact.why.en, contact.id
        assert contact.role.zh and contact.organisation.zh, contact.id
    by_name = {c.name.zh: c for c in trip.contacts}
    assert "Mr. Blasco" in by_name["Felip Roca Blasco"].aliases
    assert "大使" in by_name["黃聯昇"].role.zh
    assert "Seoul HRD Center & MITI" in (by_name["安焌皓"].organisation.en or "")
    for name in ("岳朝陽", "楊建城"):
        careful = by_name[name].careful
        assert careful is not None and "平等立場" in careful.zh


def test_metropolis_every_contact_is_reachable_from_a_leg_or_a_point(trip: Trip) -> None:
    linked = {c for leg in trip.legs for c in leg.contacts}
    linked |= {c for p in trip.talking_points for c in p.contacts}
    assert linked == set(trip.contacts_by_id)


def test_metropolis_talking_points(trip: Trip) -> None:
    points = trip.points_by_id
    expected = {
        "flora-expo-2018": "2018",
        "east-asian-youth-games-2019": "2019",
        "invite-to-taichung": "外交部",
        "city-diplomacy": "城市外交",
        "learn-metropolis": "管理階層職務",
        "baseball-city": "棒球",
        "uclg-cop21": "UCLG",
        "inform-rep-office": "代表處",
        "promo-material": "文宣品",
        "guangzhou-equal-footing": "董事會",
    }
    for pid, word in expected.items():
        point = points[pid]
        assert any(word in p.zh for p in point.points), pid
        assert point.source, pid
        assert all(p.en for p in point.points), pid
    assert any("平等立場" in c.zh for c in points["guangzhou-equal-footing"].careful)
    invited = set(points["invite-to-taichung"].contacts)
    assert {"pierre-desrochers", "franklyn-parks-tau", "an-jun-ho", "yue-chaoyang"} <= invited
    for_huang = {p.id for p in trip.points_for_contact("huang-lien-sheng")}
    assert {"invite-to-taichung", "inform-rep-office", "city-diplomacy"} <= for_huang


def test_metropolis_glossary(trip: Trip) -> None:
    terms = {g.term: g for g in trip.glossary}
    for term in ("METROPOLIS", "UCLG", "UCLG ASPAC", "Habitat III", "COP21", "FMDV"):
        assert term in terms, term
        assert terms[term].full.en and terms[term].note.zh, term
    assert terms["FMDV"].full.en == "Global Fund for Cities Development"


# ── the second trip: nothing is tied to METROPOLIS ────────────────────────────


def test_second_trip_loads(second: Trip, trip: Trip) -> None:
    assert second.id == "smart-city-2015" != trip.id
    assert len([m for m in second.members if m.travelling]) == 2
    assert len([m for m in second.members if not m.travelling]) == 1
    assert {leg.kind for leg in second.legs} >= {"flight", "ground", "session", "visit", "meeting"}
    assert len(second.contacts) == 3 and len(second.talking_points) == 2
    assert second.start == date(2015, 10, 22)  # written 104年10月22日
    assert second.prep[0].until == date(2015, 10, 5)  # written 1041005


def test_second_trip_crosses_the_european_dst_change(second: Trip) -> None:
    night = second.legs_by_id["visit-night-grid"]
    assert night.start_at.astimezone(night.start_zone).utcoffset() == timedelta(hours=2)  # CEST
    assert night.end_at.astimezone(night.end_zone).utcoffset() == timedelta(hours=1)  # CET
    assert night.end_at - night.start_at == timedelta(hours=4)
    assert duration(night) == timedelta(hours=4)  # 01:00 → 04:00 local is four real hours


def test_second_trip_crosses_the_date_line(second: Trip) -> None:
    home = second.legs_by_id["flight-sfo-tpe"]
    assert (home.start.date(), home.end.date()) == (date(2015, 10, 29), date(2015, 10, 31))
    assert duration(home) == timedelta(hours=14, minutes=40)
    for leg in flights(second):
        assert timedelta(hours=1) <= duration(leg) <= timedelta(hours=20), leg.id


def test_load_trips_on_a_folder_holding_both(tmp_path: Path) -> None:
    shutil.copytree(METROPOLIS, tmp_path / "metropolis-2015")
    shutil.copytree(SMART_CITY, tmp_path / "smart-city-2015")
    (tmp_path / "README.md").write_text("not a trip", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    trips = load_trips(tmp_path)
    assert sorted(trips) == ["metropolis-2015", "smart-city-2015"]
    assert trips["metropolis-2015"].budget.amount == 470275


def test_load_trips_on_the_content_folder() -> None:
    assert "metropolis-2015" in load_trips(CONTENT)


# ── every validation error, with its file, line and field ──────────────────────


def broken(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """A copy of the fixture trip with `old` replaced by `new` (exactly once) in `file`."""
    folder = tmp_path / "smart-city-2015"
    if not folder.exists():
        shutil.copytree(SMART_CITY, folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the one line of `path` that holds `needle`."""
    hits = [n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line]
    assert len(hits) == 1, f"{needle!r} is on lines {hits} of {path}"
    return hits[0]


def only_problem(folder: Path) -> Problem:
    with pytest.raises(ContentError) as info:
        load_trip(folder)
    assert len(info.value.problems) == 1, info.value.problems
    return info.value.problems[0]


def test_error_unknown_zone(tmp_path: Path) -> None:
    old = "    end: 2015-10-23 17:30\n    zone: Europe/Berlin\n"
    folder = broken(tmp_path, "legs.yaml", old, old.replace("Berlin", "Frankfurt"))
    problem = only_problem(folder)
    legs = folder / "legs.yaml"
    assert problem.file == str(legs)
    assert problem.line == line_of(legs, "zone: Europe/Frankfurt")
    assert problem.field == "legs[2].zone"
    assert "unknown time zone 'Europe/Frankfurt'" in problem.message
    assert str(problem).startswith(f"{legs}:{problem.line}: legs[2].zone: unknown time zone")


def test_error_unknown_zone_of_a_flight_end(tmp_path: Path) -> None:
    old = "        en: San Francisco\n      zone: America/Los_Angeles\n    start: 2015-10-27 10:15"
    folder = broken(tmp_path, "legs.yaml", old, old.replace("America/Los_Angeles", "PST"))
    problem = only_problem(folder)
    assert (problem.file, problem.field) == (str(folder / "legs.yaml"), "legs[5].to.zone")
    assert problem.line == line_of(folder / "legs.yaml", "zone: PST")


def test_error_end_before_start(tmp_path: Path) -> None:
    folder = broken(tmp_path, "legs.yaml", "end: 2015-10-23 17:30", "end: 2015-10-23 13:30")
    problem = only_problem(folder)
    assert problem.file == str(folder / "legs.yaml")
    assert problem.line == line_of(folder / "legs.yaml", "end: 2015-10-23 13:30")
    assert problem.field == "legs[2].end"
    assert "before it starts" in problem.message


def test_error_flight_arrives_before_it_leaves_across_the_date_line(tmp_path: Path) -> None:
    # 2015-10-30 05:35 in Taipei is later on the wall clock than 2015-10-29 23:55 in
    # San Francisco, but earlier in real time: the flight home would land before take-off.
    folder = broken(tmp_path, "legs.yaml", "end: 2015-10-31 05:35", "end: 2015-10-30 05:35")
    problem = only_problem(folder)
    assert problem.file == str(folder / "legs.yaml")
    assert problem.line == line_of(folder / "legs.yaml", "end: 2015-10-30 05:35")
    assert problem.field == "legs[7].end"
    assert "Asia/Taipei" in problem.message and "America/Los_Angeles" in problem.message


def test_error_duplicate_id(tmp_path: Path) -> None:
    folder = broken(tmp_path, "legs.yaml", "- id: visit-mobility-lab", "- id: forum-opening")
    problem = only_problem(folder)
    legs = folder / "legs.yaml"
    second_line = [
        n
        for n, line in enumerate(legs.read_text("utf-8").splitlines(), 1)
        if "- id: forum-opening" in line
    ][1]
    assert (problem.file, problem.line, problem.field) == (str(legs), second_line, "legs[6].id")
    assert problem.message == "duplicate id 'forum-opening' (first at legs[2])"


def test_error_talking_point_names_an_unknown_contact(tmp_path: Path) -> None:
    folder = broken(
        tmp_path,
        "people.yaml",
        "contacts: [erika-beispiel]\n",
        "contacts: [erika-beispiel, nobody]\n",
    )
    problem = only_problem(folder)
    people = folder / "people.yaml"
    assert problem.file == str(people)
    assert problem.line == line_of(people, "contacts: [erika-beispiel, nobody]")
    assert problem.field == "talking_points[0].contacts[1]"
    assert problem.message == "unknown contact 'nobody'"


def test_error_wrong_type(tmp_path: Path) -> None:
    folder = broken(tmp_path, "trip.yaml", "amount: 300000", "amount: abc")
    problem = only_problem(folder)
    trip_file = folder / "trip.yaml"
    assert (problem.file, problem.line, problem.field) == (
        str(trip_file),
        line_of(trip_file, "amount: abc"),
        "budget.amount",
    )
    assert "integer" in problem.message


def test_error_unknown_field(tmp_path: Path) -> None:
    old = "    section: forum\n    talking_points: [invite-to-taichung]\n"
    folder = broken(tmp_path, "legs.yaml", old, old + "    colour: red\n")
    problem = only_problem(folder)
    legs = folder / "legs.yaml"
    assert (problem.file, problem.line, problem.field) == (
        str(legs),
        line_of(legs, "colour: red"),
        "legs[2].colour",
    )
    assert problem.message.startswith("unknown field")


def test_error_missing_field(tmp_path: Path) -> None:
    old = "    why:\n      zh: 論壇主辦人（虛構）。\n      en: Organises the forum (fictional).\n"
    folder = broken(tmp_path, "people.yaml", old, "")
    problem = only_problem(folder)
    people = folder / "people.yaml"
    # A missing field is reported where its mapping starts: the contact's `- id:` line.
    assert (problem.file, problem.line, problem.field) == (
        str(people),
        line_of(people, "- id: max-mustermann"),
        "contacts[1].why",
    )
    assert problem.message == "missing required field"


def test_error_yaml_syntax(tmp_path: Path) -> None:
    old = "  - id: visit-mobility-lab\n    kind: visit\n"
    folder = broken(tmp_path, "legs.yaml", old, old.replace("kind: visit", "kind: visit: oops"))
    problem = only_problem(folder)
    legs = folder / "legs.yaml"
    assert (problem.file, problem.line, problem.field) == (
        str(legs),
        line_of(legs, "kind: visit: oops"),
        "(yaml)",
    )
    assert problem.message.startswith("YAML syntax:")


def test_error_a_key_given_in_two_files(tmp_path: Path) -> None:
    folder = broken(tmp_path, "legs.yaml", "sections:\n", "budget:\n  amount: 1\n\nsections:\n")
    problem = only_problem(folder)
    legs, trip_file = folder / "legs.yaml", folder / "trip.yaml"
    # Files merge in name order (legs, people, trip): the later file is the one reported.
    assert (problem.file, problem.line, problem.field) == (
        str(trip_file),
        line_of(trip_file, "budget:"),
        "budget",
    )
    assert problem.message == f"also given in {legs}:{line_of(legs, 'budget:')}"


def test_error_non_flight_leg_without_zone(tmp_path: Path) -> None:
    old = "    end: 2015-10-28 12:00\n    zone: America/Los_Angeles\n"
    folder = broken(tmp_path, "legs.yaml", old, "    end: 2015-10-28 12:00\n")
    problem = only_problem(folder)
    legs = folder / "legs.yaml"
    assert (problem.file, problem.field) == (str(legs), "legs[6].zone")
    assert problem.line == line_of(legs, "- id: visit-mobility-lab")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    broken(tmp_path, "trip.yaml", "amount: 300000", "amount: abc")
    old = "    end: 2015-10-22 21:00\n    zone: Asia/Taipei\n"
    folder = broken(tmp_path, "legs.yaml", old, old.replace("Asia/Taipei", "Asia/Taipe"))
    with pytest.raises(ContentError) as info:
        load_trip(folder)
    fields = sorted(p.field for p in info.value.problems)
    assert fields == ["budget.amount", "legs[0].zone"]


def test_load_trips_reports_the_broken_folder(tmp_path: Path) -> None:
    root = tmp_path / "content"
    root.mkdir()
    shutil.copytree(SMART_CITY, root / "good")
    broken(root, "trip.yaml", "amount: 300000", "amount: abc")
    with pytest.raises(ContentError) as info:
        load_trips(root)
    (problem,) = info.value.problems
    assert problem.file == str(root / "smart-city-2015" / "trip.yaml")
    assert problem.field == "budget.amount"


def test_report_settings_default_to_the_executive_yuan_rule(trip: Trip, second: Trip) -> None:
    from bot.report.settings import required_forms

    assert trip.report.office_rule == "taichung" and "城市外交" in trip.report.keywords
    assert required_forms(trip.category, trip.report) == ("summary", "review")
    assert second.report.deadline.months == 3 and second.report.deadline.from_next_day
    assert required_forms(second.category, second.report) == ("report", "review")
    mixed = trip.report.model_copy(update={"categories": ("考察",)})
    assert required_forms(trip.category, mixed) == ("report", "review")


def test_error_unknown_report_category(tmp_path: Path) -> None:
    old = "category: 考察\n"
    new = old + "report:\n  office_rule: taichung\n  categories: [觀光]\n"
    folder = broken(tmp_path, "trip.yaml", old, new)
    problem = only_problem(folder)
    assert problem.field == "report.categories[0]" and "考察" in problem.message
    assert problem.line == line_of(folder / "trip.yaml", "categories: [觀光]")


def test_reminders_lead_defaults_to_two_minutes_and_is_read(tmp_path: Path) -> None:
    assert load_trip(METROPOLIS).reminders is not None
    assert load_trip(METROPOLIS).reminders.lead == timedelta(minutes=2)  # type: ignore[union-attr]
    folder = tmp_path / "metropolis-2015"
    shutil.copytree(METROPOLIS, folder)
    trip_file = folder / "trip.yaml"
    text = trip_file.read_text(encoding="utf-8")
    trip_file.write_text(
        text.replace("  morning_grace: 2h\n", "  morning_grace: 2h\n  lead: 90s\n")
    )
    assert load_trip(folder).reminders.lead == timedelta(seconds=90)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("lead", "message"),
    [("20m", "at most 15m"), ("soon", "not a duration 'soon'")],
)
def test_error_reminders_lead(tmp_path: Path, lead: str, message: str) -> None:
    folder = tmp_path / "metropolis-2015"
    shutil.copytree(METROPOLIS, folder)
    trip_file = folder / "trip.yaml"
    text = trip_file.read_text(encoding="utf-8")
    trip_file.write_text(
        text.replace("  morning_grace: 2h\n", f"  morning_grace: 2h\n  lead: {lead}\n")
    )
    problem = only_problem(folder)
    assert (problem.file, problem.line, problem.field) == (
        str(trip_file),
        line_of(trip_file, f"lead: {lead}"),
        "reminders.lead",
    )
    assert message in problem.message


@pytest.mark.parametrize(
    ("text", "line", "zh", "en"),
    [
        (  # the trial's file: 4 lines, PyYAML says line 5 (past the end)
            "legs:\n  - id: a\n    kind: meeting\n    members: [cao-kaiwen\n",
            4,
            "此行開始的「[」沒有以「]」結束",
            "the '[' opened on this line is never closed with ']'",
        ),
        ("a: [1, 2,\n\n\n", 3, "檔案在此結束", "the file ends here"),
        ("a: {b: 1\n", 1, "「{」沒有以「}」結束", "never closed with '}'"),
        ('a: "abc\nb: 1\n', 1, "引號沒有結束", "quote opened on this line"),
        ("a: b: c\n", 1, "含冒號的文字請加引號", "quote text that has a colon"),
        ("a:\n\t- b\n", 2, "不能用 Tab 縮排", "a tab cannot indent"),
        ("a: 1\nb\nc: 2\n", 3, "缺少「: 」", "lacks its ': '"),
        ("a:\n  b: 1\n c: 2\n", 3, "縮排與上一行對不齊", "indentation does not line up"),
        ("a: *x\n", 1, "未定義的別名", "alias (*) that is not defined"),
    ],
)
def test_a_yaml_syntax_error_says_a_line_of_the_file_in_the_readers_language(
    text: str, line: int, zh: str, en: str
) -> None:
    with pytest.raises(ContentError) as caught:
        parse_yaml(text, "trial-bad.yaml")
    (problem,) = caught.value.problems
    assert 1 <= problem.line <= len(text.splitlines())
    assert (problem.file, problem.line, problem.field) == ("trial-bad.yaml", line, "(yaml)")
    said = problem_text(problem, "zh")
    assert said.startswith(f"trial-bad.yaml:{line}: (yaml): YAML 語法錯誤：")
    assert zh in said and not re.search(r"expected|found|but got", said), said
    assert en in problem_text(problem, "en") and str(problem).startswith("trial-bad.yaml:")


def test_a_file_shared_by_trips_is_reported_in_each_trips_own_file(tmp_path: Path) -> None:
    # The same itinerary text in two trips is parsed once; each problem still names its file.
    root = tmp_path / "content"
    for trip_id in ("trip-a", "trip-b"):
        folder = root / trip_id
        shutil.copytree(METROPOLIS, folder)
        trip_yaml = folder / "trip.yaml"
        text = trip_yaml.read_text(encoding="utf-8")
        trip_yaml.write_text(text.replace("id: metropolis-2015", f"id: {trip_id}"), "utf-8")
        itinerary = folder / "itinerary.yaml"
        text = itinerary.read_text(encoding="utf-8")
        itinerary.write_text(text.replace("zone: Asia/Kolkata", "zone: Nowhere/Else", 1), "utf-8")
    with pytest.raises(ContentError) as info:
        load_trips(root)
    problems = info.value.problems
    assert [p.file for p in problems] == [
        str(root / "trip-a" / "itinerary.yaml"),
        str(root / "trip-b" / "itinerary.yaml"),
    ]
    line = line_of(root / "trip-a" / "itinerary.yaml", "Nowhere/Else")
    assert [p.line for p in problems] == [line, line]
    assert problems[0].field == problems[1].field and "zone" in problems[0].field
