"""The console's emulator state, kept beside the bot's data (not a second database of notes).

The notes, invites and reminders live in the bot's one database under BOT_DATA_DIR, as for
`run`, `report` and `invite`. What the emulated Telegram must remember between console
sessions is small: which account each member used (so a member stays one Telegram user), and
the message and update counters (so a new session's message 1 is not taken for an old note),
and what the bot sent to a member who had no session open (shown at their next session, its
buttons still pressable: the message is put back into the new session's emulator).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emulator import BotApiEmulator, BotMessage

FIRST_USER_ID = 100_000_001
KEPT_AWAY = 50  # the latest messages kept for a member who is away
_FIELDS = (
    "method",
    "message_id",
    "date",
    "text",
    "caption",
    "entities",
    "reply_markup",
    "edit_date",
)


@dataclass
class ConsoleState:
    """Accounts by "trip/member" and the emulator's counters, as saved in `path`."""

    path: Path
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    counters: dict[str, Any] = field(default_factory=dict)
    # By account id: the bot's messages that reached it while no session of it was open.
    away: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> ConsoleState:
        """What an earlier session saved, or a fresh state (also for an unreadable file)."""
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path)
        if not isinstance(saved, dict):
            return cls(path)
        return cls(
            path,
            dict(saved.get("users") or {}),
            dict(saved.get("counters") or {}),
            dict(saved.get("away") or {}),
        )

    def resume(self, emu: BotApiEmulator) -> None:
        """Bring back the counters and every account of earlier sessions, before anything moves:
        the bot may still message those accounts (reminders to the other members)."""
        emu.state.resume_counters(self.counters)
        for saved in self.users.values():
            emu.user(
                first_name=str(saved["name"]),
                user_id=int(saved["id"]),
                language_code="zh-hant",
                started=True,
            )
        for account, messages in self.away.items():
            for saved_message in messages:
                fields = {k: saved_message[k] for k in _FIELDS if k in saved_message}
                emu.state.restore_bot_message(
                    BotMessage(chat_id=int(account), arrived_at=0.0, **fields)
                )

    def missed(self, emu: BotApiEmulator, user_id: int) -> list[BotMessage]:
        """What reached this account while it was away, oldest first (as the bot left it)."""
        ids = [int(m["message_id"]) for m in self.away.get(str(user_id), [])]
        found = (emu.state.bot_message(user_id, i) for i in ids)
        return [m for m in found if m is not None and not m.deleted]

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

    def keep_away(self, emu: BotApiEmulator, present: int) -> None:
        """Keep the bot's messages to every account but `present` (who saw theirs) for later."""
        self.away.pop(str(present), None)
        for saved in self.users.values():
            account = int(saved["id"])
            if account == present:
                continue
            messages = [m for m in emu.state.bot_messages.get(account, []) if not m.deleted]
            kept = [{k: getattr(m, k) for k in _FIELDS} for m in messages[-KEPT_AWAY:]]
            if kept:
                self.away[str(account)] = kept

    def save(self, emu: BotApiEmulator) -> None:
        """Write the accounts, the counters and what awaits absent members, atomically."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps(
                {"users": self.users, "counters": emu.state.counters(), "away": self.away}, indent=1
            ),
            encoding="utf-8",
        )
        os.replace(tmp, self.path)
