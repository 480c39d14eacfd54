"""The briefing pack's blocks (no LibreOffice needed): page 1 leads back to the bot, with the QR
code when given; a coordinator's pack has the private numbers, a delegate's does not."""

from __future__ import annotations

from pathlib import Path

from bot.fieldkit.pack import pack_form, write_qr
from bot.report.model import Heading, PageBreak, Para, Picture
from bot.trip.fieldkit import Phone
from bot.trip.loader import load_trip
from tests.test_trip_fieldkit import METROPOLIS

LINK = "https://t.me/delegation_test_bot"
PRIVATE, PUBLIC = "+54 9 11 0000 0002", "+54 11 0000 0001"


def texts(blocks: tuple[object, ...]) -> str:
    return "\n".join(b.text for b in blocks if isinstance(b, Para | Heading))


def test_page_one_ends_with_the_qr_code_and_the_link(tmp_path: Path) -> None:
    trip = load_trip(METROPOLIS)
    qr = write_qr(LINK, tmp_path / "qr.png")
    assert qr.read_bytes().startswith(b"\x89PNG")
    blocks = pack_form(trip, "cao-kaiwen", "zh", private=False, bot_link=LINK, qr=qr).blocks
    first = blocks[: next(i for i, b in enumerate(blocks) if isinstance(b, PageBreak))]
    assert first[-1] == Picture(qr, f"最新行程請見 {LINK}")
    plain = pack_form(trip, "cao-kaiwen", "en", private=False, bot_link=LINK).blocks
    page = plain[: next(i for i, b in enumerate(plain) if isinstance(b, PageBreak))]
    assert page[-1] == Para(f"The current schedule: {LINK}")


def test_a_coordinators_pack_has_the_private_numbers_a_delegates_not() -> None:
    trip = load_trip(METROPOLIS)
    contact = trip.contacts[0].model_copy(
        update={"phones": [Phone(number=PUBLIC), Phone(number=PRIVATE, private=True)]}
    )
    trip = trip.model_copy(update={"contacts": [contact, *trip.contacts[1:]]})
    trip.__dict__.pop("contacts_by_id", None)
    coordinator = texts(pack_form(trip, "intl-desk", "zh", private=True, bot_link=LINK).blocks)
    delegate = texts(pack_form(trip, "cao-kaiwen", "zh", private=False, bot_link=LINK).blocks)
    assert PUBLIC in coordinator and PRIVATE in coordinator
    assert PUBLIC in delegate and PRIVATE not in delegate
