"""Everything the emulated Telegram server remembers, shared by the HTTP and user sides."""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
import time
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from emulator.models import (
    JSON,
    ApiCall,
    BotEvent,
    BotMessage,
    CallbackAnswer,
    EmuChat,
    EmuUser,
    StoredFile,
)
from emulator.params import ApiError, Params, bad_request
from emulator.updates import UpdateQueue
from emulator.webhook import WebhookDelivery

# (scope type, chat id, user id) as in BotCommandScope*, plus the language code ("" for all).
ScopeKey = tuple[str, int | None, int | None]

_FILE_DIRS = {"photo": "photos", "document": "documents", "voice": "voice"}
_DEFAULT_EXT = {"photo": ".jpg", "voice": ".oga", "document": ""}


class EmulatorState:
    """Users, chats, messages, files, menus and the update queue of one emulated bot."""

    def __init__(
        self,
        bot_id: int,
        bot_username: str,
        bot_first_name: str,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.bot_user: JSON = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self._now = now
        self.users: dict[int, EmuUser] = {}
        self.chats: dict[int, EmuChat] = {}
        self.bot_messages: dict[int, list[BotMessage]] = {}
        self.user_messages: dict[tuple[int, int], JSON] = {}
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.commands: dict[tuple[ScopeKey, str], list[JSON]] = {}
        self.callback_queries: dict[str, JSON] = {}
        self.callback_answers: dict[str, CallbackAnswer] = {}
        self.events: list[BotEvent] = []
        # Bounded so long benchmarks do not grow without limit.
        self.calls: deque[ApiCall] = deque(maxlen=20_000)
        self.queue = UpdateQueue()
        self.webhook = WebhookDelivery(self.queue, self.changed)
        self._message_ids: dict[int, int] = {}
        self._by_id: dict[tuple[int, int], BotMessage] = {}
        self._last_id = 0
        self._changed = asyncio.Event()

    @property
    def bot_username(self) -> str:
        """The bot's @username without the @."""
        return str(self.bot_user["username"])

    def unix_now(self) -> int:
        """Message `date`: the injected clock if any, else the wall clock."""
        return int(self._now().timestamp() if self._now else time.time())

    def next_id(self) -> int:
        """A fresh number for ids that only need to be unique."""
        self._last_id += 1
        return self._last_id

    def counters(self) -> JSON:
        """The counters ids come from (JSON): kept by whoever runs one emulator after another
        against the same bot data, so that no message or update id comes twice."""
        return {
            "message_ids": {str(chat): n for chat, n in self._message_ids.items()},
            "update_id": self.queue.next_update_id,
            "id": self._last_id,
        }

    def resume_counters(self, saved: JSON) -> None:
        """Go on from counters saved by `counters()` (before anything is sent)."""
        for chat, n in dict(saved.get("message_ids", {})).items():
            self._message_ids[int(chat)] = max(self._message_ids.get(int(chat), 0), int(n))
        self.queue.next_update_id = max(self.queue.next_update_id, int(saved.get("update_id", 1)))
        self._last_id = max(self._last_id, int(saved.get("id", 0)))

    def next_message_id(self, chat_id: int) -> int:
        """Message ids are per chat and shared by the user's and the bot's messages."""
        self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
        return self._message_ids[chat_id]

    def chat(self, chat_id: int) -> EmuChat:
        """A known chat, or Telegram's 400 "chat not found"."""
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def chat_for_sending(self, chat_id: int) -> EmuChat:
        """A chat the bot may post in; private chats need the user to have written first."""
        chat = self.chat(chat_id)
        if chat.user is not None and not chat.user.started:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        return chat

    def resolve_chat_id(self, value: Any) -> int:
        """A chat_id parameter as int; "@username" is looked up among users and groups."""
        if isinstance(value, str) and value.startswith("@"):
            name = value[1:].lower()
            for chat in self.chats.values():
                owner = chat.user.username if chat.user else chat.title
                if owner and owner.lower() == name:
                    return chat.id
            raise bad_request("chat not found")
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise bad_request("chat not found") from exc

    def store_file(
        self,
        kind: str,
        data: bytes | None,
        file_name: str | None = None,
        mime_type: str | None = None,
        **extra: Any,
    ) -> StoredFile:
        """Keep file bytes and give them a file_id and a download path."""
        n = self.next_id()
        digest = hashlib.sha1(data or extra.get("url", "").encode()).hexdigest()
        ext = ""
        if file_name and "." in file_name:
            ext = "." + file_name.rsplit(".", 1)[1]
        elif mime_type:
            ext = mimetypes.guess_extension(mime_type) or ""
        ext = ext or _DEFAULT_EXT.get(kind, "")
        stored = StoredFile(
            file_id=f"emu-{kind}-{n}-{digest[:12]}",
            # Same bytes, same unique id: Telegram deduplicates content the same way.
            file_unique_id=f"U{digest[:15]}",
            kind=kind,
            file_path=f"{_FILE_DIRS.get(kind, kind)}/file_{n}{ext}",
            data=data,
            file_name=file_name,
            mime_type=mime_type,
            **extra,
        )
        self.files[stored.file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored

    def add_bot_message(self, msg: BotMessage) -> None:
        """Record a message the bot just sent."""
        self.bot_messages.setdefault(msg.chat_id, []).append(msg)
        self._by_id[(msg.chat_id, msg.message_id)] = msg
        self.record_event("send", msg.method, msg.chat_id, msg.message_id, msg.params)

    def restore_bot_message(self, msg: BotMessage) -> None:
        """Put back a message the bot sent in an earlier run, so it can be edited; no event."""
        self.bot_messages.setdefault(msg.chat_id, []).append(msg)
        self._by_id[(msg.chat_id, msg.message_id)] = msg

    def bot_message(self, chat_id: int, message_id: int) -> BotMessage | None:
        """A message the bot sent, by chat and id."""
        return self._by_id.get((chat_id, message_id))

    def record_event(
        self, kind: str, method: str, chat_id: int | None, message_id: int | None, params: JSON
    ) -> None:
        """Append to the event log and wake anyone waiting on the bot."""
        self.events.append(BotEvent(kind, method, chat_id, message_id, time.monotonic(), params))
        self.changed()

    def message_json(self, msg: BotMessage) -> JSON:
        """The Bot API `Message` object for a bot message in its current state."""
        out: JSON = {
            "message_id": msg.message_id,
            "from": self.bot_user,
            "chat": self.chat(msg.chat_id).to_dict(),
            "date": msg.date,
        }
        entities_key = "entities"
        if msg.text is not None:
            out["text"] = msg.text
        if msg.caption is not None:
            out["caption"] = msg.caption
            entities_key = "caption_entities"
        if msg.entities:
            out[entities_key] = msg.entities
        # Telegram echoes only inline keyboards back in Message objects.
        if msg.reply_markup and "inline_keyboard" in msg.reply_markup:
            out["reply_markup"] = msg.reply_markup
        if msg.document is not None:
            out["document"] = msg.document.to_dict()
        if msg.photo is not None:
            out["photo"] = [msg.photo.to_dict()]
        for key in ("contact", "location", "venue", "media_group_id", "edit_date"):
            value = getattr(msg, key)
            if value is not None:
                out[key] = value
        if msg.reply_to_message_id is not None:
            replied = self.any_message_json(msg.chat_id, msg.reply_to_message_id, nested=False)
            if replied is not None:
                out["reply_to_message"] = replied
        return out

    def any_message_json(self, chat_id: int, message_id: int, nested: bool = True) -> JSON | None:
        """A user's or the bot's message as JSON, without its own reply chain when nested."""
        user_msg = self.user_messages.get((chat_id, message_id))
        if user_msg is not None:
            return (
                user_msg
                if nested
                else {k: v for k, v in user_msg.items() if k != "reply_to_message"}
            )
        bot_msg = self.bot_message(chat_id, message_id)
        if bot_msg is None or bot_msg.deleted:
            return None
        out = self.message_json(bot_msg)
        if not nested:
            out.pop("reply_to_message", None)
        return out

    def changed(self) -> None:
        """Wake every `wait_until`."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_until(self, predicate: Callable[[], bool], within: float) -> bool:
        """Wait until `predicate()` holds after some bot activity; False after `within` s."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            event = self._changed
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return predicate()
        return True


# The Python side of one Bot API method: state and request parameters in, `result` out.
Handler = Callable[[EmulatorState, Params], Awaitable[Any]]
