"""What a delegate receives: a change notice naming only what changed, or an announcement."""

from __future__ import annotations

from html import escape

from bot.changes.diff import diff_lines
from bot.i18n import t
from bot.trip.models import Trip
from bot.trip.types import LANGS, Lang


def change_notice(
    old: Trip, new: Trip, version: int, reason: str, lang: Lang, *, restore: bool = False
) -> str:
    """The notice of one published change, in one language."""
    diff = diff_lines(old, new, lang, restore=restore)
    lines = [t(lang, "chg_notice_header", version=version), *diff]
    if reason:
        lines.append(t(lang, "chg_reason", reason=escape(reason)))
    lines.append(t(lang, "chg_ack_hint"))
    return "\n".join(lines)


def announcement(text: str, author: str, lang: Lang) -> str:  # author: as the reader names them
    """An announcement from a coordinator, in one language (the text as they wrote it)."""
    return "\n".join(
        [t(lang, "ann_header", author=escape(author)), escape(text), t(lang, "chg_ack_hint")]
    )


def both(render: dict[Lang, str]) -> tuple[str, str]:
    """The (zh, en) pair stored with a notice."""
    zh, en = (render[lang] for lang in LANGS)
    return zh, en
