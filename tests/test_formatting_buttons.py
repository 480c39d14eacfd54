"""Button labels are cut between characters, with an ellipsis; what fits stays whole."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.formatting.buttons import button_label


@pytest.mark.parametrize(
    ("text", "limit", "label"),
    [
        (
            "主題會議（包容）：體育活動帶動社會及城市改造",
            40,
            "主題會議（包容）：體育活動帶動社會及城市改造",
        ),
        ("主題會議（包容）：體育活動帶動社會及城市改造", 8, "主題會議（包容…"),
        ("Plenary: keynote Live the City", 10, "Plenary:…"),
        ("ab👨\u200d👩\u200d👧cd", 5, "ab…"),  # a family emoji is one character: kept or left out
        ("Jose\u0301 Marti\u0301", 5, "Jos…"),  # é as e + combining accent stays together
        ("ok", 2, "ok"),
    ],
)
def test_labels_are_cut_on_characters_with_an_ellipsis(text: str, limit: int, label: str) -> None:
    assert button_label(text, limit) == label


@given(st.text(min_size=1), st.integers(min_value=2, max_value=60))
def test_a_label_fits_and_starts_the_text(text: str, limit: int) -> None:
    label = button_label(text, limit)
    assert len(label) <= limit
    assert label == text or (label.endswith("…") and text.startswith(label[:-1].rstrip()))
    label.encode("utf-8")  # never half a character
