"""The emergency card: the office and numbers for where the delegation is now, tonight's hotel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html import escape

from bot.formatting.clock import clock
from bot.i18n import t
from bot.itinerary import position
from bot.trip.fieldkit import Emergency, EmergencyNumber, Hotel, Location, Office, Phone
from bot.trip.models import Trip
from bot.trip.types import Lang

# Before this local hour, "tonight" is still the night that began yesterday evening.
NIGHT_ENDS = time(6)


@dataclass(frozen=True)
class Venue:
    """A place to send as a Telegram venue, so a phone opens the map."""

    location: Location
    title: str
    address: str


@dataclass(frozen=True)
class SosCard:
    """What /sos sends: one text, then the venues."""

    text: str
    venues: list[Venue]


def emergency_at(trip: Trip, now: datetime) -> Emergency | None:
    """The emergency entry for the zone the delegation is in at `now`."""
    zone = str(position(trip, now).zone)
    return next((e for e in trip.emergency if zone in {str(z) for z in e.zones}), None)


def night_of(trip: Trip, now: datetime) -> date:
    """The date of the evening that names tonight, where the delegation is."""
    local = now.astimezone(position(trip, now).zone)
    return local.date() - timedelta(days=1) if local.time() < NIGHT_ENDS else local.date()


def hotel_for(trip: Trip, night: date, member_id: str) -> Hotel | None:
    """The member's hotel on a night (a hotel without `members` houses every traveller)."""
    for hotel in trip.hotels:
        if night in hotel.nights() and (hotel.members is None or member_id in hotel.members):
            return hotel
    return None


def phone_lines(phones: list[Phone], lang: Lang, *, private: bool) -> list[str]:
    """'☎ +54 11 … (Office)' lines; private numbers only when `private` is allowed."""
    lines = []
    for phone in phones:
        if phone.private and not private:
            continue
        label = escape(phone.label.get(lang)) if phone.label else ""
        label = (f"（{label}）" if lang == "zh" else f" ({label})") if label else ""
        mark = f" {t(lang, 'sos_to_verify')}" if phone.assumed else ""
        lock = " 🔒" if phone.private else ""
        lines.append(f"☎ <code>{escape(phone.number)}</code>{label}{lock}{mark}")
    return lines


def _mark(assumed: bool, lang: Lang) -> str:
    return f" {t(lang, 'sos_to_verify')}" if assumed else ""


def _office_lines(office: Office, lang: Lang, private: bool, icon: str = "🏛") -> list[str]:
    """An office's name, address, numbers, e-mail and web page."""
    lines = [f"{icon} <b>{escape(office.name.get(lang))}</b>{_mark(office.assumed, lang)}"]
    if office.address:
        lines.append(f"📍 {escape(office.address.get(lang))}")
    lines += phone_lines(office.phones, lang, private=private)
    lines += [f"✉️ {escape(office.email)}"] if office.email else []
    lines += [f"🌐 {escape(office.web)}"] if office.web else []
    return lines


def _number_lines(numbers: list[EmergencyNumber], lang: Lang) -> list[str]:
    return [
        f"🚨 {escape(n.service.get(lang))} <code>{escape(n.number)}</code>{_mark(n.assumed, lang)}"
        for n in numbers
    ]


def _entry_lines(trip: Trip, entry: Emergency, lang: Lang, private: bool) -> list[str]:
    """The office, the people to call and the local numbers of one country."""
    lines = [t(lang, "sos_country", country=escape(entry.country.get(lang)))]
    if entry.office is not None:
        lines += _office_lines(entry.office, lang, private)
    sep = "，" if lang == "zh" else ", "
    for contact_id in entry.contacts:
        contact = trip.contacts_by_id[contact_id]
        name, role = contact.name.get(lang), contact.role.get(lang)
        lines.append(f"👤 {escape(name)}{sep}{escape(role)}")
        lines += phone_lines(contact.phones, lang, private=private)
    if entry.numbers:
        lines.append(t(lang, "sos_numbers"))
    return lines + _number_lines(entry.numbers, lang)


def _everywhere_lines(trip: Trip, lang: Lang, private: bool) -> list[str]:
    """The lines that answer from anywhere, then the home office (the organiser, if the
    content names none), so even a card with no country entry has a number to call."""
    kit = trip.everywhere
    lines = [t(lang, "sos_everywhere"), *_number_lines(kit.numbers, lang)] if kit.numbers else []
    if kit.home_office is not None:
        return lines + _office_lines(kit.home_office, lang, private, icon="🏠")
    return [*lines, f"🏠 <b>{escape(trip.organiser.get(lang))}</b>"]


def _hotel_lines(hotel: Hotel | None, lang: Lang, private: bool) -> list[str]:
    if hotel is None:
        return [t(lang, "sos_no_hotel")]
    lines = [t(lang, "sos_hotel", name=escape(hotel.name.get(lang))) + _mark(hotel.assumed, lang)]
    if hotel.address:
        lines.append(f"📍 {escape(hotel.address.get(lang))}")
    return lines + phone_lines(hotel.phones, lang, private=private)


def sos_card(trip: Trip, now: datetime, lang: Lang, member_id: str, *, private: bool) -> SosCard:
    """The emergency card for `member_id` at `now`: coordinators (`private`) see every number."""
    zone = position(trip, now).zone
    at = clock(now, zone, lang, with_day=True, places=trip.zone_places)
    lines = [t(lang, "sos_header", at=escape(at))]
    venues: list[Venue] = []
    entry = emergency_at(trip, now)
    if entry is None:
        lines.append(t(lang, "sos_no_entry"))
    else:
        lines += _entry_lines(trip, entry, lang, private)
        office = entry.office
        if office is not None and office.location is not None:
            address = (office.address or entry.country).get(lang)
            venues.append(Venue(office.location, office.name.get(lang), address))
    lines += _everywhere_lines(trip, lang, private)
    hotel = hotel_for(trip, night_of(trip, now), member_id)
    lines += _hotel_lines(hotel, lang, private)
    if hotel is not None and hotel.location is not None:
        place = hotel.address or hotel.city or hotel.name
        venues.append(Venue(hotel.location, hotel.name.get(lang), place.get(lang)))
    return SosCard("\n".join(lines), venues)
