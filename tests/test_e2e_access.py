"""End to end: onboarding with valid, reused and expired codes; roles; strangers learn nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.e2e import bot_harness

T0 = datetime(2015, 5, 19, 13, 0, tzinfo=UTC)  # 10:00 in Buenos Aires, conference day 2
TRIP_WORDS = ("METROPOLIS", "大都會", "布宜諾斯", "Buenos", "易榮宗", "Huchon", "花博", "行程")


def _reveals_trip(text: str | None) -> bool:
    return any(word in (text or "") for word in TRIP_WORDS)


async def test_valid_code_greets_by_name_and_role_and_sets_the_role_menu(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        user = h.user("Yi")
        reply = await h.ask(user, f"/start {await h.invite('metropolis-2015', 'yi-rongzong')}")
        assert "易榮宗" in (reply.text or "") and "團員" in (reply.text or "")
        assert "/itinerary" in (reply.text or "") and "/invite" not in (reply.text or "")
        menu = [name for name, _ in h.emu.visible_commands(user)]
        assert "itinerary" in menu and "invite" not in menu
        coordinator = await h.join("intl-desk", "coordinator")
        menu = [name for name, _ in h.emu.visible_commands(coordinator)]
        assert {"invite", "members", "revoke", "itinerary"} <= set(menu)


async def test_english_client_starts_in_english(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        user = h.user("Tsao", "en-GB")
        reply = await h.ask(user, f"/start {await h.invite('metropolis-2015', 'cao-kaiwen')}")
        assert "Welcome" in (reply.text or "") and "delegate" in (reply.text or "")


async def test_a_code_works_once(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        code = await h.invite("metropolis-2015", "cao-kaiwen")
        first, second = h.user("A"), h.user("B")
        assert "歡迎" in ((await h.ask(first, f"/start {code}")).text or "")
        refused = await h.ask(second, f"/start {code}")
        assert "已使用" in (refused.text or "") and not _reveals_trip(refused.text)
        after = await h.ask(second, "/itinerary")
        assert "受邀" in (after.text or "") and not _reveals_trip(after.text)


async def test_expired_and_unknown_codes_are_refused(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        code = await h.invite("metropolis-2015", "cao-kaiwen")
        h.clock.advance(timedelta(hours=73))
        user = h.user("Late")
        assert "過期" in ((await h.ask(user, f"/start {code}")).text or "")
        assert "無效" in ((await h.ask(user, "/start not-a-real-code")).text or "")
        assert await h.app.bot_data.storage.membership(user.id) is None


async def test_a_stranger_learns_nothing_whatever_they_send(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        stranger = h.user("Eve", "en")
        actions = [
            h.emu.send_text(stranger, "/itinerary all"),
            h.emu.send_text(stranger, "/contacts Huchon"),
            h.emu.send_text(stranger, "/start"),
            h.emu.send_text(stranger, "hello, where is the delegation?"),
            h.emu.send_photo(stranger, b"\x89PNG\r\n\x1a\n" + b"0" * 64, caption="#附件"),
            h.emu.send_document(
                stranger, b"%PDF-1.4", file_name="x.pdf", mime_type="application/pdf"
            ),
            h.emu.send_voice(stranger, b"OggS" + b"0" * 64, duration=3),
            h.emu.send_location(stranger, -34.6, -58.4),
        ]
        for action in actions:
            await action
            reply = await h.emu.wait_for(stranger)
            assert "invited" in (reply.text or "") and not _reveals_trip(reply.text)
            assert reply.document is None and not reply.button_texts()
        assert h.emu.stats.calls.get("getFile", 0) == 0
        assert await h.app.bot_data.storage.membership(stranger.id) is None


async def test_a_delegate_cannot_use_coordinator_commands(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        delegate = await h.join("cao-kaiwen")
        for command in ("/invite cao-kaiwen coordinator", "/members", "/revoke yi-rongzong"):
            reply = await h.ask(delegate, command)
            assert "僅限承辦人" in (reply.text or ""), command
            assert "/start" not in (reply.text or "")


async def test_coordinator_invites_lists_and_revokes(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        boss = await h.join("intl-desk", "coordinator")
        made = await h.ask(boss, "/invite yi-rongzong")
        text = made.text or ""
        assert "https://t.me/delegation_test_bot?start=" in text
        code = text.split("?start=")[1].split()[0]
        # The code itself, what to send, and the expiry where the delegation is, Taipei beside.
        lines = text.splitlines()
        assert lines[0].endswith("的邀請碼，單次有效。請對方傳給機器人：")
        assert lines[1] == f"/start {code}", lines
        assert "布宜諾斯艾利斯 UTC−3｜臺北" in lines[3] and "台北" not in text, text
        yi = h.user("Yi")
        assert "易榮宗" in ((await h.ask(yi, f"/start {code}")).text or "")
        listing = (await h.ask(boss, "/members")).text or ""
        assert "yi-rongzong" in listing and "intl-desk" in listing and "團員" in listing
        assert "English" in ((await h.ask(boss, "/lang en")).text or "")
        bad = (await h.ask(boss, "/invite nobody")).text or ""
        assert "nobody" in bad and "yi-rongzong" in bad
        done = (await h.ask(boss, "/revoke yi-rongzong")).text or ""
        assert "withdrawn from 1 account" in done
        gone = await h.ask(yi, "/itinerary")
        assert "invited" in (gone.text or "") or "受邀" in (gone.text or "")
        assert not _reveals_trip(gone.text)
        assert h.emu.visible_commands(yi) == h.emu.visible_commands(h.user("New"))


async def test_a_revoked_member_pressing_an_old_button_changes_nothing(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        boss = await h.join("intl-desk", "coordinator")
        cao = await h.join("cao-kaiwen")
        saved = await h.ask(cao, "布宜諾斯艾利斯市政府的自行車網絡很完整")
        undo = next(label for label in saved.button_texts() if "↩" in label)
        await h.ask(boss, "/revoke cao-kaiwen")
        answer = await h.emu.wait_for_answer(await h.emu.press(cao, saved, undo))
        assert "受邀" in (answer.text or "") and not _reveals_trip(answer.text)
        notes = await h.app.bot_data.storage.notes_of_trip("metropolis-2015")
        assert [n.text for n in notes] == ["布宜諾斯艾利斯市政府的自行車網絡很完整"]
