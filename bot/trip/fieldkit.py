"""Field-kit content: hotels by night, phone numbers, 駐外館處 and emergency numbers, budget."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import Field

from bot.reminders.rules import Duration
from bot.trip.types import Day, Id, Strict, Text, Zone

# A dialable number: digits, spaces, dashes, brackets and an optional leading +.
PHONE = r"^\+?[0-9][0-9 ()\-]{1,30}$"


class Location(Strict):
    """Map coordinates, so a phone can open the map (Telegram venues need them)."""

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class Phone(Strict):
    """One number; `private: true` numbers are for coordinators only."""

    number: str = Field(pattern=PHONE)
    label: Text | None = None
    private: bool = False
    assumed: bool = False  # not from the sources: verify before relying on it
    source: str | None = None  # editorial: where the number comes from, what to verify
    note: str | None = None


class Hotel(Strict):
    """Where the delegation sleeps; it covers the nights from check-in to the night before
    check-out."""

    id: Id
    name: Text
    address: Text | None = None
    city: Text | None = None
    phones: list[Phone] = Field(default_factory=list)
    email: str | None = None
    web: str | None = None
    location: Location | None = None
    check_in: Day
    check_out: Day
    members: list[Id] | None = None  # None: every travelling member
    assumed: bool = False
    source: str | None = None
    note: str | None = None

    def nights(self) -> list[date]:
        """The nights covered, each named by the evening's date."""
        n = (self.check_out - self.check_in).days
        return [self.check_in + timedelta(days=i) for i in range(max(n, 0))]


class EmergencyNumber(Strict):
    """A local emergency service and its number."""

    service: Text
    number: str = Field(pattern=PHONE)
    assumed: bool = False
    source: str | None = None  # editorial: where the number comes from, what to verify
    note: str | None = None


class Office(Strict):
    """The 駐外館處 (Taiwan's representative office) for a country."""

    name: Text
    address: Text | None = None
    phones: list[Phone] = Field(default_factory=list)
    email: str | None = None
    web: str | None = None
    location: Location | None = None
    assumed: bool = False
    source: str | None = None
    note: str | None = None


class Emergency(Strict):
    """What to call in one country: the office, local emergency numbers, other contacts."""

    id: Id
    country: Text
    zones: list[Zone] = Field(min_length=1)  # where the delegation is in this country
    office: Office | None = None
    numbers: list[EmergencyNumber] = Field(default_factory=list)
    contacts: list[Id] = Field(default_factory=list)
    source: str | None = None
    note: str | None = None


class Everywhere(Strict):
    """What the emergency card shows wherever the delegation is, even where no country entry
    applies: the trip's home office and lines that answer from every country (MOFA's)."""

    home_office: Office | None = None
    numbers: list[EmergencyNumber] = Field(default_factory=list)
    source: str | None = None
    note: str | None = None


class BudgetItem(Strict):
    """One line of the budget; an item in another currency states its amount in the budget's."""

    id: Id
    label: Text
    amount: int = Field(ge=0)
    currency: str | None = None  # None: the budget's own
    converted: int | None = Field(default=None, ge=0)  # in the budget's currency
    assumed: bool = False
    note: str | None = None


class CheckinRule(Strict):
    """An automatic check-in: `delay` after the arrival of each flight of at least
    `after_flights_over`, or of each leg in `legs` (one of the two)."""

    after_flights_over: Duration | None = None
    legs: list[Id] = Field(default_factory=list)
    delay: Duration = timedelta(hours=2)
    message: Text | None = None  # shown under 「平安嗎？」
    assumed: bool = False  # not from the sources: the content's own choice
    source: str | None = None
    note: str | None = None
