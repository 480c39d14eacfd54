"""The offline briefing pack: one PDF per member, through the report's DOCX → LibreOffice path."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import segno

from bot import itinerary
from bot.fieldkit.cards import visible_phones
from bot.fieldkit.members import member_trip
from bot.fieldkit.sos import hotel_for
from bot.formatting.clock import day_label
from bot.formatting.legs import leg_times
from bot.formatting.punct import bar, colon
from bot.i18n import t
from bot.report.docx import write_form_docx
from bot.report.layout import title_lines
from bot.report.model import Block, Form, Heading, PageBreak, Para, Picture, Table
from bot.report.pdf import convert_to_pdf
from bot.trip.fieldkit import EmergencyNumber, Office, Phone
from bot.trip.models import Leg, Trip
from bot.trip.types import Lang


def _phones(phones: list[Phone], lang: Lang, private: bool) -> str:
    shown = [p for p in phones if private or not p.private]
    marks = {True: t(lang, "pack_to_verify")}
    return "; ".join(f"{p.number}{' ' + marks[True] if p.assumed else ''}" for p in shown)


# The form title's line, in ems of its 18 pt type on A4 less 2.5 cm margins (16 cm = 453.5 pt),
# with room for the renderer's spacing: the title is broken here, between names, not by it.
TITLE_EMS = 0.9 * 453.5 / 18


def place_names(trip: Trip) -> tuple[str, ...]:
    """The trip's place names, which neither a title nor a table cell may break inside."""
    texts = [*trip.zone_places.values(), trip.event.city, trip.event.country, trip.destination]
    return tuple(sorted({n for x in texts for n in (x.zh, x.en) if n}, key=len, reverse=True))


def time_cell(leg: Leg, trip: Trip, lang: Lang) -> str:
    """The leg's times in short lines: a flight's departure and arrival, then Taipei time, so
    the time column stays narrow and the title column keeps the room. Chinese only: a renderer
    breaks Chinese anywhere (布 / 宜諾斯艾 / 利斯) in a column the layout squeezed, while English
    wraps at its spaces by itself and reads well as one string."""
    if lang != "zh":
        return leg_times(leg, trip, lang)
    there, _, home = leg_times(leg, trip, lang).partition(bar(lang))
    # The arrival starts its line with the arrow, held to it by a no-break space.
    lines = there.replace(" → ", "\n→\u00a0").split("\n")
    if leg.kind != "flight" and " " in lines[0]:  # '08:30–20:00' above '布宜諾斯艾利斯 UTC−3'
        lines = lines[0].split(" ", 1)
    start, end = (x.astimezone(trip.home_zone).date() for x in (leg.start_at, leg.end_at))
    if home and end != start:
        # '臺北 19:30–' above '5/19（二） 07:00': a span that names a day is cut at its dash
        # or arrow.
        cut = min((i for i in (home.find("–"), home.find(" → ")) if i > 0), default=-1)
        if cut > 0:
            at = cut + (1 if home[cut] == "–" else 2)
            home = f"{home[:at].rstrip()}\n{home[at:].strip()}"
    return "\n".join([*lines, home] if home else lines)


def write_qr(link: str, out: Path) -> Path:
    """A PNG QR code of `link`, about 3 cm wide on the page (it carries its print resolution)."""
    segno.make(link, error="m").save(str(out), kind="png", scale=6, border=4, dpi=150)
    return out


def _overview(trip: Trip, lang: Lang, bot_link: str, qr: Path | None) -> list[Block]:
    sep = "，" if lang == "zh" else ", "
    travellers = sep.join(m.name.get(lang) for m in trip.members if m.travelling)
    rows = (
        (t(lang, "pack_event"), trip.event.name.get(lang)),
        (t(lang, "pack_where"), f"{trip.event.city.get(lang)}{sep}{trip.event.country.get(lang)}"),
        (t(lang, "pack_dates"), f"{trip.start.isoformat()} – {trip.end.isoformat()}"),
        (t(lang, "pack_delegation"), travellers),
        (t(lang, "pack_organiser"), trip.organiser.get(lang)),
    )
    header = (t(lang, "pack_field"), t(lang, "pack_detail"))
    blocks: list[Block] = [Heading(1, t(lang, "pack_overview")), Table(header, rows)]
    blocks.append(Para(trip.purpose[-1].get(lang)))
    # Page 1 leads back to the bot: scanned with the phone, or typed from the text.
    if qr is not None:
        blocks.append(Picture(qr, t(lang, "pack_back_to_bot", link=bot_link)))
    else:
        blocks.append(Para(t(lang, "pack_back_to_bot", link=bot_link)))
    return blocks


def _days(trip: Trip, member_id: str, lang: Lang) -> list[Block]:
    blocks: list[Block] = [PageBreak(), Heading(1, t(lang, "pack_itinerary"))]
    header = (t(lang, "pack_time"), t(lang, "pack_item"), t(lang, "pack_place"))
    names = place_names(trip)
    for day in trip.days():
        legs = itinerary.legs_on(trip, day)
        blocks.append(Heading(2, day_label(day, lang)))
        if legs:
            rows = tuple(
                (time_cell(leg, trip, lang), leg.title.get(lang), leg.where(lang))
                for leg in legs
                if leg.part_of is None or len(legs) < 12
            )
            blocks.append(Table(header, rows, names=names if lang == "zh" else ()))
        blocks += _hotel(trip, day, member_id, lang)
    return blocks


