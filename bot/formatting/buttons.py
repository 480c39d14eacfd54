"""Button labels: short enough for a phone's keyboard, and never cut inside a character."""

from __future__ import annotations

import unicodedata

BUTTON_CHARS = 40  # a label longer than this is cut, with an ellipsis
_JOINERS = {"\u200d", "\ufe0e", "\ufe0f"}  # ZWJ and the variation selectors bind to a neighbour


def _binds(char: str) -> bool:
    """Whether `char` belongs to the character before it (a combining mark, ZWJ, a selector)."""
    return char in _JOINERS or unicodedata.category(char) in ("Mn", "Me", "Mc")


def button_label(text: str, limit: int = BUTTON_CHARS) -> str:
    """`text` whole if it fits in `limit` characters, else cut between two characters (never
    inside a combined one or an emoji sequence), without trailing space, and '…' added."""
    if len(text) <= limit:
        return text
    cut = limit - 1
    while cut > 0 and (_binds(text[cut]) or text[cut - 1] == "\u200d"):
        cut -= 1  # step back to the start of the character that straddles the limit
    return text[:cut].rstrip() + "…"
