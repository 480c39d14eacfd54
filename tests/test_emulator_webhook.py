"""The emulator's webhook delivery: the secret header, retries until a 2xx, getWebhookInfo."""

from __future__ import annotations

import asyncio

import aiohttp
from aiohttp import web

from emulator import BotApiEmulator
from emulator.webhook import SECRET_HEADER


async def test_updates_are_posted_with_the_secret_and_retried_until_accepted() -> None:
    seen: list[tuple[int, str | None]] = []
    answers = [500, 403, 200]

    async def receive(request: web.Request) -> web.Response:
        body = await request.json()
        seen.append((body["update_id"], request.headers.get(SECRET_HEADER)))
        return web.Response(status=answers.pop(0) if answers else 200)

    site_app = web.Application()
    site_app.router.add_post("/hook", receive)
    runner = web.AppRunner(site_app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    try:
        async with BotApiEmulator() as emu, aiohttp.ClientSession() as http:
            api = f"{emu.base_url}123:abc"
            body = {"url": url, "secret_token": "s3cret-Token_1"}
            async with http.post(f"{api}/setWebhook", json=body) as res:
                assert res.status == 200
            user = emu.user("Ana")
            await emu.send_text(user, "hello")
            await emu.wait_until(lambda: emu.pending_updates == 0, 5, "delivery")
            assert [s for _, s in seen] == ["s3cret-Token_1"] * 3  # two failures, then accepted
            assert [a.status for a in emu.webhook.attempts] == [500, 403, 200]
            async with http.post(f"{api}/getWebhookInfo") as res:
                info = (await res.json())["result"]
            assert info["url"] == url and info["pending_update_count"] == 0
            assert "403" in info["last_error_message"]
            async with http.post(f"{api}/getUpdates") as res:
                assert res.status == 409  # as on Telegram while a webhook is set
            async with http.post(f"{api}/deleteWebhook") as res:
                assert res.status == 200
            await emu.send_text(user, "after")
            await asyncio.sleep(0.3)
            assert len(seen) == 3 and emu.pending_updates == 1  # waits for getUpdates now
            async with http.post(f"{api}/getUpdates") as res:
                assert [u["message"]["text"] for u in (await res.json())["result"]] == ["after"]
    finally:
        await runner.cleanup()


async def test_an_unreachable_webhook_keeps_the_update_and_reports_the_error() -> None:
    async with BotApiEmulator() as emu, aiohttp.ClientSession() as http:
        api = f"{emu.base_url}123:abc"
        async with http.post(f"{api}/setWebhook", json={"url": "http://127.0.0.1:9/x"}) as res:
            assert res.status == 200
        await emu.send_text(emu.user("Ana"), "hello")
        await emu.wait_until(lambda: len(emu.webhook.attempts) >= 2, 5, "two attempts")
        info = emu.webhook.info()
        assert (
            info["pending_update_count"] == 1 and "Connection failed" in info["last_error_message"]
        )
