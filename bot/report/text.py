"""The report's writing rules, applied by the builder: spacing, closing marks, and what a
cancelled item leaves behind in the texts that named or counted it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.trip.models import Leg

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
# A space between Chinese and a run of Latin letters or digits, as the seed writes 「一行 2 人」.
_CJK_THEN_ALNUM = re.compile(rf"(?<=[{_CJK}])(?=[0-9A-Za-z])")
_ALNUM_THEN_CJK = re.compile(rf"(?<=[0-9A-Za-z%])(?=[{_CJK}])")
_SPACES = re.compile(r"[ \t\u3000]{2,}")
# A line that stops on a word, a number or a closing quote still needs its full stop.
_OPEN_END = re.compile(rf"[{_CJK}0-9A-Za-z」』）)]$")
# "共 3 場", "2 場", "三場": a count of items, wrong as soon as one is cancelled.
_COUNT = re.compile(r"[0-9０-９一二兩三四五六七八九十]+\s*(?:場|項|個|次|單元)")


def spaced(text: str) -> str:
    """One space between Chinese and Latin letters or digits (104.05.18, 2 人), never two."""
    text = _ALNUM_THEN_CJK.sub(" ", _CJK_THEN_ALNUM.sub(" ", text))
    return _SPACES.sub(" ", text)


def closed(text: str) -> str:
    """Each line of the text ended with 。 where it stops without a mark."""
    return "\n".join(line + "。" if _OPEN_END.search(line) else line for line in text.split("\n"))


def sentences(text: str) -> list[str]:
    """The whole sentences of a text, each with its closing mark (。！？); a tail gets 。."""
    found = [m.strip() for m in re.findall(r"[^。！？]+[。！？]?", text) if m.strip()]
    return [f if f[-1] in "。！？" else f + "。" for f in found]


def short_title(leg: Leg) -> str:
    """A programme item's own name, without its group's prefix (研討活動：…)."""
    title = leg.title.zh
    return title.split("：", 1)[1] if "：" in title else title


def names(leg: Leg) -> set[str]:
    """The ways a text may name a leg: its title, without the prefix, before a subtitle."""
    short = short_title(leg)
    found = {leg.title.zh, short, short.split("——", 1)[0], short.split("：", 1)[0]}
    return {n.strip("「」 ") for n in found if len(n.strip("「」 ")) >= 4}


def without_mentions(text: str, gone: Sequence[Leg]) -> str:
    """The text without the sentences that name a cancelled leg."""
    said = {n for leg in gone for n in names(leg)}
    return "".join(s for s in sentences(text) if not any(n in s for n in said))


def group_intro(title: str, summary: str | None, kept: Sequence[Leg], gone: Sequence[Leg]) -> str:
    """A group's intro on the effective schedule: the content's, unless an item of it was
    cancelled; then its sentences that name or count items give way to the items held."""
    if not gone:
        return summary or ""
    said = {n for leg in gone for n in names(leg)}
    keep = [
        s
        for s in sentences(summary or "")
        if not any(n in s for n in said) and not _COUNT.search(s)
    ]
    items = [short_title(leg) for leg in kept]
    listed = "、".join(items[:-1]) + "及" + items[-1] if len(items) > 1 else "".join(items)
    held = f"{title}計有{listed}，共 {len(items)} 場。" if items else ""
    return "".join(keep) + held
