"""Bot API methods that carry files: uploads, media groups and getFile."""

from __future__ import annotations

import mimetypes
import struct
from typing import Any

from emulator.api_messages import MAX_CAPTION, new_message, render_text
from emulator.formatting import render
from emulator.models import JSON, StoredFile
from emulator.params import ApiError, Params, Upload, bad_request
from emulator.state import EmulatorState, Handler

MAX_UPLOAD = 50 * 1024 * 1024  # Telegram's limit for files a bot sends
MAX_PHOTO = 10 * 1024 * 1024
MAX_DOWNLOAD = 20 * 1024 * 1024  # getFile refuses bigger files for bots


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, GIF, JPEG, WebP or BMP image; None if it is not one."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        w, h = struct.unpack(">II", data[16:24])
        return int(w), int(h)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        w, h = struct.unpack("<HH", data[6:10])
        return int(w), int(h)
    if data.startswith(b"BM") and len(data) >= 26:
        w, h = struct.unpack("<ii", data[18:26])
        return abs(int(w)), abs(int(h))
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return 0, 0  # dimensions vary by WebP flavour and nobody needs them here
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        # SOFn frames carry the size; C4/C8/CC are other tables with similar numbers.
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            h, w = struct.unpack(">HH", data[i + 5 : i + 9])
            return int(w), int(h)
        i += 2 + length
    return (0, 0) if len(data) > 2 else None


def _store_upload(st: EmulatorState, kind: str, up: Upload) -> StoredFile:
    if len(up.data) > MAX_UPLOAD:
        raise ApiError(413, "Request Entity Too Large")
    mime = up.content_type
    if not mime or mime == "application/octet-stream":
        mime = mimetypes.guess_type(up.filename or "")[0] or mime
    extra: dict[str, Any] = {}
    if kind == "photo":
        if len(up.data) > MAX_PHOTO:
            raise bad_request("photo is too big: more than 10 MB")
        size = image_size(up.data)
        if size is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        extra = {"width": size[0], "height": size[1]}
    return st.store_file(kind, up.data, file_name=up.filename, mime_type=mime, **extra)


def input_file(st: EmulatorState, value: Any, upload: Upload | None, kind: str) -> StoredFile:
    """An uploaded part, a known file_id or an HTTP URL, as Telegram accepts all three."""
    if upload is not None:
        return _store_upload(st, kind, upload)
    if not isinstance(value, str) or not value:
        raise bad_request(f"there is no {kind} in the request")
    if value.startswith(("http://", "https://")):
        return st.store_file(kind, None, file_name=value.rsplit("/", 1)[-1], url=value)
    stored = st.files.get(value)
    if stored is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    if (stored.kind == "photo") != (kind == "photo"):
        raise bad_request(f"can't use file of type {stored.kind.title()} as {kind.title()}")
    return stored


async def send_document(st: EmulatorState, p: Params) -> JSON:
    """sendDocument."""
    caption, entities = render_text(p, "caption", MAX_CAPTION, required=False)
    doc = input_file(st, p.values.get("document"), p.upload("document"), "document")
    msg = new_message(st, "sendDocument", p, document=doc, caption=caption, entities=entities)
    return st.message_json(msg)


async def send_photo(st: EmulatorState, p: Params) -> JSON:
    """sendPhoto."""
    caption, entities = render_text(p, "caption", MAX_CAPTION, required=False)
    photo = input_file(st, p.values.get("photo"), p.upload("photo"), "photo")
    msg = new_message(st, "sendPhoto", p, photo=photo, caption=caption, entities=entities)
    return st.message_json(msg)


async def send_media_group(st: EmulatorState, p: Params) -> list[JSON]:
    """sendMediaGroup for photos or documents (2-10 items, not mixed, as Telegram requires)."""
    media = p.get_json("media")
    if not isinstance(media, list) or not 2 <= len(media) <= 10:
        raise bad_request("media group must contain 2-10 items")
    kinds = {item.get("type") for item in media if isinstance(item, dict)}
    if not kinds <= {"photo", "document"} or len(kinds) != 1:
        raise bad_request("media group items must be all photos or all documents in the emulator")
    kind = str(kinds.pop())
    items: list[tuple[StoredFile, str | None, list[JSON]]] = []
    for item in media:
        value = item.get("media")
        upload = None
        if isinstance(value, str) and value.startswith("attach://"):
            upload = p.uploads.get(value.removeprefix("attach://"))
            if upload is None:
                raise bad_request(f"file {value} not found in the request")
        caption: str | None = None
        entities: list[JSON] = []
        if item.get("caption"):
            caption, entities = render(
                item["caption"], item.get("parse_mode"), item.get("caption_entities")
            )
            if len(caption) > MAX_CAPTION:
                raise bad_request("message caption is too long")
        items.append((input_file(st, value, upload, kind), caption, entities))
    group_id = str(10**12 + st.next_id())
    out = []
    for stored, caption, entities in items:
        fields: dict[str, Any] = {kind: stored, "caption": caption, "entities": entities}
        msg = new_message(st, "sendMediaGroup", p, media_group_id=group_id, **fields)
        out.append(st.message_json(msg))
    return out


async def get_file(st: EmulatorState, p: Params) -> JSON:
    """getFile: file_path is relative; PTB prefixes base_file_url + token."""
    stored = st.files.get(p.require_str("file_id"))
    if stored is None:
        raise bad_request("invalid file_id")
    if stored.data is None:
        raise bad_request("file was sent by URL and has no stored content in the emulator")
    if stored.file_size > MAX_DOWNLOAD:
        raise bad_request("file is too big")
    return {**stored.base_dict(), "file_path": stored.file_path}


METHODS: dict[str, Handler] = {
    "sendDocument": send_document,
    "sendPhoto": send_photo,
    "sendMediaGroup": send_media_group,
    "getFile": get_file,
}
