"""Change records as published to the log, drafts awaiting Publish, and conflicts."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from bot.i18n import t
from bot.trip.types import Lang

ChangeKind = Literal["delay", "move", "cancel", "restore", "revision"]
KINDS: tuple[ChangeKind, ...] = ("delay", "move", "cancel", "restore", "revision")
LegData = dict[str, Any]  # one leg as the content's plain data (model_dump, by alias)


@dataclass(frozen=True)
class Change:
    """One schedule change. Quick changes name a leg; a revision carries whole legs."""

    kind: ChangeKind
    leg: str | None = None  # delay, move, cancel, restore
    by: timedelta | None = None  # delay
    start: datetime | None = None  # move: the new local wall-clock start (naive)
    legs: dict[str, LegData | None] = field(default_factory=dict)  # revision: None = removed
    added: tuple[str, ...] = ()  # revision: ids in `legs` that are new, not edits
    sections: list[dict[str, Any]] | None = None  # revision: the programme sections, if edited
    reason: str = ""

    def to_json(self) -> str:
        """The record as stored in the log."""
        body: dict[str, Any] = {"kind": self.kind, "reason": self.reason}
        if self.leg is not None:
            body["leg"] = self.leg
        if self.by is not None:
            body["by"] = int(self.by.total_seconds())
        if self.start is not None:
            body["start"] = self.start.isoformat(" ")
        if self.kind == "revision":
            body.update(legs=self.legs, added=list(self.added), sections=self.sections)
        return json.dumps(body, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Change:
        """A record read back from the log."""
        body = json.loads(text)
        return cls(
            kind=body["kind"],
            leg=body.get("leg"),
            reason=body.get("reason", ""),
            by=timedelta(seconds=body["by"]) if "by" in body else None,
            start=datetime.fromisoformat(body["start"]) if "start" in body else None,
            legs=body.get("legs") or {},
            added=tuple(body.get("added") or ()),
            sections=body.get("sections"),
        )

    def with_reason(self, reason: str) -> Change:
        """The same change with a reason."""
        return Change(
            self.kind, self.leg, self.by, self.start, self.legs, self.added, self.sections, reason
        )


@dataclass(frozen=True)
class Published:
    """A change in the append-only log: the trip's version after it, who, when, which legs."""

    trip_id: str
    version: int
    change: Change
    author: str
    at: datetime
    legs: frozenset[str]  # legs it changed, for the 🔄 marks


@dataclass(frozen=True)
class Draft:
    """A change shown to its coordinator with Publish / Discard, against a trip version."""

    id: int
    trip_id: str
    user_id: int
    base_version: int
    change: Change
    state: Literal["open", "published", "discarded"]


@dataclass(frozen=True)
class Refusal:
    """Why a change does not apply: a message key and its values, told in the reader's language."""

    key: str
    values: tuple[tuple[str, str], ...] = ()

    def text(self, lang: Lang) -> str:
        """The reason in `lang`."""
        return t(lang, self.key, **dict(self.values))


class ChangeRefused(ValueError):
    """A change that does not apply to the schedule as it stands."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.text("en"))
        self.refusal = refusal


@dataclass(frozen=True)
class Conflict:
    """A published change that no longer applies to the content (kept in the log, reported)."""

    version: int
    leg: str
    why: Refusal

    @property
    def message(self) -> str:
        """The reason in English, for the log."""
        return self.why.text("en")

    def text(self, lang: Lang) -> str:
        """'v3 leg-id: the reason' in `lang`."""
        return f"v{self.version} {self.leg}: {self.why.text(lang)}"

    def __str__(self) -> str:
        return self.text("en")
