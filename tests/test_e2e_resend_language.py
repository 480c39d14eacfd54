"""End to end: a re-sent notice or check-in reads in the member's language at send time, not
the one they had when it was first queued, and a button's answer reads in the language of the
message it is on (one exchange, one language). The re-send comes by its timer when the clock
passes its instant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from emulator import BotMessage
from tests.e2e import bot_harness

T0 = datetime(2015, 5, 19, 13, 0, tzinfo=UTC)  # 10:00 in Buenos Aires


def labels(message: BotMessage) -> list[str]:
    assert message.reply_markup is not None
    return [b["text"] for row in message.reply_markup["inline_keyboard"] for b in row]


async def test_a_check_in_is_asked_again_in_the_language_chosen_since(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0, tells_timers=True) as h:
        desk = await h.join("intl-desk", "coordinator")
        cao = await h.join("cao-kaiwen")
        assert "English" in ((await h.ask(cao, "/lang en")).text or "")
        await h.ask(desk, "/checkin")
        first = await h.emu.wait_for(cao)
        assert (first.text or "").startswith("🙋 Are you safe?"), first.text
        assert labels(first) == ["🟢 I'm safe", "🆘 I need help"]
        await h.ask(cao, "/lang zh")
        # Past the re-send interval (30 min): its timer asks again, now in Chinese.
        h.clock.advance(timedelta(minutes=31))
        again = await h.emu.wait_for(cao, timeout=8)
        assert (again.text or "").startswith("🙋 平安嗎？"), again.text
        assert labels(again) == ["🟢 平安", "🆘 需要協助"]
        # The English message's button is answered in English, the Chinese one's in Chinese.
        answer = await h.emu.wait_for_answer(await h.emu.press(cao, first, "🆘 I need help"))
        assert answer.text is not None and answer.text.isascii(), answer.text
        answer = await h.emu.wait_for_answer(await h.emu.press(cao, again, "🟢 平安"))
        assert answer.text is not None and not answer.text.isascii(), answer.text


async def test_a_change_notice_is_sent_again_in_the_new_language(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0, tells_timers=True) as h:
        desk = await h.join("intl-desk", "coordinator")
        yi = await h.join("yi-rongzong", language_code="en")
        preview = await h.ask(desk, "/announce 明早 8 點大廳集合")
        await h.emu.press(desk, preview, "📣 發布")
        first = await h.emu.wait_for(yi)
        assert labels(first) == ["✅ Got it"], first.text
        await h.ask(yi, "/lang zh")
        h.clock.advance(timedelta(minutes=31))
        again = await h.emu.wait_for(yi, timeout=8)
        assert labels(again) == ["✅ 收到"], again.text
        assert again.text != first.text
        answer = await h.emu.wait_for_answer(await h.emu.press(yi, first, "✅ Got it"))
        assert answer.text == "Acknowledged, thank you."
