"""Reply texts in Traditional Chinese and English."""

from __future__ import annotations

from typing import Any

from bot.trip.types import Lang

DEFAULT_LANG: Lang = "zh"

MESSAGES: dict[str, dict[Lang, str]] = {
    "refuse_stranger": {
        "zh": "此機器人僅供受邀的代表團成員使用。請向承辦人索取邀請碼。",
        "en": "This bot is for invited delegation members only. "
        "Ask the coordinator for an invite code.",
    },
    "invite_unknown": {
        "zh": "邀請碼無效。請確認連結，或向承辦人索取新的邀請碼。",
        "en": "That invite code is not valid. Check the link or ask the coordinator for a new one.",
    },
    "invite_used": {
        "zh": "此邀請碼已使用過，每個邀請碼只能用一次。請向承辦人索取新的邀請碼。",
        "en": "That invite code has already been used; each code works once. Ask for a new one.",
    },
    "invite_expired": {
        "zh": "此邀請碼已過期。請向承辦人索取新的邀請碼。",
        "en": "That invite code has expired. Ask the coordinator for a new one.",
    },
    "welcome": {
        "zh": "{name}您好，歡迎加入「{trip}」。\n身分：{role}\n\n{commands}",
        "en": "Welcome, {name}, to “{trip}”.\nRole: {role}\n\n{commands}",
    },
    "welcome_back": {
        "zh": "{name}您好，您已是「{trip}」的{role}。\n\n{commands}",
        "en": "Hello {name}, you are already in “{trip}” as {role}.\n\n{commands}",
    },
    "role_delegate": {"zh": "團員", "en": "delegate"},
    "role_coordinator": {"zh": "承辦人（協調）", "en": "coordinator"},
    "help_header": {"zh": "可用指令：", "en": "Commands you can use:"},
    "lang_set": {"zh": "已改為中文回覆。", "en": "Replies are now in English."},
    "lang_usage": {"zh": "用法：/lang zh 或 /lang en", "en": "Usage: /lang zh or /lang en"},
    "coordinator_only": {
        "zh": "此指令僅限承辦人使用。",
        "en": "Only coordinators can use this command.",
    },
    "bad_argument": {
        "zh": "無法理解參數「{arg}」：{why}",
        "en": "Cannot read the argument “{arg}”: {why}",
    },
    "itinerary_usage": {
        "zh": "用法：/itinerary [today|tomorrow|all|日期]，日期可寫 2015-05-18 或 104.05.18",
        "en": "Usage: /itinerary [today|tomorrow|all|DATE], DATE as 2015-05-18 or 104.05.18",
    },
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
        "en": "No contact matches “{query}”.",
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
        "en": "No topic or contact matches “{query}”.",
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
    "invite_usage": {
        "zh": "用法：/invite 成員代號 [delegate|coordinator]\n成員：{members}",
        "en": "Usage: /invite MEMBER [delegate|coordinator]\nMembers: {members}",
    },
    "invite_made": {
        "zh": "給 {name}（{role}）的邀請碼，單次有效，{expires} 前使用：\n{code}\n連結：{link}",
        "en": "Invite for {name} ({role}), single use, valid until {expires}:\n{code}\n"
        "Link: {link}",
    },
    "members_header": {"zh": "已加入成員（{n}）：", "en": "Members who joined ({n}):"},
    "members_none": {"zh": "尚無成員加入。", "en": "Nobody has joined yet."},
    "revoke_usage": {"zh": "用法：/revoke 成員代號", "en": "Usage: /revoke MEMBER"},
    "revoked": {
        "zh": "已撤銷 {name} 的 {n} 個帳號存取權。",
        "en": "Access withdrawn from {n} account(s) of {name}.",
    },
    "revoke_none": {
        "zh": "{name} 目前沒有可撤銷的帳號。",
        "en": "{name} has no active account to revoke.",
    },
    "unknown_member": {
        "zh": "找不到成員「{arg}」。成員：{members}",
        "en": "No member “{arg}”. Members: {members}",
    },
    "error_generic": {
        "zh": "抱歉，處理時發生錯誤，已記錄。請稍後再試。",
        "en": "Sorry, something went wrong; it has been logged. Please try again.",
    },
    "unknown_command": {
        "zh": "不認識的指令。輸入 /help 查看可用指令。",
        "en": "Unknown command. Send /help for the commands you can use.",
    },
    # field notes
    "note_saved": {"zh": "✅ 已儲存筆記 #{id}", "en": "✅ Saved note #{id}"},
    "note_already": {
        "zh": "ℹ️ 此訊息已儲存為筆記 #{id}（重複收到，未重複儲存）",
        "en": "ℹ️ This message is already note #{id} (received again, not stored twice)",
    },
    "note_deleted": {
        "zh": "🗑 筆記 #{id} 已刪除（可復原：/delnote {id} undo）",
        "en": "🗑 Note #{id} deleted (recoverable: /delnote {id} undo)",
    },
    "note_leg": {"zh": "行程：{leg}", "en": "Leg: {leg}"},
    "note_tags": {"zh": "報告章節：{tags}", "en": "Report section: {tags}"},
    "note_contacts": {"zh": "聯絡人：{names}", "en": "Contacts: {names}"},
    "note_files": {"zh": "附件：{files}", "en": "Files: {files}"},
    "note_files_pending": {
        "zh": "（{n} 個下載中，稍後自動補存）",
        "en": "({n} downloading, kept pending)",
    },
    "note_files_refused": {"zh": "（{n} 個未儲存）", "en": "({n} not stored)"},
    "note_file_too_big": {
        "zh": "⚠️ 檔案 {size} MB 超過 {limit} MB 上限，檔案本身未儲存；筆記與說明已保留。"
        "請壓縮或分割後再傳。",
        "en": "⚠️ The file is {size} MB, over the {limit} MB limit: the file itself was not "
        "stored; the note and its caption were kept. Send it smaller or split.",
    },
    "note_file_done": {
        "zh": "📎 筆記 #{id} 的檔案已補存完成。",
        "en": "📎 The file of note #{id} is now stored.",
    },
    "note_edited": {
        "zh": "✏️ 筆記 #{id} 已更新（保留修改紀錄）。",
        "en": "✏️ Note #{id} updated (history kept).",
    },
    "note_usage": {
        "zh": "用法：/note 內容。直接傳送文字、照片、語音、位置或檔案也會存成筆記。",
        "en": "Usage: /note TEXT. Any plain message, photo, voice, location or file is a note too.",
    },
    "notes_none": {"zh": "沒有符合的筆記。", "en": "No notes match."},
    "notes_header": {"zh": "筆記（{n}）：", "en": "Notes ({n}):"},
    "notes_more": {"zh": "（只列出最近 {n} 則）", "en": "(showing the latest {n})"},
    "notes_usage": {
        "zh": "用法：/notes [today|行程代號|#摘要|#心得|#建議|#效益|#附件]",
        "en": "Usage: /notes [today|LEG ID|#摘要|#心得|#建議|#效益|#附件]",
    },
    "delnote_usage": {"zh": "用法：/delnote 編號 [undo]", "en": "Usage: /delnote NUMBER [undo]"},
    "note_restored": {"zh": "↩️ 筆記 #{id} 已復原。", "en": "↩️ Note #{id} restored."},
    "note_not_found": {"zh": "找不到您的筆記 #{id}。", "en": "You have no note #{id}."},
    "note_not_yours": {"zh": "只能修改自己的筆記。", "en": "You can only change your own notes."},
    "note_locked": {
        "zh": "筆記 #{id} 已編入出國報告，無法刪除。",
        "en": "Note #{id} is already in the compiled report and cannot be deleted.",
    },
    "export_caption": {"zh": "筆記匯出（{n} 則）", "en": "Notes export ({n})"},
    "btn_undo": {"zh": "↩️ 復原", "en": "↩️ Undo"},
    "btn_restore": {"zh": "♻️ 取回", "en": "♻️ Restore"},
    "btn_tag": {"zh": "🏷 標籤", "en": "🏷 Tag"},
    "btn_leg": {"zh": "📍 改行程", "en": "📍 Change leg"},
    "btn_back": {"zh": "⬅️ 返回", "en": "⬅️ Back"},
    "sec_summary": {"zh": "摘要", "en": "summary"},
    "sec_reflection": {"zh": "心得", "en": "reflections"},
    "sec_recommendation": {"zh": "建議", "en": "recommendations"},
    "sec_outcome": {"zh": "效益", "en": "outcomes"},
    "sec_annex": {"zh": "附件照片", "en": "annex photo"},
    # reminders
    "rem_check_in": {
        "zh": "✈️ 請辦理線上報到（{left}後起飛）",
        "en": "✈️ Time for online check-in (departure in {left})",
    },
    "rem_leave": {
        "zh": "🧳 請出發前往機場（{left}後起飛）",
        "en": "🧳 Time to leave for the airport (departure in {left})",
    },
    "rem_before": {"zh": "⏰ {left}後開始", "en": "⏰ Starting in {left}"},
    "rem_depart": {
        "zh": "🛫 出發：{airport}（{city}）{terminal}",
        "en": "🛫 From {airport} ({city}){terminal}",
    },
    "rem_terminal": {"zh": "第 {t} 航廈", "en": ", terminal {t}"},
    "rem_arrive": {
        "zh": "🛬 抵達：{airport}（{city}）當地時間 {clock}",
        "en": "🛬 Arriving {airport} ({city}) at {clock} local time",
    },
    "rem_flight_no": {"zh": "班機：{no}", "en": "Flight {no}"},
    "rem_people": {"zh": "👥 會面對象：", "en": "👥 Who will be there:"},
    "rem_points": {"zh": "💬 談話要點：", "en": "💬 Talking points:"},
    "rem_prep": {
        "zh": "🗓 出國前準備事項（{day}）：{text}",
        "en": "🗓 Pre-departure step due ({day}): {text}",
    },
    "rem_what_check_in": {"zh": "線上報到：{title}", "en": "check-in: {title}"},
    "rem_what_leave_for_airport": {
        "zh": "前往機場：{title}",
        "en": "leave for the airport: {title}",
    },
    "rem_what_before_leg": {"zh": "即將開始：{title}", "en": "starting soon: {title}"},
    "rem_what_morning": {"zh": "{day} 晨間簡報", "en": "morning briefing, {day}"},
    "rem_what_prep": {"zh": "出國前準備：{text}", "en": "pre-departure step: {text}"},
    "rem_header": {"zh": "接下來的提醒（{n}）：", "en": "Upcoming reminders ({n}):"},
    "rem_none": {"zh": "目前沒有待發的提醒。", "en": "No reminders to come."},
    "rem_more": {"zh": "（另有 {n} 則）", "en": "({n} more)"},
    "rem_muted_note": {
        "zh": "🔕 您已關閉提醒（行程異動通知仍會送達）。輸入 /reminders on 重新開啟。",
        "en": "🔕 Your reminders are off (schedule-change notices still arrive). "
        "Send /reminders on to turn them back on.",
    },
    "rem_off": {
        "zh": "🔕 已關閉提醒。行程異動通知仍會送達。輸入 /reminders on 重新開啟。",
        "en": "🔕 Reminders are off. Schedule-change notices still arrive. "
        "Send /reminders on to turn them back on.",
    },
    "rem_on": {"zh": "🔔 已開啟提醒。", "en": "🔔 Reminders are on."},
    "rem_usage": {"zh": "用法：/reminders [on|off]", "en": "Usage: /reminders [on|off]"},
    "rem_problems": {"zh": "⚠️ 未送達的提醒：", "en": "⚠️ Reminders that did not go out:"},
    "rem_problem_missed": {"zh": "錯過（機器人停機）", "en": "missed (the bot was down)"},
    "rem_problem_failed": {"zh": "傳送失敗", "en": "failed"},
    "rem_problem_unconfirmed": {"zh": "未確認是否送達", "en": "unconfirmed"},
    "report_caption": {
        "zh": "出國報告草稿（DOCX），自我檢查結果如下。",
        "en": "The trip report draft (DOCX); the self-check follows.",
    },
    # schedule changes (bot/changes, handlers/changes.py)
    "chg_usage": {
        "zh": "用法：/delay 行程 時長 [原因]（如 45m）、/move 行程 [日期] HH:MM [原因]、"
        "/cancel 行程 [原因]、/restore 行程 [原因]；省略行程可從清單選擇。",
        "en": "Usage: /delay LEG DURATION [reason] (e.g. 45m), /move LEG [DATE] HH:MM [reason], "
        "/cancel LEG [reason], /restore LEG [reason]; leave out LEG to pick from a list.",
    },
    "chg_pick": {"zh": "請選擇行程：", "en": "Pick the leg:"},
    "chg_pick_none": {"zh": "沒有可選的行程。", "en": "There is no leg to pick."},
    "chg_unknown_leg": {"zh": "找不到行程「{leg}」。", "en": "No leg “{leg}”."},
    "chg_cannot": {"zh": "無法套用此變更：{why}", "en": "This change does not apply: {why}"},
    "chg_no_change": {
        "zh": "與目前行程相同，沒有變更。",
        "en": "That is the schedule as it stands: nothing changes.",
    },
    "chg_draft": {
        "zh": "📝 變更預覽（目前為 v{version}）：",
        "en": "📝 Change preview (schedule now at v{version}):",
    },
    "chg_reason": {"zh": "原因：{reason}", "en": "Reason: {reason}"},
    "btn_publish": {"zh": "📣 發布", "en": "📣 Publish"},
    "btn_discard": {"zh": "🗑 捨棄", "en": "🗑 Discard"},
    "btn_ack": {"zh": "✅ 收到", "en": "✅ Got it"},
    "chg_published": {
        "zh": "✅ 已發布 v{version}，通知 {n} 人。",
        "en": "✅ Published v{version}; {n} notified.",
    },
    "chg_discarded": {"zh": "🗑 已捨棄，行程未變更。", "en": "🗑 Discarded; nothing changed."},
    "chg_gone": {"zh": "此預覽已處理過。", "en": "This preview was already dealt with."},
    "chg_moved": {
        "zh": "⚠️ 在您發布前，行程已被他人更新為 v{version}。以下是您的變更套用在新行程上的結果，"
        "請再確認：",
        "en": "⚠️ The schedule moved underneath you: someone published v{version} first. "
        "Here is your change on top of it; check it again:",
    },
    "chg_notice_header": {
        "zh": "🔄 <b>行程變更</b>（v{version}）",
        "en": "🔄 <b>Schedule change</b> (v{version})",
    },
    "chg_ack_hint": {"zh": "請按「收到」確認。", "en": "Please press “Got it”."},
    "ann_header": {"zh": "📢 <b>公告</b>（{author}）", "en": "📢 <b>Announcement</b> ({author})"},
    "ann_usage": {"zh": "用法：/announce 內容", "en": "Usage: /announce TEXT"},
    "ann_sent": {"zh": "📢 已排定傳送給 {n} 人。", "en": "📢 Going out to {n}."},
    "ack_thanks": {"zh": "已確認收到，謝謝。", "en": "Acknowledged, thank you."},
    "ack_already": {"zh": "先前已確認。", "en": "Already acknowledged."},
    "changes_none": {"zh": "行程尚無變更。", "en": "No changes have been published."},
    "changes_header": {"zh": "變更紀錄（目前 v{version}）：", "en": "Change log (now v{version}):"},
    "changes_conflicts": {
        "zh": "⚠️ 下列已發布的變更與目前內容不符，未套用：",
        "en": "⚠️ These published changes no longer fit the content and are not applied:",
    },
    "acks_none": {"zh": "尚未發出任何通知。", "en": "No notices have gone out."},
    "acks_line": {
        "zh": "{what}：已收到 {yes}／{n}",
        "en": "{what}: acknowledged by {yes} of {n}",
    },
    "acks_missing": {"zh": "　未確認：{names}", "en": "  not yet: {names}"},
    "rev_invalid": {
        "zh": "❌ 行程檔有誤，未做任何變更：\n{problems}",
        "en": "❌ The itinerary file is not valid; nothing changed:\n{problems}",
    },
}

