"""The probe's verdict on Telegram's webhook deliveries, from what getWebhookInfo said."""

from __future__ import annotations

import pytest

from bot.web.probe import Sample, webhook_verdict

URL = "https://bot.example.org/telegram"
SET_AT = 1_000.0  # when the bot set its webhook
WINDOW = 60.0


def _samples(*pending: int, error_at: float | None = None, url: str = URL) -> list[Sample]:
    return [
        Sample(SET_AT + 15 * (i + 1), url, n, error_at, "Wrong response from the webhook: 403")
        for i, n in enumerate(pending)
    ]


@pytest.mark.parametrize(
    ("samples", "verdict"),
    [
        ([], "ok"),  # not probed yet
        (_samples(0, 0, 0, 0), "ok"),
        (_samples(0, 3, 1, 2), "ok"),  # a burst being worked off
        (_samples(2, 2, 2), "ok"),  # not growing
        (_samples(0, 1, 2), "updates waiting"),
        (_samples(5, 1, 2, 3), "updates waiting"),
        (_samples(0, 0, error_at=SET_AT - 30), "ok"),  # before this bot's setWebhook
        (_samples(0, 0, 0, 0, 0, 0, error_at=SET_AT + 1), "ok"),  # 89 s ago: not recent
        (_samples(0, 1, error_at=SET_AT + 20), "failed 10 s ago: Wrong response"),
        (_samples(0, url="https://elsewhere.example/hook"), "another URL"),
        (_samples(0, url=""), "another URL"),  # deleted, e.g. by a bot polling on this token
    ],
)
def test_webhook_verdict(samples: list[Sample], verdict: str) -> None:
    got = webhook_verdict(samples, URL, SET_AT, WINDOW)
    assert verdict in got and (got == "ok") == (verdict == "ok"), got
