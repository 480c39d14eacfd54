"""Reply texts in Traditional Chinese and English."""

from __future__ import annotations

from typing import Any

from bot.i18n.changes import CHANGES
from bot.i18n.content import CONTENT
from bot.i18n.core import CORE
from bot.i18n.fieldkit import FIELDKIT
from bot.i18n.notes import NOTES
from bot.i18n.reminders import REMINDERS
from bot.trip.types import Lang

DEFAULT_LANG: Lang = "zh"

MESSAGES: dict[str, dict[Lang, str]] = {
    **CORE,
    **NOTES,
    **REMINDERS,
    **CHANGES,
    **CONTENT,
    **FIELDKIT,
}

COMMANDS: dict[str, dict[Lang, str]] = {
    "start": {"zh": "以邀請碼加入", "en": "join with an invite code"},
    "itinerary": {
        "zh": "行程（今天/明天/全部/日期）",
        "en": "itinerary (today/tomorrow/all/DATE)",
    },
    "now": {"zh": "目前進行中的行程", "en": "what is in progress"},
    "next": {"zh": "下一項行程", "en": "the next leg"},
    "brief": {"zh": "今日簡報", "en": "today's briefing"},
    "pack": {"zh": "行前簡報手冊 PDF（離線可讀）", "en": "your briefing pack as a PDF (offline)"},
    "sos": {
        "zh": "緊急聯絡卡（代表處、緊急電話、今晚住宿）",
        "en": "emergency card: office, numbers, hotel",
    },
    "contacts": {"zh": "聯絡人（可搜尋）", "en": "contacts (search by name)"},
    "talkingpoints": {"zh": "談話要點", "en": "talking points"},
    "calendar": {"zh": "下載行程日曆 .ics", "en": "download the calendar (.ics)"},
    "lang": {"zh": "切換語言 zh/en", "en": "reply language zh/en"},
    "help": {"zh": "指令說明", "en": "this help"},
    "invite": {"zh": "產生成員邀請碼", "en": "make an invite code"},
    "members": {"zh": "已加入的成員", "en": "who has joined"},
    "revoke": {"zh": "撤銷成員存取權", "en": "withdraw a member's access"},
    "note": {"zh": "記筆記（直接傳訊息也可以）", "en": "take a note (or just send a message)"},
    "notes": {"zh": "我的筆記（today/行程/標籤）", "en": "my notes (today/leg/tag)"},
    "delnote": {"zh": "刪除筆記 編號 [undo]", "en": "delete a note: NUMBER [undo]"},
    "export": {"zh": "匯出筆記 zip", "en": "export notes as a zip"},
    "report": {
        "zh": "編製出國報告（DOCX、PDF、審核表、提要、資訊網欄位）",
        "en": "compile the trip report and its forms",
    },
    "reminders": {"zh": "提醒（on/off）", "en": "reminders (on/off)"},
    "delay": {"zh": "延後行程 行程 時長 [原因]", "en": "delay a leg: LEG DURATION [reason]"},
    "move": {
        "zh": "改時間 行程 [日期] HH:MM [原因]",
        "en": "move a leg: LEG [DATE] HH:MM [reason]",
    },
    "cancel": {"zh": "取消行程 行程 [原因]", "en": "cancel a leg: LEG [reason]"},
    "restore": {"zh": "恢復已取消的行程", "en": "restore a cancelled leg"},
    "announce": {"zh": "發布公告給全團", "en": "announce to the whole delegation"},
    "changes": {"zh": "變更紀錄", "en": "the change log"},
    "acks": {"zh": "誰已確認通知", "en": "who acknowledged the notices"},
    "checkin": {
        "zh": "詢問全團是否平安 [訊息]",
        "en": "ask everyone whether they are safe [message]",
    },
    "checkins": {"zh": "平安回報情形", "en": "who answered the check-in"},
}

ROLE_COMMANDS: dict[str, list[str]] = {
    "delegate": [
        "itinerary",
        "now",
        "next",
        "brief",
        "sos",
        "pack",
        "contacts",
        "talkingpoints",
        "calendar",
        "note",
        "notes",
        "delnote",
        "export",
        "reminders",
        "lang",
        "help",
    ],
}
ROLE_COMMANDS["coordinator"] = [
    *ROLE_COMMANDS["delegate"][:-1],
    "invite",
    "members",
    "revoke",
    "report",
    *("delay", "move", "cancel", "restore", "announce", "changes", "acks", "checkin", "checkins"),
    "help",
]


def t(lang: Lang, key: str, **values: Any) -> str:
    """The message `key` in `lang`, with `values` filled in."""
    return MESSAGES[key][lang].format(**values)


def tn(lang: Lang, key: str, n: int, **values: Any) -> str:
    """`key` counting `n`: its `KEY_one` wording for one (English singulars), else `key`."""
    one = f"{key}_one"
    return t(lang, one if n == 1 and one in MESSAGES else key, n=n, **values)


def lang_from_telegram(language_code: str | None) -> Lang:
    """The reply language for a Telegram client setting: Chinese unless it says English."""
    return "en" if (language_code or "").lower().startswith("en") else DEFAULT_LANG


def command_help(lang: Lang, role: str) -> str:
    """The commands a role may use, one per line."""
    lines = [t(lang, "help_header")]
    lines += [f"/{name} — {COMMANDS[name][lang]}" for name in ROLE_COMMANDS[role]]
    return "\n".join(lines)
