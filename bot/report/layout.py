"""Layout decisions made before any file format: text widths, title lines, column widths."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# Where a title may break: after a closing bracket or before an opening one, and at spaces
# between words; never inside a run of Chinese, which would split a name (布宜 / 諾斯艾利斯).
_BREAK = re.compile(r"(?<=[」』）》〉】])|(?=[「『（《〈【])|(?<=[\u3400-\u9fff]) (?=[A-Za-z0-9])")


def width(text: str) -> float:
    """Width in ems: a Chinese or full-width character is 1, a Latin letter or digit about ½."""
    # Ambiguous ones (→, °) are set full width by a CJK font.
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.55 for c in text)


def title_lines(title: str, per_line: float, names: Sequence[str] = ()) -> list[str]:
    """The title in lines of at most `per_line` ems, broken only between words or names.

    First at brackets, spaces before Latin words and after 暨/及/與/、; a piece still too
    long is then broken around the given `names` (places, the event), never inside one."""
    strong = {m.start() for m in _BREAK.finditer(title)}
    strong |= {m.end() for m in re.finditer(r"[暨及與、，]", title)}
    weak: set[int] = set()
    inside: set[int] = set()
    for name in filter(None, names):
        for m in re.finditer(re.escape(name), title):
            weak |= {m.start(), m.end()}
            inside |= set(range(m.start() + 1, m.end()))
    pieces: list[str] = []
    for a, b in _spans(strong - inside, len(title)):
        if width(title[a:b]) <= per_line:
            pieces.append(title[a:b])
        else:
            inner = {c - a for c in weak - inside if a < c < b}
            pieces += [title[a + x : a + y] for x, y in _spans(inner, b - a)]
    lines: list[str] = []
    for piece in pieces:
        if lines and width(lines[-1] + piece) <= per_line:
            lines[-1] += piece
        else:
            lines.append(piece)
    return [line.strip() for line in lines if line.strip()]


def _spans(cuts: set[int], length: int) -> list[tuple[int, int]]:
    points = sorted(c for c in cuts if 0 < c < length)
    return list(zip([0, *points], [*points, length], strict=True))


# Where a table cell may wrap: after a separator, around an arrow, at a bracket; not at the
# space of 「第 1 天」.
_CELL_BREAK = re.compile(r"(?<=[－、，；：])|(?= →)|(?<=→ )|(?=[「（])|(?<=[」）])")


def pieces(text: str, names: Sequence[str] = ()) -> list[str]:
    """A line cut where it may wrap (after －, 、, ：, a space), never inside one of `names`."""
    inside: set[int] = set()
    for name in filter(None, names):
        for m in re.finditer(re.escape(name), text):
            inside |= set(range(m.start() + 1, m.end()))
    cuts = {m.start() for m in _CELL_BREAK.finditer(text)} - inside
    return [text[a:b] for a, b in _spans(cuts, len(text))] or [text]


def cell_lines(text: str, per_line: float, names: Sequence[str] = ()) -> list[str]:
    """The cell's text in lines of at most `per_line` ems, wrapped only where `pieces` may be
    (a piece longer than a line stays whole: its column is made wide enough for it)."""
    out: list[str] = []
    for line in text.split("\n"):
        lines: list[str] = []
        for piece in pieces(line, names):
            if lines and width((lines[-1] + piece).rstrip()) <= per_line:
                lines[-1] += piece
            else:
                lines.append(piece)
        out += [x.strip() for x in lines] or [""]
    return out


def _longest(cells: Sequence[str]) -> float:
    return max((width(line) for cell in cells for line in cell.split("\n")), default=1.0)


def _unbreakable(cells: Sequence[str], names: Sequence[str]) -> float:
    lines = [line for cell in cells for line in cell.split("\n")]
    return max((width(p.strip()) for line in lines for p in pieces(line, names)), default=1.0)


def column_widths(
    columns: Sequence[Sequence[str]],
    total: float,
    pad: float = 1.2,
    names: Sequence[str] = (),
) -> list[float]:
    """Widths in ems that sum to `total`: short columns as wide as their longest line, the
    rest shared by how much text they hold (a date column does not take half the table),
    and none narrower than its longest piece that may not wrap (a place name)."""
    need = [_longest(col) + pad for col in columns]
    least = [min(_unbreakable(col, names) + pad, n) for col, n in zip(columns, need, strict=True)]
    out = [0.0] * len(need)
    open_ = set(range(len(need)))
    left = total
    while open_:
        share = left / len(open_)
        fits = {i for i in open_ if need[i] <= share}
        if not fits:
            break
        for i in fits:
            out[i] = need[i]
            left -= need[i]
        open_ -= fits
    if open_:
        # The long columns share what is left by need, but each gets at least its floor.
        while True:
            room = sum(need[i] for i in open_)
            short = {i for i in open_ if left * need[i] / room < least[i]}
            if short == open_:  # the longest one takes what the others leave it
                short.discard(max(open_, key=lambda i: need[i]))
            if not short:
                break
            for i in short:
                out[i] = least[i]
                left -= least[i]
            open_ -= short
        room = sum(need[i] for i in open_)
        for i in open_:
            out[i] = left * need[i] / room
    else:  # everything fits: the spare room is shared by need, so the proportions hold
        out = [w + left * w / sum(out) for w in out]
    return out
