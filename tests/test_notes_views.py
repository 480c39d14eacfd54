"""How notes read in /notes: a place, a voice message and a document are shown, not blank."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.notes.model import Attachment, Note
from bot.notes.views import list_line
from bot.trip.models import Trip


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
