"""What the person at the console sees of their chat: every message the bot sends, as it
arrives (reminders too), shown again when the bot edits it, and the files it sends saved."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from emulator import BotApiEmulator, BotEvent, BotMessage, StoredFile

SHOWN = ("send", "edit", "delete", "callback_answer")
QUIET = 0.4  # seconds without a new message after which the bot is taken to be done


class Screen:
    """Prints the bot's side of one chat as it happens; knows which message has buttons."""

    def __init__(
        self,
        emu: BotApiEmulator,
        chat_id: int,
        out: TextIO,
        files: Path,
        stamp: Callable[[datetime], str],
    ) -> None:
        self.emu, self.chat_id, self.out, self.files, self.stamp = emu, chat_id, out, files, stamp
        self._next = len(emu.state.events)
        self._order: list[int] = []  # the bot's messages, the one shown (or edited) last, last
        self.printed = 0
        self._shown = asyncio.Event()  # replaced by a fresh one each time something is shown
        self.prompt: str | None = None  # shown again after output that came while waiting

    async def run(self) -> None:
        """Show whatever the bot does in this chat, until cancelled."""
        state = self.emu.state
        while True:
            await state.wait_until(lambda: len(state.events) > self._next, 3600.0)
            self.show_new()

    def show_new(self) -> None:
        """Print the events not printed yet; an edit overtaken by a later one is skipped."""
        events = self.emu.state.events[self._next :]
        self._next += len(events)
        mine = [e for e in events if e.chat_id == self.chat_id and e.kind in SHOWN]
        for i, event in enumerate(mine):
            later = mine[i + 1 :]
            if event.kind == "edit" and any(
                e.kind in ("edit", "delete") and e.message_id == event.message_id for e in later
            ):
                continue
            self._show(event)
        if mine and self.prompt is not None:
            print(f"\n{self.prompt}", end="", file=self.out, flush=True)

    async def settle(self, first: float, quiet: float = QUIET) -> None:
        """Wait up to `first` s for the bot to show something, then until it has been quiet."""
        wait = first
        while True:
            try:
                await asyncio.wait_for(self._shown.wait(), wait)
            except TimeoutError:
                return
            wait = quiet

    def pressable(self) -> BotMessage | None:
        """The latest message shown that has buttons to press now."""
        for message_id in reversed(self._order):
            message = self.emu.state.bot_message(self.chat_id, message_id)
            if message is not None and not message.deleted and message.callback_data():
                return message
        return None

    def _show(self, event: BotEvent) -> None:
        self.printed += 1
        self._shown.set()
        self._shown = asyncio.Event()
        if event.kind == "callback_answer":
            text = event.params.get("text")
            if text:
                mark = "⚠️" if event.params.get("show_alert") in (True, "true", "True") else "💬"
                print(f"\n{mark} {text}", file=self.out)
            return
        assert event.message_id is not None
        message = self.emu.state.bot_message(self.chat_id, event.message_id)
        if message is None:
            return
        if event.message_id in self._order:
            self._order.remove(event.message_id)
        if event.kind == "delete":
            print(f"\n🗑 the bot deleted its message: {_first_line(message)}", file=self.out)
            return
        self._print(message, edited=event.kind == "edit")

    def replay(self, messages: list[BotMessage]) -> None:
        """Show what the bot sent this chat while no session was open, its buttons pressable."""
        if not messages:
            return
        print(f"\nWhile you were away the bot sent you {len(messages)} message(s):", file=self.out)
        for message in messages:
            self._print(message, edited=message.edit_date is not None)
        print("— end of what came while you were away —", file=self.out)

    def _print(self, message: BotMessage, edited: bool) -> None:
        self._order.append(message.message_id)
        mark = " ✏️ (edited)" if edited else ""
        body = message.body
        stored = message.file
        if stored is not None and not edited:
            body = f"{self._save(stored)}\n{body}".rstrip()
        body = body or _place(message)
        # The rehearsal instant the bot sent (or edited) it at, as the emulator dated it.
        unix = message.edit_date if edited and message.edit_date else message.date
        print(f"\n🤖 [{self.stamp(datetime.fromtimestamp(unix, UTC))}]{mark} {body}", file=self.out)
        labels = [b.text for row in message.buttons for b in row]
        if labels:
            print(
                "   " + "  ".join(f"[{i}] {label}" for i, label in enumerate(labels, 1)),
                file=self.out,
            )

    def _save(self, stored: StoredFile) -> str:
        """Keep a file the bot sent under the console's folder; the line that says where."""
        name = Path(stored.file_name or Path(stored.file_path).name).name
        if stored.data is None:
            return f"[file {name}, sent by URL {stored.url}]"
        self.files.mkdir(parents=True, exist_ok=True)
        path, n = self.files / name, 1
        while path.exists():  # an earlier export of the same name is kept
            n += 1
            path = self.files / f"{Path(name).stem}-{n}{Path(name).suffix}"
        path.write_bytes(stored.data)
        return f"[file {name}, {len(stored.data)} bytes, saved to {path}]"


def _place(message: BotMessage) -> str:
    """A venue, location or contact card as one line (they carry no text)."""
    if message.venue:
        loc = message.venue["location"]
        return (
            f"📍 [venue] {message.venue['title']} — {message.venue['address']} "
            f"({loc['latitude']}, {loc['longitude']})"
        )
    if message.location:
        return f"📍 [location] ({message.location['latitude']}, {message.location['longitude']})"
    if message.contact:
        name = " ".join(
            filter(None, (message.contact.get("first_name"), message.contact.get("last_name")))
        )
        return f"👤 [contact] {name} {message.contact['phone_number']}"
    return ""


def _first_line(message: BotMessage) -> str:
    line = message.body.split("\n", 1)[0]
    return line[:60] + ("…" if len(line) > 60 else "")
