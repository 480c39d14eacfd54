"""A full revision: an uploaded itinerary YAML, validated as `python -m bot check` does."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.changes.model import Change
from bot.i18n import MESSAGES, t
from bot.trip.loader import ContentError, Problem, build_trip, parse_yaml
from bot.trip.models import Trip
from bot.trip.types import Lang, Said

# What an itinerary file holds; the rest of the trip is not changed by an upload.
REVISABLE = ("legs", "sections")


PARSE_SECONDS = 5.0  # a file within the limits parses in well under a second


async def revision_off_loop(
    current: Trip, text: str, file_name: str, seconds: float = PARSE_SECONDS
) -> Change:
    """`revision_from_yaml` on a worker thread, so that the bot keeps answering everybody else
    meanwhile; TimeoutError after `seconds` (the limits bound the work left on the thread)."""
    return await asyncio.wait_for(
        asyncio.to_thread(revision_from_yaml, current, text, file_name), seconds
    )


def problem_text(problem: Problem, lang: Lang) -> str:
    """'file:line: field: message' with the message in the reader's language (in English,
    exactly as `python -m bot check` prints it)."""
    said = problem.message
    if lang == "en":
        message = said
    elif isinstance(said, Said) and said.key in MESSAGES:
        message = t(lang, said.key, **said.values)
    else:  # a message the catalogue does not know (from pydantic): say only that it is wrong
        message = t(lang, "content_other")
    return f"{problem.file}:{problem.line}: {problem.field}: {message}"


def revision_from_yaml(current: Trip, text: str, file_name: str) -> Change:
    """The change that turns `current` into the uploaded itinerary; ContentError (with lines)
    if it does not validate, and nothing changes."""
    doc, marks = parse_yaml(text, file_name)
    if not isinstance(doc, dict) or "legs" not in doc:
        raise ContentError(
            [
                Problem(
                    file_name,
                    1,
                    "(file)",
                    Said("content_needs_legs", "an itinerary file needs a 'legs:' list"),
                )
            ]
        )
    extra = [k for k in doc if k not in REVISABLE]
    if extra:
        raise ContentError(
            [
                Problem(
                    file_name,
                    marks.get((k,), (file_name, 1))[1],
                    k,
                    Said("content_only_legs", "only legs: and sections: can be revised by upload"),
                )
                for k in extra
            ]
        )
    data: dict[str, Any] = current.model_dump(mode="json", by_alias=True)
    data.update(doc)
    # Problems in the uploaded part point at its lines; the rest is the trip as it stands.
    revised = build_trip(data, marks, file_name)
    return revision_between(current, revised)


def revision_between(current: Trip, revised: Trip) -> Change:
    """The revision record: legs added, removed or edited, and the sections if edited."""
    before = {leg.id: leg.model_dump(mode="json", by_alias=True) for leg in current.legs}
    after = {leg.id: leg.model_dump(mode="json", by_alias=True) for leg in revised.legs}
    legs: dict[str, dict[str, Any] | None] = {i: None for i in before if i not in after}
    legs |= {i: d for i, d in after.items() if before.get(i) != d}
    sections = [s.model_dump(mode="json") for s in revised.sections]
    old_sections = [s.model_dump(mode="json") for s in current.sections]
    return Change(
        "revision",
        legs=legs,
        added=tuple(i for i in after if i not in before),
        sections=sections if sections != old_sections else None,
    )


def is_empty(change: Change) -> bool:
    """A revision identical to the schedule as it stands."""
    return change.kind == "revision" and not change.legs and change.sections is None
