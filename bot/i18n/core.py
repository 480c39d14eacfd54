"""Messages of onboarding, access, briefing, people and membership commands."""

from __future__ import annotations

from bot.trip.types import Lang

CORE: dict[str, dict[Lang, str]] = {
    "refuse_stranger": {
        "zh": "此機器人僅供受邀的代表團成員使用。請向承辦人索取邀請碼。",
        "en": "This bot is for invited delegation members only. "
        "Ask the coordinator for an invite code.",
    },
    "invite_refused": {
        "zh": "邀請碼無效、已使用或已過期。請向承辦人索取新的邀請碼。",
        "en": "That invite code is not valid, used or expired. Ask the coordinator for a new one.",
    },
    "invite_throttled": {
        "zh": "嘗試次數過多，請 {minutes} 分鐘後再試，或向承辦人確認邀請碼。",
        "en": "Too many attempts. Try again in {minutes} minutes, or check the code with the "
        "coordinator.",
    },
    "invite_already_in": {
        "zh": "您已加入此行程，身分不變。輸入 /help 查看可用指令。",
        "en": "You are already in this trip, with the same role. Send /help for your commands.",
    },
    "invite_other_member": {
        "zh": "此邀請碼屬於另一位成員，您的帳號身分不變。如需變更，請洽承辦人。",
        "en": "That code is for another member; your account is unchanged. "
        "Ask a coordinator if it should change.",
    },
    "invite_last_coordinator": {
        "zh": "您是此行程唯一的承辦人，不能改為團員。請先邀請另一位承辦人。",
        "en": "You are the trip's only coordinator and cannot become a delegate. "
        "Invite another coordinator first.",
    },
    "revoke_last_coordinator": {
        "zh": "{name} 是此行程唯一的承辦人，不能撤銷。請先邀請另一位承辦人。",
        "en": "{name} is the trip's only coordinator and cannot be revoked. "
        "Invite another coordinator first.",
    },
    "welcome": {
        "zh": "{name}您好，歡迎加入「{trip}」。\n身分：{role}\n\n{commands}",
        "en": 'Welcome, {name}, to "{trip}".\nRole: {role}\n\n{commands}',
    },
    "welcome_back": {
        "zh": "{name}您好，您已是「{trip}」的{role}。\n\n{commands}",
        "en": 'Hello {name}, you are already in "{trip}" as {role}.\n\n{commands}',
    },
    "role_delegate": {"zh": "團員", "en": "delegate"},
    "role_coordinator": {"zh": "承辦人（協調）", "en": "coordinator"},
    "help_header": {"zh": "可用指令：", "en": "Commands you can use:"},
    "lang_set": {"zh": "已改為中文回覆。", "en": "Replies are now in English."},
    "lang_usage": {"zh": "用法：/lang zh 或 /lang en", "en": "Usage: /lang zh or /lang en"},
    "lang_current": {
        "zh": "目前回覆語言：{current}。\n可選：/lang zh（中文）、/lang en（英文）",
        "en": "Replies are in {current}.\nChoices: /lang zh (Chinese), /lang en (English)",
    },
    "lang_zh": {"zh": "中文", "en": "Chinese"},
    "lang_en": {"zh": "英文", "en": "English"},
    "coordinator_only": {
        "zh": "此指令僅限承辦人使用。",
        "en": "Only coordinators can use this command.",
    },
    "date_unreadable": {
        "zh": "看不懂日期「{arg}」。可寫 {iso}、{roc}、{short}、明天或星期一。",
        "en": 'Cannot read the date "{arg}". Write {iso}, {roc}, {short}, tomorrow or Monday.',
    },
    "date_impossible": {"zh": "沒有「{arg}」這一天。", "en": 'There is no such day as "{arg}".'},
    "date_weekday_mismatch": {
        "zh": "{day} 是星期{weekday}，與「{arg}」不符。",
        "en": '{day} is a {en}, which "{arg}" does not match.',
    },
    "date_weekday_none": {
        "zh": "行程中已沒有「{arg}」。",
        "en": 'There is no "{arg}" left in the trip.',
    },
    "itinerary_usage": {
        "zh": "用法：/itinerary [今天|明天|全部|日期]",
        "en": "Usage: /itinerary [today|tomorrow|all|DATE]",
    },
    "itinerary_example": {
        "zh": "例如：/itinerary {iso}、/itinerary {short}、/itinerary 明天",
        "en": "e.g. /itinerary {iso}, /itinerary {short}, /itinerary tomorrow",
    },
    "leg_arrives": {"zh": "→ 抵達 {clock}", "en": "→ arrives {clock}"},
    "leg_departed": {"zh": "（出發：{clock}）", "en": "(set off {clock})"},
    "leg_continues": {"zh": "（{day} 起，進行中）", "en": "(since {day}, still going on)"},
    "no_legs_day": {"zh": "{day} 沒有行程。", "en": "Nothing scheduled on {day}."},
    "day_outside_trip": {
        "zh": "{day} 不在行程期間（{first} 至 {last}）。",
        "en": "{day} is outside the trip ({first} to {last}).",
    },
    "now_none": {"zh": "目前沒有進行中的行程。", "en": "Nothing is in progress right now."},
    "now_header": {"zh": "進行中：", "en": "In progress:"},
    "next_header": {"zh": "下一項（{left}後）：", "en": "Next (in {left}):"},
    "next_none": {"zh": "之後沒有其他行程了。", "en": "There is nothing further on the itinerary."},
    "in_flight": {"zh": "飛行中：{leg}", "en": "In flight: {leg}"},
    "now_at": {"zh": "現在時間：{clock}", "en": "Now: {clock}"},
    "assumed": {"zh": "（時間為預估）", "en": "(time assumed)"},
    "contacts_none": {
        "zh": "找不到符合「{query}」的聯絡人。",
        "en": 'No contact matches "{query}".',
    },
    "contacts_header": {"zh": "聯絡人（{n}）：", "en": "Contacts ({n}):"},
    "contacts_more": {
        "zh": "輸入 /contacts 姓名 查看完整資料。",
        "en": "Send /contacts NAME for the full card.",
    },
    "why": {"zh": "重要性", "en": "Why"},
    "careful": {"zh": "注意", "en": "Careful"},
    "raise": {"zh": "可提議題", "en": "Raise"},
    "meet_at": {"zh": "會面場合", "en": "Where you meet"},
    "points_header": {"zh": "本次任務目標與談話要點：", "en": "Aims and talking points:"},
    "points_none": {
        "zh": "找不到符合「{query}」的議題或聯絡人。",
        "en": 'No topic or contact matches "{query}".',
    },
    "points_for": {"zh": "與 {name} 談話要點：", "en": "Talking points for {name}:"},
    "brief_header": {"zh": "📋 {day} 簡報", "en": "📋 Briefing for {day}"},
    "brief_where": {"zh": "所在地：{place}（{zone}）", "en": "Where: {place} ({zone})"},
    "brief_legs": {"zh": "今日行程：", "en": "Today:"},
    "brief_people": {"zh": "今日會面：", "en": "Meeting today:"},
    "brief_nothing": {"zh": "今日沒有排定行程。", "en": "Nothing scheduled today."},
    "brief_before": {
        "zh": "出發前 {days} 天。第一段行程：",
        "en": "{days} days before departure. First leg:",
    },
    "brief_after": {"zh": "行程已結束。", "en": "The trip is over."},
    "calendar_caption": {
        "zh": "行程日曆（含時區），可匯入手機行事曆。",
        "en": "The itinerary as a calendar file (time zones included) for your phone.",
    },
    "calendar_feed": {
        "zh": "訂閱行程日曆，行程一有變更，手機行事曆會自動更新（個人專屬連結，請勿轉傳）：\n"
        "{webcal}\nGoogle 日曆請以網址新增：{https}",
        "en": "Subscribe instead: your phone's calendar then follows every change (a private "
        "link, do not forward it):\n{webcal}\nGoogle Calendar, add by URL: {https}",
    },
    "invite_usage": {
        "zh": "用法：/invite 成員代號 [delegate|coordinator]\n成員：{members}",
        "en": "Usage: /invite MEMBER [delegate|coordinator]\nMembers: {members}",
    },
    "invite_made": {
        "zh": "給 {name}（{role}）的邀請碼，單次有效。請對方傳給機器人：\n{start}\n"
        "或開啟連結：{link}\n有效至 {expires}",
        "en": "Invite for {name} ({role}), single use. They send the bot:\n{start}\n"
        "or open: {link}\nValid until {expires}",
    },
    "members_header": {"zh": "已加入成員（{n}）：", "en": "Members who joined ({n}):"},
    "members_none": {"zh": "尚無成員加入。", "en": "Nobody has joined yet."},
    "revoke_usage": {"zh": "用法：/revoke 成員代號", "en": "Usage: /revoke MEMBER"},
    "revoked": {
        "zh": "已撤銷 {name} 的 {n} 個帳號存取權。",
        "en": "Access withdrawn from {n} accounts of {name}.",
    },
    "revoked_one": {
        "zh": "已撤銷 {name} 的 {n} 個帳號存取權。",
        "en": "Access withdrawn from {n} account of {name}.",
    },
    "revoke_none": {
        "zh": "{name} 目前沒有可撤銷的帳號。",
        "en": "{name} has no active account to revoke.",
    },
    "unknown_member": {
        "zh": "找不到成員「{arg}」。成員：{members}",
        "en": 'No member "{arg}". Members: {members}',
    },
    "error_generic": {
        "zh": "抱歉，處理時發生錯誤，已記錄。請稍後再試。",
        "en": "Sorry, something went wrong; it has been logged. Please try again.",
    },
    "storage_full": {
        "zh": "暫時無法儲存，請稍後再傳。",
        "en": "Cannot save right now; please send it again later.",
    },
    "unknown_command": {
        "zh": "不認識的指令。輸入 /help 查看可用指令。",
        "en": "Unknown command. Send /help for the commands you can use.",
    },
}
