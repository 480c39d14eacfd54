"""End to end in webhook mode: the emulator POSTs updates to the bot's own HTTP server."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp

from emulator.webhook import SECRET_HEADER
from tests.e2e import bot_harness

BA = timedelta(hours=-3)
T0 = datetime(2015, 5, 19, 10, 0, tzinfo=UTC) - BA  # 10:00 in Buenos Aires, the plenary


async def test_notes_commands_and_a_broadcast_work_as_in_polling(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0, mode="webhook") as h:
        info = h.emu.webhook.info()
        assert info["url"] == f"{h.http}/telegram" and h.emu.webhook.secret
        yi = await h.join("yi-rongzong")  # /start <code>, a command
        desk = await h.join("intl-desk", "coordinator")
        note = await h.ask(yi, "市長與布宜諾斯艾利斯市長會談")
        assert "已儲存筆記 #1" in (note.text or ""), note.text
        assert "全體大會" in ((await h.ask(yi, "/itinerary today")).text or "")
        preview = await h.ask(desk, "/announce 明早 8:00 大廳集合")  # previewed, then published
        await h.emu.press(desk, preview, "📣 發布")
        notice = await h.emu.wait_for(yi, timeout=10)
        assert "明早 8:00 大廳集合" in (notice.text or ""), notice.text
        assert h.emu.pending_updates == 0 and h.emu.stats.calls.get("getUpdates", 0) == 0
        attempts = h.emu.webhook.attempts
        assert attempts and all(a.status == 200 for a in attempts)
        notes = await h.app.bot_data.storage.notes_of_trip("metropolis-2015")
        assert [n.text for n in notes] == ["市長與布宜諾斯艾利斯市長會談"]


async def test_a_forged_or_missing_secret_is_refused_and_nothing_is_stored(
    tmp_path: Path,
) -> None:
    async with bot_harness(tmp_path, T0, mode="webhook") as h:
        yi = await h.join("yi-rongzong")
        update = {
            "update_id": 999_001,
            "message": {
                "message_id": 500,
                "date": int(T0.timestamp()),
                "text": "forged note",
                "chat": {"id": yi.id, "type": "private"},
                "from": {"id": yi.id, "is_bot": False, "first_name": "yi"},
            },
        }
        async with aiohttp.ClientSession() as http:
            for headers in ({SECRET_HEADER: "not-the-secret"}, {}):
                async with http.post(f"{h.http}/telegram", json=update, headers=headers) as res:
                    assert res.status == 403
            big = {**update, "pad": "x" * (300 * 1024)}
            headers = {SECRET_HEADER: h.emu.webhook.secret or ""}
            async with http.post(f"{h.http}/telegram", json=big, headers=headers) as res:
                assert res.status == 413
            async with http.post(f"{h.http}/telegram", data=b"{", headers=headers) as res:
                assert res.status == 400
        await asyncio.sleep(0.5)  # time for anything the bot might wrongly do
        storage = h.app.bot_data.storage
        assert await storage.notes_of_trip("metropolis-2015") == []
        assert await storage.take_unhandled_updates() == []  # not even journalled
        assert h.emu.messages(yi)[-1].text != "已儲存筆記 #1"
