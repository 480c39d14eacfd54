"""Contact cards and talking points as phone-sized text (Telegram HTML)."""

from __future__ import annotations

from html import escape

from bot.formatting.clock import day_label
from bot.formatting.punct import colon, comma, enum, paren, semicolon
from bot.i18n import t
from bot.people import legs_with_contact
from bot.trip.models import Contact, TalkingPoint, Trip
from bot.trip.types import Lang


def member_name(trip: Trip, member_id: str, lang: Lang) -> str:
    """A member of the trip by their name in the content, in the reader's language."""
    person = trip.members_by_id.get(member_id)
    return person.name.get(lang) if person else member_id


def contact_name(contact: Contact, lang: Lang) -> str:
    """The name in the reader's language, with the other script beside it when there is one."""
    main = contact.name.get(lang)
    other = contact.name.zh if lang == "en" else contact.name.en
    return f"{main}{paren(other, lang)}" if other and other != main else main


def contact_line(contact: Contact, lang: Lang) -> str:
    """One line: name, role, organisation."""
    return (
        f"• <b>{escape(contact_name(contact, lang))}</b> — {escape(contact.role.get(lang))}"
        f"{comma(lang)}{escape(contact.organisation.get(lang))}"
    )


def contact_card(trip: Trip, contact: Contact, lang: Lang, *, with_points: bool = True) -> str:
    """The whole card: who, why they matter, what to raise, what to be careful about, where."""
    c = colon(lang)
    lines = [
        f"👤 <b>{escape(contact_name(contact, lang))}</b>",
        escape(f"{contact.role.get(lang)}{comma(lang)}{contact.organisation.get(lang)}"),
    ]
    if contact.city:
        place = contact.city.get(lang)
        if contact.country:
            place += f"{comma(lang)}{contact.country.get(lang)}"
        lines[-1] += escape(paren(place, lang))
    lines.append(f"<b>{t(lang, 'why')}</b>{c}{escape(contact.why.get(lang))}")
    if contact.careful:
        lines.append(f"⚠️ <b>{t(lang, 'careful')}</b>{c}{escape(contact.careful.get(lang))}")
    points = trip.points_for_contact(contact.id) if with_points else []
    if points:
        lines.append(f"<b>{t(lang, 'raise')}</b>{c.rstrip()}")
        lines += [
            f"• {escape(p.topic.get(lang))}{c}{escape(p.points[0].get(lang))}" for p in points
        ]
    legs = [trip.legs_by_id[i] for i in legs_with_contact(trip, contact.id)]
    if legs:
        where = semicolon(lang).join(
            f"{day_label(leg.start.date(), lang)} {leg.title.get(lang)}" for leg in legs
        )
        lines.append(f"<b>{t(lang, 'meet_at')}</b>{c}{escape(where)}")
    return "\n".join(lines)


def point_block(trip: Trip, point: TalkingPoint, lang: Lang) -> str:
    """A talking point: its topic, what to say, what to be careful about, and with whom."""
    lines = [f"🎯 <b>{escape(point.topic.get(lang))}</b>"]
    lines += [f"• {escape(p.get(lang))}" for p in point.points]
    lines += [f"⚠️ {escape(c.get(lang))}" for c in point.careful]
    if point.contacts:
        names = enum(lang).join(trip.contacts_by_id[c].name.get(lang) for c in point.contacts)
        lines.append(f"👥 {escape(names)}")
    return "\n".join(lines)
