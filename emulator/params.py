"""Request parsing: Bot API parameters arrive as a query, a form, multipart or JSON."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web


class ApiError(Exception):
    """An error reply in Telegram's shape; the HTTP status equals `error_code`."""

    def __init__(
        self, status: int, description: str, parameters: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = dict(parameters) if parameters else None

    def to_dict(self) -> dict[str, Any]:
        """The JSON body Telegram would answer."""
        out: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            out["parameters"] = self.parameters
        return out


def bad_request(what: str) -> ApiError:
    """A 400 with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {what}")


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    data: bytes
    filename: str | None
    content_type: str | None


class Params:
    """Typed access to request parameters.

    Form and query values are strings where PTB JSON-encoded every non-string value, so each
    getter decodes only when the caller asks for a non-string type; text stays text.
    """

    def __init__(
        self,
        values: Mapping[str, Any],
        uploads: Mapping[str, Upload],
        received_at: float | None = None,
    ) -> None:
        self.values = dict(values)
        self.uploads = dict(uploads)
        # When the request reached the emulator: a reply's latency ends there, not after the
        # emulator's own parsing of its body and HTML, which Telegram does on its side.
        self.received_at = time.monotonic() if received_at is None else received_at

    def has(self, name: str) -> bool:
        """Whether the parameter was sent (and is not JSON null)."""
        return self.values.get(name) is not None

    def get_str(self, name: str, required: bool = False) -> str | None:
        """A string parameter, never JSON-decoded."""
        value = self.values.get(name)
        if value is None:
            if required:
                raise bad_request(f"{name} is empty")
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def require_str(self, name: str) -> str:
        """A string parameter that must be present."""
        value = self.get_str(name, required=True)
        assert value is not None
        return value

    def get_json(self, name: str) -> Any:
        """A structured parameter (reply_markup, entities, scope, ...)."""
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError as exc:
            raise bad_request(f"can't parse {name} JSON object") from exc

    def _number(self, name: str, required: bool) -> int | float | str | None:
        """A numeric parameter as sent (JSON number or string), or None when absent."""
        value = self.get_json(name)
        if value is None:
            if required:
                raise bad_request(f"{name} is empty")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise bad_request(f"invalid {name} specified")
        return value

    def get_int(self, name: str, required: bool = False) -> int | None:
        """An integer parameter."""
        value = self._number(name, required)
        try:
            return None if value is None else int(value)
        except ValueError as exc:
            raise bad_request(f"invalid {name} specified") from exc

    def require_int(self, name: str) -> int:
        """An integer parameter that must be present."""
        value = self.get_int(name, required=True)
        assert value is not None
        return value

    def get_float(self, name: str, required: bool = False) -> float | None:
        """A float parameter (coordinates)."""
        value = self._number(name, required)
        try:
            return None if value is None else float(value)
        except ValueError as exc:
            raise bad_request(f"invalid {name} specified") from exc

    def get_bool(self, name: str) -> bool:
        """A boolean flag; absent means False."""
        value = self.get_json(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def upload(self, name: str) -> Upload | None:
        """The multipart file sent under `name`, or the one an `attach://name` value points to."""
        if name in self.uploads:
            return self.uploads[name]
        value = self.values.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            return self.uploads.get(value.removeprefix("attach://"))
        return None


async def read_params(request: web.Request) -> Params:
    """Collect query and body parameters of a Bot API request, in any encoding PTB uses."""
    received_at = time.monotonic()
    values: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if request.method != "POST" or not request.can_read_body:
        return Params(values, uploads, received_at)
    ctype = request.content_type
    if ctype == "application/json":
        raw = await request.read()
        if raw.strip():
            try:
                body = json.loads(raw)
            except ValueError as exc:
                raise bad_request("can't parse JSON request body") from exc
            if not isinstance(body, dict):
                raise bad_request("JSON request body must be an object")
            values.update(body)
    elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                uploads[key] = Upload(value.file.read(), value.filename, value.content_type)
            else:
                values[key] = value
    return Params(values, uploads, received_at)
