"""Notes without Telegram: hashtags, contacts, time, safe media paths, idempotent storage."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.notes.media import MediaStore, safe_name
from bot.notes.model import Attachment, NoteDraft
from bot.notes.parse import contacts_in, leg_for, sections_in, taken_at
from bot.storage import Storage
from bot.trip.models import Trip

NOW = datetime(2015, 5, 19, 13, 0, tzinfo=UTC)


def test_hashtags_in_chinese_and_english_set_sections() -> None:
    assert sections_in("#摘要 ＃心得 #recommendation #效益 #附件 #其他") == {
        "summary",
        "reflection",
        "recommendation",
        "outcome",
        "annex",
    }
    assert sections_in("no tags # here") == frozenset()


def test_contacts_by_name_alias_and_without_accents(metropolis: Trip) -> None:
    assert contacts_in(metropolis, "見到黃大使") == ("huang-lien-sheng",)
    assert "daniela-chacon-arias" in contacts_in(metropolis, "daniela chacon said")
    assert "franklyn-parks-tau" not in contacts_in(metropolis, "a tautology")


def test_rehearsal_time_and_the_leg_between_legs(metropolis: Trip) -> None:
    assert taken_at(NOW - timedelta(minutes=5), NOW) == NOW - timedelta(minutes=5)
    assert taken_at(datetime(2026, 1, 1, tzinfo=UTC), NOW) == NOW
    leg = leg_for(metropolis, datetime(2015, 5, 18, 2, 0, tzinfo=UTC))
    assert leg is not None and leg.id == "flight-fco-eze"


def test_a_user_file_name_never_becomes_a_path(tmp_path: Path) -> None:
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("..\\\\..\\\\x.pdf") == "x.pdf" and safe_name("..") == "file"
    store = MediaStore(tmp_path)
    stored = store.put(b"data", "application/pdf")
    assert stored.path.startswith("media/") and store.read(stored.path) == b"data"
    with pytest.raises(ValueError):
        store.path_of("media/../../x")


def test_streamed_media_is_hashed_whole_stored_once_and_never_left_half(tmp_path: Path) -> None:
    store = MediaStore(tmp_path)
    first = store.put_stream([b"slide ", b"of the ", b"plenary"], "image/jpeg")
    again = store.put(b"slide of the plenary", "image/jpeg")
    assert first == again and first.size == 20 and first.path.endswith(".jpg")
    assert store.read(first.path) == b"slide of the plenary"

    def broken() -> Iterator[bytes]:
        yield b"half a photo"
        raise ConnectionResetError("the network went away")

    with pytest.raises(ConnectionResetError):
        store.put_stream(broken(), "image/jpeg")
    with pytest.raises(OSError, match="ended at 12 of 1048576 bytes"):
        store.put_stream([b"half a photo"], "image/jpeg", expected=1 << 20)  # cut short
    left = sorted(p.name for p in (tmp_path / "media").rglob("*") if p.is_file())
    assert left == [Path(first.path).name]  # one file; no part of the broken ones
    (tmp_path / "media" / ".part-killed").write_bytes(b"a run killed mid-download")
    assert store.remove_partials() == 1
    assert not list((tmp_path / "media").glob(".part-*"))


def _draft(message_id: int, album: str | None = None, text: str = "") -> NoteDraft:
    photo = Attachment("photo", "pending", f"f{message_id}")
    return NoteDraft(
        "metropolis-2015",
        "yi-rongzong",
        1,
        1,
        message_id,
        album,
        None,
        NOW,
        text,
        frozenset(),
        (),
        (photo,),
    )


async def test_storage_is_idempotent_per_message_and_groups_albums(storage: Storage) -> None:
    first, outcome = await storage.add_note(_draft(1), NOW)
    again, replay = await storage.add_note(_draft(1), NOW)
    assert (outcome, replay, again.id, len(again.attachments)) == ("new", "replay", first.id, 1)
    await storage.add_note(_draft(2, "g"), NOW)
    album, added = await storage.add_note(_draft(3, "g", "caption #心得"), NOW)
    assert added == "added" and album.text == "caption #心得" and len(album.attachments) == 2
    assert [n.id for n in await storage.notes_of_trip("metropolis-2015")] == [first.id, album.id]
    assert len(await storage.pending_files()) == 3
