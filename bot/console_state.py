"""The console's emulator state, kept beside the bot's data (not a second database of notes).

The notes, invites and reminders live in the bot's one database under BOT_DATA_DIR, as for
`run`, `report` and `invite`. What the emulated Telegram must remember between console
sessions is small: which account each member used (so a member stays one Telegram user), and
the message and update counters (so a new session's message 1 is not taken for an old note).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.emulator import BotApiEmulator

FIRST_USER_ID = 100_000_001


@dataclass
class ConsoleState:
    """Accounts by "trip/member" and the emulator's counters, as saved in `path`."""

    path: Path
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    counters: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> ConsoleState:
        """What an earlier session saved, or a fresh state (also for an unreadable file)."""
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path)
        if not isinstance(saved, dict):
            return cls(path)
        return cls(path, dict(saved.get("users") or {}), dict(saved.get("counters") or {}))

    def resume(self, emu: BotApiEmulator) -> None:
        """Bring back the counters and every account of earlier sessions, before anything moves:
        the bot may still message those accounts (reminders to the other members)."""
        emu.state.resume_counters(self.counters)
        for saved in self.users.values():
            emu.user(first_name=str(saved["name"]), user_id=int(saved["id"]),
                     language_code="zh-hant", started=True)  # fmt: skip

    def account_id(self, trip_id: str, member_id: str) -> int | None:
        """The Telegram account id this member used in the console, if any."""
        saved = self.users.get(f"{trip_id}/{member_id}")
        return int(saved["id"]) if saved else None

    def new_id(self) -> int:
        """A Telegram account id no session has used."""
        return max([FIRST_USER_ID - 1, *(int(u["id"]) for u in self.users.values())]) + 1

    def remember(self, trip_id: str, member_id: str, user_id: int, name: str) -> None:
        """This member now uses this account in the console."""
        self.users[f"{trip_id}/{member_id}"] = {"id": user_id, "name": name}

    def save(self, emu: BotApiEmulator) -> None:
        """Write the accounts and the counters, atomically."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps({"users": self.users, "counters": emu.state.counters()}, indent=1),
            encoding="utf-8",
        )
        os.replace(tmp, self.path)
