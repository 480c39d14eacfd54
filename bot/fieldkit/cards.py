"""Contact cards for a phone: vCards (vobject) and a CSV, without private numbers for delegates."""

from __future__ import annotations

import csv
import io

import vobject
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import t
from bot.trip.fieldkit import Office, Phone
from bot.trip.models import Contact, Trip
from bot.trip.types import Lang

CSV_COLUMNS = ("id", "name", "name_en", "role", "organisation", "phones", "email", "web")


def visible_phones(contact: Contact, *, private: bool) -> list[Phone]:
    """The contact's numbers the reader may see: private ones for coordinators only."""
    return [p for p in contact.phones if private or not p.private]


def vcard(contact: Contact, lang: Lang, *, private: bool) -> str:
    """One vCard 3.0 of the contact, in the reader's language."""
    card = vobject.vCard()
    name = contact.name.get(lang)
    card.add("fn").value = name
    card.add("n").value = vobject.vcard.Name(family=name)
    card.add("org").value = [contact.organisation.get(lang)]
    card.add("title").value = contact.role.get(lang)
    for phone in visible_phones(contact, private=private):
        tel = card.add("tel")
        tel.value = phone.number
        tel.type_param = "CELL" if phone.private else "WORK"
    if contact.email:
        card.add("email").value = contact.email
    if contact.web:
        card.add("url").value = contact.web
    other = contact.name.zh if lang == "en" else contact.name.en
    if other and other != name:
        card.add("nickname").value = other
    text: str = card.serialize()
    return text


def _office_vcard(office: Office, numbers: list[str], lang: Lang) -> str:
    """An organisation's vCard: the office (or MOFA's lines) and its numbers."""
    card = vobject.vCard()
    name = office.name.get(lang)
    card.add("fn").value = name
    card.add("n").value = vobject.vcard.Name(family=name)
    card.add("org").value = [name]
    for number in numbers:
        tel = card.add("tel")
        tel.value = number
        tel.type_param = "WORK"
    if office.email:
        card.add("email").value = office.email
    if office.web:
        card.add("url").value = office.web
    text: str = card.serialize()
    return text


def emergency_offices(trip: Trip, *, private: bool) -> list[tuple[str, Office, list[str]]]:
    """The offices with a number the reader may see, as (id, office, numbers): the home
    office, each country's 駐外館處, and the lines that answer from anywhere (MOFA's)."""
    kit = trip.everywhere
    offices = [("home-office", kit.home_office)] if kit.home_office else []
    offices += [(f"office-{e.id}", e.office) for e in trip.emergency if e.office is not None]
    out = [
        (key, office, [p.number for p in office.phones if private or not p.private])
        for key, office in offices
    ]
    # Each line that answers from anywhere is a card of its own, named by its service.
    out += [
        (f"everywhere-{i}", Office(name=n.service), [n.number]) for i, n in enumerate(kit.numbers)
    ]
    return [(key, office, numbers) for key, office, numbers in out if numbers]


def trip_vcf(trip: Trip, lang: Lang, *, private: bool) -> bytes:
    """Every contact of the trip as one .vcf file, then the offices with numbers."""
    people = "".join(vcard(c, lang, private=private) for c in trip.contacts)
    offices = "".join(
        _office_vcard(office, numbers, lang)
        for _, office, numbers in emergency_offices(trip, private=private)
    )
    return (people + offices).encode("utf-8")


def trip_csv(trip: Trip, lang: Lang, *, private: bool) -> bytes:
    """Every contact of the trip as a CSV a spreadsheet opens (UTF-8 with a BOM for Excel),
    then the offices with numbers."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for c in trip.contacts:
        phones = "; ".join(p.number for p in visible_phones(c, private=private))
        writer.writerow(
            [
                c.id,
                c.name.zh,
                c.name.en or "",
                c.role.get(lang),
                c.organisation.get(lang),
                phones,
                c.email or "",
                c.web or "",
            ]
        )
    for key, office, numbers in emergency_offices(trip, private=private):
        name = office.name
        row = [key, name.zh, name.en or "", "", name.get(lang), "; ".join(numbers)]
        writer.writerow([*row, office.email or "", office.web or ""])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def save_buttons(
    contacts: list[Contact], lang: Lang, *, private: bool
) -> InlineKeyboardMarkup | None:
    """A "save to phone" button for each contact with a number the reader may see."""
    rows = [
        [
            InlineKeyboardButton(
                t(lang, "btn_save_contact", name=c.name.get(lang))[:60],
                callback_data=f"card:{c.id}",
            )
        ]
        for c in contacts
        if visible_phones(c, private=private)
    ]
    return InlineKeyboardMarkup(rows) if rows else None
