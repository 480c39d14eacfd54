"""Messages of the field kit: the emergency card."""

from __future__ import annotations

from bot.trip.types import Lang

FIELDKIT: dict[str, dict[Lang, str]] = {
    "sos_header": {"zh": "🆘 <b>緊急聯絡卡</b>（{at}）", "en": "🆘 <b>Emergency card</b> ({at})"},
    "sos_country": {"zh": "📌 {country}", "en": "📌 {country}"},
    "sos_no_entry": {
        "zh": "📌 此地尚無緊急聯絡資料，請聯絡領隊或國內窗口。",
        "en": "📌 No emergency entry for where you are: call the leader or the home desk.",
    },
    "sos_everywhere": {"zh": "📞 各地皆可撥打：", "en": "📞 From anywhere:"},
    "sos_numbers": {"zh": "當地緊急電話：", "en": "Local emergency numbers:"},
    "sos_to_verify": {"zh": "⚠️待確認", "en": "⚠️to verify"},
    "sos_hotel": {"zh": "🏨 今晚住宿：<b>{name}</b>", "en": "🏨 Tonight: <b>{name}</b>"},
    "sos_no_hotel": {"zh": "🏨 今晚無住宿資料。", "en": "🏨 No hotel on record for tonight."},
    "btn_save_contact": {"zh": "📇 存入手機：{name}", "en": "📇 Save to phone: {name}"},
    "card_gone": {"zh": "此聯絡人無可用電話。", "en": "This contact has no number to save."},
    "contacts_export_caption": {
        "zh": "📇 本團聯絡人 {n} 位（.vcf 可匯入手機通訊錄，.csv 可用試算表開啟）",
        "en": "📇 The trip's {n} contacts (.vcf for a phone, .csv for a spreadsheet)",
    },
    "btn_safe": {"zh": "🟢 平安", "en": "🟢 I'm safe"},
    "btn_help": {"zh": "🆘 需要協助", "en": "🆘 I need help"},
    "checkin_ask": {"zh": "🙋 平安嗎？", "en": "🙋 Are you safe?"},
    "checkin_from": {"zh": "— {author}", "en": "— {author}"},
    "checkin_usage": {
        "zh": "請寫 /checkin [訊息]，例如 /checkin 地震後請回報",
        "en": "write /checkin [message], e.g. /checkin please report after the earthquake",
    },
    "checkin_sent": {
        "zh": "🙋 已詢問 {n} 位團員是否平安。",
        "en": "🙋 Asked {n} members whether they are safe.",
    },
    "checkin_sent_one": {
        "zh": "🙋 已詢問 {n} 位團員是否平安。",
        "en": "🙋 Asked {n} member whether they are safe.",
    },
    "checkin_safe_thanks": {"zh": "已回報平安，謝謝。", "en": "Reported safe, thank you."},
    "checkin_help_sent": {
        "zh": "已通知所有承辦人，請保持手機暢通。",
        "en": "Every coordinator has been alerted: keep your phone on.",
    },
    "checkin_not_asked": {
        "zh": "此次平安回報不是問您的。",
        "en": "This check-in was not sent to you.",
    },
    "checkin_alert": {
        "zh": "🆘 <b>{name} 需要協助</b>（{at}）",
        "en": "🆘 <b>{name} needs help</b> ({at})",
    },
    "checkin_no_location": {
        "zh": "📍 未曾分享位置。",
        "en": "📍 No location shared yet.",
    },
    "checkin_location": {
        "zh": "📍 最後分享位置（{at}）：{lat}, {lon}\n{link}",
        "en": "📍 Last shared location ({at}): {lat}, {lon}\n{link}",
    },
    "checkins_none": {"zh": "尚未發出平安回報。", "en": "No check-in has been asked yet."},
    "checkins_header": {"zh": "🙋 平安回報（{at} 發出）", "en": "🙋 Check-in (asked {at})"},
    "checkins_safe": {"zh": "🟢 {name}：平安（{at}）", "en": "🟢 {name}: safe ({at})"},
    "checkins_help": {"zh": "🆘 {name}：需要協助（{at}）", "en": "🆘 {name}: needs help ({at})"},
    "checkins_silent": {
        "zh": "⏳ {name}：尚未回覆（已詢問 {n} 次）",
        "en": "⏳ {name}: no answer yet (asked {n}×)",
    },
    "pack_title": {"zh": "行前簡報手冊：{trip}", "en": "Briefing pack: {trip}"},
    "pack_overview": {"zh": "行程總覽", "en": "The trip on one page"},
    "pack_field": {"zh": "項目", "en": "Item"},
    "pack_detail": {"zh": "內容", "en": "Details"},
    "pack_event": {"zh": "會議", "en": "Event"},
    "pack_where": {"zh": "地點", "en": "Where"},
    "pack_dates": {"zh": "期間", "en": "Dates"},
    "pack_delegation": {"zh": "出國人員", "en": "Delegation"},
    "pack_organiser": {"zh": "機關", "en": "Organiser"},
    "pack_itinerary": {
        "zh": "每日行程（當地時間與臺北時間）",
        "en": "Day by day (local and Taipei time)",
    },
    "pack_time": {"zh": "時間", "en": "Time"},
    "pack_item": {"zh": "行程", "en": "Item"},
    "pack_place": {"zh": "地點", "en": "Place"},
    "pack_hotel": {"zh": "住宿：{name}", "en": "Hotel: {name}"},
    "pack_contacts": {"zh": "聯絡人與談話要點", "en": "Contacts and talking points"},
    "pack_phone": {"zh": "電話：", "en": "Phone: "},
    "pack_emergency": {"zh": "緊急聯絡卡", "en": "Emergency card"},
    "pack_everywhere": {"zh": "各地皆可撥打", "en": "From anywhere"},
    "pack_service": {"zh": "單位", "en": "Service"},
    "pack_number": {"zh": "電話", "en": "Number"},
    "pack_to_verify": {"zh": "（待確認）", "en": "(to verify)"},
    "pack_glossary": {"zh": "名詞解釋", "en": "Glossary"},
    "pack_term": {"zh": "名詞", "en": "Term"},
    "pack_why": {"zh": "說明", "en": "Why it matters"},
    "pack_full": {"zh": "全稱", "en": "Full name"},
    "pack_back_to_bot": {"zh": "最新行程請見 {link}", "en": "The current schedule: {link}"},
    "pack_caption": {
        "zh": "📘 行前簡報手冊（離線可讀）",
        "en": "📘 Your briefing pack (readable offline)",
    },
    "pack_building": {
        "zh": "📘 製作中，約需一分鐘…",
        "en": "📘 Building your pack, about a minute…",
    },
    "pack_unavailable": {
        "zh": "目前無法製作 PDF，請洽承辦人。",
        "en": "The PDF cannot be built right now; ask a coordinator.",
    },
    "pack_ready": {
        "zh": "📦 簡報包第 {version} 版已備妥（依最新行程）。按下方按鈕或傳 /pack 取得。",
        "en": "📦 Briefing pack v{version} is ready (the current schedule). "
        "Press the button below or send /pack to get it.",
    },
    "content_checkin_trigger": {
        "zh": "請寫 after_flights_over（如 8h）或 legs（行程代號）其中之一",
        "en": "give either after_flights_over (e.g. 8h) or legs (leg ids), not both",
    },
    "checkin_auto": {
        "zh": "— 抵達後自動詢問",
        "en": "— asked automatically after arrival",
    },
    "btn_get_pack": {"zh": "📦 取得簡報包", "en": "📦 Get the pack"},
    "digest_header": {
        "zh": "🗞 每日摘要 {day}（臺北時間）",
        "en": "🗞 Daily digest {day} (Taipei time)",
    },
    "digest_notes": {"zh": "📝 今日筆記 {n} 則", "en": "📝 Notes today: {n}"},
    "digest_member_notes": {"zh": "• {name}：{n} 則", "en": "• {name}: {n}"},
    "digest_unacked": {"zh": "📣 未確認的通知 {n} 則", "en": "📣 Notices not acknowledged: {n}"},
    "digest_silent": {"zh": "🙋 平安回報未回覆 {n} 人", "en": "🙋 Check-in not answered: {n}"},
    "digest_not_sent": {
        "zh": "⏰ 未送出的提醒 {n} 則",
        "en": "⏰ Reminders that did not go out: {n}",
    },
    "itinerary_of": {"zh": "👤 {name} 的行程", "en": "👤 {name}'s itinerary"},
    "itinerary_no_member": {
        "zh": "找不到成員 {who}；請寫 /itinerary @成員代號，如 /itinerary @cao-kaiwen",
        "en": "no member {who}: write /itinerary @member, e.g. /itinerary @cao-kaiwen",
    },
}
