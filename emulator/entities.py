"""Building blocks for parse_mode handling: UTF-16 positions and entity accumulation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from emulator.params import ApiError, bad_request

Entity = dict[str, Any]


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Bot API entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def byte_offset(source: str, index: int) -> int:
    """UTF-8 byte position of `source[index]`, as Telegram reports parse errors."""
    return len(source[:index].encode("utf-8"))


def cant_parse(what: str) -> ApiError:
    """Telegram's 400 for malformed markup."""
    return bad_request(f"can't parse entities: {what}")


@dataclass
class EntityBuilder:
    """Accumulates plain text and tracks open entities by UTF-16 position."""

    parts: list[str] = field(default_factory=list)
    pos: int = 0
    entities: list[Entity] = field(default_factory=list)

    def add(self, text: str) -> None:
        """Append plain text."""
        self.parts.append(text)
        self.pos += utf16_len(text)

    def close(self, kind: str, start: int, **extra: Any) -> None:
        """Record an entity from `start` to the current position."""
        if self.pos > start:  # Telegram drops empty entities
            entity = {"type": kind, "offset": start, "length": self.pos - start}
            self.entities.append({**entity, **extra})

    def result(self) -> tuple[str, list[Entity]]:
        """Plain text and entities in Telegram's order (by offset, outer first)."""
        ents = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.parts), ents
