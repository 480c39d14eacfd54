"""Invite throttling and the codes' keyed hash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.invites import Throttle, hash_code
from bot.storage.access import keyed_hash

T0 = datetime(2015, 5, 18, 12, 0, tzinfo=UTC)


def test_five_attempts_a_minute_then_one_notice_then_silence_until_the_cool_down_ends() -> None:
    throttle, keys = Throttle(), (("user", 1), ("chat", 1))
    verdicts = [throttle.attempt(keys, T0 + timedelta(seconds=i)) for i in range(8)]
    assert verdicts == ["ok"] * 5 + ["cooling"] + ["blocked"] * 2
    assert throttle.attempt(keys, T0 + timedelta(minutes=9)) == "blocked"
    assert throttle.attempt(keys, T0 + timedelta(minutes=11)) == "ok"


def test_attempts_spread_over_minutes_are_not_throttled() -> None:
    throttle, keys = Throttle(), (("user", 1),)
    assert {throttle.attempt(keys, T0 + timedelta(seconds=15 * i)) for i in range(40)} == {"ok"}


def test_one_chat_is_throttled_across_accounts_and_a_working_code_clears_the_count() -> None:
    throttle = Throttle()
    verdicts = [throttle.attempt((("user", i), ("chat", 9)), T0) for i in range(6)]
    assert verdicts[-1] == "cooling"
    other = Throttle()
    for _ in range(5):
        other.attempt((("user", 1),), T0)
    other.forgive((("user", 1),))
    assert other.attempt((("user", 1),), T0) == "ok"


def test_many_guessing_accounts_do_not_grow_it_without_bound() -> None:
    throttle = Throttle()
    for i in range(12_000):
        throttle.attempt((("user", i),), T0 + timedelta(seconds=i // 100))
    assert len(throttle._attempts) <= 10_001


def test_the_keyed_hash_depends_on_the_key_and_differs_from_the_old_form() -> None:
    code = "AbCdEfGhIjKlMnOp"
    assert keyed_hash(code, b"k1") != keyed_hash(code, b"k2")
    assert keyed_hash(code, b"k1") != hash_code(code)
    assert keyed_hash(f" {code}\n", b"k1") == keyed_hash(code, b"k1")  # as typed, trimmed
