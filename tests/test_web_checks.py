"""The health check's verdicts, each from a real database state."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.storage import Storage
from bot.storage.db import Tx
from bot.web.health import check_health

NOW = datetime(2015, 5, 19, 13, 0, tzinfo=UTC)


async def _queue_notice(storage: Storage, at: datetime) -> None:
    async def write(conn: Tx) -> None:
        await conn.execute(
            "INSERT INTO notices (id, trip_id, kind, author, text_zh, text_en, created_at)"
            " VALUES (1, 't', 'announce', 'desk', 'zh', 'en', ?)",
            (at.isoformat(),),
        )
        await conn.execute(
            "INSERT INTO outbox (kind, ref, user_id, chat_id, lang, state, earliest, at)"
            " VALUES ('notice', '1', 5, 5, 'zh', 'queued', ?, ?)",
            (at.isoformat(), at.isoformat()),
        )

    await storage.db.write(write)


async def test_all_ok_then_each_failure_is_named(storage: Storage) -> None:
    fresh = time.monotonic()
    health, counts = await check_health(
        storage, NOW, scheduler_running=True, last_api_ok=fresh, api_stale=60
    )
    assert health.healthy and counts is not None and counts.outboxes["notices"] == (0, 0.0)
    await _queue_notice(storage, NOW - timedelta(minutes=30))
    health, counts = await check_health(
        storage, NOW, scheduler_running=False, last_api_ok=fresh - 120, api_stale=60
    )
    assert not health.healthy
    assert health.to_json()["failed"] == ["scheduler", "bot_api", "outbox"]
    assert health.checks["outbox"] == "stuck: notices waiting 1800 s"
    assert counts is not None and counts.outboxes["notices"] == (1, 1800.0)


async def test_a_database_that_takes_no_writes_fails_the_check(tmp_path: Path) -> None:
    storage = await Storage.open(tmp_path / "bot.sqlite3")
    await storage.close()
    health, counts = await check_health(
        storage, NOW, scheduler_running=True, last_api_ok=time.monotonic(), api_stale=60
    )
    assert health.to_json()["failed"] == ["database"] and counts is None
    assert health.checks["database"].startswith("not ")
    never, _ = await check_health(None, NOW, scheduler_running=True, last_api_ok=None, api_stale=1)
    assert never.checks["database"] == "not open" and never.checks["bot_api"] == "never reached"
