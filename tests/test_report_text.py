"""The report's writing rules: spacing, closing marks, and what a cancel leaves in the texts."""

from __future__ import annotations

import pytest

from bot.report.text import closed, group_intro, names, spaced, without_mentions
from bot.trip.models import Trip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("參加104.05.18至104.05.21舉行之", "參加 104.05.18 至 104.05.21 舉行之"),
        ("一行 2 人", "一行 2 人"),
        ("METROPOLIS會員城市", "METROPOLIS 會員城市"),
        ("成長5%的城市", "成長 5% 的城市"),
        ("「2015 年」（Live the City）", "「2015 年」（Live the City）"),
    ],
)
def test_spaced(text: str, expected: str) -> None:
    assert spaced(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("宣傳花博，多國代表表示有興趣參加", "宣傳花博，多國代表表示有興趣參加。"),
        ("已有句號。", "已有句號。"),
        ("參訪「城市塔」", "參訪「城市塔」。"),
        ("議程：", "議程："),
        ("第一行\n第二行？", "第一行。\n第二行？"),
    ],
)
def test_closed(text: str, expected: str) -> None:
    assert closed(text) == expected


def test_a_cancel_leaves_no_mention_and_no_stale_count(metropolis: Trip) -> None:
    legs = metropolis.legs_by_id
    women = legs["workshop-women"]
    assert "大都會婦女研討會" in names(women)
    kept = [legs["workshop-youth"], legs["workshop-connecting-dots"]]
    summary = "大都會青年研討會、大都會婦女研討會及大都會小組合作研討會，共 3 場研討會。"
    assert group_intro("研討活動", summary, kept, []) == summary
    assert group_intro("研討活動", summary, kept, [women]) == (
        "研討活動計有大都會青年研討會及合作點的連結——大都會小組合作研討會，共 2 場。"
    )
    # A sentence that says something else stays; one that names the cancelled item goes.
    text = "屬大會內部會議。另有大都會婦女研討會之成果分享。"
    assert without_mentions(text, [women]) == "屬大會內部會議。"
