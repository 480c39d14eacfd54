"""The user side: people writing to the bot, pressing buttons and blocking it."""

from __future__ import annotations

import itertools
import re
from typing import Any

from emulator.api_files import image_size
from emulator.failures import FailurePlan
from emulator.formatting import utf16_len
from emulator.models import JSON, BotMessage, EmuChat, EmuUser
from emulator.state import EmulatorState

ChatRef = EmuUser | EmuChat | int
_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")


def chat_id_of(ref: ChatRef) -> int:
    """The chat id behind a user (their private chat), a chat or a plain id."""
    return ref if isinstance(ref, int) else ref.chat_id if isinstance(ref, EmuUser) else ref.id


def command_entities(text: str) -> list[JSON]:
    """bot_command entities for every /command, as Telegram's clients add them."""
    return [
        {"type": "bot_command", "offset": utf16_len(text[: m.start()]), "length": utf16_len(m[0])}
        for m in _COMMAND_RE.finditer(text)
    ]


class UserActions:
    """Mixin for BotApiEmulator: everything a human does turns into queued updates."""

    state: EmulatorState
    failures: FailurePlan
    group_privacy: bool

    def _init_users(self) -> None:
        self._user_ids = itertools.count(100_000_001)
        self._group_ids = itertools.count(1)
        self._query_ids = itertools.count(1)

    def user(
        self,
        first_name: str = "User",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        user_id: int | None = None,
        started: bool = False,
    ) -> EmuUser:
        """A new user with a private chat (chat id == user id); ids are allocated if omitted.

        Until the user writes (or `started=True`), the bot may not message them: 403, as on
        Telegram.
        """
        uid = user_id if user_id is not None else next(self._user_ids)
        if uid in self.state.users:
            raise ValueError(f"user id {uid} already exists")
        user = EmuUser(uid, first_name, last_name, username, language_code, started)
        self.state.users[uid] = user
        self.state.chats[uid] = EmuChat(uid, "private", user=user)
        return user

    def group(
        self,
        title: str = "Group",
        *,
        members: tuple[EmuUser, ...] | list[EmuUser] = (),
        chat_id: int | None = None,
        supergroup: bool = True,
    ) -> EmuChat:
        """A group the bot is already a member of."""
        n = next(self._group_ids)
        gid = chat_id if chat_id is not None else (-1_001_000_000_000 - n if supergroup else -n)
        chat = EmuChat(gid, "supergroup" if supergroup else "group", title, members=list(members))
        self.state.chats[gid] = chat
        return chat

    def _chat_for(self, user: EmuUser, chat: EmuChat | None) -> EmuChat:
        if chat is None:
            return self.state.chats[user.id]
        if user not in chat.members:
            chat.members.append(user)
        return chat

    def _post(
        self,
        user: EmuUser,
        chat: EmuChat | None,
        fields: JSON,
        reply_to: int | None = None,
    ) -> int:
        """Store a user's message and queue it as an update; returns its message_id."""
        if user.id in self.failures.blocked:
            # A blocked bot receives nothing; writing again means the user restarted it.
            self.unblock(user)
        user.started = True
        target = self._chat_for(user, chat)
        message: JSON = {
            "message_id": self.state.next_message_id(target.id),
            "from": user.to_dict(),
            "chat": target.to_dict(),
            "date": self.state.unix_now(),
            **fields,
        }
        if reply_to is not None:
            replied = self.state.any_message_json(target.id, reply_to, nested=False)
            if replied is None:
                raise LookupError(f"no message {reply_to} in chat {target.id} to reply to")
            message["reply_to_message"] = replied
        self.state.user_messages[(target.id, message["message_id"])] = message
        if self._delivered_in_group(target, message):
            self.state.queue.push({"message": message})
        return int(message["message_id"])

    def _delivered_in_group(self, chat: EmuChat, message: JSON) -> bool:
        """Privacy mode: in groups a bot sees only commands, mentions and replies to it."""
        if not chat.is_group or not self.group_privacy:
            return True
        text = str(message.get("text") or message.get("caption") or "")
        me = "@" + self.state.bot_username.lower()
        if text.startswith("/"):
            head = text.split()[0].lower()
            return "@" not in head or head.endswith(me)
        replied = message.get("reply_to_message", {}).get("from", {})
        return me in text.lower() or replied.get("id") == self.state.bot_user["id"]

    async def send_text(
        self,
        user: EmuUser,
        text: str,
        *,
        chat: EmuChat | None = None,
        reply_to: int | None = None,
        entities: list[JSON] | None = None,
    ) -> int:
        """The user sends text; /commands get bot_command entities automatically."""
        fields: JSON = {"text": text}
        ents = entities if entities is not None else command_entities(text)
        if ents:
            fields["entities"] = ents
        return self._post(user, chat, fields, reply_to)

    async def send_photo(
        self,
        user: EmuUser,
        data: bytes,
        *,
        caption: str | None = None,
        chat: EmuChat | None = None,
        media_group_id: str | None = None,
    ) -> int:
        """The user sends a photo; its bytes are served through getFile."""
        width, height = image_size(data) or (1280, 960)
        stored = self.state.store_file(
            "photo", data, mime_type="image/jpeg", width=width, height=height
        )
        fields: JSON = {"photo": [stored.to_dict()]}
        return self._post(user, chat, _with_caption(fields, caption, media_group_id))

    async def send_document(
        self,
        user: EmuUser,
        data: bytes,
        *,
        file_name: str = "document.bin",
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
        chat: EmuChat | None = None,
        media_group_id: str | None = None,
    ) -> int:
        """The user sends a file as a document."""
        stored = self.state.store_file("document", data, file_name=file_name, mime_type=mime_type)
        fields: JSON = {"document": stored.to_dict()}
        return self._post(user, chat, _with_caption(fields, caption, media_group_id))

    async def send_voice(
        self,
        user: EmuUser,
        data: bytes,
        *,
        duration: int = 1,
        mime_type: str = "audio/ogg",
        chat: EmuChat | None = None,
    ) -> int:
        """The user records a voice message."""
        stored = self.state.store_file("voice", data, mime_type=mime_type, duration=duration)
        return self._post(user, chat, {"voice": stored.to_dict()})

    async def send_location(
        self, user: EmuUser, latitude: float, longitude: float, *, chat: EmuChat | None = None
    ) -> int:
        """The user shares a location."""
        return self._post(user, chat, {"location": {"latitude": latitude, "longitude": longitude}})

    async def send_contact(
        self,
        user: EmuUser,
        phone_number: str,
        *,
        first_name: str | None = None,
        own: bool = True,
        chat: EmuChat | None = None,
    ) -> int:
        """The user shares a contact (their own, as a request_contact button does, by default)."""
        contact: JSON = {"phone_number": phone_number, "first_name": first_name or user.first_name}
        if own:
            contact["user_id"] = user.id
        return self._post(user, chat, {"contact": contact})

    async def edit_text(
        self, user: EmuUser, message_id: int, text: str, *, chat: EmuChat | None = None
    ) -> None:
        """The user edits one of their text messages: an edited_message update."""
        target = self._chat_for(user, chat)
        original = self.state.user_messages.get((target.id, message_id))
        if original is None or original["from"]["id"] != user.id or "text" not in original:
            raise LookupError(f"{user.first_name} has no text message {message_id} in {target.id}")
        edited = {k: v for k, v in original.items() if k != "entities"}
        edited.update(text=text, edit_date=self.state.unix_now())
        if ents := command_entities(text):
            edited["entities"] = ents
        self.state.user_messages[(target.id, message_id)] = edited
        self.state.queue.push({"edited_message": edited})

    async def press(
        self, user: EmuUser, message: BotMessage | int, button: str, *, chat: EmuChat | None = None
    ) -> str:
        """Press an inline button by text or callback_data; returns the callback query id."""
        chat_id = (
            message.chat_id if isinstance(message, BotMessage) else self._chat_for(user, chat).id
        )
        mid = message.message_id if isinstance(message, BotMessage) else message
        current = self.state.bot_message(chat_id, mid)
        if current is None or current.deleted:
            raise LookupError(f"the bot has no message {mid} in chat {chat_id} (deleted?)")
        if not current.reply_markup or "inline_keyboard" not in current.reply_markup:
            raise ValueError(
                f"message {mid} has no inline keyboard; for reply keyboard buttons "
                "send the button text with send_text"
            )
        found = current.find_button(button)
        if found.callback_data is None:
            raise ValueError(f"button {found.text!r} has no callback_data (url button?)")
        user.started = True
        query_id = str(4_000_000_000_000_000_000 + next(self._query_ids))
        query: JSON = {
            "id": query_id,
            "from": user.to_dict(),
            "message": self.state.message_json(current),
            "chat_instance": str(abs(chat_id) * 7919 % 10**18),
            "data": found.callback_data,
        }
        self.state.callback_queries[query_id] = query
        self.state.queue.push({"callback_query": query})
        return query_id

    def block(self, user: EmuUser, *, notify: bool = True) -> None:
        """The user blocks the bot: sends to them answer 403 until `unblock`."""
        self.failures.blocked.add(user.id)
        if notify:
            self._member_update(user, "member", "kicked")

    def unblock(self, user: EmuUser, *, notify: bool = True) -> None:
        """The user unblocks (restarts) the bot."""
        self.failures.blocked.discard(user.id)
        if notify:
            self._member_update(user, "kicked", "member")

    def _member_update(self, user: EmuUser, old: str, new: str) -> None:
        def member(status: str) -> JSON:
            extra: dict[str, Any] = {"until_date": 0} if status == "kicked" else {}
            return {"status": status, "user": self.state.bot_user, **extra}

        self.state.queue.push(
            {
                "my_chat_member": {
                    "chat": self.state.chats[user.id].to_dict(),
                    "from": user.to_dict(),
                    "date": self.state.unix_now(),
                    "old_chat_member": member(old),
                    "new_chat_member": member(new),
                }
            }
        )


def _with_caption(fields: JSON, caption: str | None, media_group_id: str | None) -> JSON:
    if caption:
        fields["caption"] = caption
        if ents := command_entities(caption):
            fields["caption_entities"] = ents
    if media_group_id is not None:
        fields["media_group_id"] = media_group_id
    return fields
