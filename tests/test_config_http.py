"""The HTTP server's settings: a webhook implies a port; bad values name their variable."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, Settings


def test_a_webhook_url_switches_on_the_server_on_8080_and_gives_the_feeds_their_origin() -> None:
    s = Settings.from_env({"BOT_WEBHOOK_URL": "https://bot.example.org/telegram"})
    assert s.webhook_url == "https://bot.example.org/telegram"
    assert (s.http_port, s.http_host) == (8080, "127.0.0.1")
    assert s.public_base == "https://bot.example.org" and s.log_format == "text"
    polling = Settings.from_env({"BOT_HTTP_PORT": "9100", "BOT_LOG_FORMAT": "json"})
    assert polling.webhook_url is None and polling.http_port == 9100
    assert polling.public_base is None and polling.log_format == "json"
    assert Settings.from_env({}).http_port is None


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"BOT_HTTP_PORT": "80000"}, "BOT_HTTP_PORT"),
        ({"BOT_HTTP_PORT": "8080.5"}, "BOT_HTTP_PORT"),
        ({"BOT_HTTP_PORT": "web"}, "BOT_HTTP_PORT"),
        ({"BOT_WEBHOOK_URL": "bot.example.org/telegram"}, "BOT_WEBHOOK_URL"),
        ({"BOT_PUBLIC_URL": "ftp://x"}, "BOT_PUBLIC_URL"),
        ({"BOT_LOG_FORMAT": "xml"}, "BOT_LOG_FORMAT"),
        ({"BOT_WEBHOOK_MAX_BODY_KB": "0"}, "BOT_WEBHOOK_MAX_BODY_KB"),
    ],
)
def test_a_bad_value_names_its_variable(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        Settings.from_env(env)
