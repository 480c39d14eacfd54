"""The observing side: what the bot sent, waiting for it, and what each user's menu shows."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from emulator.failures import FailurePlan
from emulator.models import JSON, BotMessage, CallbackAnswer, EmuChat, EmuUser
from emulator.state import EmulatorState, ScopeKey
from emulator.users import ChatRef, chat_id_of


class Observer:
    """Mixin for BotApiEmulator: inspect and await the bot's output."""

    state: EmulatorState
    failures: FailurePlan

    def _init_observer(self) -> None:
        self._cursors: dict[int, int] = {}

    def messages(self, chat: ChatRef) -> list[BotMessage]:
        """Every message the bot sent to the chat, in order (deleted ones flagged, not removed)."""
        return list(self.state.bot_messages.get(chat_id_of(chat), []))

    def message(self, chat: ChatRef, message_id: int) -> BotMessage:
        """One bot message in its current (possibly edited) state."""
        msg = self.state.bot_message(chat_id_of(chat), message_id)
        if msg is None:
            raise LookupError(f"the bot sent no message {message_id} to chat {chat_id_of(chat)}")
        return msg

    def last_message(self, chat: ChatRef) -> BotMessage:
        """The latest message the bot sent to the chat."""
        sent = self.messages(chat)
        if not sent:
            raise LookupError(f"the bot sent nothing to chat {chat_id_of(chat)}")
        return sent[-1]

    def user_message(self, chat: ChatRef, message_id: int) -> JSON | None:
        """A user's message as the bot received it (None once the bot deleted it)."""
        return self.state.user_messages.get((chat_id_of(chat), message_id))

    async def wait_for(self, chat: ChatRef, timeout: float = 5.0) -> BotMessage:  # noqa: ASYNC109
        """The next bot message to the chat not yet returned by wait_for/drain."""
        cid = chat_id_of(chat)

        def ready() -> bool:
            return len(self.state.bot_messages.get(cid, [])) > self._cursors.get(cid, 0)

        if not await self.state.wait_until(ready, timeout):
            raise TimeoutError(self._explain(cid, timeout))
        index = self._cursors.get(cid, 0)
        self._cursors[cid] = index + 1
        return self.state.bot_messages[cid][index]

    async def wait_for_many(
        self,
        chat: ChatRef,
        count: int,
        timeout: float = 5.0,  # noqa: ASYNC109 - the waiting is the point of this API
    ) -> list[BotMessage]:
        """The next `count` bot messages to the chat, all within `timeout`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        return [await self.wait_for(chat, max(0.0, deadline - loop.time())) for _ in range(count)]

    def drain(self, chat: ChatRef) -> list[BotMessage]:
        """Mark everything sent so far as consumed and return the unconsumed part."""
        cid = chat_id_of(chat)
        sent = self.state.bot_messages.get(cid, [])
        start = self._cursors.get(cid, 0)
        self._cursors[cid] = len(sent)
        return list(sent[start:])

    async def wait_until(
        self,
        predicate: Callable[[], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - the waiting is the point of this API
        what: str = "condition",
    ) -> None:
        """Wait until `predicate()` holds (checked after each bot action); TimeoutError if not."""
        if not await self.state.wait_until(predicate, timeout):
            raise TimeoutError(f"{what} not met within {timeout}s")

    async def wait_for_answer(self, query_id: str, timeout: float = 5.0) -> CallbackAnswer:  # noqa: ASYNC109
        """The bot's answerCallbackQuery for a press."""
        answers = self.state.callback_answers
        await self.wait_until(
            lambda: query_id in answers, timeout, f"answerCallbackQuery for query {query_id}"
        )
        return answers[query_id]

    def callback_answer(self, query_id: str) -> CallbackAnswer | None:
        """The bot's answer to a press, if it answered."""
        return self.state.callback_answers.get(query_id)

    def reply_keyboard(self, chat: ChatRef) -> JSON | None:
        """The reply keyboard currently shown in the chat (None if none or removed)."""
        for msg in reversed(self.messages(chat)):
            markup = msg.reply_markup or {}
            if "keyboard" in markup:
                return markup
            if "remove_keyboard" in markup:
                return None
        return None

    def commands(
        self,
        scope: str = "default",
        *,
        chat: ChatRef | None = None,
        user: EmuUser | None = None,
        language_code: str = "",
    ) -> list[tuple[str, str]]:
        """The command list stored for exactly one scope, as (command, description) pairs."""
        key: ScopeKey = (
            scope,
            chat_id_of(chat) if chat is not None else None,
            user.id if user is not None else None,
        )
        return _pairs(self.state.commands.get((key, language_code), []))

    def visible_commands(self, user: EmuUser, chat: EmuChat | None = None) -> list[tuple[str, str]]:
        """The menu Telegram would show `user` in their private chat or in `chat`."""
        if chat is None or not chat.is_group:
            cid = user.id if chat is None else chat.id
            scopes: list[ScopeKey] = [("chat", cid, None), ("all_private_chats", None, None)]
        else:
            scopes = [
                ("chat_member", chat.id, user.id),
                ("chat", chat.id, None),
                ("all_group_chats", None, None),
            ]
        scopes.append(("default", None, None))
        code = (user.language_code or "").lower()
        languages = list(dict.fromkeys([code, code.split("-")[0], ""]))
        for scope in scopes:
            for lang in languages:
                found = self.state.commands.get((scope, lang))
                if found is not None:
                    return _pairs(found)
        return []

    def _explain(self, chat_id: int, timeout: float) -> str:
        sent = self.state.bot_messages.get(chat_id, [])
        consumed = self._cursors.get(chat_id, 0)
        lines = [f"no new bot message in chat {chat_id} within {timeout}s."]
        lines.append(f"sent to this chat so far ({len(sent)}, first {consumed} consumed):")
        lines += [f"  {m.describe()}" for m in sent[-10:]] or ["  (nothing)"]
        failed = [c for c in self.state.calls if c.status >= 400 and c.chat_id in (chat_id, None)][
            -5:
        ]
        if failed:
            lines.append("failed bot calls:")
            lines += [f"  {c.method} -> {c.status} {c.description}" for c in failed]
        pending = len(self.state.queue.pending)
        if pending:
            lines.append(f"{pending} update(s) not yet confirmed by the bot (is it polling?)")
        return "\n".join(lines)


def _pairs(commands: list[JSON]) -> list[tuple[str, str]]:
    return [(str(c["command"]), str(c["description"])) for c in commands]
