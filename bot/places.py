"""Names of places from CLDR (through Babel), in Traditional Chinese or English."""

from __future__ import annotations

from functools import cache

from babel.dates import get_timezone_location

from bot.trip.types import Lang

_LOCALES: dict[Lang, str] = {"zh": "zh_Hant_TW", "en": "en"}


@cache
def zone_city(key: str, lang: Lang) -> str:
    """CLDR's exemplar city of an IANA zone: '伊斯坦堡' or 'Istanbul'; 'UTC' for UTC."""
    if key == "UTC":
        return "UTC"
    try:
        return str(get_timezone_location(key, _LOCALES[lang], return_city=True))
    except LookupError:
        return key.rsplit("/", 1)[-1].replace("_", " ")
