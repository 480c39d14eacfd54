"""Messages of content validation, for a coordinator's chat. `check` and en replies print the
English each problem carries (bot.trip.types.Said); these say the same in zh."""

from __future__ import annotations

from bot.trip.types import Lang

CONTENT: dict[str, dict[Lang, str]] = {
    "content_bad_id": {
        "zh": "代號 {value} 不正確：請用小寫英文字母、數字、- 或 _",
        "en": "not a valid id {value}: use lower-case letters, digits, '-' or '_'",
    },
    "content_bad_zone": {
        "zh": "不認識的時區 {value}：請寫 IANA 名稱，如 Asia/Taipei",
        "en": "unknown time zone {value}: use an IANA name such as 'Asia/Taipei'",
    },
    "content_bad_date": {
        "zh": "日期 {value} 不正確：請寫 2015-05-16（西元）或 104.05.16（民國）",
        "en": "not a date {value}: write 2015-05-16 (ISO) or 104.05.16 (ROC)",
    },
    "content_bad_datetime": {
        "zh": "日期時間 {value} 不正確：請寫如 2015-05-18 09:00",
        "en": "not a date-time {value}: write e.g. 2015-05-18 09:00",
    },
    "content_bad_clock": {
        "zh": "時刻 {value} 不正確：請寫 HH:MM，如 09:00",
        "en": "not a clock time {value}: write HH:MM, e.g. 09:00",
    },
    "content_offset": {
        "zh": "請寫當地時間，不加時差；時區由 zone 欄位指定",
        "en": "write the local time without an offset; the zone field names the zone",
    },
    "content_missing": {"zh": "缺少必填欄位", "en": "missing required field"},
    "content_unknown_field": {
        "zh": "不認識的欄位（請檢查拼字；見 content/README.md）",
        "en": "unknown field (check the spelling; see content/README.md)",
    },
    "content_not_number": {"zh": "須為數字（不加逗號）", "en": "must be a number (no commas)"},
    "content_not_yes_no": {"zh": "須為 true 或 false", "en": "must be true or false"},
    "content_too_short": {"zh": "至少須有一項", "en": "needs at least one item"},
    "content_not_list": {"zh": "須為清單", "en": "must be a list"},
    "content_not_text": {"zh": "須為文字", "en": "must be text"},
    "content_not_mapping": {"zh": "須為「欄位：值」的對應", "en": "must be a mapping of keys"},
    "content_duplicate_id": {
        "zh": "代號 {id} 重複（首次出現於 {first}）",
        "en": "duplicate id {id} (first at {first})",
    },
    "content_unknown_ref": {"zh": "找不到 {ref}", "en": "unknown {ref}"},
    "content_unknown_member": {"zh": "找不到成員 {ref}", "en": "unknown member {ref}"},
    "content_member_home": {
        "zh": "成員 {ref} 不出國",
        "en": "member {ref} does not travel (travelling: false)",
    },
    "content_hotel_order": {
        "zh": "退房日（check_out）須晚於入住日（check_in）",
        "en": "check_out must be after check_in",
    },
    "content_hotel_outside": {
        "zh": "住宿夜晚超出行程（{start} 至 {end}）",
        "en": "a night outside the trip ({start} to {end})",
    },
    "content_hotel_twice": {
        "zh": "{night} 當晚已住 {first}",
        "en": "the night of {night} is already at {first}",
    },
    "content_budget_converted": {
        "zh": "以 {currency} 計之項目須填 converted：折合 {home} 之金額",
        "en": "an item in {currency} needs 'converted': its amount in {home}",
    },
    "content_budget_total": {
        "zh": "各項合計 {total} {currency}，與總額 {amount} 不符",
        "en": "the items add up to {total} {currency}, not {amount}",
    },
    "content_zone_twice": {
        "zh": "時區 {zone} 已列於 {first}",
        "en": "zone {zone} is already in {first}",
    },
    "content_flight_ends": {
        "zh": "航班須有 from 與 to（機場與時區）",
        "en": "a flight needs 'from' and 'to' with airport and zone",
    },
    "content_missing_zone": {
        "zh": "缺少時區 zone：請寫時間所屬的 IANA 時區",
        "en": "missing zone: name the IANA zone the times are local to",
    },
    "content_ends_before": {
        "zh": "結束（{end}）早於開始（{start}）",
        "en": "ends ({end}) before it starts ({start})",
    },
    "content_arrival_zone": {
        "zh": "只有地面交通（ground）可寫 arrival_zone；航班請寫 to.zone",
        "en": "only a ground leg takes 'arrival_zone' (a flight's is 'to.zone')",
    },
    "content_trip_ends_before": {
        "zh": "行程結束日（{end}）早於開始日（{start}）",
        "en": "the trip ends ({end}) before it starts ({start})",
    },
    "content_event_ends_before": {
        "zh": "活動結束日早於開始日",
        "en": "the event ends before it starts",
    },
    "content_source_in_text": {
        "zh": "提醒：顯示文字中有出處 {ref}，請移至該項目的 source 欄位",
        "en": "warning: source reference {ref} in display text; move it to the 'source:' field",
    },
    "content_yaml": {
        "zh": "YAML 語法錯誤，請檢查此行附近的縮排、冒號與引號",
        "en": "YAML syntax: {detail}",
    },
    "yaml_open_list": {
        "zh": "YAML 語法錯誤：此行開始的「[」沒有以「]」結束",
        "en": "YAML syntax: the '[' opened on this line is never closed with ']'",
    },
    "yaml_open_map": {
        "zh": "YAML 語法錯誤：此行開始的「{{」沒有以「}}」結束",
        "en": "YAML syntax: the '{{' opened on this line is never closed with '}}'",
    },
    "yaml_open_quote": {
        "zh": "YAML 語法錯誤：此行開始的引號沒有結束",
        "en": "YAML syntax: the quote opened on this line is never closed",
    },
    "yaml_colon_here": {
        "zh": "YAML 語法錯誤：此處不能再有「: 」，含冒號的文字請加引號",
        "en": "YAML syntax: a second ': ' is not allowed here; quote text that has a colon",
    },
    "yaml_tab": {
        "zh": "YAML 語法錯誤：不能用 Tab 縮排，請改用空格",
        "en": "YAML syntax: a tab cannot indent; use spaces",
    },
    "yaml_no_colon": {
        "zh": "YAML 語法錯誤：這一項缺少「: 」",
        "en": "YAML syntax: this entry lacks its ': '",
    },
    "yaml_indent": {
        "zh": "YAML 語法錯誤：縮排與上一行對不齊",
        "en": "YAML syntax: the indentation does not line up with the lines above",
    },
    "yaml_early_end": {
        "zh": "YAML 語法錯誤：檔案在此結束，前面的內容還沒寫完（如括號、引號或逗號後的項目）",
        "en": "YAML syntax: the file ends here before what comes above is complete (a bracket, "
        "a quote, an item after a comma)",
    },
    "yaml_alias": {
        "zh": "YAML 語法錯誤：引用了未定義的別名（*）",
        "en": "YAML syntax: an alias (*) that is not defined",
    },
    "yaml_escape": {
        "zh": "YAML 語法錯誤：雙引號內有無效的跳脫字元（\\）",
        "en": "YAML syntax: an unknown escape (\\) inside double quotes",
    },
    "content_needs_legs": {
        "zh": "行程檔須有 legs: 清單",
        "en": "an itinerary file needs a 'legs:' list",
    },
    "content_only_legs": {
        "zh": "上傳只能修改 legs: 與 sections:",
        "en": "only legs: and sections: can be revised by upload",
    },
    "content_other": {"zh": "內容不正確", "en": "not valid"},
    "content_not_utf8": {"zh": "不是 UTF-8 文字檔", "en": "not UTF-8 text"},
}
