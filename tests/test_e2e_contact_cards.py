"""End to end: "save to phone" sends a Telegram contact with a vCard; /export contacts sends a
.vcf that vobject parses and a .csv; a delegate's never hold a private number."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import vobject

from tests import e2e
from tests.e2e import bot_harness

T0 = datetime(2015, 5, 19, 13, 0, tzinfo=UTC)
PUBLIC, PRIVATE = "+54 11 5555 0101", "+54 9 11 5555 0102"
DESK_PRIVATE = "+886 4 0000 0003"  # the home office's private line, added below
OFFICE_NUMBERS = ["+886 4 2228 9111", "800-0885-0885", "+886 800 085 095"]  # fieldkit.yaml


@pytest.fixture(autouse=True)
def lan_has_numbers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "content"
    shutil.copytree(e2e.TRIP_DIRS["metropolis-2015"], folder)
    people = folder / "contacts.yaml"
    text = people.read_text("utf-8")
    numbers = (
        f"    phones:\n      - {{number: {PUBLIC}, label: {{zh: 辦公室, en: Office}}}}\n"
        f"      - {{number: {PRIVATE}, private: true}}\n    email: lan@example.org\n"
    )
    anchor = "    aliases: [藍秘書, Secretary Lan]\n"
    people.write_text(text.replace(anchor, anchor + numbers), "utf-8")
    kit = folder / "fieldkit.yaml"
    text = kit.read_text("utf-8")
    switchboard = "      - number: +886 4 2228 9111\n"
    assert text.count(switchboard) == 1
    desk = f"      - {{number: {DESK_PRIVATE}, private: true}}\n"
    kit.write_text(text.replace(switchboard, desk + switchboard), "utf-8")
    monkeypatch.setitem(e2e.TRIP_DIRS, "metropolis-2015", folder)


def numbers(card: vobject.base.Component) -> list[str]:
    return [tel.value for tel in card.contents.get("tel", [])]


async def test_save_to_phone_sends_the_contact_with_a_vcard(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        cao = await h.join("cao-kaiwen")
        card = await h.ask(cao, "/contacts 藍翠華")
        assert "藍翠華" in (card.text or "")
        await h.emu.press(cao, card, "card:lan-tsui-hua")
        sent = await h.emu.wait_for(cao)
        assert sent.contact is not None and sent.contact["phone_number"] == PUBLIC
        parsed = vobject.readOne(sent.contact["vcard"])
        assert parsed.fn.value == "藍翠華" and numbers(parsed) == [PUBLIC]
        assert parsed.email.value == "lan@example.org"
        # A contact without a number has no button.
        plain = await h.ask(cao, "/contacts 黃聯昇")
        assert plain.reply_markup is None


async def test_export_contacts_without_private_numbers_for_delegates(tmp_path: Path) -> None:
    async with bot_harness(tmp_path, T0) as h:
        cao = await h.join("cao-kaiwen")
        desk = await h.join("intl-desk", "coordinator", language_code="en")
        trip = h.trips["metropolis-2015"]
        home_office = {
            cao.id: ("臺中市政府國際事務委員會（國內窗口）", OFFICE_NUMBERS),
            desk.id: (
                "International Affairs Commission, Taichung City Government (home desk)",
                [DESK_PRIVATE, *OFFICE_NUMBERS],
            ),
        }
        for user, expected in ((cao, [PUBLIC]), (desk, [PUBLIC, PRIVATE])):
            vcf, sheet = await h.ask_all(user, "/export contacts")
            assert vcf.document is not None and vcf.document.file_name.endswith(".vcf")
            assert vcf.document.data is not None and sheet.document is not None
            cards = list(vobject.readComponents(vcf.document.data.decode("utf-8")))
            # The contacts, then the home office and MOFA's two lines (the offices with a number).
            people, offices = cards[: len(trip.contacts)], cards[len(trip.contacts) :]
            assert [n for c in people for n in numbers(c)] == expected
            name, office_numbers = home_office[user.id]
            assert [n for c in offices for n in numbers(c)] == office_numbers
            assert offices[0].fn.value == name
            assert sheet.document.data is not None
            rows = list(csv.DictReader(io.StringIO(sheet.document.data.decode("utf-8-sig"))))
            assert len(rows) == len(cards)
            office_rows = [r["phones"] for r in rows[len(trip.contacts) :]]
            assert "; ".join(office_rows) == "; ".join(office_numbers)
            both = vcf.document.data + sheet.document.data
            assert (DESK_PRIVATE.encode() in both) == (user is desk)  # never in a delegate's
            assert next(r for r in rows if r["id"] == "lan-tsui-hua")["phones"] == "; ".join(
                expected
            )
        assert PRIVATE not in (vcf.caption or "")
        # /export alone is still the notes' export.
        assert "筆記" in ((await h.ask(cao, "/export")).text or "")
