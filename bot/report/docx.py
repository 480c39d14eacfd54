"""Write the report as DOCX with python-docx; photos are streamed in, not held in memory."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Emu, Pt

from bot.report.docx_style import field_begin, field_end, set_fonts, setup_document
from bot.report.model import Heading, PageBreak, Para, Picture, Report, Table

# Fixed zip timestamps: the same report gives the same bytes, whoever compiles it.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_INDENT = Cm(0.75)
_MAX_PHOTO_HEIGHT = Cm(12)


def write_docx(report: Report, out: Path | IO[bytes]) -> None:
    """Write `report` to a path or a binary stream."""
    doc: Any = docx.Document()  # python-docx is only partly typed
    setup_document(doc)
    doc.core_properties.title = report.title
    doc.core_properties.author = report.cover.organiser
    stamp = datetime(2000, 1, 1, tzinfo=UTC)  # not the compile time, to keep the bytes stable
    doc.core_properties.created = doc.core_properties.modified = stamp
    doc.core_properties.last_modified_by = report.cover.organiser
    doc.core_properties.revision = 1
    _cover(doc, report)
    doc.add_page_break()
    _contents(doc, report)
    media: dict[str, Path] = {}
    width = _content_width(doc)
    for block in report.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=block.level)
        elif isinstance(block, Para):
            _paragraph(doc, block)
        elif isinstance(block, Table):
            _table(doc, block, width)
        elif isinstance(block, Picture):
            _picture(doc, block, width, media)
        elif isinstance(block, PageBreak):
            doc.add_page_break()
    buffer = io.BytesIO()
    doc.save(buffer)
    _repack(buffer, media, out)


def _content_width(doc: Any) -> int:
    s = doc.sections[0]
    return int(s.page_width - s.left_margin - s.right_margin)


def _centred(doc: Any, text: str, size: float, bold: bool = False, space: float = 12) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(space)
    run = p.add_run(text)
    set_fonts(run, size)
    run.bold = bold


def _cover(doc: Any, report: Report) -> None:
    c = report.cover
    _centred(doc, f"出國報告（出國類別：{c.category}）", 20, bold=True, space=72)
    _centred(doc, c.title, 22, bold=True, space=96)
    lines = [f"服務機關：{c.organiser}"]
    lines += [f"姓名職稱：{t}" if i == 0 else f"　　　　　{t}" for i, t in enumerate(c.travellers)]
    lines += [f"派赴國家/地區：{c.destination}", f"出國期間：{c.period}"]
    lines.append(f"報告日期：{c.report_date}")
    for line in lines:
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = Cm(2)
        set_fonts(p.add_run(line), 16)


def _contents(doc: Any, report: Report) -> None:
    """目次: a TOC field Word can update, whose shown result is the static list of headings."""
    _centred(doc, "目次", 18, bold=True)
    entries = report.headings(max_level=2)
    for i, heading in enumerate(entries):
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = _INDENT * (heading.level - 1)
        if i == 0:
            field_begin(p, 'TOC \\o "1-2" \\h \\z \\u')
        p.add_run(heading.text)
        if i == len(entries) - 1:
            field_end(p)
    doc.add_page_break()


def _paragraph(doc: Any, block: Para) -> None:
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.left_indent = _INDENT * block.indent
    if block.kind == "item":
        # Hanging indent: the number stands out, wrapped lines align with the text.
        fmt.left_indent = _INDENT * (block.indent + 1)
        fmt.first_line_indent = -_INDENT
    else:
        fmt.first_line_indent = Pt(28)  # two characters, as Chinese prose is set
    for i, line in enumerate(block.text.split("\n")):
        run = p.add_run()
        if i:
            run.add_break()
        run.add_text(line)


def _table(doc: Any, block: Table, width: int) -> None:
    table = doc.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = doc.styles["Table Grid"]
    weights = block.widths or tuple(1.0 for _ in block.header)
    total = sum(weights)
    for r, row in enumerate((block.header, *block.rows)):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.width = Emu(int(width * weights[c] / total))
            cell.text = text
            if r == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph()


def _picture(doc: Any, block: Picture, width: int, media: dict[str, Path]) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if block.path.is_file():
        shape = p.add_run().add_picture(str(block.path))
        scale = min(1.0, width / shape.width, _MAX_PHOTO_HEIGHT / shape.height)
        shape.width, shape.height = Emu(int(shape.width * scale)), Emu(int(shape.height * scale))
        rid = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        part = doc.part.related_parts[rid]
        media[part.partname.membername] = block.path
        # Drop the bytes now; _repack streams the file into the zip (200 photos of 1 MB each
        # would otherwise sit in memory and be deflated for nothing).
        part._blob, part._image = b"", None
    else:
        p.add_run(f"〔照片檔案不存在：{block.path.name}〕")
    caption = doc.add_paragraph(block.caption, style="Caption")
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _repack(buffer: io.BytesIO, media: dict[str, Path], out: Path | IO[bytes]) -> None:
    """Copy the package with stable timestamps, streaming photos in stored (already compressed)."""
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename in media:
                entry = zipfile.ZipInfo(info.filename, _ZIP_TIME)
                entry.compress_type = zipfile.ZIP_STORED
                with media[info.filename].open("rb") as f, dst.open(entry, "w") as w:
                    shutil.copyfileobj(f, w, 1 << 20)
            else:
                entry = zipfile.ZipInfo(info.filename, _ZIP_TIME)
                entry.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(entry, src.read(info.filename))
