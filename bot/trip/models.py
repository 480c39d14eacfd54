"""Typed models of one trip: delegation, legs, programme, people, talking points, glossary."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field

from bot.changes.settings import ChangeSettings
from bot.places import zone_city
from bot.reminders.rules import ClockTime, ReminderRule, TripReminders
from bot.report.settings import ReportSettings
from bot.trip.fieldkit import BudgetItem, CheckinRule, Emergency, Everywhere, Hotel, Phone
from bot.trip.types import Day, Id, LocalTime, Strict, Text, Zone, fold

LegKind = Literal[
    "flight", "ground", "conference", "session", "meeting", "visit", "social", "standby"
]


class Budget(Strict):
    """The approved budget (出國預算金額)."""

    amount: int = Field(ge=0)
    currency: str = "TWD"
    note: Text | None = None
    items: list[BudgetItem] = Field(default_factory=list)  # when given, they add up to `amount`


class Event(Strict):
    """The event the delegation attends."""

    name: Text
    theme: Text | None = None
    host: Text | None = None
    city: Text
    country: Text
    start: Day
    end: Day
    url: str | None = None


class Member(Strict):
    """A person of the delegation or of the home team (出國人員名單 lists the travellers)."""

    id: Id
    name: Text
    unit: Text
    title: Text
    rank: str | None = None  # 官職等, e.g. 簡任第十職等
    travelling: bool = True
    leader: bool = False


class Milestone(Strict):
    """A pre-departure step (出國前準備過程) with its date and, optionally, the date it closed."""

    id: Id
    date: Day
    until: Day | None = None
    text: Text


class Section(Strict):
    """A part of the conference programme (全體大會, 主題會議, …)."""

    id: Id
    title: Text
    summary: Text | None = None


class Endpoint(Strict):
    """One end of a flight: airport, city and the zone its clock time is in."""

    airport: str = Field(pattern=r"^[A-Z]{3}$")
    name: Text | None = None
    city: Text
    zone: Zone
    terminal: str | None = None


class Leg(Strict):
    """A timed item of the itinerary; a flight's times are local to each end."""

    model_config = Strict.model_config | {
        "ignored_types": (cached_property,),
        "populate_by_name": True,
    }

    id: Id
    kind: LegKind
    title: Text
    start: LocalTime
    end: LocalTime
    zone: Zone | None = None  # every kind but a flight
    arrival_zone: Zone | None = None  # a ground leg ending in another zone: `end` is local there
    origin: Endpoint | None = Field(default=None, alias="from")
    destination: Endpoint | None = Field(default=None, alias="to")
    flight_no: str | None = None
    place: Text | None = None
    venue: Text | None = None
    part_of: Id | None = None
    section: Id | None = None
    track: Text | None = None
    summary: Text | None = None
    contacts: list[Id] = Field(default_factory=list)
    talking_points: list[Id] = Field(default_factory=list)
    assumed: bool = False  # the clock times are our assumption, not a fact from the sources
    members: list[Id] | None = None  # who takes part; None: every travelling member
    reminders: list[ReminderRule] | None = None  # replaces the trip's rules for this leg's kind
    source: str | None = None  # editorial: where in the sources it comes from, e.g. 陸.五
    note: str | None = None  # editorial: an assumption or "verify this"; coordinators only

    @property
    def start_zone(self) -> ZoneInfo:
        """The zone the start time is local to."""
        zone = self.origin.zone if self.origin else self.zone
        assert zone is not None, "validated at load"
        return zone

    @property
    def end_zone(self) -> ZoneInfo:
        """The zone the end time is local to."""
        zone = self.destination.zone if self.destination else (self.arrival_zone or self.zone)
        assert zone is not None, "validated at load"
        return zone

    # In UTC on purpose: two datetimes sharing one ZoneInfo compare and subtract by wall clock,
    # which is wrong across a DST change. An ambiguous wall time takes its first occurrence.
    @cached_property
    def start_at(self) -> datetime:
        """The start instant, in UTC."""
        return self.start.replace(tzinfo=self.start_zone).astimezone(UTC)

    @cached_property
    def end_at(self) -> datetime:
        """The end instant, in UTC."""
        return self.end.replace(tzinfo=self.end_zone).astimezone(UTC)

    @cached_property
    def local_days(self) -> frozenset[date]:
        """The local days the leg touches; a flight across the date line may skip the one
        between."""
        first, last = self.start.date(), self.end.date()
        if last > first and self.end.time() == time(0):
            last -= timedelta(days=1)  # ending at midnight: nothing happens on the new day
        if self.start_zone.key != self.end_zone.key:
            return frozenset({first, last})
        return frozenset(first + timedelta(days=i) for i in range((last - first).days + 1))

    def includes(self, member_id: str) -> bool:
        """Whether the member is in the leg (a leg without `members` is every traveller's)."""
        return self.members is None or member_id in self.members

    def contains(self, instant: datetime) -> bool:
        """Whether the leg is in progress at `instant` (start inclusive, end exclusive)."""
        return self.start_at <= instant < self.end_at

    def where(self, lang: Literal["zh", "en"]) -> str:
        """A short place label: 'Rome → Buenos Aires' for a flight, else the place."""
        if self.origin and self.destination:
            return f"{self.origin.city.get(lang)} → {self.destination.city.get(lang)}"
        return self.place.get(lang) if self.place else ""


