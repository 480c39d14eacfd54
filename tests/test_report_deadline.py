"""The filing deadline: from the day after return, past weekends and official holidays."""

from __future__ import annotations

from datetime import date

import pytest

from bot.report.deadline import day_off, deadline_for, period_end
from bot.report.settings import DeadlineRule

RULE = DeadlineRule()  # 行政院: three months, from the day after return, on a workday


@pytest.mark.parametrize(
    ("returned", "due", "moved_from"),
    [
        # Back the day before New Year's Day (a holiday): counting starts on the holiday.
        (date(2025, 12, 31), date(2026, 3, 31), None),
        # Back on a Friday: the period ends on a Saturday, the deadline is the Monday.
        (date(2025, 3, 7), date(2025, 6, 9), date(2025, 6, 7)),
        # The period ends on National Day (Friday 10 October): the next workday, Monday 13.
        (date(2025, 7, 10), date(2025, 10, 13), date(2025, 10, 10)),
        # The period ends in the Lunar New Year days off (14–22 February 2026), not a weekend:
        # a weekend-only rule would keep Monday 16; the calendar says Monday 23.
        (date(2025, 11, 16), date(2026, 2, 23), date(2026, 2, 16)),
    ],
)
def test_deadline_on_the_official_calendar(
    returned: date, due: date, moved_from: date | None
) -> None:
    d = deadline_for(returned, RULE)
    assert (d.due, d.moved_from, d.unknown_years) == (due, moved_from, ())
    assert d.counted_from == date.fromordinal(returned.toordinal() + 1)


def test_the_rule_is_the_office_setting() -> None:
    # Counting from the day of return itself, without moving: the plain period's last day.
    same_day = DeadlineRule(from_next_day=False, next_workday=False)
    assert deadline_for(date(2025, 7, 10), same_day).due == date(2025, 10, 9)
    assert deadline_for(date(2025, 7, 10), DeadlineRule(months=1)).due == date(2025, 8, 11)
    # No corresponding day in the last month: that month's last day (民法 §121).
    assert period_end(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert period_end(date(2015, 5, 26), 3) == date(2015, 8, 25)


def test_years_outside_the_official_calendar_move_past_weekends_only() -> None:
    assert day_off(date(2015, 8, 25)) is None
    d = deadline_for(date(2015, 5, 29), RULE)  # the period ends on Saturday 29 August 2015
    assert d.due == date(2015, 8, 31) and d.unknown_years == (2015,)
    assert day_off(date(2025, 10, 10)) is True and day_off(date(2025, 10, 13)) is False
