"""Scalar types of the trip content: ISO and ROC dates, local clock times, IANA zones, ids, text."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from bot.trip.models import Leg, Milestone
from bot.trip.types import Text, parse_date, parse_id, parse_local_datetime, parse_zone, roc

# ── dates ─────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2015-05-16", date(2015, 5, 16)),  # ISO
        ("104.05.16", date(2015, 5, 16)),  # ROC with dots, as in the report's tables
        ("104/05/16", date(2015, 5, 16)),  # ROC with slashes
        ("104年5月16日", date(2015, 5, 16)),  # ROC in words
        ("104年05月16日", date(2015, 5, 16)),
        ("民國104年5月16日", date(2015, 5, 16)),
        ("1040516", date(2015, 5, 16)),  # ROC compact, as in document numbers
        ("104.5.6", date(2015, 5, 6)),  # single-digit month and day
        ("104/5/6", date(2015, 5, 6)),
        ("99.12.31", date(2010, 12, 31)),  # two-digit ROC year
        ("  104.05.31 ", date(2015, 5, 31)),  # surrounding blanks
        ("105.02.29", date(2016, 2, 29)),  # ROC 105 = 2016, a leap year
    ],
)
def test_dates_iso_and_every_roc_form(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_a_date_object_passes_through() -> None:
    assert parse_date(date(2015, 5, 16)) == date(2015, 5, 16)


@pytest.mark.parametrize(
    "bad",
    [
        "104.02.29",  # 2015 is not a leap year
        "104.13.01",  # month 13
        "104.04.31",  # April has 30 days
        "2015-02-30",
        "2015/05/16",  # a western year with slashes is not a form we read
        "104-05-16",  # ROC year with ISO dashes
        "104.05",  # no day
        "May 16, 2015",
        "abc",
        "",
    ],
)
def test_bad_dates_are_rejected_with_a_hint(bad: str) -> None:
    with pytest.raises(ValueError, match="not a date") as info:
        parse_date(bad)
    assert "104.05.16" in str(info.value)  # the message shows a form that works


@pytest.mark.parametrize("bad", [20150516, 104.0516, None, ["2015-05-16"]])
def test_non_text_dates_are_rejected(bad: Any) -> None:
    with pytest.raises(ValueError, match="expected a date"):
        parse_date(bad)


def test_a_date_time_is_not_a_date() -> None:
    with pytest.raises(ValueError, match="date-time"):
        parse_date(datetime(2015, 5, 16, 9, 0))


def test_roc_form_of_a_date() -> None:
    assert roc(date(2015, 5, 16)) == "104.05.16"
    assert roc(date(2015, 5, 6), "/") == "104/05/06"
    assert roc(date(2010, 12, 31)) == "099.12.31"
    for day in (date(2015, 1, 1), date(2015, 5, 16), date(2016, 2, 29)):
        assert parse_date(roc(day)) == day


def test_dates_through_a_model() -> None:
    step = Milestone.model_validate(
        {"id": "approval", "date": "104.03.26", "until": "104年3月31日", "text": "簽奉核可"}
    )
    assert (step.date, step.until) == (date(2015, 3, 26), date(2015, 3, 31))
    with pytest.raises(ValidationError) as info:
        Milestone.model_validate({"id": "x", "date": "104.02.30", "text": "t"})
    (err,) = info.value.errors()
    assert err["loc"] == ("date",)
    assert "not a date '104.02.30'" in err["msg"]


# ── local clock times ─────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2015-05-18 09:00", datetime(2015, 5, 18, 9, 0)),
        ("2015-05-18T09:00", datetime(2015, 5, 18, 9, 0)),
        ("2015-05-18 9:05", datetime(2015, 5, 18, 9, 5)),
        ("2015-05-18 23:59:30", datetime(2015, 5, 18, 23, 59, 30)),
        ("2015-05-18 00:00", datetime(2015, 5, 18, 0, 0)),
        ("104.05.18 09:00", datetime(2015, 5, 18, 9, 0)),
        ("104/05/18 18:30", datetime(2015, 5, 18, 18, 30)),
        ("104年5月18日 20:30", datetime(2015, 5, 18, 20, 30)),
        (" 2015-05-18   09:00 ", datetime(2015, 5, 18, 9, 0)),
    ],
)
def test_local_date_times(text: str, expected: datetime) -> None:
    got = parse_local_datetime(text)
    assert got == expected
    assert got.tzinfo is None  # wall-clock: the leg's zone field gives the zone


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("2015-05-18", "give the clock time"),
        ("2015-05-18 24:00", "not a clock time '24:00'"),
        ("2015-05-18 09:60", "not a clock time '09:60'"),
        ("2015-05-18 9", "not a clock time '9'"),
        ("2015-05-18 9am", "not a clock time '9am'"),
        ("2015-05-18 09:00+08:00", "not a clock time"),
        ("2015-05-18 9.30", "not a clock time"),
        ("104.02.30 09:00", "not a date '104.02.30'"),
        ("tomorrow 09:00", "not a date"),
    ],
)
def test_bad_local_date_times(bad: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_local_datetime(bad)


def test_a_date_time_with_an_offset_is_refused() -> None:
    naive = datetime(2015, 5, 18, 9, 0)
    assert parse_local_datetime(naive) is naive
    with pytest.raises(ValueError, match="without an offset"):
        parse_local_datetime(datetime(2015, 5, 18, 9, 0, tzinfo=UTC))
    with pytest.raises(ValueError, match="expected a local date-time"):
        parse_local_datetime(201505180900)


# ── zones ─────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "name",
    [
        "Asia/Taipei",
        "Asia/Kolkata",
        "Europe/Rome",
        "America/Argentina/Buenos_Aires",
        "Europe/Amsterdam",
        "Asia/Bangkok",
        "UTC",
    ],
)
def test_iana_zones(name: str) -> None:
    zone = parse_zone(name)
    assert isinstance(zone, ZoneInfo)
    assert str(zone) == name


@pytest.mark.parametrize(
    "bad", ["Asia/Taipie", "CST", "GMT+8", "+08:00", "Taipei", "", "../../etc/passwd", "Asia/"]
)
def test_unknown_zones(bad: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"unknown time zone {bad!r}")):
        parse_zone(bad)


def test_zone_offsets_are_real() -> None:
    """The zones carry the real rules: Buenos Aires UTC-3, Rome on summer time in May."""
    may = datetime(2015, 5, 18, 12, 0)
    assert may.replace(tzinfo=parse_zone("America/Argentina/Buenos_Aires")).utcoffset() == (
        timedelta(hours=-3)
    )
    assert may.replace(tzinfo=parse_zone("Europe/Rome")).utcoffset() == timedelta(hours=2)
    assert may.replace(tzinfo=parse_zone("Asia/Kolkata")).utcoffset() == timedelta(hours=5.5)


def test_a_leg_reads_its_times_in_its_zones() -> None:
    flight = Leg.model_validate(
        {
            "id": "flight-fco-eze",
            "kind": "flight",
            "title": "羅馬 → 布宜諾斯艾利斯",
            "start": "104.05.17 11:55",
            "end": "2015-05-17 20:30",
            "from": {"airport": "FCO", "city": "羅馬", "zone": "Europe/Rome"},
            "to": {
                "airport": "EZE",
                "city": "布宜諾斯艾利斯",
                "zone": "America/Argentina/Buenos_Aires",
            },
        }
    )
    assert flight.start_at == datetime(2015, 5, 17, 9, 55, tzinfo=UTC)
    assert flight.end_at == datetime(2015, 5, 17, 23, 30, tzinfo=UTC)
    assert flight.end_at - flight.start_at == timedelta(hours=13, minutes=35)
    with pytest.raises(ValidationError) as info:
        Leg.model_validate(
            {
                "id": "x",
                "kind": "visit",
                "title": "t",
                "start": "2015-05-18 09:00",
                "end": "2015-05-18 10:00",
                "zone": "Buenos_Aires",
            }
        )
    (err,) = info.value.errors()
    assert err["loc"] == ("zone",)
    assert "unknown time zone 'Buenos_Aires'" in err["msg"]


# ── ids and text ──────────────────────────────────────────────────────────────


@pytest.mark.parametrize("good", ["metropolis-2015", "flight-tpe-del", "a", "x_1"])
def test_ids(good: str) -> None:
    assert parse_id(good) == good


@pytest.mark.parametrize("bad", ["Metropolis", "-x", "a b", "", "臺中", "a" * 65])
def test_bad_ids(bad: str) -> None:
    with pytest.raises(ValueError, match="not a valid id"):
        parse_id(bad)


def test_text_plain_string_is_chinese_and_english_falls_back() -> None:
    plain = Text.model_validate("臺中市政府")
    assert (plain.zh, plain.en) == ("臺中市政府", None)
    assert plain.get("en") == "臺中市政府"
    both = Text.model_validate({"zh": "臺中市政府", "en": "Taichung City Government"})
    assert both.get("en") == "Taichung City Government"
    assert both.get("zh") == str(both) == "臺中市政府"
    with pytest.raises(ValidationError):
        Text.model_validate({"zh": "x", "fr": "y"})
