"""Field notes: one row per note, every message that fed it, its files and its history."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from typing import Any, Literal, cast

from bot.notes.model import Attachment, Note, NoteDraft, Section
from bot.storage.db import Database, Row, Tx, from_db, to_db

Outcome = Literal["new", "added", "replay"]


@dataclass(frozen=True)
class PendingFile:
    """A file of a note that is not downloaded yet."""

    id: int
    note_id: int
    user_id: int
    chat_id: int
    file_id: str
    mime_type: str | None
    kind: str
    attempts: int
    message_id: int = 0


_FILE_COLUMNS = (
    "kind",
    "status",
    "file_id",
    "path",
    "sha256",
    "mime_type",
    "size",
    "file_name",
    "caption",
    "duration",
    "latitude",
    "longitude",
)
_EDITABLE = frozenset({"text", "sections", "contacts", "leg_id", "deleted_at"})


def _sections(text: str) -> frozenset[Section]:
    return frozenset(cast(Section, s) for s in text.split(",") if s)


def _join(values: Iterable[str]) -> str:
    return ",".join(sorted(values))


def _attachment(row: Row) -> Attachment:
    values = {name: row[name] for name in _FILE_COLUMNS}
    return Attachment(**values, id=row["id"], message_id=row["message_id"])


def _new_note(note_id: int, draft: NoteDraft, files: Sequence[Attachment]) -> Note:
    return Note(
        id=note_id,
        trip_id=draft.trip_id,
        member_id=draft.member_id,
        user_id=draft.user_id,
        leg_id=draft.leg_id,
        taken_at=draft.taken_at.astimezone(UTC),
        text=draft.text,
        sections=draft.sections,
        contacts=tuple(c for c in sorted(draft.contacts) if c),
        attachments=tuple(files),
        chat_id=draft.chat_id,
    )


def _note(row: Row, files: Sequence[Attachment]) -> Note:
    return Note(
        id=row["id"],
        trip_id=row["trip_id"],
        member_id=row["member_id"],
        user_id=row["user_id"],
        leg_id=row["leg_id"],
        taken_at=from_db(row["taken_at"]),
        text=row["text"],
        sections=_sections(row["sections"]),
        contacts=tuple(c for c in row["contacts"].split(",") if c),
        attachments=tuple(files),
        deleted=row["deleted_at"] is not None,
        chat_id=row["chat_id"],
        locked=row["locked_at"] is not None,
    )


class NotesStore:
    """Storage methods for field notes; a message is stored once, however often it arrives."""

    db: Database

    async def add_note(self, draft: NoteDraft, now: datetime) -> tuple[Note, Outcome]:
        """Store a message as a note (or as one more part of its album); idempotent per message."""
        note_id, outcome, stored = await self.db.write(partial(_add_note, draft, now))
        if outcome == "new":
            # Everything of a new note is in hand: reading it back would only cost round trips.
            return _new_note(note_id, draft, stored), outcome
        note = await self.note(note_id)
        assert note is not None
        return note, outcome

    async def note(self, note_id: int) -> Note | None:
        """One note, deleted or not."""
        found = await self._notes("n.id = ?", (note_id,))
        return found[0] if found else None

    async def note_of_message(self, chat_id: int, message_id: int) -> Note | None:
        """The note a Telegram message became, if any."""
        note_id = await _note_of_message(self.db, chat_id, message_id)
        return None if note_id is None else await self.note(note_id)

    async def notes_of_trip(self, trip_id: str) -> list[Note]:
        """Every note of a trip that is not deleted, in the order they were taken."""
        return await self._notes("n.trip_id = ? AND n.deleted_at IS NULL", (trip_id,))

    async def notes_of_user(self, user_id: int) -> list[Note]:
        """An account's notes that are not deleted, in the order they were taken."""
        return await self._notes("n.user_id = ? AND n.deleted_at IS NULL", (user_id,))

    async def update_note(self, note_id: int, change: str, now: datetime, **fields: Any) -> Note:
        """Change a note's text, sections, contacts, leg or deletion, keeping the old version."""
        if not fields.keys() <= _EDITABLE:
            raise ValueError(f"not editable: {sorted(fields.keys() - _EDITABLE)}")
        values = {k: _join(v) if k in ("sections", "contacts") else v for k, v in fields.items()}
        deleted = values.get("deleted_at")
        if isinstance(deleted, datetime):
            values["deleted_at"] = to_db(deleted)
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO note_revisions (note_id, changed_at, change, text, sections, contacts,"
                " leg_id, deleted_at) SELECT id, ?, ?, text, sections, contacts, leg_id, deleted_at"
                " FROM notes WHERE id = ?",
                (to_db(now), change, note_id),
            )
            sets = ", ".join(f"{k} = ?" for k in values)
            await conn.execute(f"UPDATE notes SET {sets} WHERE id = ?", (*values.values(), note_id))
        note = await self.note(note_id)
        assert note is not None
        return note

    async def note_history(self, note_id: int) -> list[tuple[str, str]]:
        """(change, text before it) for each change of a note, oldest first."""
        async with self.db.execute(
            "SELECT change, text FROM note_revisions WHERE note_id = ? ORDER BY id", (note_id,)
        ) as cur:
            return [(row[0], row[1]) for row in await cur.fetchall()]

    async def lock_notes(self, trip_id: str, now: datetime) -> None:
        """Mark a trip's notes as compiled into the report: they can no longer be deleted."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE notes SET locked_at = ? WHERE trip_id = ? AND locked_at IS NULL",
                (to_db(now), trip_id),
            )

    async def pending_files(self) -> list[PendingFile]:
        """Every file still to download, oldest first."""
        async with self.db.execute(
            "SELECT f.id, f.note_id, n.user_id, n.chat_id, f.file_id, f.mime_type, f.kind,"
            " f.attempts, f.message_id FROM note_files f JOIN notes n ON n.id = f.note_id"
            " WHERE f.status = 'pending' ORDER BY f.id"
        ) as cur:
            return [PendingFile(*row) for row in await cur.fetchall()]

    async def file_stored(
        self, file_row: int, *, path: str, sha256: str, size: int, mime_type: str | None
    ) -> int:
        """Record a downloaded file; returns its note's id."""

        async def mark(conn: Tx) -> int:
            await conn.execute(
                "UPDATE note_files SET status = 'stored', path = ?, sha256 = ?, size = ?,"
                " mime_type = COALESCE(mime_type, ?), attempts = attempts + 1, error = NULL"
                " WHERE id = ?",
                (path, sha256, size, mime_type, file_row),
            )
            found = await conn.execute("SELECT note_id FROM note_files WHERE id = ?", (file_row,))
            row = await found.fetchone()
            return int(row[0]) if row else 0

        return await self.db.write(mark)

    async def file_not_stored(self, file_row: int, error: str, *, final: bool) -> None:
        """Count a failed download; a final failure stops the retries."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE note_files SET attempts = attempts + 1, error = ?,"
                " status = CASE WHEN ? THEN 'failed' ELSE status END WHERE id = ?",
                (error[:500], final, file_row),
            )

    async def _notes(self, where: str, params: tuple[Any, ...]) -> list[Note]:
        conn = self.db
        async with conn.execute(
            f"SELECT * FROM notes n WHERE {where} ORDER BY n.taken_at, n.id", params
        ) as cur:
            rows = list(await cur.fetchall())
        files: dict[int, list[Attachment]] = {}
        async with conn.execute(
            f"SELECT f.* FROM note_files f JOIN notes n ON n.id = f.note_id WHERE {where}"
            " ORDER BY f.message_id, f.id",
            params,
        ) as cur:
            for row in await cur.fetchall():
                files.setdefault(row["note_id"], []).append(_attachment(row))
        return [_note(row, files.get(row["id"], ())) for row in rows]


async def _note_of_message(conn: Tx | Database, chat_id: int, message_id: int) -> int | None:
    async with conn.execute(
        "SELECT note_id FROM note_messages WHERE chat_id = ? AND message_id = ?",
        (chat_id, message_id),
    ) as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else None


async def _add_note(
    draft: NoteDraft, now: datetime, conn: Tx
) -> tuple[int, Outcome, list[Attachment]]:
    """Inside one transaction: the message's note id, what happened, and the files it added."""
    note_id = await _note_of_message(conn, draft.chat_id, draft.message_id)
    if note_id is not None:
        return note_id, "replay", []
    outcome: Outcome = "new"
    note_id = await _insert(conn, draft, now)
    if note_id < 0:
        note_id, outcome = -note_id, "added"
    await conn.execute(
        "INSERT INTO note_messages (chat_id, message_id, note_id) VALUES (?, ?, ?)",
        (draft.chat_id, draft.message_id, note_id),
    )
    stored = []
    for a in draft.attachments:
        values = [getattr(a, name) for name in _FILE_COLUMNS]
        cur = await conn.execute(
            f"INSERT INTO note_files (note_id, message_id, {', '.join(_FILE_COLUMNS)})"
            f" VALUES (?, ?{', ?' * len(_FILE_COLUMNS)})",
            (note_id, draft.message_id, *values),
        )
        stored.append(replace(a, id=cur.lastrowid, message_id=draft.message_id))
    return note_id, outcome, stored


