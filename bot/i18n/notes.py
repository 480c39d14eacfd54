"""Messages of field notes."""

from __future__ import annotations

from bot.trip.types import Lang

NOTES: dict[str, dict[Lang, str]] = {
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
    "note_map": {"zh": "地圖", "en": "map"},
    "note_file_unnamed": {"zh": "（未命名檔案）", "en": "(unnamed file)"},
}
