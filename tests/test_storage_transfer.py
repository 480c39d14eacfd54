"""migrate-db: every table copied, counts checked, a used target refused without --replace."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from bot.changes.model import Change
from bot.cli import main
from bot.storage import NewInvite, Storage
from tests import dbs
from tests.test_storage_shared import NOW, TRIP, _draft


async def _seed(path: Path) -> None:
    store = await Storage.open(path)
    try:
        for message_id in range(1, 6):
            await store.add_note(_draft(message_id), NOW)
        await store.create_invite(
            NewInvite("h1", TRIP, "m1", "delegate", "desk", NOW, NOW + timedelta(hours=72))
        )
        await store.redeem_invite("h1", user_id=7, chat_id=7, lang="zh", name="K", now=NOW)
        draft_id = await store.save_draft(TRIP, 7, 0, Change("cancel", leg="leg-1"), NOW)
        draft = await store.draft(draft_id)
        assert draft is not None
        members = await store.trip_members(TRIP)
        assert await store.publish_change(draft, "desk", frozenset(), ("z", "e"), members, NOW)
    finally:
        await store.close()


def _target(tmp_path: Path) -> str:
    """The run's PostgreSQL server, or another SQLite file."""
    return dbs.database_url(tmp_path / "target") or f"sqlite:///{tmp_path / 'target.sqlite3'}"


def test_migrate_db_copies_every_table_and_new_rows_follow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "data" / "bot.sqlite3"
    asyncio.run(_seed(source))
    target = _target(tmp_path)
    assert main(["migrate-db", "--from", f"sqlite:///{source}", "--to", target]) == 0
    out = capsys.readouterr().out
    assert "notes" in out and "counts match" in out
    assert any(line.split()[:4] == ["notes", "5", "→", "5"] for line in out.splitlines())
    url = None if target.startswith("sqlite:") else target
    path = Path(target[len("sqlite://") :]) if url is None else tmp_path / "t" / "bot.sqlite3"
    asyncio.run(_check(path, url))


async def _check(path: Path, url: str | None) -> None:
    store = await Storage.open(path, url)
    try:
        assert [n.text for n in await store.notes_of_trip(TRIP)][:2] == ["筆記 1", "筆記 2"]
        assert [m.user_id for m in await store.trip_members(TRIP)] == [7]
        assert await store.trip_version(TRIP) == 1
        note, outcome = await store.add_note(_draft(6), NOW)  # ids continue after the copied
        assert outcome == "new" and note.id == 6
    finally:
        await store.close()


def test_a_target_with_data_is_refused_unless_replace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "data" / "bot.sqlite3"
    asyncio.run(_seed(source))
    target = _target(tmp_path)
    args = ["migrate-db", "--from", f"sqlite:///{source}", "--to", target]
    assert main(args) == 0
    capsys.readouterr()
    assert main(args) == 3
    assert "already holds data" in capsys.readouterr().err
    assert main([*args, "--replace"]) == 0
    assert "counts match" in capsys.readouterr().out


def test_a_bad_url_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate-db", "--from", "mysql://x", "--to", "sqlite:///y"]) == 2
    assert "--from" in capsys.readouterr().err
    assert main(["migrate-db", "--from", f"sqlite:///{tmp_path}/none", "--to", "sqlite:///y"]) == 2
    assert "no database file" in capsys.readouterr().err
