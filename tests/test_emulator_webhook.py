"""The emulator's webhook delivery: the secret header, retries until a 2xx, getWebhookInfo."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from typing import Any

import aiohttp
from aiohttp import web

from emulator import BotApiEmulator
from emulator.webhook import SECRET_HEADER
from tests.e2e import free_port


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


async def _serve(handler: Any, port: int = 0) -> web.AppRunner:
    site_app = web.Application()
    site_app.router.add_post("/hook", handler)
    runner = web.AppRunner(site_app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port, reuse_address=True).start()
    return runner


async def _set_webhook(emu: BotApiEmulator, url: str, connections: int = 40) -> None:
    async with aiohttp.ClientSession() as http:
        body = {"url": url, "max_connections": connections}
        async with http.post(f"{emu.base_url}123:abc/setWebhook", json=body) as res:
            assert res.status == 200


async def test_several_posts_are_in_flight_up_to_max_connections() -> None:
    now_in, most, got = 0, 0, Counter[int]()

    async def slow(request: web.Request) -> web.Response:
        nonlocal now_in, most
        now_in += 1
        most = max(most, now_in)
        await asyncio.sleep(0.2)  # as a worker busy with a note
        got[(await request.json())["update_id"]] += 1
        now_in -= 1
        return web.Response()

    runner = await _serve(slow)
    try:
        async with BotApiEmulator() as emu:
            await _set_webhook(emu, f"http://127.0.0.1:{runner.addresses[0][1]}/hook", 5)
            user = emu.user("Ana")
            for i in range(20):
                await emu.send_text(user, f"n{i}")
            await emu.wait_until(lambda: emu.pending_updates == 0, 10, "delivery")
            assert most == 5  # in parallel, never above max_connections
            assert len(got) == 20 and set(got.values()) == {1}
    finally:
        await runner.cleanup()


async def test_refused_then_reset_connections_are_retried_with_backoff_until_delivered() -> None:
    port, got, resets = free_port(), Counter[int](), [3]

    async def flaky(request: web.Request) -> web.Response:
        update_id = (await request.json())["update_id"]
        if resets[0] > 0 and request.transport is not None:
            resets[0] -= 1
            request.transport.abort()  # the worker died with the request in its hands
            await asyncio.sleep(1)
        got[update_id] += 1
        return web.Response()

    async with BotApiEmulator() as emu:
        emu.webhook.retry_first, emu.webhook.retry_max = 0.05, 0.4
        await _set_webhook(emu, f"http://127.0.0.1:{port}/hook")
        user = emu.user("Ana")
        for i in range(3):
            await emu.send_text(user, f"n{i}")
        # Nothing listens yet: each update is refused, again and again, and waits longer each time.
        refused = lambda: [a for a in emu.webhook.attempts if a.status is None]  # noqa: E731
        await emu.wait_until(lambda: len(refused()) >= 15, 10, "refused attempts")
        first = [a.at for a in refused() if a.update_id == 1]
        gaps = [b - a for a, b in itertools.pairwise(first)]
        assert gaps[0] >= 0.05 * 0.9 and gaps[2] >= 0.2 * 0.9, gaps  # 0.05, 0.1, 0.2, 0.4 …
        assert emu.pending_updates == 3 and "Connection failed" in str(emu.webhook.info())
        runner = await _serve(flaky, port)
        try:
            await emu.wait_until(lambda: emu.pending_updates == 0, 10, "delivery")
            assert resets == [0]  # three posts were cut off and came again
            assert sorted(got) == [1, 2, 3] and set(got.values()) == {1}
            assert all(a.status == 200 for a in emu.webhook.attempts[-3:])
        finally:
            await runner.cleanup()
