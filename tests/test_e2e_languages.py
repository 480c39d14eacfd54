"""End to end: every command's reply, for both trips, in both languages, is in one language,
and shows none of the content's editorial fields (`source`, `note`).

A zh reply may hold no English phrase and an en reply no Chinese, once the proper nouns of the
content are set aside: names and titles in the reader's language (or the only form the content
gives), and a person's name in the other script beside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import BaseModel

from bot.trip.checks import SECTION_REF
from bot.trip.models import Trip
from bot.trip.types import Lang, Text
from emulator import BotMessage
from tests.e2e import bot_harness
from tests.test_i18n import cjk, zh_problems

# trip: (an instant during the trip, the coordinator of each language, a leg, a contact)
TRIPS = {
    "metropolis-2015": (
        datetime(2015, 5, 19, 13, 0, tzinfo=UTC),
        {"zh": "yi-rongzong", "en": "cao-kaiwen"},
        "plenary-live-the-city",
        "huang-lien-sheng",
    ),
    "smart-city-2015": (
        datetime(2015, 10, 25, 0, 30, tzinfo=UTC),  # 01:30 CET in Frankfurt, after the change
        {"zh": "lin-ceshi", "en": "econ-desk"},
        "meeting-forum-partners",
        "erika-beispiel",
    ),
    "brussels-2024": (
        datetime(2024, 10, 27, 7, 0, tzinfo=UTC),  # 09:00 in Sofia, off the night train
        {"zh": "lin-mei", "en": "home-desk"},
        "congress-opening",
        "marie-dubois",
    ),
}


def commands(leg: str, contact: str) -> list[str]:
    """Every command a coordinator has, with good and bad arguments."""
    return [
        "/help",
        "/lang",
        "/lang xx",
        "/itinerary",
        "/itinerary all",
        "/itinerary tomorrow",
        "/itinerary 5/18（一）",
        "/itinerary 9/99",
        "/itinerary someday",
        "/now",
        "/next",
        "/brief",
        "/contacts",
        f"/contacts {contact}",
        "/contacts nobodyatall",
        "/talkingpoints",
        f"/talkingpoints {contact}",
        "/talkingpoints nothingatall",
        "/calendar",
        "/reminders",
        "/members",
        "/invite",
        "/revoke",
        "/revoke nobody",
        "/changes",
        "/acks",
        "/notes",
        f"/delay {leg} 3x",
        f"/delay {leg} 45m",
        f"/move {leg} 25:00",
        f"/move {leg} 9/99 10:00",
        f"/move {leg} 11:00",
        f"/cancel {leg}",
        f"/restore {leg}",
        "/delay",
        "/announce",
        "/nosuchcommand",
    ]


def texts(trip: Trip) -> Iterator[tuple[Text, str]]:
    """Every text of the content, with the name of its field."""

    def walk(value: object, name: str) -> Iterator[tuple[Text, str]]:
        if isinstance(value, Text):
            yield value, name
        elif isinstance(value, BaseModel):
            for field in type(value).model_fields:
                yield from walk(getattr(value, field), field)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item, name)

    yield from walk(trip, "")


def content_words(trip: Trip, lang: Lang) -> list[str]:
    """What the content may put in a reply in `lang`: its texts as shown, and names beside."""
    words = [text.get(lang) for text, _ in texts(trip)]
    words += [
        text.zh if lang == "en" else text.en or ""
        for text, name in texts(trip)
        if name in ("name", "city")
    ]
    words += [alias for c in trip.contacts for alias in c.aliases]
    words += [x.id for x in (*trip.members, *trip.contacts, *trip.legs, *trip.talking_points)]
    return sorted({w for w in words if w}, key=len, reverse=True)


def shown(message: BotMessage) -> list[str]:
    """The text, caption and button labels of a message."""
    out = [message.text or "", message.caption or ""]
    for row in (message.reply_markup or {}).get("inline_keyboard", []):
        out += [button["text"] for button in row]
    return [x for x in out if x]


def without(text: str, words: list[str]) -> str:
    for word in words:
        text = text.replace(word, " ")
    return text


@pytest.mark.parametrize("trip_id", TRIPS)
async def test_every_reply_is_in_one_language(tmp_path: Path, trip_id: str) -> None:
    now, members, leg, contact = TRIPS[trip_id]
    async with bot_harness(tmp_path, now, (trip_id,)) as h:
        trip = h.trips[trip_id]
        for lang in ("zh", "en"):
            user = await h.join(
                members[lang],
                "coordinator",
                trip_id=trip_id,
                language_code="zh-hant" if lang == "zh" else "en",
            )
            words = content_words(trip, lang)
            items = (*trip.legs, *trip.contacts, *trip.talking_points)
            # Long enough not to be a word the display text also uses (a source may be "虛構").
            editorial = [x for item in items for x in (item.source, item.note) if x and len(x) > 3]
            for command in commands(leg, contact):
                for message in await h.ask_all(user, command, quiet=0.15):
                    for part in shown(message):
                        typed = command.split(" ", 1)[1:]  # an argument echoed back is the user's
                        rest = without(part, [*typed, *words])
                        where = f"{trip_id} {lang} {command!r}: {part!r}"
                        assert not [x for x in editorial if x in part], f"editorial in {where}"
                        assert not SECTION_REF.search(part), f"source reference in {where}"
                        if lang == "zh":
                            assert not zh_problems(rest), f"English {zh_problems(rest)} in {where}"
                        else:
                            assert not cjk(rest), f"Chinese {cjk(rest)} in {where}"