async def _insert(conn: Tx, draft: NoteDraft, now: datetime) -> int:
    """A new note's id, or minus the id of the album note this part joins."""
    if draft.album is not None:
        found = await conn.execute(
            "SELECT id, text, sections, contacts, taken_at FROM notes"
            " WHERE chat_id = ? AND album = ?",
            (draft.chat_id, draft.album),
        )
        row = await found.fetchone()
        if row is not None:
            # Telegram puts an album's caption on one part, not always the first to arrive.
            if draft.text and not row["text"]:
                await conn.execute(
                    "UPDATE notes SET text = ?, sections = ?, contacts = ? WHERE id = ?",
                    (
                        draft.text,
                        _join(draft.sections | _sections(row["sections"])),
                        _join({*draft.contacts, *row["contacts"].split(",")} - {""}),
                        row["id"],
                    ),
                )
            return -int(row["id"])
    cur = await conn.execute(
        "INSERT INTO notes (trip_id, member_id, user_id, chat_id, album, leg_id, taken_at, text,"
        " sections, contacts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            draft.trip_id,
            draft.member_id,
            draft.user_id,
            draft.chat_id,
            draft.album,
            draft.leg_id,
            to_db(draft.taken_at),
            draft.text,
            _join(draft.sections),
            _join(draft.contacts),
            to_db(now),
        ),
    )
    assert cur.lastrowid is not None
    return int(cur.lastrowid)
