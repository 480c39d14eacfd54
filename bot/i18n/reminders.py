"""Messages of reminders."""

from __future__ import annotations

from bot.trip.types import Lang

REMINDERS: dict[str, dict[Lang, str]] = {
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
    "rem_points_more": {
        "zh": "……另有 {n} 項，請用 /talkingpoints 查看",
        "en": "…and {n} more: /talkingpoints",
    },
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
    "report_more": {
        "zh": "其他格式與表件（★ 為本機關規定應繳）：",
        "en": "Other formats and forms (★ = required by the office):",
    },
    "report_btn_pdf": {"zh": "出國報告 PDF", "en": "Report PDF"},
    "report_btn_odt": {"zh": "出國報告 ODT", "en": "Report ODT"},
    "report_btn_review": {"zh": "審核表", "en": "Review form"},
    "report_btn_summary": {"zh": "出國報告提要", "en": "Report summary form"},
    "report_btn_json": {"zh": "資訊網欄位 JSON", "en": "Upload fields JSON"},
    "report_btn_csv": {"zh": "資訊網欄位 CSV", "en": "Upload fields CSV"},
    "report_file_caption": {"zh": "{name}（{pages}）", "en": "{name} ({pages})"},
    "report_pages": {"zh": "共 {n} 頁", "en": "{n} pages"},
    "report_no_pdf": {
        "zh": "⚠️ 伺服器未安裝 LibreOffice，無法轉成 PDF／ODT；DOCX 可另行轉檔。",
        "en": "⚠️ LibreOffice is not installed on the server: no PDF/ODT. Convert the DOCX by hand.",
    },
}
