"""A stored or exported file's extension: from the MIME type; for a generic type, the file
name's own when the registry knows it; never a made-up one."""

from __future__ import annotations

import pytest

from bot.notes.media import extension, safe_name

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize(
    ("mime", "name", "ext"),
    [
        ("image/jpeg", "holiday.exe", ".jpg"),  # the type wins over the name
        ("application/pdf", None, ".pdf"),
        (XLSX, "budget.xlsx", ".xlsx"),  # beyond our table: the registry's
        ("text/csv", None, ".csv"),
        ("application/octet-stream", "budget.XLSX", ".xlsx"),  # a generic type: the name's
        (None, "agenda.pdf", ".pdf"),
        ("application/octet-stream", "payload.evil", ".bin"),  # unknown to the registry
        ("application/octet-stream", "a.b/../../x.html/", ".bin"),
        ("application/octet-stream", None, ".bin"),
        ("", "no-suffix", ".bin"),
    ],
)
def test_the_extension_comes_from_the_type_then_a_known_suffix(
    mime: str | None, name: str | None, ext: str
) -> None:
    assert extension(mime, name) == ext


def test_a_user_file_name_becomes_one_harmless_component() -> None:
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\temp\\議程 v2.docx") == "議程_v2.docx"
