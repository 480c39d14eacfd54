"""The calendar subscription: follows published changes, polls cheaply, dies with the member."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import icalendar

from tests.e2e import Harness, bot_harness
from tests.test_e2e_changes import KEYNOTE, T0, publish

LINK = re.compile(r"(https?://\S+/cal/[A-Za-z0-9_-]+\.ics)")


async def _fetch(url: str, etag: str | None = None) -> tuple[int, str | None, bytes]:
    headers = {"If-None-Match": etag} if etag else {}
    async with aiohttp.ClientSession() as http, http.get(url, headers=headers) as res:
        return res.status, res.headers.get("ETag"), await res.read()


def _events(body: bytes) -> dict[str, Any]:
    cal = icalendar.Calendar.from_ical(body)
    return {str(e["uid"]).split(".", 1)[1].split("@")[0]: e for e in cal.walk("VEVENT")}


async def _subscribe(h: Harness, user: Any) -> tuple[str, bytes]:
    await h.emu.send_text(user, "/calendar")
    file_message = await h.emu.wait_for(user)
    assert file_message.file is not None and file_message.file.data
    link = await h.emu.wait_for(user)
    found = LINK.search(link.text or "")
    assert found and f"webcal://{found[1].split('://', 1)[1]}" in (link.text or ""), link.text
    return found[1], file_message.file.data


async def test_the_feed_follows_a_delay_and_a_cancel_and_answers_304_when_unchanged(
    tmp_path: Path,
) -> None:
    async with bot_harness(tmp_path, T0, mode="webhook") as h:
        desk = await h.join("intl-desk", "coordinator")
        cao = await h.join("cao-kaiwen", language_code="en")
        await h.ask(cao, "/lang en")
        url, one_off = await _subscribe(h, cao)
        assert url.startswith(h.http + "/cal/")
        first = _events(one_off)[KEYNOTE]
        assert first["sequence"] == 0 and "last-modified" in first  # the file has them too

        status, tag, body = await _fetch(url)
        assert status == 200 and tag
        keynote = _events(body)[KEYNOTE]
        assert keynote["sequence"] == 0 and keynote["status"] == "CONFIRMED"
        start = keynote.decoded("dtstart")
        assert (await _fetch(url, tag))[0] == 304  # unchanged: the phone's poll costs nothing

        h.clock.advance(timedelta(minutes=5))
        preview = await h.ask(desk, f"/delay {KEYNOTE} 45m")
        assert "v1" in await publish(h, desk, preview)
        status, new_tag, body = await _fetch(url, tag)
        assert status == 200 and new_tag != tag
        keynote = _events(body)[KEYNOTE]
        assert keynote["sequence"] == 1
        assert (keynote.decoded("dtstart") - start).total_seconds() == 45 * 60
        assert keynote.decoded("last-modified") == h.clock.now().astimezone(UTC)
        assert str(keynote["summary"]).isascii()  # in the member's language, English

        preview = await h.ask(desk, "/cancel plenary-voice-of-mayors")
        assert "v2" in await publish(h, desk, preview)
        events = _events((await _fetch(url))[2])
        assert events["plenary-voice-of-mayors"]["status"] == "CANCELLED"
        assert events["plenary-voice-of-mayors"]["sequence"] == 1
        assert events[KEYNOTE]["sequence"] == 1

        await h.ask(desk, "/revoke cao-kaiwen")
        assert (await _fetch(url))[0] == 404  # revoked with the member
        assert (await _fetch(h.http + "/cal/" + "x" * 32 + ".ics"))[0] == 404


async def test_without_a_public_url_only_the_file_is_sent(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, datetime(2015, 5, 18, 12, 0, tzinfo=UTC)) as h:
        yi = await h.join("yi-rongzong")
        await h.emu.send_text(yi, "/calendar")
        assert (await h.emu.wait_for(yi)).file is not None
        assert h.emu.drain(yi) == []