class Contact(Strict):
    """A person the delegation meets, and why they matter to this trip."""

    id: Id
    name: Text
    aliases: list[str] = Field(default_factory=list)
    role: Text
    organisation: Text
    city: Text | None = None
    country: Text | None = None
    why: Text
    careful: Text | None = None
    talking_points: list[Id] = Field(default_factory=list)
    phones: list[Phone] = Field(default_factory=list)
    email: str | None = None
    web: str | None = None
    source: str | None = None  # editorial: where in the sources it comes from
    note: str | None = None  # editorial: an assumption or "verify this"; coordinators only

    model_config = Strict.model_config | {"ignored_types": (cached_property,)}

    @cached_property
    def search_text(self) -> str:
        """Everything a search may match, folded once (names in any script, role, place)."""
        texts = [self.id, *self.aliases]
        for field in (self.name, self.role, self.organisation, self.city, self.country):
            if field is not None:
                texts += [field.zh, field.en or ""]
        return fold(" ".join(texts))

    @cached_property
    def folded_names(self) -> tuple[str, ...]:
        """The contact's names and aliases (two characters or more), folded for matching."""
        names = (self.name.zh, self.name.en or "", *self.aliases)
        return tuple(fold(n) for n in names if len(n.strip()) >= 2)

    @cached_property
    def name_pattern(self) -> re.Pattern[str] | None:
        """Any of the folded names in a folded text; short Latin names only as whole words."""
        # CJK names stand between other characters with no spaces, so they match anywhere.
        parts = [
            re.escape(n) if not n.isascii() else rf"(?<!\w){re.escape(n)}(?!\w)"
            for n in self.folded_names
        ]
        return re.compile("|".join(parts)) if parts else None


class TalkingPoint(Strict):
    """An aim of the city, with what to say and what to be careful about."""

    id: Id
    topic: Text
    points: list[Text] = Field(min_length=1)
    careful: list[Text] = Field(default_factory=list)
    contacts: list[Id] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    source: str | None = None  # editorial: where in the sources it comes from, e.g. 陸.三
    note: str | None = None  # editorial: an assumption or "verify this"; coordinators only

    model_config = Strict.model_config | {"ignored_types": (cached_property,)}

    @cached_property
    def search_text(self) -> str:
        """Id, topic, tags and source, folded once for searching."""
        texts = [self.id, *self.tags, self.topic.zh, self.topic.en or "", self.source or ""]
        return fold(" ".join(texts))