def _hotel(trip: Trip, day: date, member_id: str, lang: Lang) -> list[Block]:
    hotel = hotel_for(trip, day, member_id)
    if hotel is None:
        return []
    text = t(lang, "pack_hotel", name=hotel.name.get(lang))
    if hotel.address:
        text += f" — {hotel.address.get(lang)}"
    if hotel.assumed:
        text += f" {t(lang, 'pack_to_verify')}"
    return [Para(text)]


def _contacts(trip: Trip, lang: Lang, private: bool) -> list[Block]:
    blocks: list[Block] = [PageBreak(), Heading(1, t(lang, "pack_contacts"))]
    for c in trip.contacts:
        blocks.append(Heading(2, c.name.get(lang)))
        blocks.append(Para(f"{c.role.get(lang)} — {c.organisation.get(lang)}"))
        if phones := _phones(visible_phones(c, private=private), lang, private):
            blocks.append(Para(f"{t(lang, 'pack_phone')}{phones}"))
        blocks.append(Para(c.why.get(lang)))
        for p in trip.points_for_contact(c.id):
            text = f"{p.topic.get(lang)}{colon(lang)}{p.points[0].get(lang)}"
            blocks.append(Para(text, kind="item"))
    return blocks


def _office_rows(office: Office, lang: Lang, private: bool) -> list[tuple[str, str]]:
    """The office as a table row: its name, address, e-mail and web page, then its numbers
    (the number column stays narrow: a web address there took the room of the names)."""
    line = office.name.get(lang)
    if office.address:
        line += f" — {office.address.get(lang)}"
    if office.assumed:
        line += f" {t(lang, 'pack_to_verify')}"
    reach = [x for x in (office.email, office.web) if x]
    return [("\n".join([line, *reach]), _phones(office.phones, lang, private))]


def _number_rows(numbers: list[EmergencyNumber], lang: Lang) -> list[tuple[str, str]]:
    mark = f" {t(lang, 'pack_to_verify')}"
    return [(n.service.get(lang), n.number + (mark if n.assumed else "")) for n in numbers]


def _emergency(trip: Trip, lang: Lang, private: bool) -> list[Block]:
    """One table, a few lines per country, so the card fits a page or two."""
    kit = trip.everywhere
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    home = _office_rows(kit.home_office, lang, private) if kit.home_office else []
    if kit.numbers or home:
        groups.append((t(lang, "pack_everywhere"), _number_rows(kit.numbers, lang) + home))
    for entry in trip.emergency:
        office = _office_rows(entry.office, lang, private) if entry.office else []
        groups.append((entry.country.get(lang), office + _number_rows(entry.numbers, lang)))
    rows = tuple(
        (where if i == 0 else "", what, number)
        for where, lines in groups
        for i, (what, number) in enumerate(lines)
    )
    header = (t(lang, "pack_where"), t(lang, "pack_service"), t(lang, "pack_number"))
    blocks: list[Block] = [PageBreak(), Heading(1, t(lang, "pack_emergency"))]
    blocks += [Table(header, rows, names=place_names(trip) if lang == "zh" else ())] if rows else []
    for hotel in trip.hotels:
        nights = hotel.nights()
        span = f"{nights[0].isoformat()} – {hotel.check_out.isoformat()}" if nights else ""
        blocks.append(Para(f"{t(lang, 'pack_hotel', name=hotel.name.get(lang))} ({span})"))
    return blocks


def _glossary(trip: Trip, lang: Lang, bot_link: str) -> list[Block]:
    blocks: list[Block] = [PageBreak(), Heading(1, t(lang, "pack_glossary"))]
    rows = tuple((g.term, g.full.get(lang), g.note.get(lang)) for g in trip.glossary)
    if rows:
        header = (t(lang, "pack_term"), t(lang, "pack_full"), t(lang, "pack_why"))
        blocks.append(Table(header, rows))
    blocks.append(Para(t(lang, "pack_back_to_bot", link=bot_link)))
    return blocks


def pack_form(
    trip: Trip, member_id: str, lang: Lang, *, private: bool, bot_link: str, qr: Path | None = None
) -> Form:
    """The pack's blocks: the trip on a page with the link back to the bot (as the QR code `qr`
    when given), the member's days with hotels, contacts with their talking points, the
    emergency card, the glossary and the link again."""
    own = member_trip(trip, member_id)
    blocks = [
        *_overview(own, lang, bot_link, qr),
        *_days(own, member_id, lang),
        *_contacts(own, lang, private),
        *_emergency(own, lang, private),
        *_glossary(own, lang, bot_link),
    ]
    title = t(lang, "pack_title", trip=trip.title.get(lang))
    lines = title_lines(title, TITLE_EMS, place_names(trip))
    return Form("\n".join(lines), trip.organiser.get(lang), tuple(blocks))


def build_pack(trip: Trip, member_id: str, lang: Lang, *, private: bool, bot_link: str) -> bytes:
    """The pack as PDF bytes (PdfUnavailable without LibreOffice)."""
    with tempfile.TemporaryDirectory(prefix="pack-") as tmp:
        qr = write_qr(bot_link, Path(tmp) / "bot-qr.png")
        form = pack_form(trip, member_id, lang, private=private, bot_link=bot_link, qr=qr)
        docx_path = Path(tmp) / "pack.docx"
        write_form_docx(form, docx_path)
        return convert_to_pdf(docx_path).read_bytes()
