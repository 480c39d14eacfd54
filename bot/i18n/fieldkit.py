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
    "itinerary_of": {"zh": "👤 {name} 的行程", "en": "👤 {name}'s itinerary"},
    "itinerary_no_member": {
        "zh": "找不到成員 {who}；請寫 /itinerary @成員代號，如 /itinerary @cao-kaiwen",
        "en": "no member {who}: write /itinerary @member, e.g. /itinerary @cao-kaiwen",
    },
}
