"""End to end: a "billion laughs" itinerary is refused, naming the limit, in the sender's
language, and other members are answered meanwhile."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.trip.loader import ContentError, YamlLimitError, parse_yaml
from tests.e2e import bot_harness

T0 = datetime(2015, 5, 19, 13, 0, tzinfo=UTC)


def bomb(levels: int) -> str:
    """Nine aliases per level: 9**levels strings once expanded, from a few hundred bytes."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join([*lines, f"legs: *a{levels}"]) + "\n"


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        (bomb(7), "nodes"),
        ("x: &x [" + ",".join(["*x"] * 300) + "]", "aliases"),
        ("a: " + "[" * 100 + "]" * 100, "depth"),
        ("a: " + "x" * (600 * 1024), "bytes"),
        ("a: &a [*a]\nb: *a", "depth"),
    ],
)
def test_each_limit_is_named(text: str, limit: str) -> None:
    with pytest.raises(YamlLimitError) as err:
        parse_yaml(text, "itinerary.yaml")
    assert err.value.limit == limit


def test_a_file_within_the_limits_still_parses_with_aliases() -> None:
    doc, _ = parse_yaml("base: &b {zone: UTC}\nlegs: [*b, *b]\n", "x.yaml")
    assert doc["legs"] == [{"zone": "UTC"}, {"zone": "UTC"}]
    with pytest.raises(ContentError):
        parse_yaml("legs: [\n", "x.yaml")


async def test_a_yaml_bomb_is_refused_and_others_are_answered_within_a_second(
    tmp_path: Path,
) -> None:
    async with bot_harness(tmp_path, T0) as h:
        desk = await h.join("intl-desk", "coordinator", language_code="en")
        yi = await h.join("yi-rongzong")
        await h.emu.send_document(desk, bomb(7).encode(), file_name="itinerary.yaml")
        await asyncio.sleep(0.05)  # the upload is being handled
        waits = []
        for _ in range(3):
            began = time.monotonic()
            answer = await h.ask(yi, "/help")
            waits.append(time.monotonic() - began)
            assert "/itinerary" in (answer.text or "")
        refusal = await h.emu.wait_for(desk, timeout=10)
        zh = await h.join("cao-kaiwen", "coordinator")
        await h.emu.send_document(zh, bomb(6).encode(), file_name="itinerary.yaml")
        refusal_zh = await h.emu.wait_for(zh, timeout=10)
        log = await h.ask(desk, "/changes")
    assert max(waits) < 1.0, waits
    assert "over a limit" in (refusal.text or "") and "nodes" in (refusal.text or "")
    assert "超過上限" in (refusal_zh.text or "") and "節點" in (refusal_zh.text or "")
    assert "v1" not in (log.text or "")  # nothing changed