class GlossaryEntry(Strict):
    """A term of the background briefing."""

    id: Id
    term: str
    full: Text
    note: Text


class Trip(Strict):
    """One trip, as validated from its content folder."""

    model_config = Strict.model_config | {"ignored_types": (cached_property,)}

    id: Id
    title: Text
    category: str = "開會"  # 出國類別
    organiser: Text  # 服務機關
    destination: Text  # 派赴國家/地區
    home_zone: Zone
    start: Day
    end: Day
    event: Event
    purpose: list[Text] = Field(min_length=1)
    budget: Budget
    members: list[Member] = Field(min_length=1)
    prep: list[Milestone] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    legs: list[Leg] = Field(min_length=1)
    contacts: list[Contact] = Field(default_factory=list)
    talking_points: list[TalkingPoint] = Field(default_factory=list)
    glossary: list[GlossaryEntry] = Field(default_factory=list)
    hotels: list[Hotel] = Field(default_factory=list)
    # Per country: the 駐外館處 and local emergency numbers.
    emergency: list[Emergency] = Field(default_factory=list)
    everywhere: Everywhere = Everywhere()  # on every emergency card: home office, MOFA lines
    digest: ClockTime | None = None  # the coordinators' daily digest, home-zone time
    # Automatic check-ins, e.g. after long-haul arrivals.
    checkins: list[CheckinRule] = Field(default_factory=list)
    reminders: TripReminders | None = None  # None: the built-in defaults (bot/reminders/rules.py)
    changes: ChangeSettings = ChangeSettings()  # re-sending unacknowledged change notices
    report: ReportSettings = ReportSettings()  # forms, upload fields, deadline (README §12)

    @cached_property
    def legs_by_id(self) -> dict[str, Leg]:
        """Legs by id."""
        return {leg.id: leg for leg in self.legs}

    @cached_property
    def contacts_by_id(self) -> dict[str, Contact]:
        """Contacts by id."""
        return {c.id: c for c in self.contacts}

    @cached_property
    def points_by_id(self) -> dict[str, TalkingPoint]:
        """Talking points by id."""
        return {p.id: p for p in self.talking_points}

    @cached_property
    def members_by_id(self) -> dict[str, Member]:
        """Members by id."""
        return {m.id: m for m in self.members}

    @cached_property
    def member_days(self) -> dict[str, frozenset[date]]:
        """Each member's local days with a leg of theirs (asked per reminder and account)."""
        return {
            m.id: frozenset(d for leg in self.legs if leg.includes(m.id) for d in leg.local_days)
            for m in self.members
        }

    @cached_property
    def zones(self) -> frozenset[ZoneInfo]:
        """Every zone the delegation can be in: home, and each leg's start and end."""
        ends = (zone for leg in self.legs for zone in (leg.start_zone, leg.end_zone))
        return frozenset({self.home_zone, *ends})

    @cached_property
    def zone_places(self) -> dict[str, Text]:
        """The trip's own city names for the zones of its airports: the one CLDR names the zone
        after (臺北 for Asia/Taipei, even if the trip flies from Kaohsiung), else the first."""
        places: dict[str, Text] = {}
        for leg in self.legs:
            for end in (leg.origin, leg.destination):
                if end is None:
                    continue
                key, cldr = str(end.zone), zone_city(str(end.zone), "en")
                if key not in places or (places[key].en != cldr and end.city.en == cldr):
                    places[key] = end.city
        return places

    def points_for_contact(self, contact_id: str) -> list[TalkingPoint]:
        """The talking points to raise with a contact, from either side of the link."""
        contact = self.contacts_by_id[contact_id]
        ids = list(contact.talking_points)
        ids += [p.id for p in self.talking_points if contact_id in p.contacts and p.id not in ids]
        return [self.points_by_id[i] for i in ids]

    def days(self) -> list[date]:
        """Every calendar day of the trip, first to last."""
        n = (self.end - self.start).days
        return [self.start + timedelta(days=i) for i in range(n + 1)]
