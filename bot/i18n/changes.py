"""Messages of schedule changes."""

from __future__ import annotations

from bot.trip.types import Lang

CHANGES: dict[str, dict[Lang, str]] = {
    "chg_usage": {
        "zh": "用法：/delay 行程 時長 [原因]（如 45m）、/move 行程 [日期] HH:MM [原因]、"
        "/cancel 行程 [原因]、/restore 行程 [原因]；省略行程可從清單選擇。",
        "en": "Usage: /delay LEG DURATION [reason] (e.g. 45m), /move LEG [DATE] HH:MM [reason], "
        "/cancel LEG [reason], /restore LEG [reason]; leave out LEG to pick from a list.",
    },
    "chg_usage_delay": {
        "zh": "用法：/delay 行程 時長 [原因]（時長如 45m、2h、1h30m）",
        "en": "Usage: /delay LEG DURATION [reason] (a duration such as 45m, 2h, 1h30m)",
    },
    "chg_usage_move": {
        "zh": "用法：/move 行程 [日期] HH:MM [原因]（省略日期：該行程原本那天）",
        "en": "Usage: /move LEG [DATE] HH:MM [reason] (without a date: the leg's own day)",
    },
    "rev_coordinators_only": {
        "zh": "只有承辦人可以傳 .yaml 檔修訂行程，「{file}」未儲存。"
        "若要留作筆記，請改用其他副檔名（如 .txt）再傳一次。",
        "en": 'Only coordinators can revise the itinerary with a .yaml file; "{file}" was not '
        "stored. To keep it as a note, send it again under another extension (e.g. .txt).",
    },
    "chg_example": {"zh": "例如：{command}", "en": "e.g. {command}"},
    "chg_legs": {"zh": "接下來的行程（行程代號：名稱）：", "en": "Coming legs (LEG: title):"},
    "bad_duration": {
        "zh": "看不懂時長「{arg}」，請寫如 45m、2h 或 1h30m。",
        "en": 'Cannot read the duration "{arg}": write e.g. 45m, 2h or 1h30m.',
    },
    "bad_clock": {
        "zh": "沒有「{arg}」這個時刻，請寫 00:00 到 23:59。",
        "en": 'There is no time "{arg}": write 00:00 to 23:59.',
    },
    "chg_pick": {"zh": "請選擇行程：", "en": "Pick the leg:"},
    "chg_pick_none": {"zh": "沒有可選的行程。", "en": "There is no leg to pick."},
    "chg_no_leg": {
        "zh": "沒有行程「{leg}」。請從下列行程中選擇：",
        "en": 'There is no leg "{leg}". Pick one of these:',
    },
    "chg_unknown_leg": {"zh": "找不到行程「{leg}」。", "en": 'No leg "{leg}".'},
    "chg_cannot": {"zh": "無法套用此變更：{why}", "en": "This change does not apply: {why}"},
    "why_not_cancelled": {"zh": "此行程並未取消", "en": "that leg is not cancelled"},
    "why_cancelled": {"zh": "此行程已取消", "en": "that leg is cancelled"},
    "why_cancelled_with": {
        "zh": "此行程隨 {leg} 一併取消，請恢復 {leg}",
        "en": "it was cancelled with {leg}: restore that",
    },
    "why_no_leg": {"zh": "內容中沒有這個行程", "en": "there is no such leg in the content"},
    "why_no_legs": {
        "zh": "內容中沒有這些行程：{legs}",
        "en": "there is no such leg in the content: {legs}",
    },
    "why_invalid": {
        "zh": "變更後的行程不成立（{detail}）",
        "en": "the schedule would no longer be valid ({detail})",
    },
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
    "chg_ack_hint": {"zh": "請按「收到」確認。", "en": 'Please press "Got it".'},
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
    "acks_change": {"zh": "行程變更 v{version}", "en": "Change v{version}"},
    "acks_announce": {"zh": "公告「{start}」", "en": 'Announcement "{start}"'},
    "acks_checkin": {"zh": "平安回報", "en": "Check-in"},
    "acks_alert": {"zh": "求助通知", "en": "Help alert"},
    "acks_who": {"zh": "{name}（{state}）", "en": "{name} ({state})"},
    "acks_who_sends": {
        "zh": "{name}（{state}，已傳 {n} 次）",
        "en": "{name} ({state}, sent {n} times)",
    },
    "acks_state_queued": {"zh": "待傳送", "en": "queued"},
    "acks_state_claimed": {"zh": "傳送中", "en": "sending"},
    "acks_state_sent": {"zh": "已送達", "en": "delivered"},
    "acks_state_unconfirmed": {"zh": "未確認是否送達", "en": "delivery unconfirmed"},
    "acks_state_failed": {"zh": "無法送達", "en": "undeliverable"},
    "acks_state_blocked": {"zh": "已封鎖機器人", "en": "blocked the bot"},
    "acks_undelivered": {
        "zh": "　⚠️ 無法送達（不再重試）：{names}",
        "en": "  ⚠️ could not be delivered (no more tries): {names}",
    },
    "chg_warn_shift": {
        "zh": "⚠️ {leg} 移動超過 24 小時（{hours} 小時）",
        "en": "⚠️ {leg} moves by more than 24 hours ({hours} h)",
    },
    "chg_warn_outside": {
        "zh": "⚠️ {leg} 移到行程日期（{start}～{end}）之外",
        "en": "⚠️ {leg} moves outside the trip's dates ({start} to {end})",
    },
    "chg_warn_passes": {
        "zh": "⚠️ {leg} 越過了「{other}」",
        "en": '⚠️ {leg} moves past "{other}"',
    },
    "chg_warn_hint": {
        "zh": "請確認無誤：發布前會再確認一次。",
        "en": "Please check: Publish will ask once more.",
    },
    "chg_warn_confirm": {
        "zh": "⚠️ 此變更有警示，確定要發布嗎？",
        "en": "⚠️ This change has warnings. Publish it anyway?",
    },
    "btn_publish_anyway": {"zh": "⚠️ 確定發布", "en": "⚠️ Publish anyway"},
    "ann_preview": {
        "zh": "📝 公告預覽（發布後傳給 {n} 人）：",
        "en": "📝 Announcement preview (goes to {n} once published):",
    },
    "rev_limit": {
        "zh": "❌ {file} 超過上限（{limit}），未做任何變更。",
        "en": "❌ {file} is over a limit ({limit}); nothing changed.",
    },
    "rev_timeout": {
        "zh": "❌ {file} 讀取超過 {seconds} 秒，未做任何變更。",
        "en": "❌ Reading {file} took over {seconds} s; nothing changed.",
    },
    "yaml_limit_bytes": {"zh": "檔案大小 {maximum} 位元組", "en": "file size {maximum} bytes"},
    "yaml_limit_aliases": {"zh": "別名（alias）{maximum} 個", "en": "{maximum} aliases"},
    "yaml_limit_depth": {"zh": "巢狀深度 {maximum} 層", "en": "nesting depth {maximum}"},
    "yaml_limit_nodes": {
        "zh": "展開後節點 {maximum} 個",
        "en": "{maximum} nodes once aliases are expanded",
    },
    "rev_invalid": {
        "zh": "❌ 行程檔有誤，未做任何變更：\n{problems}",
        "en": "❌ The itinerary file is not valid; nothing changed:\n{problems}",
    },
}