COMMANDS: dict[str, dict[Lang, str]] = {
    "start": {"zh": "以邀請碼加入", "en": "join with an invite code"},
    "itinerary": {
        "zh": "行程（today/tomorrow/all/日期）",
        "en": "itinerary (today/tomorrow/all/DATE)",
    },
    "now": {"zh": "目前進行中的行程", "en": "what is in progress"},
    "next": {"zh": "下一項行程", "en": "the next leg"},
    "brief": {"zh": "今日簡報", "en": "today's briefing"},
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
    "report": {"zh": "編製出國報告（DOCX 與自我檢查）", "en": "compile the trip report"},
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
}

ROLE_COMMANDS: dict[str, list[str]] = {
    "delegate": [
        "itinerary", "now", "next", "brief", "contacts", "talkingpoints", "calendar",
        "note", "notes", "delnote", "export", "reminders", "lang", "help",
    ],
}  # fmt: skip
ROLE_COMMANDS["coordinator"] = [
    *ROLE_COMMANDS["delegate"][:-1],
    "invite",
    "members",
    "revoke",
    "report",
    *("delay", "move", "cancel", "restore", "announce", "changes", "acks"),
    "help",
]


def t(lang: Lang, key: str, **values: Any) -> str:
    """The message `key` in `lang`, with `values` filled in."""
    return MESSAGES[key][lang].format(**values)


def lang_from_telegram(language_code: str | None) -> Lang:
    """The reply language for a Telegram client setting: Chinese unless it says English."""
    return "en" if (language_code or "").lower().startswith("en") else DEFAULT_LANG


def command_help(lang: Lang, role: str) -> str:
    """The commands a role may use, one per line."""
    lines = [t(lang, "help_header")]
    lines += [f"/{name} — {COMMANDS[name][lang]}" for name in ROLE_COMMANDS[role]]
    return "\n".join(lines)
