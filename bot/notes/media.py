"""Media files of notes: fetched with getFile, kept under the data dir by their sha256."""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
import os
import re
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from http.client import HTTPException, InvalidURL
from pathlib import Path

from telegram import Bot
from telegram.error import BadRequest, Forbidden, TelegramError

# The extension comes from the MIME type; a name the user chose only says which known one.
_EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/heic": ".heic",
    "application/pdf": ".pdf",
    "audio/ogg": ".ogg",
    "audio/mpeg": ".mp3",
    "audio/mp4": ".m4a",
    "video/mp4": ".mp4",
    "text/plain": ".txt",
    "application/zip": ".zip",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
}
_GENERIC = {"", "application/octet-stream", "binary/octet-stream", "application/x-binary"}
_SUFFIX = re.compile(r"\.[a-z0-9]{1,5}")
_UNSAFE = re.compile(r"[^\w.\-]+")
DOWNLOAD_TIMEOUT = 60.0  # seconds without progress before a download is retried later
_CHUNK = 1 << 18


def extension(mime_type: str | None, file_name: str | None = None) -> str:
    """A file extension for a MIME type; for a type it does not say (a generic
    application/octet-stream, say), the file name's own if it is a known one; else '.bin'."""
    mime = (mime_type or "").lower()
    known = _EXTENSIONS.get(mime) or (
        mimetypes.guess_extension(mime, strict=True) if mime not in _GENERIC else None
    )
    if known:
        return known
    suffix = os.path.splitext(file_name or "")[1].lower()
    # Only a suffix the mimetypes registry knows: never one the user made up.
    if _SUFFIX.fullmatch(suffix) and suffix in mimetypes.types_map:
        return suffix
    return ".bin"


def safe_name(name: str, limit: int = 80) -> str:
    """A user-supplied file name reduced to one harmless path component."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE.sub("_", base).strip("._") or "file"
    return cleaned[:limit]


@dataclass(frozen=True)
class StoredMedia:
    """Where a file landed: its path relative to the data dir, hash and size."""

    path: str
    sha256: str
    size: int


class MediaStore:
    """Content-addressed files under `<data_dir>/media/`; the same bytes are stored once."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir.resolve()
        self.root = self.data_dir / "media"

    def path_of(self, relative: str) -> Path:
        """The absolute path of a stored file; refuses anything outside the media folder."""
        target = (self.data_dir / relative).resolve()
        if not target.is_relative_to(self.root):
            raise ValueError(f"not a media path: {relative!r}")
        return target

    def put(self, data: bytes, mime_type: str | None) -> StoredMedia:
        """Write `data` (atomically, durably) and return where it is."""
        return self.put_stream([data], mime_type)

    def put_stream(
        self, chunks: Iterable[bytes], mime_type: str | None, expected: int | None = None
    ) -> StoredMedia:
        """Write the chunks aside while hashing them, then file them under their hash.

        With `expected`, a stream that ends short (a connection closed early) raises OSError and
        stores nothing: a truncated photo must not become the note's file."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        # Write aside and rename: a crash never leaves a half file under the final name.
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                if expected is not None and size != expected:
                    raise OSError(f"download ended at {size} of {expected} bytes")
                out.flush()
                os.fsync(out.fileno())
            hexdigest = digest.hexdigest()
            relative = f"media/{hexdigest[:2]}/{hexdigest}{extension(mime_type)}"
            target = self.path_of(relative)
            if target.exists():  # the same bytes are stored once
                os.unlink(tmp)
            else:
                target.parent.mkdir(exist_ok=True)
                os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return StoredMedia(relative, hexdigest, size)

    def remove_partials(self, untouched_for: float = 0.0, now: float | None = None) -> int:
        """Delete files a killed run left half-written; how many there were. On a volume other
        workers write to, only parts untouched for `untouched_for` seconds by file time (`now`,
        on that clock): a download in flight writes to its part, a stalled one gives up within a
        minute."""
        parts = list(self.root.glob(".part-*")) if self.root.is_dir() else []
        if untouched_for > 0:
            parts = [p for p in parts if _untouched(p, untouched_for, now)]
        for part in parts:
            part.unlink(missing_ok=True)
        return len(parts)

    def read(self, relative: str) -> bytes:
        """The bytes of a stored file."""
        return self.path_of(relative).read_bytes()

    def size(self) -> int:
        """Bytes used by every stored file."""
        return sum(p.stat().st_size for p in self.root.rglob("*") if p.is_file())


class DownloadError(Exception):
    """A file could not be fetched; `final` when trying again cannot help."""

    def __init__(self, reason: str, *, final: bool) -> None:
        super().__init__(reason)
        self.final = final


async def fetch(bot: Bot, file_id: str, store: MediaStore, mime_type: str | None) -> StoredMedia:
    """getFile, download and store one file."""
    try:
        remote = await bot.get_file(file_id)
        url = remote.file_path or ""
        if url.startswith(("http://", "https://")):
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                _DOWNLOADERS, _download, url, store, mime_type, remote.file_size
            )
        data = bytes(await remote.download_as_bytearray())  # a local Bot API server's path
    except (BadRequest, Forbidden) as exc:
        # Telegram refuses this file for good (too big, unknown id): retrying cannot help.
        raise DownloadError(str(exc), final=True) from exc
    except (TimeoutError, TelegramError, OSError, HTTPException) as exc:
        raise DownloadError(f"{type(exc).__name__}: {exc}", final=False) from exc
    return await asyncio.to_thread(store.put, data, mime_type)


# Downloads have threads of their own: a stalled one may hold its thread for a minute, and
# asyncio's default pool also resolves the Bot API's host name for every new connection.
_DOWNLOADERS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="download")


def _download(
    url: str, store: MediaStore, mime_type: str | None, file_size: int | None
) -> StoredMedia:
    """Stream a file to the store on a worker thread.

    Not through PTB's async client: that reads a file 64 KiB at a time through several layers
    of Python on the event loop, so a 20 MB handout would hold up every other delegate's reply.
    Here the socket reads run in C without the GIL. The URL holds the bot token, so no error
    raised here carries it.
    """
    try:
        response = urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise OSError(f"HTTP {exc.code} {exc.reason}") from None
    except InvalidURL:
        raise OSError("the file URL is not valid") from None
    with response:
        expected = response.length if response.length is not None else file_size
        return store.put_stream(iter(partial(response.read, _CHUNK), b""), mime_type, expected)


def _untouched(part: Path, seconds: float, now: float | None) -> bool:
    """Whether a file was last written more than `seconds` before `now` (file time)."""
    try:
        written = part.stat().st_mtime
    except FileNotFoundError:
        return False  # its download finished meanwhile
    return (now if now is not None else time.time()) - written > seconds
