"""End to end: the content's automatic check-in after the long-haul arrival in Buenos Aires is
timed on the bot's clock and asked through the notice outbox like a coordinator's /checkin,
once: timing it again (a restart, a jump of the clock) asks nobody twice."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from bot.fieldkit.wiring import schedule_checkins
from tests.e2e import bot_harness
from tests.test_e2e_checkins import labels

# Three seconds before the check-in two hours after FCO→EZE lands (23:30 UTC on 5/17).
T0 = datetime(2015, 5, 18, 1, 29, 57, tzinfo=UTC)


async def test_the_check_in_after_the_long_haul_arrival_is_asked_once(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        assert "checkin: metropolis-2015: 0:flight-fco-eze" in h.app.bot_data.timers.due()
        desk = await h.join("intl-desk", "coordinator")
        yi, cao = await h.join("yi-rongzong"), await h.join("cao-kaiwen", language_code="en")
        to_yi = await h.emu.wait_for(yi, timeout=10)
        to_cao = await h.emu.wait_for(cao, timeout=10)
        assert (to_yi.text or "").splitlines() == [
            "🙋 平安嗎？",
            "長程航班已抵達，請回報平安",
            "— 抵達後自動詢問",
        ]
        assert (to_cao.text or "").startswith("🙋 Are you safe?\nYour long-haul flight has landed")
        assert labels(to_yi) == ["🟢 平安", "🆘 需要協助"]
        await h.emu.press(yi, to_yi, "🟢 平安")
        await h.emu.wait_until(lambda: to_yi.reply_markup is None, 5, "yi's buttons removed")
        report = (await h.ask(desk, "/checkins")).text or ""
        assert "長程航班已抵達" in report
        assert any(line.startswith("🟢 易榮宗") for line in report.splitlines()), report
        assert any(line.startswith("⏳ 曹凱雯") for line in report.splitlines()), report
        # Timed again (as after a restart or a jump back of the clock): nobody is asked twice.
        assert schedule_checkins(h.app.bot_data, {}) >= 1
        await asyncio.sleep(4)
        assert sum("平安嗎" in (m.text or "") for m in h.emu.messages(yi)) == 1
        assert not any("平安嗎" in (m.text or "") for m in h.emu.messages(desk))
