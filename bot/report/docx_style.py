"""DOCX page set-up: A4, fonts with an East Asian slot, black headings, page numbers, fields."""

from __future__ import annotations

from typing import Any

from docx.enum.section import WD_SECTION_START
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

# Official reports are set in a 楷書 face. The DOCX names the free Traditional Chinese one
# (Debian's fonts-arphic-ukai) because LibreOffice picks a font by its exact family name: a
# name it does not have (標楷體) falls through fontconfig to whatever CJK face comes first,
# e.g. Noto Sans CJK JP, with Japanese glyph shapes. The font table gives 標楷體 (proprietary:
# named, never shipped) as the alternative that Word on Windows uses.
EAST_ASIAN_FONT = "AR PL UKai TW"
EAST_ASIAN_FALLBACK = "標楷體"
LATIN_FONT = "Times New Roman"
_SIZES = {
    "Normal": 14,
    "Title": 20,
    "Caption": 12,
    "Heading 1": 18,
    "Heading 2": 16,
    "Heading 3": 14,
    "Heading 4": 14,
}


def set_fonts(style_or_run: Any, size: float | None = None) -> None:
    """Latin and East Asian fonts on a style or run (`font.name` alone sets only the Latin one)."""
    font = style_or_run.font
    font.name = LATIN_FONT
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would override the names above
    if size:
        font.size = Pt(size)


def setup_document(doc: Any) -> None:
    """A4 with 2.5 cm margins, styled fonts, the fallback font named, page numbers in the footer."""
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    for name, size in _SIZES.items():
        style = doc.styles[name]
        set_fonts(style, size)
        if name.startswith("Heading") or name == "Title":
            style.font.color.rgb = RGBColor(0, 0, 0)
            style.font.bold = True
            style.font.italic = False  # the template's Heading 4 is italic; official text is not
            style.paragraph_format.space_before = Pt(12)
            style.paragraph_format.space_after = Pt(6)
    doc.styles["Normal"].paragraph_format.line_spacing = 1.25
    doc.styles["Normal"].paragraph_format.space_after = Pt(6)
    doc.styles["Caption"].font.color.rgb = RGBColor(0, 0, 0)
    doc.styles["Caption"].font.italic = False
    _name_fallback(doc)
    # No page number on the cover; every other page has one, centred.
    section.different_first_page_header_footer = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_field(footer, "PAGE", "1")
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")  # Word refreshes the 目次 field when it opens
    update.set(qn("w:val"), "true")
    settings.append(update)


def _name_fallback(doc: Any) -> None:
    for rel in list(doc.part.rels.values()):
        if rel.reltype == RT.FONT_TABLE:
            part = rel.target_part
            root = parse_xml(part.blob)
            font = OxmlElement("w:font", {qn("w:name"): EAST_ASIAN_FONT})
            for tag, value in (
                ("w:altName", EAST_ASIAN_FALLBACK),
                ("w:charset", "88"),
                ("w:family", "script"),
            ):
                font.append(OxmlElement(tag, {qn("w:val"): value}))
            root.append(font)
            # The template's font table is a plain part, its bytes read-only: relate the
            # document to a new part of the same name in its place.
            blob = serialize_part_xml(root)
            table = Part(part.partname, part.content_type, blob, doc.part.package)
            doc.part.drop_rel(rel.rId)
            doc.part.load_rel(RT.FONT_TABLE, table, rel.rId)


def _fld_char(kind: str) -> Any:
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    return el


def add_field(paragraph: Any, instruction: str, shown: str) -> None:
    """A whole field in one paragraph, showing `shown` until the reader updates it."""
    field_begin(paragraph, instruction)
    paragraph.add_run(shown)
    field_end(paragraph)


def field_begin(paragraph: Any, instruction: str) -> None:
    """Open a field whose result follows (it may span paragraphs, as a TOC does)."""
    paragraph.add_run().element.append(_fld_char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run().element.append(instr)
    paragraph.add_run().element.append(_fld_char("separate"))


def field_end(paragraph: Any) -> None:
    """Close the field opened by field_begin."""
    paragraph.add_run().element.append(_fld_char("end"))
