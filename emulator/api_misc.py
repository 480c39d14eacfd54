"""Bot API methods around the messages: identity, updates, callbacks, actions, menus."""

from __future__ import annotations

import re
import time
from typing import Any

from emulator.models import JSON, CallbackAnswer
from emulator.params import ApiError, Params, bad_request
from emulator.state import EmulatorState, Handler, ScopeKey

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_SCOPES_WITH_CHAT = ("chat", "chat_administrators", "chat_member")
_SCOPES = (
    "default",
    "all_private_chats",
    "all_group_chats",
    "all_chat_administrators",
    *_SCOPES_WITH_CHAT,
)


async def get_me(st: EmulatorState, p: Params) -> JSON:
    """getMe."""
    return {
        **st.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


async def set_webhook(st: EmulatorState, p: Params) -> bool:
    """setWebhook: updates are POSTed to `url` with the secret header; "" removes it."""
    url = p.get_str("url") or ""
    if not url:
        await st.webhook.delete()
        return True
    if not url.startswith(("https://", "http://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = p.get_str("secret_token")
    if secret is not None and not _SECRET_RE.match(secret):
        raise bad_request("bad webhook: secret token contains unallowed characters")
    if p.get_bool("drop_pending_updates"):
        st.queue.drop_pending()
    connections = p.get_int("max_connections") or 40
    if not 1 <= connections <= 100:
        raise bad_request("bad webhook: max_connections must be between 1 and 100")
    allowed = p.get_json("allowed_updates")
    st.webhook.allowed_updates = list(allowed) if isinstance(allowed, list) else None
    st.webhook.set(url, secret, connections)
    return True


async def delete_webhook(st: EmulatorState, p: Params) -> bool:
    """deleteWebhook; honours drop_pending_updates like Telegram."""
    await st.webhook.delete()
    if p.get_bool("drop_pending_updates"):
        st.queue.drop_pending()
    return True


async def get_webhook_info(st: EmulatorState, p: Params) -> JSON:
    """getWebhookInfo: the URL, pending updates, the last delivery error."""
    return st.webhook.info()


async def get_updates(st: EmulatorState, p: Params) -> list[JSON]:
    """getUpdates with long polling; refused while a webhook is set, as on Telegram."""
    if st.webhook.active:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    limit = p.get_int("limit") or 100
    hold = float(p.get_int("timeout") or 0)
    updates = await st.queue.poll(p.get_int("offset"), limit, hold)
    return [u.to_dict() for u in updates]


async def answer_callback_query(st: EmulatorState, p: Params) -> bool:
    """answerCallbackQuery; a query can be answered once."""
    query_id = p.require_str("callback_query_id")
    if query_id not in st.callback_queries or query_id in st.callback_answers:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    text = p.get_str("text")
    if text is not None and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    st.callback_answers[query_id] = CallbackAnswer(
        query_id, text, p.get_bool("show_alert"), p.get_str("url"), time.monotonic()
    )
    chat = st.callback_queries[query_id].get("message", {}).get("chat", {}).get("id")
    st.record_event("callback_answer", "answerCallbackQuery", chat, None, dict(p.values))
    return True


async def send_chat_action(st: EmulatorState, p: Params) -> bool:
    """sendChatAction."""
    chat = st.chat_for_sending(st.resolve_chat_id(p.get_json("chat_id")))
    action = p.require_str("action")
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    st.record_event("action", "sendChatAction", chat.id, None, dict(p.values))
    return True


def scope_key(st: EmulatorState, scope: Any) -> ScopeKey:
    """A BotCommandScope object as a dictionary key; chats must exist, as on Telegram."""
    if scope is None:
        return ("default", None, None)
    if not isinstance(scope, dict) or scope.get("type") not in _SCOPES:
        raise bad_request("can't parse BotCommandScope")
    kind = str(scope["type"])
    if kind not in _SCOPES_WITH_CHAT:
        return (kind, None, None)
    chat_id = st.chat(st.resolve_chat_id(scope.get("chat_id"))).id
    if kind != "chat_member":
        return (kind, chat_id, None)
    user_id = scope.get("user_id")
    if not isinstance(user_id, int) or user_id not in st.users:
        raise bad_request("user not found")
    return (kind, chat_id, user_id)


def _command_key(st: EmulatorState, p: Params) -> tuple[ScopeKey, str]:
    return scope_key(st, p.get_json("scope")), p.get_str("language_code") or ""


async def set_my_commands(st: EmulatorState, p: Params) -> bool:
    """setMyCommands, stored per scope and language."""
    commands = p.get_json("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("commands must be an Array of at most 100 BotCommand")
    cleaned = []
    for cmd in commands:
        if not isinstance(cmd, dict) or not _COMMAND_RE.match(str(cmd.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        desc = str(cmd.get("description", ""))
        if not 1 <= len(desc) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        cleaned.append({"command": cmd["command"], "description": desc})
    key = _command_key(st, p)
    if cleaned:
        st.commands[key] = cleaned
    else:
        st.commands.pop(key, None)
    st.changed()
    return True


async def get_my_commands(st: EmulatorState, p: Params) -> list[JSON]:
    """getMyCommands for exactly the given scope and language."""
    return list(st.commands.get(_command_key(st, p), []))


async def delete_my_commands(st: EmulatorState, p: Params) -> bool:
    """deleteMyCommands."""
    st.commands.pop(_command_key(st, p), None)
    st.changed()
    return True


METHODS: dict[str, Handler] = {
    "getMe": get_me,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "getUpdates": get_updates,
    "answerCallbackQuery": answer_callback_query,
    "sendChatAction": send_chat_action,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
}
