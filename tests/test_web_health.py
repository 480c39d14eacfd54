"""/healthz and /metrics on the bot's HTTP server, by webhook and beside polling."""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e import Harness, bot_harness

T0 = datetime(2015, 5, 19, 13, 0, tzinfo=UTC)  # 10:00 in Buenos Aires


async def _health(h: Harness) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as http, http.get(f"{h.http}/healthz") as res:
        return res.status, await res.json()


async def _until_health(h: Harness, status: int, within: float = 15.0) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + within
    while True:
        got, body = await _health(h)
        if got == status:
            return body
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"/healthz stayed {got}: {body}")
        await asyncio.sleep(0.2)


async def _metrics(h: Harness) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    async with aiohttp.ClientSession() as http, http.get(f"{h.http}/metrics") as res:
        assert res.status == 200 and res.content_type == "text/plain"
        text = await res.text()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def test_health_turns_503_while_the_bot_api_is_down_and_200_after(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0, mode="webhook") as h:
        body = await _until_health(h, 200)
        assert body == {
            "status": "ok",
            "failed": [],
            "checks": {
                "database": "ok",
                "scheduler": "ok",
                "bot_api": "ok",
                "outbox": "ok",
                "webhook": "ok",  # by webhook only
            },
            "sender": True,  # one worker on SQLite: always the sender
            "worker": {"id": None, "pid": os.getpid()},  # one process: no worker number
        }
        h.emu.fail_next("*", status=502, times=10**6)  # the Bot API is down
        body = await _until_health(h, 503)
        assert body["failed"] == ["bot_api"] and body["checks"]["bot_api"].startswith("not reached")
        h.emu.clear_failures()
        await _until_health(h, 200)


async def test_metrics_parse_and_move_with_the_traffic(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0, mode="polling+http") as h:
        await _until_health(h, 200)  # also served beside polling
        before = await _metrics(h)
        yi = await h.join("yi-rongzong")
        await h.ask(yi, "/itinerary today")
        h.emu.fail_next("sendMessage", status=429, retry_after=1)
        assert "已儲存筆記 #1" in ((await h.ask(yi, "市長會談紀要", wait=10)).text or "")
        await asyncio.sleep(0.2)
        after = await _metrics(h)

    def moved(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert moved("bot_updates_total", kind="command", outcome="ok") == 2  # /start, /itinerary
    assert moved("bot_updates_total", kind="message", outcome="ok") == 1  # the note
    assert moved("bot_reply_latency_seconds_count") == 3
    assert moved("bot_api_calls_total", method="sendMessage", status="200") >= 3
    assert moved("bot_api_calls_total", method="sendMessage", status="429") == 1
    assert moved("bot_api_rate_limited_total") == 1
    assert moved("bot_notes_stored") == 1
    assert after[("bot_downloads_pending", ())] == 0
    assert after[("bot_outbox_sender", ())] == 1  # the one worker on SQLite sends
    for outbox in ("notices", "reminders", "digests"):
        assert ("bot_outbox_depth", (("outbox", outbox),)) in after
    assert ("bot_reminder_sends", (("state", "unconfirmed"),)) in after
    assert not any("yi" in name or "metropolis" in str(labels) for name, labels in after)


async def test_health_fails_webhook_when_another_secret_leaves_this_bot_deaf(
    tmp_path: Path,
) -> None:
    async with bot_harness(tmp_path, T0, mode="webhook") as h:
        yi = await h.join("yi-rongzong")
        body = await _until_health(h, 200)
        assert body["checks"]["webhook"] == "ok"
        # What a second bot on the same token does: the same URL, its own secret.
        async with aiohttp.ClientSession() as http:
            hook = {"url": f"{h.http}/telegram", "secret_token": "a-second-bots-secret"}
            async with http.post(f"{h.emu.base_url}123:abc/setWebhook", json=hook) as res:
                assert res.status == 200
        await h.emu.send_text(yi, "/itinerary today")  # Telegram's delivery now gets 403
        body = await _until_health(h, 503)
        assert body["failed"] == ["webhook"], body
        assert "403" in body["checks"]["webhook"], body
        assert h.emu.pending_updates == 1
