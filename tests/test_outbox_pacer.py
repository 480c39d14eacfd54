"""The paced outbox: Telegram's limits, 429s, network errors, timeouts and blocked users."""

from __future__ import annotations

import asyncio
import itertools
import time

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.outbox.pacer import Deliverer, Pacer


class FakeSink:
    """Records claims, send times and outcomes; fails as told, per item."""

    def __init__(
        self, failures: dict[str, list[Exception]] | None = None, useful_tries: int = 10**6
    ) -> None:
        self.failures = failures or {}
        self.useful_tries = useful_tries  # claims after this many are refused: no longer useful
        self.claimed: list[str] = []
        self.released: list[str] = []
        self.sends: list[tuple[str, float]] = []
        self.outcomes: dict[str, str] = {}

    async def claim(self, item: str) -> bool:
        if self.claimed.count(item) >= self.useful_tries:
            self.outcomes[item] = "expired"
            return False
        self.claimed.append(item)
        return True

    async def send(self, item: str) -> None:
        self.sends.append((item, time.monotonic()))
        queue = self.failures.get(item)
        if queue:
            raise queue.pop(0)

    async def done(self, item: str, state: str, error: str | None) -> None:
        if state == "queued":  # released, to be tried again
            self.released.append(item)
        else:
            self.outcomes[item] = state


async def _drain(d: Deliverer[str], sink: FakeSink, n: int, limit: float = 10.0) -> None:
    deadline = time.monotonic() + limit
    while len(sink.outcomes) < n and time.monotonic() < deadline:  # noqa: ASYNC110 - polling a fake
        await asyncio.sleep(0.01)
    await d.stop()


async def test_overall_pace_and_one_message_per_second_per_chat() -> None:
    sink = FakeSink()
    d: Deliverer[str] = Deliverer(sink, pacer=Pacer(per_second=50, per_chat_interval=0.3))
    d.start()
    for i in range(20):
        d.put(f"a{i}", chat_id=i)  # twenty chats: paced by the overall limit only
    for i in range(3):
        d.put(f"same{i}", chat_id=999)
    await _drain(d, sink, 23)
    times = [at for _, at in sink.sends]
    assert len(times) == 23 and all(v == "sent" for v in sink.outcomes.values())
    assert times[-1] - times[0] >= 22 / 50 * 0.8  # about 50/s, no faster
    same = [at for item, at in sink.sends if item.startswith("same")]
    assert all(b - a >= 0.29 for a, b in itertools.pairwise(same))
    # The busy chat did not hold up the others: they were not sent after it.
    assert max(at for item, at in sink.sends if item.startswith("a")) < same[-1]


async def test_retry_after_is_honoured_and_nothing_is_lost() -> None:
    sink = FakeSink({"x": [RetryAfter(1)]})
    d: Deliverer[str] = Deliverer(sink)
    d.start()
    d.put("x", chat_id=1)
    d.put("y", chat_id=2)
    await _drain(d, sink, 2)
    (first_x, again_x) = [at for item, at in sink.sends if item == "x"]
    assert again_x - first_x >= 0.95 and sink.outcomes == {"x": "sent", "y": "sent"}
    assert sink.claimed.count("x") == 1  # one claim covers the retries


async def test_network_errors_and_5xx_are_retried_until_sent_with_capped_backoff() -> None:
    # Ten failures in a row: five tries would have given up; the capped backoff keeps going.
    down = [NetworkError("httpx.ConnectError: All connection attempts failed")] * 5
    down += [NetworkError("Bad Gateway")] * 5
    sink = FakeSink({"down": down, "flaky": [NetworkError("reset")]})
    fast = Pacer(per_second=1000, per_chat_interval=0.001)
    d: Deliverer[str] = Deliverer(sink, pacer=fast, backoff=0.01, backoff_cap=0.05)
    d.start()
    d.put("down", chat_id=1)
    d.put("flaky", chat_id=2)
    await _drain(d, sink, 2)
    assert sink.outcomes == {"down": "sent", "flaky": "sent"}
    tries = [at for item, at in sink.sends if item == "down"]
    assert len(tries) == 11 and sink.released.count("down") == 10
    gaps = [b - a for a, b in itertools.pairwise(tries)]
    assert max(gaps) < 0.05 + 0.1  # the cap, plus scheduling slack


async def test_retrying_stops_when_the_item_is_no_longer_useful() -> None:
    sink = FakeSink({"late": [NetworkError("Bad Gateway")] * 50}, useful_tries=3)
    fast = Pacer(per_second=1000, per_chat_interval=0.001)
    d: Deliverer[str] = Deliverer(sink, pacer=fast, backoff=0.01, backoff_cap=0.02)
    d.start()
    d.put("late", chat_id=1)
    await _drain(d, sink, 1)
    assert sink.outcomes == {"late": "expired"} and len(sink.sends) == 3


async def test_only_a_permanent_error_ends_a_row() -> None:
    sink = FakeSink({"gone": [BadRequest("Chat not found")], "kept": [NetworkError("x")]})
    d: Deliverer[str] = Deliverer(sink, backoff=0.01)
    d.start()
    d.put("gone", chat_id=1)
    d.put("kept", chat_id=2)
    await _drain(d, sink, 2)
    assert sink.outcomes == {"gone": "failed", "kept": "sent"}


async def test_a_blocked_user_or_a_timeout_does_not_hold_up_the_others() -> None:
    sink = FakeSink({"blocked": [Forbidden("bot was blocked by the user")], "slow": [TimedOut()]})
    d: Deliverer[str] = Deliverer(sink)
    d.start()
    for item, chat in (("blocked", 1), ("slow", 2), ("fine", 3)):
        d.put(item, chat_id=chat)
    await _drain(d, sink, 3)
    # A timeout may have reached Telegram: recorded unconfirmed, never sent again.
    assert sink.outcomes == {"blocked": "blocked", "slow": "unconfirmed", "fine": "sent"}
    assert [item for item, _ in sink.sends].count("slow") == 1


async def test_two_outboxes_on_one_pacer_share_the_limits() -> None:
    # Reminders and schedule-change notices go out through separate outboxes; Telegram counts
    # them together, so a shared pacer must hold the sum to the overall and per-chat limits.
    pacer = Pacer(per_second=50, per_chat_interval=0.3)
    sink_a, sink_b = FakeSink(), FakeSink()
    a: Deliverer[str] = Deliverer(sink_a, pacer=pacer)
    b: Deliverer[str] = Deliverer(sink_b, pacer=pacer)
    a.start()
    b.start()
    for i in range(15):
        a.put(f"a{i}", chat_id=i)
        b.put(f"b{i}", chat_id=100 + i)
    a.put("a-shared", chat_id=7)
    b.put("b-shared", chat_id=7)  # the same chat in both outboxes
    await _drain(a, sink_a, 16)
    await _drain(b, sink_b, 16)
    times = sorted(at for _, at in sink_a.sends + sink_b.sends)
    assert len(times) == 32
    assert times[-1] - times[0] >= 31 / 50 * 0.8  # the sum, not each, is held to about 50/s
    chat7_items = {"a7", "b-shared", "a-shared"}
    chat7 = sorted(at for item, at in sink_a.sends + sink_b.sends if item in chat7_items)
    assert all(y - x >= 0.29 for x, y in itertools.pairwise(chat7))
