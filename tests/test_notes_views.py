"""How notes read in /notes: a place, a voice message and a document are shown, not blank."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.notes.model import Attachment, Note
from bot.notes.views import confirmation, leg_label, list_line
from bot.trip.models import Trip
from bot.trip.types import Lang


def note(*attachments: Attachment, text: str = "") -> Note:
    return Note(
        id=3,
        trip_id="metropolis-2015",
        member_id="yi-rongzong",
        user_id=1,
        leg_id="plenary-live-the-city",
        taken_at=datetime(2015, 5, 19, 13, 0, tzinfo=UTC),
        text=text,
        sections=frozenset(),
        contacts=(),
        attachments=attachments,
    )


def test_a_location_shows_its_coordinates_and_a_map_link(metropolis: Trip) -> None:
    place = Attachment("location", "stored", latitude=-34.6037, longitude=-58.3816)
    zh = list_line(metropolis, note(place), "zh", with_author=False)
    assert "📍 -34.60370, -58.38160" in zh and "openstreetmap.org/?mlat=-34.60370" in zh
    assert ">地圖</a>" in zh and "\n\n" not in zh
    en = list_line(metropolis, note(place), "en", with_author=False)
    assert ">map</a>" in en and "Plenary" in en


def test_a_venue_shows_its_name(metropolis: Trip) -> None:
    venue = Attachment(
        "location", "stored", latitude=-34.6, longitude=-58.38, caption="Teatro Colón"
    )
    assert "📍 Teatro Colón -34.60000, -58.38000" in list_line(
        metropolis, note(venue), "en", with_author=False
    )


def test_a_voice_note_shows_its_length_and_a_document_its_name(metropolis: Trip) -> None:
    voice = Attachment("voice", "stored", duration=75)
    doc = Attachment("document", "stored", file_name="agenda.pdf")
    text = list_line(metropolis, note(voice, doc, text="講義"), "zh", with_author=False)
    lines = text.split("\n")
    assert lines[1:] == ["講義", "🎙 1:15", "📄 agenda.pdf"]


@pytest.mark.parametrize(
    ("lang", "listed", "leg"),
    [
        (
            "zh",
            "<b>#3</b> 05-19 10:00 布宜諾斯艾利斯 UTC−3 · ",
            "（05-19 09:30 布宜諾斯艾利斯 UTC−3）",
        ),
        ("en", "<b>#3</b> 05-19 10:00 Buenos Aires UTC−3 · ", " (05-19 09:30 Buenos Aires UTC−3)"),
    ],
)
def test_note_times_say_their_zone(metropolis: Trip, lang: Lang, listed: str, leg: str) -> None:
    assert list_line(metropolis, note(), lang, with_author=False).startswith(listed)
    assert leg_label(metropolis, "plenary-live-the-city", lang).endswith(leg)
    reply = confirmation(metropolis, note(), lang)
    assert leg in reply.splitlines()[1]
