"""Punctuation around content text: full-width in zh, ASCII in en."""

from __future__ import annotations

from bot.trip.types import Lang


def paren(text: str, lang: Lang) -> str:
    """'（text）' in zh, ' (text)' in en."""
    return f"（{text}）" if lang == "zh" else f" ({text})"


def colon(lang: Lang) -> str:
    """'：' in zh, ': ' in en."""
    return "：" if lang == "zh" else ": "


def comma(lang: Lang) -> str:
    """'，' in zh, ', ' in en."""
    return "，" if lang == "zh" else ", "


def semicolon(lang: Lang) -> str:
    """'；' in zh, '; ' in en."""
    return "；" if lang == "zh" else "; "


def bar(lang: Lang) -> str:
    """The separator before Taipei time: '｜' in zh, ' | ' in en."""
    return "｜" if lang == "zh" else " | "


def enum(lang: Lang) -> str:
    """Between names in a list: '、' in zh, ', ' in en."""
    return "、" if lang == "zh" else ", "
