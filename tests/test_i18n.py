"""Every message of the catalogue, in both languages: one language per reply.

Table-driven over whatever bot.i18n holds, so a key added anywhere is checked too.
"""

from __future__ import annotations

import re
import string

import pytest
from pydantic import BaseModel

from bot.i18n import COMMANDS, MESSAGES, t, tn
from bot.trip.loader import load_trip
from bot.trip.types import Lang, Text
from tests.conftest import ROOT

# Han characters and the full-width punctuation of Chinese text.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
HAN = re.compile(r"[\u3400-\u9fff]")
# An English phrase: Latin words in a row (a command, a code, a unit is one word).
ENGLISH_PHRASE = re.compile(r"[A-Za-z][a-z']*(?:[ ,;:：，；、]+[A-Za-z][a-z']*)+")
COMMAND = re.compile(r"/[a-z_]+(?: [A-Z_]+)*")  # /itinerary, /lang zh, /delay LEG
TAG = re.compile(r"<[^>]+>")
HASHTAG = re.compile(r"#\S+")  # the report-section tags delegates type: #摘要 in any language
SAMPLE = "7"  # a value neutral in both languages


def fields(text: str) -> set[str]:
    """The placeholders a message expects."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def english_phrases(text: str) -> list[str]:
    """English phrases in a Chinese text, commands and markup aside."""
    words = ENGLISH_PHRASE.findall(COMMAND.sub(" ", TAG.sub(" ", text)))
    return [w for w in words if re.search("[a-z]{2}", w)]  # 'UTC', 'T1' are no phrase


def cjk(text: str) -> list[str]:
    """Chinese characters or full-width punctuation in an English text."""
    return CJK.findall(HASHTAG.sub(" ", TAG.sub(" ", text)))


def zh_problems(text: str) -> list[str]:
    """What makes `text` not Chinese: English phrases, or no Chinese at all beside Latin."""
    bare = HASHTAG.sub(" ", text)
    if not HAN.search(bare) and re.search("[A-Za-z]{2}", COMMAND.sub(" ", bare)):
        return [text]
    return english_phrases(bare)


CATALOGUE = [
    *((f"msg:{key}", texts) for key, texts in MESSAGES.items()),
    *((f"cmd:{key}", texts) for key, texts in COMMANDS.items()),
]


@pytest.mark.parametrize(("key", "texts"), CATALOGUE, ids=[k for k, _ in CATALOGUE])
def test_every_key_renders_in_one_language_each(key: str, texts: dict[Lang, str]) -> None:
    assert set(texts) == {"zh", "en"}, f"{key}: both languages"
    values = dict.fromkeys(fields(texts["zh"]) | fields(texts["en"]), SAMPLE)
    name = key.split(":", 1)[1]
    zh = t("zh", name, **values) if key.startswith("msg:") else texts["zh"]
    en = t("en", name, **values) if key.startswith("msg:") else texts["en"]
    assert not zh_problems(zh), f"English in zh: {zh_problems(zh)}"
    assert not cjk(en), f"Chinese in en: {cjk(en)} in {en!r}"


@pytest.mark.parametrize(("key", "texts"), CATALOGUE, ids=[k for k, _ in CATALOGUE])
def test_english_uses_ascii_quotes_and_says_its_plurals(key: str, texts: dict[Lang, str]) -> None:
    # README: English replies use ASCII punctuation; "1 member", never "1 member(s)".
    assert not re.search("[“”‘’]", texts["en"]), texts["en"]
    assert "(s)" not in texts["en"], texts["en"]


@pytest.mark.parametrize(
    ("key", "n", "en"),
    [
        ("checkin_sent", 1, "🙋 Asked 1 member whether they are safe."),
        ("checkin_sent", 2, "🙋 Asked 2 members whether they are safe."),
        ("revoked", 1, "Access withdrawn from 1 account of Cao."),
        ("revoked", 3, "Access withdrawn from 3 accounts of Cao."),
    ],
)
def test_counts_take_the_singular_for_one(key: str, n: int, en: str) -> None:
    assert tn("en", key, n, name="Cao") == en
    assert tn("zh", key, n, name="Cao") == t("zh", key, n=n, name="Cao")


@pytest.mark.parametrize(
    ("text", "zh_ok", "en_ok"),
    [
        ("無法套用此變更：not cancelled", False, False),
        ("無法理解參數「104.13.40」：not a date '104.13.40'", False, False),
        ("hour must be in 0..23", False, True),
        ("用法：/delay LEG 時長 [原因]", True, False),
        ("Why：Ambassador", False, False),
        ("👤 黃聯昇", True, False),
        ("Taipei 17:55 | Buenos Aires UTC−3", False, True),
        ("臺北 17:55｜布宜諾斯艾利斯 UTC−3", True, False),
        ("Tags: #摘要 #心得", False, True),
    ],
)
def test_the_checks_catch_mixed_text(text: str, zh_ok: bool, en_ok: bool) -> None:
    assert (not zh_problems(text)) is zh_ok
    assert (not cjk(text)) is en_ok


@pytest.mark.parametrize(
    "folder", ["content/metropolis-2015", "tests/fixtures/trips/brussels-2024"]
)
def test_the_trips_content_has_both_languages(folder: str) -> None:
    found: list[tuple[str, Text]] = []

    def walk(value: object, name: str) -> None:
        if isinstance(value, Text):
            found.append((name, value))
        elif isinstance(value, BaseModel):
            for field in type(value).model_fields:
                walk(getattr(value, field), field)
        elif isinstance(value, list):
            for item in value:
                walk(item, name)

    walk(load_trip(ROOT / folder), "")
    for name, text in found:
        if name in ("name", "title") and HAN.search(text.zh):  # a Latin name needs no other form
            assert text.en, f"{name} {text.zh!r} has no English form"
        assert not HAN.search(text.en or ""), f"Chinese in the English of {name}: {text.en!r}"
