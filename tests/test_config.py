"""Settings: defaults, and a malformed value names its variable."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import TELEGRAM_BASE_URL, ConfigError, Settings
from bot.logs import RedactToken

TOKEN = "123456789:AAFakeTokenForTests_abcdefghijkl"


def test_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    s = Settings.from_env({})
    assert s.token is None and s.base_url == TELEGRAM_BASE_URL
    assert s.data_dir == Path("data") and s.content_dir == Path("content")
    assert s.clock_start is None
    assert s.pack_on_publish


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TELEGRAM_BOT_TOKEN", "not-a-token"),
        ("TELEGRAM_BASE_URL", "ftp://example"),
        ("TELEGRAM_BASE_FILE_URL", "localhost:8081"),
        ("BOT_CONTENT_DIR", "/no/such/folder"),
        ("BOT_INVITE_TTL_HOURS", "soon"),
        ("BOT_CLOCK_START", "2015-05-18T09:00"),
        ("BOT_LOG_LEVEL", "LOUD"),
        ("BOT_DATABASE_URL", "mysql://bot@db/trips"),
        ("BOT_PACK_ON_PUBLISH", "yes please"),
        ("BOT_LEASE_INTERVAL_S", "0"),
    ],
)
def test_malformed_value_names_the_variable(tmp_path: Path, name: str, value: str) -> None:
    env = {"BOT_CONTENT_DIR": str(tmp_path), name: value}
    with pytest.raises(ConfigError, match=name):
        Settings.from_env(env)


def test_database_url_is_read_and_its_password_never_shown(tmp_path: Path) -> None:
    env = {"BOT_CONTENT_DIR": str(tmp_path)}
    assert Settings.from_env(env).database_url is None
    url = "postgresql://bot:s3cret@db.example:5432/trips"
    assert Settings.from_env({**env, "BOT_DATABASE_URL": url}).database_url == url
    with pytest.raises(ConfigError, match="BOT_DATABASE_URL") as refused:
        Settings.from_env({**env, "BOT_DATABASE_URL": "mysql://bot:s3cret@db/trips"})
    assert "s3cret" not in str(refused.value)


def test_the_lease_interval_is_read(tmp_path: Path) -> None:
    env = {"BOT_CONTENT_DIR": str(tmp_path)}
    assert Settings.from_env(env).lease_interval == 1.0
    assert Settings.from_env({**env, "BOT_LEASE_INTERVAL_S": "0.5"}).lease_interval == 0.5


def test_values_are_read(tmp_path: Path) -> None:
    s = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": "http://127.0.0.1:8081/bot",
            "BOT_DATA_DIR": str(tmp_path / "d"),
            "BOT_CONTENT_DIR": str(tmp_path),
            "BOT_CLOCK_START": "2015-05-18T09:00-03:00",
            "BOT_PACK_ON_PUBLISH": "0",
        }
    )
    assert not s.pack_on_publish
    assert s.token == TOKEN and s.base_url == "http://127.0.0.1:8081/bot"
    assert s.clock_start == datetime(2015, 5, 18, 12, 0, tzinfo=UTC)
    assert TOKEN not in repr(s)


def test_token_is_redacted_from_log_records() -> None:
    record = logging.LogRecord(
        "x", logging.INFO, "f", 1, "POST %s failed", (f"/bot{TOKEN}/getMe",), None
    )
    RedactToken(TOKEN).filter(record)
    assert TOKEN not in record.getMessage() and "<token>" in record.getMessage()
