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
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text)


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


def _longest(cells: Sequence[str]) -> float:
    return max((width(line) for cell in cells for line in cell.split("\n")), default=1.0)


def column_widths(columns: Sequence[Sequence[str]], total: float, pad: float = 1.2) -> list[float]:
    """Widths in ems that sum to `total`: short columns as wide as their longest line, the
    rest shared by how much text they hold (a date column does not take half the table)."""
    need = [_longest(col) + pad for col in columns]
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
        room = sum(need[i] for i in open_)
        for i in open_:
            out[i] = left * need[i] / room
    else:  # everything fits: the spare room is shared by need, so the proportions hold
        out = [w + left * w / sum(out) for w in out]
    return out
