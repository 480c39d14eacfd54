"""Scalar types of the trip content: bilingual text, IANA zones, ISO or ROC dates."""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date, datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, PlainSerializer, PlainValidator, model_validator

# Where in the trip a problem is: keys and list indexes, as in trip["legs"][3]["end"].
Path = tuple[str | int, ...]

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_ROC_DATE = re.compile(r"^(\d{2,3})[./](\d{1,2})[./](\d{1,2})$")
_ROC_CJK = re.compile(r"^(?:民國)?(\d{2,3})年(\d{1,2})月(\d{1,2})日$")
_ROC_COMPACT = re.compile(r"^(\d{3})(\d{2})(\d{2})$")
_ISO_LOOSE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")  # 2015-5-18
ROC_OFFSET = 1911


class Said(str):
    """A message in English (as `check` prints it) that knows its catalogue key and values, so
    a chat reply can say it in the reader's language (bot/i18n/content.py)."""

    key: str
    values: dict[str, str]

    def __new__(cls, key: str, english: str, **values: str) -> Said:
        said = super().__new__(cls, english)
        said.key, said.values = key, values
        return said


class Strict(BaseModel):
    """Base of every content model: unknown fields are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """Text in Traditional Chinese and optionally English; a bare string is Chinese."""

    zh: str
    en: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_plain(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"zh": value}
        return value

    def get(self, lang: Lang) -> str:
        """The text in `lang`, falling back to Chinese."""
        if lang == "en" and self.en:
            return self.en
        return self.zh

    def __str__(self) -> str:
        return self.zh


def fold(text: str) -> str:
    """Lower-case, accents removed, full-width folded: 'Chacón' and 'chacon' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def parse_id(value: Any) -> str:
    """An identifier: lower-case letters, digits, '-' and '_'."""
    if not isinstance(value, str) or not _ID.match(value):
        raise ValueError(
            Said(
                "content_bad_id",
                f"not a valid id {value!r}: use lower-case letters, digits, '-' or '_'",
                value=repr(value),
            )
        )
    return value


def parse_zone(value: Any) -> ZoneInfo:
    """An IANA time zone such as 'Asia/Taipei'."""
    if isinstance(value, ZoneInfo):
        return value
    if isinstance(value, str) and ("/" in value or value == "UTC"):
        try:
            return ZoneInfo(value)  # kept by zoneinfo: one lookup per name
        except (ZoneInfoNotFoundError, ValueError):
            pass
    # The message is built only when it is said (a catalogue lookup, per zone of every leg).
    raise ValueError(
        Said(
            "content_bad_zone",
            f"unknown time zone {value!r}: use an IANA name such as 'Asia/Taipei'",
            value=repr(value),
        )
    )


def parse_date(value: Any) -> date:
    """A calendar date written ISO (2015-05-16) or ROC (104.05.16, 104/05/16, 104年5月16日)."""
    if isinstance(value, datetime):
        raise ValueError(
            Said(
                "content_bad_date", f"expected a date, got a date-time {value!r}", value=repr(value)
            )
        )
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(
            Said(
                "content_bad_date",
                f"expected a date such as 2015-05-16 or 104.05.16, got {value!r}",
                value=repr(value),
            )
        )
    text = value.strip()
    try:
        if m := _ROC_DATE.match(text) or _ROC_CJK.match(text) or _ROC_COMPACT.match(text):
            return date(int(m[1]) + ROC_OFFSET, int(m[2]), int(m[3]))
        if m := _ISO_LOOSE.match(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            Said(
                "content_bad_date",
                f"not a date {value!r}: write 2015-05-16 (ISO) or 104.05.16 (ROC)",
                value=repr(value),
            )
        ) from None


def parse_local_datetime(value: Any) -> datetime:
    """A wall-clock date-time without zone: '2015-05-18 09:00' or '104.05.18 09:00'."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise ValueError(
                Said(
                    "content_offset",
                    "write the local time without an offset; the zone field names the zone",
                )
            )
        return value
    if not isinstance(value, str):
        raise ValueError(
            Said(
                "content_bad_datetime",
                f"expected a local date-time such as 2015-05-18 09:00, got {value!r}",
                value=repr(value),
            )
        )
    return _local_datetime(value)


@functools.lru_cache(maxsize=16384)
def _local_datetime(value: str) -> datetime:
    """`parse_local_datetime` of text; kept, as every trip repeats its days' hours."""
    text = value.strip().replace("T", " ")
    day, _, clock = text.partition(" ")
    if not clock:
        raise ValueError(
            Said(
                "content_bad_datetime",
                f"not a date-time {value!r}: give the clock time, e.g. 2015-05-18 09:00",
                value=repr(value),
            )
        )
    d = parse_date(day)
    m = re.match(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$", clock.strip())
    if not m:
        raise ValueError(
            Said(
                "content_bad_clock",
                f"not a clock time {clock.strip()!r}: write HH:MM, e.g. 09:00",
                value=repr(clock.strip()),
            )
        )
    try:
        return datetime(d.year, d.month, d.day, int(m[1]), int(m[2]), int(m[3] or 0))
    except ValueError as exc:
        raise ValueError(
            Said(
                "content_bad_clock",
                f"not a clock time {clock.strip()!r}: {exc}",
                value=repr(clock.strip()),
            )
        ) from None


def roc(d: date, sep: str = ".") -> str:
    """The ROC form of a date: 2015-05-16 -> '104.05.16'."""
    return f"{d.year - ROC_OFFSET:03d}{sep}{d.month:02d}{sep}{d.day:02d}"


Id = Annotated[str, PlainValidator(parse_id)]
Zone = Annotated[ZoneInfo, PlainValidator(parse_zone), PlainSerializer(str)]
Day = Annotated[date, PlainValidator(parse_date), PlainSerializer(lambda d: d.isoformat())]
LocalTime = Annotated[
    datetime, PlainValidator(parse_local_datetime), PlainSerializer(lambda d: d.isoformat(" "))
]
