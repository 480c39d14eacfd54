"""Settings from the environment: defaults where they make sense; a bad value names its variable."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bot.clock import parse_instant

TELEGRAM_BASE_URL = "https://api.telegram.org/bot"
TELEGRAM_BASE_FILE_URL = "https://api.telegram.org/file/bot"
_TOKEN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its environment."""

    token: str | None = None
    base_url: str = TELEGRAM_BASE_URL
    base_file_url: str = TELEGRAM_BASE_FILE_URL
    data_dir: Path = Path("data")
    # PostgreSQL instead of the SQLite file in data_dir (media and the invite key stay there).
    database_url: str | None = None
    content_dir: Path = Path("content")
    invite_ttl: timedelta = timedelta(hours=72)
    # Rehearsal: the bot's clock starts at this instant and runs forward from there.
    clock_start: datetime | None = None
    log_level: str = "INFO"
    log_format: str = "text"  # or "json": one object per line
    # Messages per second over all chats (Telegram's bulk limit is about 30); 0 turns it off.
    rate_limit: float = 30.0
    # Larger files attached to notes are refused; 20 MB is the Bot API's own download limit.
    max_file_mb: float = 20.0
    # A notice or reminder that fails for network or 5xx reasons is retried, backing off up to
    # this many seconds between tries, for as long as it is still useful.
    send_retry_cap: float = 30.0
    # Rebuild each member's briefing pack when a change is published, and tell them it is ready.
    pack_on_publish: bool = True
    # Production HTTP server (bot/web/): webhook, /healthz, /metrics; unset port: none.
    webhook_url: str | None = None
    public_url: str | None = None  # where the HTTP server is reached from outside (feeds)
    http_host: str = "127.0.0.1"
    http_port: int | None = None
    max_body_kb: float = 256.0
    api_probe_s: float = 15.0
    # Seconds between renewals of the sender lease (and tries by the workers without it).
    lease_interval: float = 1.0
    # Several webhook workers behind one port (bot/workers.py); this process's number among them.
    workers: int = 1
    worker_id: int | None = None
    runner_pid: int | None = None  # the runner that spawned this worker (it stops with it)
    webhook_secret: str | None = None  # shared by every worker; else derived from the token
    extra: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def max_file_bytes(self) -> int:
        """The size limit for files attached to notes."""
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def public_base(self) -> str | None:
        """Where the bot's HTTP server is reached from outside: BOT_PUBLIC_URL, else the
        webhook URL's origin; None without either (no subscription links then)."""
        if self.public_url:
            return self.public_url
        if self.webhook_url:
            parsed = urlparse(self.webhook_url)
            return f"{parsed.scheme}://{parsed.netloc}"
        return None

    @property
    def db_path(self) -> Path:
        """The SQLite database file."""
        return self.data_dir / "bot.sqlite3"

    def __repr__(self) -> str:
        # The token must never reach a log line, even through repr().
        token = "set" if self.token else "unset"
        return (
            f"Settings(token={token}, base_url={self.base_url!r}, data_dir={str(self.data_dir)!r}, "
            f"content_dir={str(self.content_dir)!r}, clock_start={self.clock_start})"
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Read and check the settings; raise ConfigError naming the bad variable."""
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip() or None
        if token is not None and not _TOKEN.match(token):
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is malformed: expected '<digits>:<secret>' "
                "as given by @BotFather"
            )
        return cls(
            token=token,
            base_url=_url(env, "TELEGRAM_BASE_URL", TELEGRAM_BASE_URL),
            base_file_url=_url(env, "TELEGRAM_BASE_FILE_URL", TELEGRAM_BASE_FILE_URL),
            data_dir=Path(env.get("BOT_DATA_DIR", "") or "data"),
            database_url=_database_url(env, "BOT_DATABASE_URL"),
            content_dir=_existing_dir(env, "BOT_CONTENT_DIR", "content"),
            invite_ttl=timedelta(hours=_number(env, "BOT_INVITE_TTL_HOURS", 72.0)),
            clock_start=_instant(env, "BOT_CLOCK_START"),
            rate_limit=_number(env, "BOT_RATE_LIMIT", 30.0, allow_zero=True),
            log_level=_choice(env, "BOT_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")),
            log_format=_choice(env, "BOT_LOG_FORMAT", "TEXT", ("TEXT", "JSON")).lower(),
            max_file_mb=_number(env, "BOT_MAX_FILE_MB", 20.0),
            send_retry_cap=_number(env, "BOT_SEND_RETRY_CAP", 30.0),
            pack_on_publish=_choice(env, "BOT_PACK_ON_PUBLISH", "1", ("1", "0")) == "1",
            lease_interval=_number(env, "BOT_LEASE_INTERVAL_S", 1.0),
            **_http(env),
            **_workers(env),
        )

    def check_workers(self, workers: int) -> None:
        """Raise ConfigError unless `workers` processes may share this deployment."""
        if workers <= 1:
            return
        if self.database_url is None:
            raise ConfigError(
                f"BOT_WORKERS={workers} needs BOT_DATABASE_URL: several processes cannot share "
                "the SQLite file; set BOT_DATABASE_URL=postgresql://... or run one worker"
            )
        if self.webhook_url is None:
            raise ConfigError(
                f"BOT_WORKERS={workers} needs BOT_WEBHOOK_URL: Telegram hands updates by polling "
                "to one process only; set BOT_WEBHOOK_URL (https://...) or run one worker"
            )

    @property
    def secret_token(self) -> str:
        """The webhook's secret: BOT_WEBHOOK_SECRET, else derived from the token, so that every
        worker of one bot accepts Telegram's posts; without a token (tests), a fresh one."""
        if self.webhook_secret:
            return self.webhook_secret
        if self.token is None:
            return secrets.token_urlsafe(32)
        digest = hmac.new(self.token.encode(), b"bot webhook secret", hashlib.sha256)
        return digest.hexdigest()


def _http(env: Mapping[str, str]) -> dict[str, Any]:
    """The HTTP server's settings; a webhook URL implies a port (8080 unless given)."""
    webhook = env.get("BOT_WEBHOOK_URL", "").strip() or None
    if webhook is not None:
        webhook = _url(env, "BOT_WEBHOOK_URL", webhook)
    raw_port = env.get("BOT_HTTP_PORT", "").strip()
    port: int | None = None
    if raw_port or webhook:
        port = int(_number(env, "BOT_HTTP_PORT", 8080.0))
        if not 0 < port < 65536 or str(port) != (raw_port or "8080"):
            raise ConfigError(f"BOT_HTTP_PORT must be a port number (1-65535), got {raw_port!r}")
    public = env.get("BOT_PUBLIC_URL", "").strip() or None
    if public is not None:
        public = _url(env, "BOT_PUBLIC_URL", public)
    return {
        "webhook_url": webhook,
        "public_url": public,
        "http_host": env.get("BOT_HTTP_HOST", "").strip() or "127.0.0.1",
        "http_port": port,
        "max_body_kb": _number(env, "BOT_WEBHOOK_MAX_BODY_KB", 256.0),
        "api_probe_s": _number(env, "BOT_API_PROBE_SECONDS", 15.0),
    }


def _workers(env: Mapping[str, str]) -> dict[str, Any]:
    """How many workers, which one this is, and their shared webhook secret."""
    workers = _count(env, "BOT_WORKERS", 1)
    raw_id = env.get("BOT_WORKER_ID", "").strip()
    worker_id = _count(env, "BOT_WORKER_ID", 0, allow_zero=True) if raw_id else None
    runner_pid = _count(env, "BOT_RUNNER_PID", 1) if env.get("BOT_RUNNER_PID", "").strip() else None
    secret = env.get("BOT_WEBHOOK_SECRET", "").strip() or None
    if secret is not None and not _SECRET.match(secret):
        raise ConfigError(
            "BOT_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and - "
            "(Telegram's rule for secret_token)"
        )
    return {
        "workers": workers,
        "worker_id": worker_id,
        "runner_pid": runner_pid,
        "webhook_secret": secret,
    }


def _count(env: Mapping[str, str], name: str, default: int, allow_zero: bool = False) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or (int(raw) == 0 and not allow_zero):
        least = 0 if allow_zero else 1
        raise ConfigError(f"{name} must be a whole number, at least {least}, got {raw!r}")
    return int(raw)


def _url(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name, "").strip() or default
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(f"{name} is not an http(s) URL: {value!r}")
    return value


def _database_url(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    if not value:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in ("postgresql", "postgres"):
        shown = value.replace(parsed.password or "\0", "***")
        raise ConfigError(f"{name} is not a postgresql:// URL: {shown!r}")
    return value


def _existing_dir(env: Mapping[str, str], name: str, default: str) -> Path:
    path = Path(env.get(name, "").strip() or default)
    if not path.is_dir():
        raise ConfigError(f"{name} points at {str(path)!r}, which is not a folder")
    return path


def _number(env: Mapping[str, str], name: str, default: float, allow_zero: bool = False) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if value < 0 or (value == 0 and not allow_zero):
        raise ConfigError(f"{name} must be positive, got {raw!r}")
    return value


def _instant(env: Mapping[str, str], name: str) -> datetime | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    try:
        return parse_instant(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}: {exc}") from None


def _choice(env: Mapping[str, str], name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = env.get(name, "").strip().upper() or default
    if value not in allowed:
        raise ConfigError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
    return value
