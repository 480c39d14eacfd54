"""Plain records the emulator keeps: users, chats, files and the messages the bot sent."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]


@dataclass
class EmuUser:
    """A human Telegram user driven by a test; their private chat id equals their user id."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    # Telegram refuses to let a bot open a conversation, so we track whether the user ever wrote.
    started: bool = False

    @property
    def chat_id(self) -> int:
        """The id of this user's private chat with the bot."""
        return self.id

    def to_dict(self) -> JSON:
        """The Bot API `User` object."""
        out: JSON = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            out["last_name"] = self.last_name
        if self.username:
            out["username"] = self.username
        if self.language_code:
            out["language_code"] = self.language_code
        return out


@dataclass
class EmuChat:
    """A chat the bot is in: a user's private chat, a group or a supergroup."""

    id: int
    type: str
    title: str | None = None
    user: EmuUser | None = None
    members: list[EmuUser] = field(default_factory=list)

    @property
    def is_group(self) -> bool:
        """Whether Telegram's group rate limits and `/cmd@bot` conventions apply."""
        return self.type in ("group", "supergroup")

    def to_dict(self) -> JSON:
        """The Bot API `Chat` object as embedded in messages."""
        out: JSON = {"id": self.id, "type": self.type}
        if self.user is not None:
            out["first_name"] = self.user.first_name
            if self.user.last_name:
                out["last_name"] = self.user.last_name
            if self.user.username:
                out["username"] = self.user.username
        if self.title is not None:
            out["title"] = self.title
        return out


@dataclass
class StoredFile:
    """A file the emulator can serve through getFile, uploaded by a user or by the bot."""

    file_id: str
    file_unique_id: str
    kind: str
    file_path: str
    data: bytes | None
    file_name: str | None = None
    mime_type: str | None = None
    width: int | None = None
    height: int | None = None
    duration: int | None = None
    url: str | None = None

    @property
    def file_size(self) -> int:
        """Size in bytes (0 for files known only by URL)."""
        return len(self.data) if self.data is not None else 0

    def base_dict(self) -> JSON:
        """The identifying fields shared by every Bot API file object."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
        }

    def to_dict(self) -> JSON:
        """The Bot API object for this file's kind (Document, Voice, ...; one PhotoSize)."""
        out = self.base_dict()
        if self.kind == "photo":
            out["width"] = self.width or 0
            out["height"] = self.height or 0
            return out
        if self.file_name is not None and self.kind == "document":
            out["file_name"] = self.file_name
        if self.mime_type is not None:
            out["mime_type"] = self.mime_type
        if self.duration is not None:
            out["duration"] = self.duration
        return out


@dataclass(frozen=True)
class Button:
    """One keyboard button, flattened for assertions."""

    text: str
    callback_data: str | None = None
    url: str | None = None
    row: int = 0
    column: int = 0


def keyboard_buttons(markup: JSON | None) -> list[list[Button]]:
    """Rows of buttons of an inline or reply keyboard (empty for none/remove/force_reply)."""
    if not markup:
        return []
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    out: list[list[Button]] = []
    for r, row in enumerate(rows):
        line: list[Button] = []
        for c, raw in enumerate(row):
            if isinstance(raw, str):  # reply keyboards may use bare strings
                line.append(Button(text=raw, row=r, column=c))
                continue
            line.append(
                Button(
                    text=str(raw.get("text", "")),
                    callback_data=raw.get("callback_data"),
                    url=raw.get("url"),
                    row=r,
                    column=c,
                )
            )
        out.append(line)
    return out


@dataclass(frozen=True)
class Edit:
    """A past state of a bot message, kept when the bot edits it."""

    at: float
    method: str
    text: str | None
    caption: str | None
    reply_markup: JSON | None


@dataclass
class BotMessage:
    """A message the bot sent; edits update it in place and append to `history`."""

    method: str
    chat_id: int
    message_id: int
    date: int
    arrived_at: float
    text: str | None = None
    caption: str | None = None
    raw_text: str | None = None
    parse_mode: str | None = None
    entities: list[JSON] = field(default_factory=list)
    reply_markup: JSON | None = None
    document: StoredFile | None = None
    photo: StoredFile | None = None
    contact: JSON | None = None
    location: JSON | None = None
    venue: JSON | None = None
    media_group_id: str | None = None
    reply_to_message_id: int | None = None
    edit_date: int | None = None
    deleted: bool = False
    params: JSON = field(default_factory=dict)
    history: list[Edit] = field(default_factory=list)

    @property
    def body(self) -> str:
        """Text or caption, whichever the message has (plain, markup parsed away)."""
        return self.text if self.text is not None else (self.caption or "")

    @property
    def file(self) -> StoredFile | None:
        """The attached document or photo, if any."""
        return self.document or self.photo

    @property
    def buttons(self) -> list[list[Button]]:
        """Current keyboard as rows of buttons."""
        return keyboard_buttons(self.reply_markup)

    def button_texts(self) -> list[str]:
        """Texts of all current buttons, row by row."""
        return [b.text for row in self.buttons for b in row]

    def callback_data(self) -> list[str]:
        """callback_data of all current inline buttons that have one."""
        return [b.callback_data for row in self.buttons for b in row if b.callback_data]

    def find_button(self, label: str) -> Button:
        """The button whose text or callback_data equals `label`; LookupError lists the rest."""
        flat = [b for row in self.buttons for b in row]
        for attr in ("text", "callback_data"):
            for b in flat:
                if getattr(b, attr) == label:
                    return b
        listing = ", ".join(f"{b.text!r}({b.callback_data!r})" for b in flat) or "no buttons"
        raise LookupError(f"message {self.message_id} has no button {label!r}; it has {listing}")

    def describe(self) -> str:
        """One line for error messages."""
        extra = f" buttons={self.button_texts()}" if self.reply_markup else ""
        gone = " (deleted)" if self.deleted else ""
        return f"#{self.message_id} {self.method}: {self.body[:120]!r}{extra}{gone}"


@dataclass(frozen=True)
class BotEvent:
    """Something the bot did, in order: send, edit, delete, chat action, callback answer."""

    kind: str
    method: str
    chat_id: int | None
    message_id: int | None
    at: float
    params: JSON


@dataclass
class CallbackAnswer:
    """The bot's answerCallbackQuery for a button press."""

    query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    at: float


@dataclass(frozen=True)
class ApiCall:
    """One HTTP call the bot made, with the status the emulator answered."""

    method: str
    status: int
    at: float
    description: str | None
    chat_id: int | None


@dataclass
class EmulatorStats:
    """Counters for tests and benchmarks."""

    calls: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    encodings: Counter[str] = field(default_factory=Counter)  # body Content-Type per call
    rate_limited: int = 0
    injected: int = 0
    file_downloads: int = 0

    @property
    def errors(self) -> int:
        """How many calls were answered with an error status."""
        return sum(n for status, n in self.statuses.items() if status >= 400)
