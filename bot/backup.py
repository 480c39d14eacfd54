"""Online backups of the data folder, and their restore.

`backup` copies the database with SQLite's online backup API (a consistent snapshot while the
bot keeps writing), checks the copy's integrity, then copies the media files that snapshot
refers to and the invite key, and writes a manifest of sha256 sums. `restore` checks every sum
and `PRAGMA integrity_check` before it replaces anything, keeps the database (and a different
invite key) it replaces, and refuses while a bot runs on the folder.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from bot.storage.access import KEY_FILE

DB_NAME = "bot.sqlite3"
MANIFEST = "manifest.json"
LOCK_NAME = "bot.lock"


class BackupError(RuntimeError):
    """A backup or restore cannot go on; the message says why and changes nothing."""


class DataDirInUse(BackupError):
    """Another process runs a bot on the data folder."""


@dataclass(frozen=True)
class Backup:
    """What a backup holds: the database and media files, each with its sha256."""

    files: dict[str, str]
    missing: list[str]


def hold_run_lock(data_dir: Path, *, shared: bool = False) -> IO[str]:
    """Mark the folder as in use by the one bot running on it, for as long as the returned file
    is open; raise BackupError when another process holds it. `shared`: one of a runner's
    workers on PostgreSQL, beside its siblings (they share one secret); `restore` still waits."""
    data_dir.mkdir(parents=True, exist_ok=True)
    handle = (data_dir / LOCK_NAME).open("a")
    try:
        # Alone: a second bot on the same folder would set its own webhook secret and leave the
        # first one deaf. `backup` reads without the lock; `restore` wants it alone too.
        fcntl.flock(handle, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise DataDirInUse(
            f"another bot is already running on {data_dir} (it holds {data_dir / LOCK_NAME}); "
            "stop it first, or give this one its own BOT_DATA_DIR"
        ) from None
    return handle


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _private(path: Path) -> None:
    path.chmod(0o700 if path.is_dir() else 0o600)


def take_backup(data_dir: Path, out: Path, now: datetime) -> Backup:
    """Copy the database (online) and its media into `out`, which must be new or empty."""
    source = data_dir / DB_NAME
    if not source.is_file():
        raise BackupError(f"no database at {source}")
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} is not empty; give a new folder for each backup")
    out.mkdir(parents=True, exist_ok=True)
    _private(out)
    copy = out / DB_NAME
    try:
        paths = _snapshot(source, copy)
        _check_integrity(copy, source)
    except BaseException:
        shutil.rmtree(out)  # a backup that cannot be restored must not look like one
        raise
    files = {DB_NAME: _sha256(copy)}
    # Invite codes are stored as keyed hashes: without the key, a restored folder would refuse
    # every invite not yet redeemed.
    if (data_dir / KEY_FILE).is_file():
        shutil.copyfile(data_dir / KEY_FILE, out / KEY_FILE)
        _private(out / KEY_FILE)
        files[KEY_FILE] = _sha256(out / KEY_FILE)
    missing = []
    for relative in sorted(paths):
        found = (data_dir / relative).resolve()
        if not found.is_relative_to((data_dir / "media").resolve()) or not found.is_file():
            missing.append(relative)
            continue
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        for folder in target.relative_to(out).parents:
            if folder != Path("."):
                _private(out / folder)
        shutil.copyfile(found, target)
        _private(target)
        files[relative] = _sha256(target)
    manifest = {"created_at": now.astimezone(UTC).isoformat(), "files": files, "missing": missing}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    _private(out / MANIFEST)
    return Backup(files, missing)


def _snapshot(source: Path, copy: Path) -> list[str]:
    """Copy the database online into `copy` (mode 0600); return the media paths it refers to."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(copy)
    try:
        src.backup(dst)  # all pages in one step: one read transaction, one snapshot
        rows = dst.execute(
            "SELECT DISTINCT path FROM note_files WHERE status = 'stored' AND path IS NOT NULL"
        )
        return [row[0] for row in rows]
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            f"{source}: not a readable database ({exc}); nothing was backed up"
        ) from None
    finally:
        dst.close()
        src.close()
        _private(copy)


def verify_backup(folder: Path) -> Backup:
    """Check the manifest's sums and the database's integrity; raise BackupError if wrong."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
        files: dict[str, str] = dict(manifest["files"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{folder / MANIFEST}: no readable manifest ({exc})") from None
    if DB_NAME not in files:
        raise BackupError(f"{folder / MANIFEST}: the manifest lists no {DB_NAME}")
    for relative, expected in files.items():
        path = folder / relative
        if Path(relative).is_absolute() or ".." in Path(relative).parts:
            raise BackupError(f"{folder / MANIFEST}: unsafe path {relative!r}")
        if not path.is_file():
            raise BackupError(f"{path}: listed in the manifest but missing")
        if _sha256(path) != expected:
            raise BackupError(f"{path}: sha256 does not match the manifest")
    _check_integrity(folder / DB_NAME, folder / DB_NAME)
    return Backup(files, list(manifest.get("missing", [])))


def _check_integrity(db: Path, named: Path) -> None:
    """Raise BackupError, naming `named`, unless SQLite finds `db` whole."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        verdict = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{named}: not a database ({exc})") from None
    finally:
        conn.close()
    if verdict != ["ok"]:
        raise BackupError(f"{named}: integrity_check: {'; '.join(verdict[:5])}")


def restore_backup(folder: Path, data_dir: Path, now: datetime) -> Path | None:
    """Replace the data folder's database and add the media from a verified backup; return
    where the replaced database was kept (None when there was none)."""
    backup = verify_backup(folder)
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / LOCK_NAME).open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(f"a bot is running on {data_dir}; stop it first") from None
        for relative in backup.files:
            if relative == DB_NAME:
                continue
            target = data_dir / relative
            if relative == KEY_FILE and target.is_file():
                if target.read_bytes() == (folder / relative).read_bytes():
                    continue
                target.rename(data_dir / f"{KEY_FILE}.before-restore-{now:%Y%m%dT%H%M%SZ}")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(folder / relative, target)
            _private(target)
        staged = data_dir / f"{DB_NAME}.restoring"
        shutil.copyfile(folder / DB_NAME, staged)
        _private(staged)
        with staged.open("rb") as f:
            os.fsync(f.fileno())
        current = data_dir / DB_NAME
        kept: Path | None = None
        if current.exists():
            kept = data_dir / f"{DB_NAME}.before-restore-{now:%Y%m%dT%H%M%SZ}"
            _checkpoint(current)
            current.rename(kept)
        for suffix in ("-wal", "-shm"):
            Path(f"{current}{suffix}").unlink(missing_ok=True)
        staged.rename(current)
    return kept


def _checkpoint(db: Path) -> None:
    """Fold the write-ahead log into the database file, so the kept copy is whole."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.DatabaseError:
        pass  # not a database (what is being replaced may be damaged): kept as it is
    finally:
        conn.close()
