"""The health check: the database takes writes, the scheduler runs, the Bot API answered lately,
the outboxes move, and (by webhook) Telegram's deliveries reach this bot. It names what failed
and nothing of any trip."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, replace
from datetime import datetime

from bot.storage import OpsCounts, Storage

DB_TIMEOUT = 2.0  # seconds; a write that takes longer is a database in trouble
OUTBOX_STUCK = 600.0  # seconds a send may wait; 1,000 recipients at 30/s take under a minute


@dataclass(frozen=True)
class Health:
    """Each check's verdict ("ok" or what is wrong); healthy when all are "ok"."""

    checks: dict[str, str]
    sender: bool | None = None  # whether this worker holds the sender lease (None: unknown)

    @property
    def healthy(self) -> bool:
        """Whether every check passed."""
        return all(v == "ok" for v in self.checks.values())

    def to_json(self) -> dict[str, object]:
        """The body of /healthz."""
        failed = [name for name, verdict in self.checks.items() if verdict != "ok"]
        status = "ok" if not failed else "failing"
        body: dict[str, object] = {"status": status, "failed": failed, "checks": self.checks}
        if self.sender is not None:
            body["sender"] = self.sender
        return body


async def check_health(
    storage: Storage | None,
    now: datetime,
    *,
    scheduler_running: bool,
    last_api_ok: float | None,
    api_stale: float,
    webhook: str | None = None,
    sender: bool | None = None,
) -> tuple[Health, OpsCounts | None]:
    """Run every check; also return the database's counts when it could be read. `webhook`:
    the probe's verdict on Telegram's deliveries (None when polling: no such check); `sender`:
    whether this worker holds the sender lease, reported beside the checks (not one of them:
    of several workers, all but one are healthy without it)."""
    checks: dict[str, str] = {}
    counts: OpsCounts | None = None
    if storage is None:
        checks["database"] = "not open"
    else:
        try:
            await asyncio.wait_for(storage.heartbeat(now), DB_TIMEOUT)
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = f"not writable: {type(exc).__name__}"
        try:
            counts = await asyncio.wait_for(storage.ops_counts(now), DB_TIMEOUT)
        except Exception as exc:
            checks["database"] = f"not readable: {type(exc).__name__}"
    checks["scheduler"] = "ok" if scheduler_running else "stopped"
    if last_api_ok is None:
        checks["bot_api"] = "never reached"
    else:
        silent = time.monotonic() - last_api_ok
        checks["bot_api"] = "ok" if silent <= api_stale else f"not reached for {silent:.0f} s"
    stuck = [
        f"{name} waiting {age:.0f} s"
        for name, (_, age) in (counts.outboxes.items() if counts else ())
        if age > OUTBOX_STUCK
    ]
    checks["outbox"] = "ok" if not stuck else "stuck: " + ", ".join(stuck)
    if webhook is not None:
        checks["webhook"] = webhook
    if counts is not None and sender is not None:
        counts = replace(counts, sender=sender)
    return Health(checks, sender), counts
