"""The report as plain data: a cover and an ordered list of blocks, in no file format yet."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

# 壹、→ 一、→（一）→ 1. → （1）: the five numbering levels of an official report.
CHAPTER_NUMERALS = "壹貳參肆伍陸柒捌玖拾"
_DIGITS = "〇一二三四五六七八九"

# The usual length of a 摘要 in characters (the review form checks it).
SUMMARY_MIN, SUMMARY_MAX = 200, 300


def zh_number(n: int) -> str:
    """A Chinese numeral for 1–99: 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一."""
    if not 1 <= n <= 99:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def numbered(level: int, n: int) -> str:
    """The number prefix of item `n` at `level` (1: 壹、 2: 一、 3: （一） 4: 1. 5: （1））."""
    if level == 1:
        return CHAPTER_NUMERALS[n - 1] + "、"
    if level == 2:
        return zh_number(n) + "、"
    if level == 3:
        return f"（{zh_number(n)}）"
    if level == 4:
        return f"{n}."
    return f"（{n}）"


@dataclass(frozen=True)
class Heading:
    """A numbered heading; level 1 is a chapter (壹、摘要)."""

    level: int
    text: str


@dataclass(frozen=True)
class Para:
    """A paragraph of body text; `origin` says where to fix it (a note, a content file)."""

    text: str
    indent: int = 0  # in levels below the enclosing heading
    origin: str | None = None
    kind: Literal["body", "item", "quote"] = "body"


@dataclass(frozen=True)
class Table:
    """A table with a header row; columns sized to their content, or `even` (signature boxes)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    even: bool = False
    names: tuple[str, ...] = ()  # names a cell must not wrap inside (places)


@dataclass(frozen=True)
class Picture:
    """A photo from the data dir with its caption."""

    path: Path
    caption: str
    origin: str | None = None


@dataclass(frozen=True)
class PageBreak:
    """Start the next block on a new page."""


Block = Heading | Para | Table | Picture | PageBreak


@dataclass(frozen=True)
class Cover:
    """The cover page: category, title, organiser, travellers, destination, period, date."""

    category: str
    title: str
    organiser: str
    travellers: tuple[str, ...]
    destination: str
    period: str
    report_date: str
    names: tuple[str, ...] = ()  # names the title must not break inside (places, the event)


@dataclass(frozen=True)
class Form:
    """A form filed with the report (審核表, 提要): a title and blocks, no cover or 目次."""

    title: str
    organiser: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Issue:
    """Something the builder noticed that the self-check must report (e.g. a photo not stored)."""

    text: str
    where: str


@dataclass(frozen=True)
class Report:
    """A compiled report: cover, blocks in the official order and what the check needs."""

    trip_id: str
    title: str
    cover: Cover
    blocks: tuple[Block, ...]
    summary: str
    summary_is_draft: bool
    issues: tuple[Issue, ...] = field(default=())

    def headings(self, max_level: int = 9) -> list[Heading]:
        """The headings down to `max_level`, in order (the static 目次 uses levels 1–2)."""
        return [b for b in self.blocks if isinstance(b, Heading) and b.level <= max_level]

    def chapter_blocks(self, prefix: str) -> list[Block]:
        """The blocks of the chapter whose heading starts with `prefix` (e.g. '伍、')."""
        out: list[Block] = []
        inside = False
        for block in self.blocks:
            if isinstance(block, Heading) and block.level == 1:
                inside = block.text.startswith(prefix)
                continue
            if inside:
                out.append(block)
        return out

    def pictures(self) -> list[Picture]:
        """Every photo, in report order."""
        return [b for b in self.blocks if isinstance(b, Picture)]

    def texts(self) -> Iterator[tuple[str, str, str | None]]:
        """(chapter, text, origin) of every piece of text, for the checks."""
        chapter = "封面"
        for block in self.blocks:
            if isinstance(block, Heading):
                if block.level == 1:
                    chapter = block.text
                yield chapter, block.text, None
            elif isinstance(block, Para):
                yield chapter, block.text, block.origin
            elif isinstance(block, Table):
                for row in block.rows:
                    yield chapter, " ".join(row), None
            elif isinstance(block, Picture):
                yield chapter, block.caption, block.origin
