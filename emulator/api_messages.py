"""Bot API methods that send, edit and delete messages (files live in api_files)."""

from __future__ import annotations

import time
from typing import Any

from emulator.formatting import render
from emulator.models import JSON, BotMessage, Edit
from emulator.params import Params, bad_request
from emulator.state import EmulatorState, Handler

MAX_TEXT = 4096
MAX_CAPTION = 1024
_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "web_app",
    "login_url",
    "pay",
    "callback_game",
    "copy_text",
)
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def parse_markup(p: Params) -> JSON | None:
    """reply_markup, validated the way Telegram rejects malformed keyboards."""
    markup = p.get_json("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard", markup.get("keyboard"))
    if rows is None:
        if "remove_keyboard" in markup or "force_reply" in markup:
            return markup
        raise bad_request("can't parse reply keyboard markup JSON object")
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad_request('field "inline_keyboard" must be an Array of Array')
    inline = "inline_keyboard" in markup
    for row in rows:
        for button in row:
            _check_button(button, inline)
    return markup


def _check_button(button: Any, inline: bool) -> None:
    if not inline and isinstance(button, str):
        button = {"text": button}
    if not isinstance(button, dict) or not str(button.get("text", "")).strip():
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    if not inline:
        return
    actions = [a for a in _BUTTON_ACTIONS if a in button]
    if len(actions) != 1:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    data = button.get("callback_data")
    if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
        raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and not str(url).startswith(("http://", "https://", "tg://")):
        raise bad_request("BUTTON_URL_INVALID")


def render_text(p: Params, name: str, limit: int, required: bool) -> tuple[str | None, list[JSON]]:
    """Text or caption after parse_mode, with Telegram's empty/too-long checks."""
    raw = p.get_str(name)
    if raw is None or (not raw and not required):
        if required:
            raise bad_request("message text is empty")
        return None, []
    ents_name = "entities" if name == "text" else "caption_entities"
    plain, entities = render(raw, p.get_str("parse_mode"), p.get_json(ents_name))
    if required and not plain.strip():
        raise bad_request("message text is empty")
    if len(plain) > limit:
        what = "message" if name == "text" else "message caption"
        raise bad_request(f"{what} is too long")
    return plain, entities


def reply_target(st: EmulatorState, p: Params, chat_id: int) -> int | None:
    """The message being replied to, from reply_parameters or the older reply_to_message_id."""
    params = p.get_json("reply_parameters")
    allow_missing = p.get_bool("allow_sending_without_reply")
    target = p.get_int("reply_to_message_id")
    if isinstance(params, dict) and params.get("message_id") is not None:
        target = int(params["message_id"])
        allow_missing = allow_missing or bool(params.get("allow_sending_without_reply"))
    if target is None:
        return None
    if st.any_message_json(chat_id, target) is None:
        if allow_missing:
            return None
        raise bad_request("message to be replied not found")
    return target


def new_message(st: EmulatorState, method: str, p: Params, **fields: Any) -> BotMessage:
    """Create, store and return a bot message in the chat named by chat_id."""
    chat = st.chat_for_sending(st.resolve_chat_id(p.get_json("chat_id")))
    msg = BotMessage(
        method=method,
        chat_id=chat.id,
        message_id=st.next_message_id(chat.id),
        date=st.unix_now(),
        arrived_at=p.received_at,
        parse_mode=p.get_str("parse_mode"),
        reply_markup=parse_markup(p),
        reply_to_message_id=reply_target(st, p, chat.id),
        params=dict(p.values),
        **fields,
    )
    st.add_bot_message(msg)
    return msg


async def send_message(st: EmulatorState, p: Params) -> JSON:
    """sendMessage."""
    text, entities = render_text(p, "text", MAX_TEXT, required=True)
    raw = p.get_str("text")
    msg = new_message(st, "sendMessage", p, text=text, raw_text=raw, entities=entities)
    return st.message_json(msg)


def edit_target(st: EmulatorState, p: Params) -> BotMessage:
    """The bot message named by chat_id + message_id, as editMessage* and friends need."""
    if p.has("inline_message_id"):
        raise bad_request("inline messages are not supported by the emulator")
    chat_id = st.resolve_chat_id(p.get_json("chat_id"))
    message_id = p.require_int("message_id")
    msg = st.bot_message(chat_id, message_id)
    if msg is None or msg.deleted:
        if (chat_id, message_id) in st.user_messages:
            raise bad_request("message can't be edited")
        raise bad_request("message to edit not found")
    return msg


