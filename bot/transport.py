"""The HTTP transport to the Bot API: a small keep-alive pool, and JSON bodies unless files go up.

PTB's own HTTPXRequest sends every call as a URL-encoded form and keeps a pool of 256 connections.
Both cost CPU on every call, and the bot is CPU-bound on its two cores:
- percent-encoding makes each Chinese character nine bytes and is done byte by byte in Python, where
  JSON (which the Bot API accepts for every call without a file) sends the three UTF-8 bytes;
- httpcore scans every pooled connection on every request, so a pool that grew to dozens of
  connections under a burst keeps costing after it. Eight connections carry far more than
  Telegram's 30 messages a second at any real round-trip time.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot.logs import redact

POOL_SIZE = 8
"""Connections to the Bot API kept open for the bot's calls (getUpdates has its own)."""

CONCURRENT_UPDATES = 16
"""Updates handled at once. Past the pool size they only queue for a connection, and a small
bound keeps the queue first-come first-served, which is what keeps the slowest replies short."""

POOL_TIMEOUT = 10.0
"""Seconds a call may wait for a free connection before PTB reports it as timed out."""

MEDIA_WRITE_TIMEOUT = 20.0
"""Seconds to write an upload, as in PTB's own default."""

DEFAULT_NONE = BaseRequest.DEFAULT_NONE
"""PTB's public marker for "the caller gave no timeout" (its class is not public)."""

_DEFAULT_MARKER = type(DEFAULT_NONE)


class JsonRequest(BaseRequest):
    """Posts Bot API calls as JSON over a small httpx pool; uploads go as multipart forms."""

    __slots__ = ("_client", "_limits", "_timeout")

    def __init__(self, pool_size: int = POOL_SIZE, pool_timeout: float = POOL_TIMEOUT) -> None:
        self._timeout = httpx.Timeout(connect=5.0, read=5.0, write=5.0, pool=pool_timeout)
        self._limits = httpx.Limits(max_connections=pool_size, max_keepalive_connections=pool_size)
        self._client = self._build_client()

    def _build_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self._timeout, limits=self._limits, http1=True)

    @property
    def read_timeout(self) -> float | None:
        """The read timeout used when a call does not give its own."""
        return self._timeout.read

    async def initialize(self) -> None:
        """Open a fresh client if this one was shut down (PTB re-initialises on restart)."""
        if self._client.is_closed:
            self._client = self._build_client()

    async def shutdown(self) -> None:
        """Close the pool's connections."""
        if not self._client.is_closed:
            await self._client.aclose()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = DEFAULT_NONE,
        write_timeout: object = DEFAULT_NONE,
        connect_timeout: object = DEFAULT_NONE,
        pool_timeout: object = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one call; map httpx's failures to PTB's errors as HTTPXRequest does."""
        uploads = request_data is not None and request_data.contains_files
        default_write = MEDIA_WRITE_TIMEOUT if uploads else self._timeout.write
        timeout = httpx.Timeout(
            connect=_given(connect_timeout, self._timeout.connect),
            read=_given(read_timeout, self._timeout.read),
            write=_given(write_timeout, default_write),
            pool=_given(pool_timeout, self._timeout.pool),
        )
        headers = {"User-Agent": self.USER_AGENT}
        try:
            if request_data is None:
                res = await self._client.request(method, url, headers=headers, timeout=timeout)
            elif uploads:
                res = await self._client.request(
                    method,
                    url,
                    headers=headers,
                    timeout=timeout,
                    files=request_data.multipart_data,
                    data=request_data.json_parameters,
                )
            else:
                headers["Content-Type"] = "application/json"
                body = json.dumps(request_data.parameters, ensure_ascii=False).encode()
                res = await self._client.request(
                    method, url, headers=headers, timeout=timeout, content=body
                )
        except httpx.PoolTimeout as err:
            raise TimedOut("Pool timeout: no free connection; the call was not sent.") from err
        except httpx.TimeoutException as err:
            raise TimedOut from err
        except httpx.HTTPError as err:
            # httpx's errors may carry the request, whose URL holds the token: keep only the
            # redacted text, not the error itself, so no traceback can print it.
            raise NetworkError(redact(f"httpx.{err.__class__.__name__}: {err}")) from None
        return res.status_code, res.content


class PollingRequest(HTTPXRequest):
    """PTB's own request, for getUpdates on its connection; its errors are redacted as
    JsonRequest's are (the request URL holds the token)."""

    __slots__ = ()

    async def do_request(
        self, url: str, method: str, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        """Send one call as HTTPXRequest does; a network error keeps only its redacted text."""
        try:
            return await super().do_request(url, method, *args, **kwargs)
        except TimedOut:
            raise
        except NetworkError as err:
            raise NetworkError(redact(err.message)) from None


def _given(value: object, default: float | None) -> float | None:
    """The caller's timeout, or ours when the caller left PTB's default marker."""
    if isinstance(value, _DEFAULT_MARKER):
        return default
    if value is None or isinstance(value, int | float):
        return value
    raise TypeError(f"a timeout is seconds or None, not {value!r}")
