"""Days as people type them: every accepted form, and refusals in the reader's language."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dates import DateError, examples, read_day, weekday_of
from bot.formatting.clock import day_label
from bot.i18n import t

START, END = date(2015, 5, 16), date(2015, 5, 25)
TODAY = date(2015, 5, 19)  # a Tuesday, within the trip

ACCEPTED = [
    ("2015-05-18", date(2015, 5, 18)),
    ("2015-5-18", date(2015, 5, 18)),
    ("2015/5/18", date(2015, 5, 18)),
    ("104.05.18", date(2015, 5, 18)),
    ("104/5/18", date(2015, 5, 18)),
    ("104年5月18日", date(2015, 5, 18)),
    ("民國104年5月18日", date(2015, 5, 18)),
    ("1040518", date(2015, 5, 18)),
    ("5/18", date(2015, 5, 18)),
    ("5/18（一）", date(2015, 5, 18)),
    ("5/18 (Mon)", date(2015, 5, 18)),
    ("18 May", date(2015, 5, 18)),
    ("May 18", date(2015, 5, 18)),
    ("may 18, 2015", date(2015, 5, 18)),
    ("Mon 18 May", date(2015, 5, 18)),
    ("today", TODAY),
    ("Today", TODAY),
    ("tomorrow", date(2015, 5, 20)),
    ("今天", TODAY),
    ("明天", date(2015, 5, 20)),
    ("後天", date(2015, 5, 21)),
    ("Tuesday", TODAY),  # the next such day counts today
    ("thu", date(2015, 5, 21)),
    ("Sunday", date(2015, 5, 24)),
    ("星期五", date(2015, 5, 22)),
    ("週六", date(2015, 5, 23)),
    ("禮拜天", date(2015, 5, 24)),
    ("一", date(2015, 5, 25)),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_every_accepted_form(text: str, expected: date) -> None:
    assert read_day(text, START, END, TODAY) == expected


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_bots_own_day_labels_read_back(lang: str) -> None:
    for n in range(10):
        day = date(2015, 5, 16 + n)
        assert read_day(day_label(day, lang), START, END, TODAY) == day  # type: ignore[arg-type]


def test_a_year_left_out_is_the_one_inside_a_trip_across_new_year() -> None:
    start, end = date(2024, 12, 28), date(2025, 1, 6)
    assert read_day("1/3", start, end, start) == date(2025, 1, 3)
    assert read_day("30 Dec", start, end, start) == date(2024, 12, 30)


def test_before_the_trip_a_weekday_is_the_first_such_day_of_the_trip() -> None:
    assert read_day("Monday", START, END, date(2015, 5, 1)) == date(2015, 5, 18)


REFUSED = [
    ("next week", "date_unreadable"),
    ("5/18（二）", "date_weekday_mismatch"),
    ("Tue 18 May", "date_weekday_mismatch"),
    ("104.02.30", "date_impossible"),
    ("2/30", "date_impossible"),
    ("13/1", "date_impossible"),
    ("5/18（x）", "date_unreadable"),
    ("40 May", "date_impossible"),
]


@pytest.mark.parametrize(("text", "key"), REFUSED)
def test_refusals_name_the_input_in_the_readers_language(text: str, key: str) -> None:
    with pytest.raises(DateError) as err:
        read_day(text, START, END, TODAY)
    assert err.value.key == key
    zh, en = (t(lang, key, **err.value.values) for lang in ("zh", "en"))
    assert text in zh and text in en
    assert not any("\u4e00" <= c <= "\u9fff" for c in en.replace(text, ""))
    assert "not a date" not in zh and "day" not in zh.replace(text, "")


def test_no_such_weekday_left_in_the_trip() -> None:
    with pytest.raises(DateError) as err:
        read_day("Monday", START, date(2015, 5, 20), TODAY)
    assert err.value.key == "date_weekday_none"


def test_usage_examples_come_from_the_trip() -> None:
    ex = examples(date(2024, 10, 24))
    assert ex == {"iso": "2024-10-24", "roc": "113.10.24", "short": "10/24"}
    with pytest.raises(DateError) as err:
        read_day("someday", date(2024, 10, 24), date(2024, 11, 2), date(2024, 10, 1))
    zh, en = (t(lang, err.value.key, **err.value.values) for lang in ("zh", "en"))
    assert "2024-10-24" in zh and "113.10.24" in zh and "2015" not in zh
    assert "10/24" in en and "104" not in en


@pytest.mark.parametrize(
    ("word", "n"),
    [("Mon", 0), ("monday", 0), ("tues", 1), ("三", 2), ("週四", 3), ("星期日", 6), ("may", None)],
)
def test_weekday_names(word: str, n: int | None) -> None:
    assert weekday_of(word) == n
