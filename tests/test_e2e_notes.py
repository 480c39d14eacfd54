"""End to end: field notes of every kind through the real Application and the emulator."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import BotApp, build_application
from bot.clock import ManualClock
from bot.config import Settings
from bot.invites import issue_invite
from bot.storage import Role
from bot.trip.loader import load_trip
from emulator import BotApiEmulator, BotMessage, EmuUser
from emulator.ptb import running
from tests.e2e import ROOT, TRIP_DIRS

BA = timedelta(hours=-3)  # Buenos Aires, May 2015
T0 = datetime(2015, 5, 19, 10, 0, tzinfo=UTC) - BA  # 10:00 in Buenos Aires, the plenary
PHOTO = b"\xff\xd8\xff\xe0" + b"jpeg-bytes " * 200
TRIPS = {tid: load_trip(path) for tid, path in TRIP_DIRS.items()}


@asynccontextmanager
async def bot(
    emu: BotApiEmulator, data: Path, clock: ManualClock, **extra: Any
) -> AsyncIterator[BotApp]:
    """The real bot on `data`; started again on the same folder it finds its notes there."""
    settings = Settings(
        base_url=emu.base_url,
        base_file_url=emu.base_file_url,
        data_dir=data,
        content_dir=ROOT / "content",
        **extra,
    )
    app = build_application(settings, trips=TRIPS, clock=clock)
    async with running(app, poll_timeout=0.5):
        yield app


async def join(
    emu: BotApiEmulator,
    app: BotApp,
    member: str,
    role: Role = "delegate",
    trip: str = "metropolis-2015",
    lang: str = "zh-hant",
) -> EmuUser:
    """A user who joined with a fresh code."""
    data = app.bot_data
    code = await issue_invite(
        data.storage,
        TRIPS[trip],
        member,
        role,
        created_by="test",
        now=data.now(),
        ttl=timedelta(hours=1),
    )
    user = emu.user(member, language_code=lang)
    await emu.send_text(user, f"/start {code.code}")
    await emu.wait_for(user)
    return user


World = tuple[BotApiEmulator, BotApp, ManualClock]


@asynccontextmanager
async def world(tmp_path: Path, now: datetime = T0, **extra: Any) -> AsyncIterator[World]:
    """An emulator on the clock, and the bot."""
    clock = ManualClock(now)
    async with (
        BotApiEmulator(now=clock.now) as emu,
        bot(emu, tmp_path / "data", clock, **extra) as app,
    ):
        yield emu, app, clock


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def text(message: BotMessage) -> str:
    return message.text or ""


async def confirmation(emu: BotApiEmulator, user: EmuUser) -> BotMessage:
    """The next reply that is not a late-file notice (a download retried under load says so)."""
    message = await emu.wait_for(user)
    while text(message).startswith("📎"):
        message = await emu.wait_for(user)
    return message


async def test_plain_text_and_slash_note_are_saved_with_their_leg(tmp_path: Path) -> None:
    async with world(tmp_path) as (emu, app, _):
        yi = await join(emu, app, "yi-rongzong")
        await emu.send_text(yi, "布市強調包容與創新")
        saved = await emu.wait_for(yi)
        assert "已儲存筆記 #1" in text(saved) and "城市生活" in text(saved)
        assert {"↩️ 復原", "🏷 標籤", "📍 改行程"} <= {b.text for row in saved.buttons for b in row}
        await emu.send_text(yi, "/note 第二則")
        assert "#2" in text(await emu.wait_for(yi))
        await emu.send_text(yi, "/note")
        assert "用法" in text(await emu.wait_for(yi))
        notes = await app.bot_data.storage.notes_of_trip("metropolis-2015")
        assert [(n.text, n.leg_id, n.member_id) for n in notes] == [
            ("布市強調包容與創新", "plenary-live-the-city", "yi-rongzong"),
            ("第二則", "plenary-live-the-city", "yi-rongzong"),
        ]


async def test_photo_voice_location_document_and_album_notes(tmp_path: Path) -> None:
    async with world(tmp_path) as (emu, app, _):
        yi = await join(emu, app, "yi-rongzong")
        await emu.send_photo(yi, PHOTO, caption="簡報 #附件")
        assert "📷" in text(await confirmation(emu, yi))
        await emu.send_voice(yi, b"OggS voice", duration=7)
        assert "🎙" in text(await confirmation(emu, yi))
        await emu.send_location(yi, -34.6037, -58.3816)
        assert "📍" in text(await confirmation(emu, yi))
        await emu.send_document(
            yi,
            b"%PDF-1.4 handout",
            file_name="../../../evil.pdf",
            mime_type="application/pdf",
            caption="會議講義",
        )
        assert "📄" in text(await confirmation(emu, yi))
        for i in range(3):
            await emu.send_photo(
                yi,
                PHOTO + bytes([i]),
                media_group_id="album-1",
                caption="三張合照 #效益" if i == 1 else None,
            )
        album = await confirmation(emu, yi)
        assert "#5" in text(album) and "📷3" in text(album) and "#效益" in text(album)
        with_pause = [m for m in emu.drain(yi) if not text(m).startswith("📎")]
        assert with_pause == []  # the album is confirmed once, not once per photo
        notes = await app.bot_data.storage.notes_of_trip("metropolis-2015")
        kinds = [[a.kind for a in n.attachments] for n in notes]
        assert kinds == [["photo"], ["voice"], ["location"], ["document"], ["photo"] * 3]
        photo, voice, place, doc, group = notes
        assert photo.sections == {"annex"} and photo.attachments[0].caption == "簡報 #附件"
        assert voice.attachments[0].duration == 7 and voice.attachments[0].mime_type == "audio/ogg"
        assert (place.attachments[0].latitude, place.attachments[0].longitude) == (
            -34.6037,
            -58.3816,
        )
        assert group.text == "三張合照 #效益" and group.sections == {"outcome"}
        data = tmp_path / "data"
        for note in (photo, voice, doc, group):
            for a in note.attachments:
                assert a.status == "stored" and a.file_id and a.size and a.path
                stored = (data / a.path).resolve()
                assert stored.is_relative_to(data / "media")
                assert hashlib.sha256(stored.read_bytes()).hexdigest() == a.sha256
        assert doc.attachments[0].file_name == "evil.pdf" and doc.attachments[0].path.endswith(
            ".pdf"
        )
        assert not [p for p in _files(tmp_path) if "evil" in p.name]


async def test_leg_is_matched_at_a_boundary_and_can_be_fixed(tmp_path: Path) -> None:
    just_before = datetime(2015, 5, 19, 12, 29, 59, tzinfo=UTC) - BA
    async with world(tmp_path, just_before) as (emu, app, clock):
        cao = await join(emu, app, "cao-kaiwen")
        await emu.send_text(cao, "午休前")
        before = await emu.wait_for(cao)
        clock.advance(timedelta(seconds=1))  # 12:30: the call on the representative office
        await emu.send_text(cao, "拜會代表處")
        after = await emu.wait_for(cao)
        clock.set(datetime(2015, 5, 18, 2, 0, tzinfo=UTC))  # night after landing: no leg running
        await emu.send_text(cao, "抵達")
        landed = await emu.wait_for(cao)
        notes = await app.bot_data.storage.notes_of_trip("metropolis-2015")
        by_text = {n.text: n.leg_id for n in notes}
        assert by_text == {
            "午休前": "meeting-day-2",
            "拜會代表處": "call-representative-office",
            "抵達": "flight-fco-eze",
        }
        assert "拜會" in text(after) or "代表處" in text(after)
        assert "#3" in text(landed)
        # The first note was taken in the break: fix it to the plenary that just ended.
        await emu.press(cao, before, "📍 改行程")
        await emu.wait_until(lambda: len(emu.message(cao, before.message_id).buttons) > 2)
        legs = emu.message(cao, before.message_id)
        plenary = next(b.text for row in legs.buttons for b in row if "城市生活" in b.text)
        await emu.press(cao, legs, plenary)
        await emu.wait_until(lambda: "城市生活" in text(emu.message(cao, before.message_id)))
        note = await app.bot_data.storage.note(1)
        assert note is not None and note.leg_id == "plenary-live-the-city"


async def test_every_hashtag_a_contact_and_the_tag_button(tmp_path: Path) -> None:
    async with world(tmp_path) as (emu, app, _):
        yi = await join(emu, app, "yi-rongzong")
        await emu.send_text(yi, "#摘要 #心得 #建議 #效益 #附件 與黃大使及 Daniela Chacon 交換名片")
        saved = await emu.wait_for(yi)
        assert "#摘要 #心得 #建議 #效益 #附件" in text(saved) and "黃聯昇" in text(saved)
        note = await app.bot_data.storage.note(1)
        assert note is not None
        assert note.sections == {"summary", "reflection", "recommendation", "outcome", "annex"}
        assert set(note.contacts) == {"huang-lien-sheng", "daniela-chacon-arias"}
        await emu.send_text(yi, "沒有標籤")
        plain = await emu.wait_for(yi)
        await emu.press(yi, plain, "🏷 標籤")
        await emu.wait_until(lambda: len(emu.message(yi, plain.message_id).buttons) == 6)
        await emu.press(yi, plain, "#心得 心得")
        await emu.wait_until(lambda: "#心得" in text(emu.message(yi, plain.message_id)))
        second = await app.bot_data.storage.note(2)
        assert second is not None and second.sections == {"reflection"}


async def test_edit_keeps_history_and_delete_is_recoverable(tmp_path: Path) -> None:
    async with world(tmp_path) as (emu, app, _):
        yi = await join(emu, app, "yi-rongzong")
        cao = await join(emu, app, "cao-kaiwen")
        mid = await emu.send_text(yi, "初稿 #摘要")
        saved = await emu.wait_for(yi)
        await emu.edit_text(yi, mid, "定稿 #建議 Macri")
        assert "已更新" in text(await emu.wait_for(yi))
        store = app.bot_data.storage
        note = await store.note(1)
        assert note is not None and note.text == "定稿 #建議 Macri"
        assert note.sections == {"recommendation"} and note.contacts == ("mauricio-macri",)
        assert await store.note_history(1) == [("edit", "初稿 #摘要")]
        await emu.send_text(cao, "/delnote 1")
        assert "找不到" in text(await emu.wait_for(cao))  # not hers
        await emu.send_text(yi, "/delnote 1")
        assert "已刪除" in text(await emu.wait_for(yi))
        assert await store.notes_of_trip("metropolis-2015") == []
        await emu.send_text(yi, "/delnote 1 undo")
        assert "已復原" in text(await emu.wait_for(yi))
        assert len(await store.notes_of_trip("metropolis-2015")) == 1
        await emu.press(yi, saved, "↩️ 復原")
        await emu.wait_until(lambda: "已刪除" in text(emu.message(yi, saved.message_id)))
        assert await store.notes_of_trip("metropolis-2015") == []
        await emu.press(yi, saved, "♻️ 取回")
        await emu.wait_until(lambda: "已儲存" in text(emu.message(yi, saved.message_id)))
        await store.lock_notes("metropolis-2015", app.bot_data.now())
        await emu.send_text(yi, "/delnote 1")
        assert "無法刪除" in text(await emu.wait_for(yi))
        assert [c for c, _ in await store.note_history(1)] == [
            "edit",
            "delete",
            "restore",
            "delete",
            "restore",
        ]


async def test_notes_listing_and_export_respect_roles_and_trips(tmp_path: Path) -> None:
    async with world(tmp_path) as (emu, app, clock):
        yi = await join(emu, app, "yi-rongzong")
        cao = await join(emu, app, "cao-kaiwen")
        desk = await join(emu, app, "intl-desk", "coordinator")
        other = await join(emu, app, "econ-desk", "coordinator", trip="smart-city-2015")
        await emu.send_text(yi, "易的心得 #心得")
        await emu.wait_for(yi)
        await emu.send_photo(yi, PHOTO, caption="合照")
        await emu.wait_for(yi)
        clock.advance(timedelta(days=1))
        await emu.send_text(cao, "曹的建議 #建議")
        await emu.wait_for(cao)
        await emu.send_text(yi, "/notes")
        mine = text(await emu.wait_for(yi))
        assert "易的心得" in mine and "合照" in mine and "曹的建議" not in mine
        await emu.send_text(yi, "/notes #心得")
        tagged = text(await emu.wait_for(yi))
        assert "易的心得" in tagged and "合照" not in tagged
        await emu.send_text(yi, "/notes plenary-live-the-city")
        assert "易的心得" in text(await emu.wait_for(yi))
        await emu.send_text(cao, "/notes today")
        assert "曹的建議" in text(await emu.wait_for(cao))
        await emu.send_text(desk, "/notes")
        everyone = text(await emu.wait_for(desk))
        assert "易的心得" in everyone and "曹的建議" in everyone and "易榮宗" in everyone
        await emu.send_text(other, "/notes")
        assert "沒有" in text(await emu.wait_for(other))
        await emu.send_text(yi, "/notes nonsense")
        assert "用法" in text(await emu.wait_for(yi))
        await emu.send_text(yi, "/export")
        sent = await emu.wait_for(yi)
        assert sent.document is not None and sent.document.data is not None
        with zipfile.ZipFile(io.BytesIO(sent.document.data)) as zf:
            names = zf.namelist()
            md = zf.read("notes.md").decode()
            media = [n for n in names if n.startswith("media/")]
            assert media == ["media/2015-05-19_1000_plenary-live-the-city_n2-1.jpg"]
            assert zf.read(media[0]) == PHOTO
        assert "易的心得" in md and "曹的建議" not in md and f"]({media[0]})" in md


async def test_a_file_over_the_limit_is_refused_but_the_note_is_kept(tmp_path: Path) -> None:
    async with world(tmp_path, max_file_mb=0.001) as (emu, app, _):  # about 1 KB
        yi = await join(emu, app, "yi-rongzong")
        await emu.send_photo(yi, PHOTO * 3, caption="大合照")
        refusal, saved = await emu.wait_for(yi), await emu.wait_for(yi)
        assert "超過" in text(refusal) and "未儲存" in text(refusal)
        assert "#1" in text(saved) and "1 個未儲存" in text(saved)
        note = await app.bot_data.storage.note(1)
        assert note is not None and note.text == "大合照"
        assert note.attachments[0].status == "refused" and note.attachments[0].size == len(
            PHOTO * 3
        )
        assert emu.stats.calls["getFile"] == 0 and emu.stats.file_downloads == 0


async def test_a_failed_download_is_completed_after_a_restart(tmp_path: Path) -> None:
    clock = ManualClock(T0)
    async with BotApiEmulator(now=clock.now) as emu:
        async with bot(emu, tmp_path / "data", clock) as app:
            yi = await join(emu, app, "yi-rongzong")
            emu.fail_file_downloads(times=1000)
            await emu.send_photo(yi, PHOTO, caption="網路不穩")
            assert "下載中" in text(await emu.wait_for(yi))
            note = await app.bot_data.storage.note(1)
            assert note is not None and note.attachments[0].status == "pending"
        emu.clear_failures()
        async with bot(emu, tmp_path / "data", clock) as app:
            assert "#1" in text(await emu.wait_for(yi, timeout=10))  # the file is now stored
            note = await app.bot_data.storage.note(1)
            assert note is not None and note.attachments[0].status == "stored"
            assert (tmp_path / "data" / (note.attachments[0].path or "")).read_bytes() == PHOTO
            assert len(await app.bot_data.storage.notes_of_trip("metropolis-2015")) == 1


async def test_a_failed_download_is_retried_by_a_timed_job_at_its_backoff(tmp_path: Path) -> None:
    clock = ManualClock(T0)
    async with BotApiEmulator(now=clock.now) as emu, bot(emu, tmp_path / "data", clock) as app:
        yi = await join(emu, app, "yi-rongzong")
        emu.fail_file_downloads(times=1)
        await emu.send_photo(yi, PHOTO, caption="重試一次")
        assert "下載中" in text(await emu.wait_for(yi))
        timers = app.bot_data.timers
        # One job for this file, at the end of its backoff (1 s), and no poll beside it.
        await emu.wait_until(lambda: "download 1" in timers.due(), 5, "the retry's job")
        waits = timers.due()["download 1"] - T0  # by the real time, which runs on here
        assert timedelta(seconds=0.9) <= waits <= timedelta(seconds=1), waits
        assert app.job_queue is not None
        assert not any("retry downloads" in (job.name or "") for job in app.job_queue.jobs())
        assert "#1" in text(await emu.wait_for(yi, timeout=10))  # the file is now stored
        note = await app.bot_data.storage.note(1)
        assert note is not None and note.attachments[0].status == "stored"
        assert "download 1" not in timers.due()


async def test_a_redelivered_update_does_not_make_a_second_note(tmp_path: Path) -> None:
    async with world(tmp_path) as (emu, app, _):
        yi = await join(emu, app, "yi-rongzong")
        mid = await emu.send_photo(yi, PHOTO, caption="只存一次")
        first = await emu.wait_for(yi)
        downloads = emu.stats.file_downloads
        # Telegram hands the same message over again (as after a restart before the offset
        # was confirmed): a new update_id, the same chat and message_id.
        emu.state.queue.push({"message": emu.user_message(yi, mid)})
        again = await emu.wait_for(yi)
        assert "#1" in text(first) and "已儲存為筆記 #1" in text(again)
        assert emu.stats.file_downloads == downloads
        notes = await app.bot_data.storage.notes_of_trip("metropolis-2015")
        assert len(notes) == 1 and len(notes[0].attachments) == 1


async def test_a_stranger_is_refused_before_anything_is_stored_or_downloaded(
    tmp_path: Path,
) -> None:
    async with world(tmp_path) as (emu, app, _):
        stranger = emu.user("Nobody")
        await emu.send_photo(stranger, PHOTO, caption="#心得")
        assert "僅供受邀" in text(await emu.wait_for(stranger)) or "invited" in text(
            emu.last_message(stranger)
        )
        await emu.send_text(stranger, "hello")
        await emu.wait_for(stranger)
        assert emu.stats.calls["getFile"] == 0 and emu.stats.file_downloads == 0
        assert await app.bot_data.storage.notes_of_trip("metropolis-2015") == []
        assert not (tmp_path / "data" / "media").exists()