def _apply_edit(
    st: EmulatorState,
    msg: BotMessage,
    method: str,
    p: Params,
    changes: JSON | None = None,
    bookkeeping: JSON | None = None,
) -> JSON:
    """Apply an edit unless nothing visible changes; `bookkeeping` is not compared."""
    changes = changes or {}
    new_markup = parse_markup(p)
    if new_markup is not None and "inline_keyboard" not in new_markup:
        raise bad_request("inline keyboard expected")
    old = msg.reply_markup
    old_inline = old if old and "inline_keyboard" in old else None
    unchanged = all(getattr(msg, k) == v for k, v in changes.items())
    if unchanged and new_markup == old_inline:
        raise bad_request(NOT_MODIFIED)
    msg.history.append(Edit(time.monotonic(), method, msg.text, msg.caption, msg.reply_markup))
    for key, value in {**changes, **(bookkeeping or {})}.items():
        setattr(msg, key, value)
    # Omitting reply_markup in an edit removes the inline keyboard, as on Telegram.
    if new_markup is not None or old_inline is not None:
        msg.reply_markup = new_markup
    msg.edit_date = st.unix_now()
    st.record_event("edit", method, msg.chat_id, msg.message_id, dict(p.values))
    return st.message_json(msg)


async def edit_message_text(st: EmulatorState, p: Params) -> JSON:
    """editMessageText."""
    msg = edit_target(st, p)
    if msg.text is None:
        raise bad_request("there is no text in the message to edit")
    text, entities = render_text(p, "text", MAX_TEXT, required=True)
    return _apply_edit(
        st,
        msg,
        "editMessageText",
        p,
        changes={"text": text, "entities": entities},
        bookkeeping={"raw_text": p.get_str("text"), "parse_mode": p.get_str("parse_mode")},
    )


async def edit_message_caption(st: EmulatorState, p: Params) -> JSON:
    """editMessageCaption."""
    msg = edit_target(st, p)
    if msg.file is None:
        raise bad_request("there is no caption in the message to edit")
    caption, entities = render_text(p, "caption", MAX_CAPTION, required=False)
    changes = {"caption": caption, "entities": entities}
    return _apply_edit(st, msg, "editMessageCaption", p, changes=changes)


async def edit_message_reply_markup(st: EmulatorState, p: Params) -> JSON:
    """editMessageReplyMarkup."""
    return _apply_edit(st, edit_target(st, p), "editMessageReplyMarkup", p)


async def delete_message(st: EmulatorState, p: Params) -> bool:
    """deleteMessage: the bot's own messages and, in private chats, the user's too."""
    chat_id = st.resolve_chat_id(p.get_json("chat_id"))
    message_id = p.require_int("message_id")
    msg = st.bot_message(chat_id, message_id)
    if msg is not None and not msg.deleted:
        msg.deleted = True
    elif st.user_messages.pop((chat_id, message_id), None) is None:
        raise bad_request("message to delete not found")
    st.record_event("delete", "deleteMessage", chat_id, message_id, dict(p.values))
    return True


def _coordinates(p: Params) -> JSON:
    lat, lon = p.get_float("latitude", True), p.get_float("longitude", True)
    assert lat is not None and lon is not None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise bad_request("wrong coordinates")
    return {"latitude": lat, "longitude": lon}


async def send_location(st: EmulatorState, p: Params) -> JSON:
    """sendLocation."""
    return st.message_json(new_message(st, "sendLocation", p, location=_coordinates(p)))


async def send_venue(st: EmulatorState, p: Params) -> JSON:
    """sendVenue: Telegram sets both `venue` and its `location` on the message."""
    loc = _coordinates(p)
    venue: JSON = {
        "location": loc,
        "title": p.require_str("title"),
        "address": p.require_str("address"),
    }
    for key in ("foursquare_id", "foursquare_type", "google_place_id", "google_place_type"):
        if p.has(key):
            venue[key] = p.get_str(key)
    return st.message_json(new_message(st, "sendVenue", p, venue=venue, location=loc))


async def send_contact(st: EmulatorState, p: Params) -> JSON:
    """sendContact."""
    contact: JSON = {
        "phone_number": p.require_str("phone_number"),
        "first_name": p.require_str("first_name"),
    }
    for key in ("last_name", "vcard"):
        if p.has(key):
            contact[key] = p.get_str(key)
    return st.message_json(new_message(st, "sendContact", p, contact=contact))


METHODS: dict[str, Handler] = {
    "sendMessage": send_message,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "sendLocation": send_location,
    "sendVenue": send_venue,
    "sendContact": send_contact,
}
