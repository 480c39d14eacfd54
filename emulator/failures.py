"""Failure injection and Telegram-like flood limits."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from emulator.params import ApiError

# Methods that post or change a message; Telegram's flood limits apply to these.
SENDING_METHODS = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "sendContact",
        "sendLocation",
        "sendVenue",
        "sendMediaGroup",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
    }
)

DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: injected failure",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


def error_for(status: int, description: str | None, retry_after: int | None) -> ApiError:
    """An ApiError with Telegram's wording for `status` unless a description is given."""
    if status == 429 and retry_after is None:
        retry_after = 1
    text = description or DEFAULT_DESCRIPTIONS.get(status, f"Error {status}")
    params = {"retry_after": retry_after} if retry_after is not None else None
    return ApiError(status, text.format(retry_after=retry_after), params)


@dataclass
class FailureRule:
    """Answer the next `remaining` matching calls with an error instead of running them."""

    method: str
    status: int
    description: str | None
    retry_after: int | None
    remaining: int
    chat_id: int | None = None

    def matches(self, method: str, chat_id: int | None) -> bool:
        """Whether this rule applies to a call of `method` for `chat_id`."""
        if self.remaining <= 0 or self.method not in ("*", method):
            return False
        return self.chat_id is None or self.chat_id == chat_id


@dataclass
class FailurePlan:
    """Pending injected failures, blocked chats and failing file downloads."""

    rules: list[FailureRule] = field(default_factory=list)
    blocked: set[int] = field(default_factory=set)
    download_failures: int = 0
    download_status: int = 500

    def take(self, method: str, chat_id: int | None) -> ApiError | None:
        """Consume the first rule matching this call and return its error, if any."""
        for rule in self.rules:
            if rule.matches(method, chat_id):
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self.rules.remove(rule)
                return error_for(rule.status, rule.description, rule.retry_after)
        return None

    def take_download(self) -> ApiError | None:
        """Consume one pending file-download failure."""
        if self.download_failures <= 0:
            return None
        self.download_failures -= 1
        return error_for(self.download_status, None, None)


@dataclass(frozen=True)
class RateLimit:
    """Telegram's published flood limits; short per-chat bursts are tolerated, as in practice."""

    per_second: float = 30.0
    per_chat_per_second: float = 1.0
    per_chat_burst: int = 3
    per_group_per_minute: int = 20


@dataclass
class _Bucket:
    capacity: float
    rate: float
    tokens: float
    updated: float

    def wait_needed(self, now: float) -> float:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def spend(self) -> None:
        self.tokens -= 1


class RateLimiter:
    """Token buckets: overall, per chat, and per group per minute."""

    def __init__(self, limit: RateLimit) -> None:
        self.limit = limit
        self._global = _Bucket(limit.per_second, limit.per_second, limit.per_second, 0.0)
        self._chats: dict[int, _Bucket] = {}
        self._groups: dict[int, _Bucket] = {}

    def check(self, chat_id: int | None, is_group: bool, now: float) -> int | None:
        """Seconds to retry after if this call exceeds a limit, else None (and count it)."""
        lim = self.limit
        buckets = [self._global]
        if chat_id is not None:
            if chat_id not in self._chats:
                burst = float(lim.per_chat_burst)
                self._chats[chat_id] = _Bucket(burst, lim.per_chat_per_second, burst, now)
            buckets.append(self._chats[chat_id])
            if is_group:
                if chat_id not in self._groups:
                    cap = float(lim.per_group_per_minute)
                    self._groups[chat_id] = _Bucket(cap, cap / 60.0, cap, now)
                buckets.append(self._groups[chat_id])
        wait = max(b.wait_needed(now) for b in buckets)
        if wait > 0:
            return max(1, math.ceil(wait))
        for b in buckets:
            b.spend()
        return None
