"""A trip's report settings (the `report:` key of the content): forms, upload fields, deadline."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from bot.trip.types import Strict

# 出國類別 of the 公務出國報告資訊網.
Category = Literal["考察", "進修", "研究", "實習", "視察", "訪問", "開會", "談判", "其他"]
# Taichung asks the full report only for these; other trips file the 出國報告提要.
_STUDY = frozenset({"考察", "進修", "研究", "實習"})
OfficeRule = Literal["executive-yuan", "taichung"]
Form = Literal["report", "review", "summary"]


class DeadlineRule(Strict):
    """When the report is due: `months` after return, counted from the day after, on a workday."""

    months: int = Field(default=3, ge=1, le=12)
    from_next_day: bool = True  # the day of return is not counted (民法 §120)
    next_workday: bool = True  # a deadline on a weekend or holiday moves to the next workday


class ReportSettings(Strict):
    """What the office requires and what the upload to 公務出國報告資訊網 needs."""

    office_rule: OfficeRule = "executive-yuan"
    categories: tuple[Category, ...] = ()  # 出國類別 beyond the trip's `category`, for a mixed trip
    system_id: str | None = None  # 系統識別號, once the trip is registered (e.g. C10401427)
    plan: str | None = None  # 計畫名稱; default: the trip's title
    topic: str | None = None  # 主題分類
    policy: str | None = None  # 施政分類
    keywords: tuple[str, ...] = ()  # 關鍵詞
    visited: tuple[str, ...] = ()  # 參訪機關; default: the event's host
    deadline: DeadlineRule = DeadlineRule()


def trip_categories(category: str, settings: ReportSettings) -> list[str]:
    """Every 出國類別 of the trip, its own first."""
    return list(dict.fromkeys([category, *settings.categories]))


def required_forms(category: str, settings: ReportSettings) -> tuple[Form, ...]:
    """The forms the office asks for: the full report or only the 提要, and the 審核表."""
    cats = trip_categories(category, settings)
    if settings.office_rule == "taichung" and len(cats) == 1 and cats[0] not in _STUDY:
        return ("summary", "review")
    return ("report", "review")
