"""Write the report as DOCX with python-docx; photos are streamed in, not held in memory."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, cast

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.image.image import Image
from docx.opc.packuri import PackURI
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.parts.image import ImagePart
from docx.shared import Cm, Emu, Pt

from bot.report.docx_style import field_begin, field_end, set_fonts, setup_document
from bot.report.layout import cell_lines, column_widths, title_lines
from bot.report.model import Block, Form, Heading, PageBreak, Para, Picture, Report, Table

# Fixed zip timestamps: the same report gives the same bytes, whoever compiles it.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_INDENT = Cm(0.75)
_MAX_PHOTO_HEIGHT = Cm(12)
_TITLE_SIZE = 22
_TABLE_SIZE = 12
_CELL_PAD = 1.7  # ems of a cell taken by its margins, with room for the renderer's spacing


def write_docx(
    report: Report, out: Path | IO[bytes], toc_pages: Sequence[int | None] | None = None
) -> None:
    """Write `report` to a path or a binary stream; `toc_pages` fills 目次's page numbers."""
    doc = _document(report.title, report.cover.organiser)
    _cover(doc, report)
    _contents(doc, report, toc_pages)
    _save(doc, report.blocks, out)


def write_form_docx(form: Form, out: Path | IO[bytes]) -> None:
    """Write a form (審核表, 提要): its title, then its tables and paragraphs."""
    doc = _document(form.title, form.organiser)
    doc.sections[0].different_first_page_header_footer = False
    _centred(doc, form.title, 18, bold=True)
    _save(doc, form.blocks, out)


def _document(title: str, organiser: str) -> Any:
    doc: Any = docx.Document()  # python-docx is only partly typed
    setup_document(doc)
    doc.core_properties.title = title
    doc.core_properties.author = organiser
    stamp = datetime(2000, 1, 1, tzinfo=UTC)  # not the compile time, to keep the bytes stable
    doc.core_properties.created = doc.core_properties.modified = stamp
    doc.core_properties.last_modified_by = organiser
    doc.core_properties.revision = 1
    return doc


def _save(doc: Any, blocks: Sequence[Block], out: Path | IO[bytes]) -> None:
    media: dict[str, Path] = {}
    width = _content_width(doc)
    new_page = False
    for block in blocks:
        if isinstance(block, PageBreak):
            new_page = True
            continue
        if isinstance(block, Heading):
            heading = doc.add_heading(block.text, level=block.level)
            # "Page break before" on the heading, not a break paragraph of its own: after a
            # full page, that empty paragraph made a blank page.
            heading.paragraph_format.page_break_before = new_page
            new_page = False
            continue
        if new_page:
            doc.add_page_break()
            new_page = False
        if isinstance(block, Para):
            _paragraph(doc, block)
        elif isinstance(block, Table):
            _table(doc, block, width)
        elif isinstance(block, Picture):
            _picture(doc, block, width, media)
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
    for i, line in enumerate(text.split("\n")):
        run = p.add_run()
        if i:
            run.add_break()
        run.add_text(line)
        set_fonts(run, size)
        run.bold = bold


def _cover(doc: Any, report: Report) -> None:
    c = report.cover
    _centred(doc, f"出國報告（出國類別：{c.category}）", 20, bold=True, space=72)
    # The title's lines are chosen here, at word or name boundaries, so the renderer never
    # has to break inside a name; 0.9 leaves room for the renderer's own spacing.
    per_line = 0.9 * _content_width(doc) / Pt(_TITLE_SIZE)
    _centred(
        doc, "\n".join(title_lines(c.title, per_line, c.names)), _TITLE_SIZE, bold=True, space=96
    )
    lines = [f"服務機關：{c.organiser}"]
    lines += [f"姓名職稱：{t}" if i == 0 else f"　　　　　{t}" for i, t in enumerate(c.travellers)]
    lines += [f"派赴國家/地區：{c.destination}", f"出國期間：{c.period}"]
    lines.append(f"報告日期：{c.report_date}")
    for line in lines:
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = Cm(2)
        set_fonts(p.add_run(line), 16)


def _contents(doc: Any, report: Report, pages: Sequence[int | None] | None) -> None:
    """目次: a TOC field whose shown result lists the headings with their page numbers, as
    the PDF conversion found them (Word updates the field itself when the file is opened)."""
    doc.add_page_break()
    _centred(doc, "目次", 18, bold=True)
    entries = report.headings(max_level=2)
    right = _content_width(doc)
    for i, heading in enumerate(entries):
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = _INDENT * (heading.level - 1)
        stops = p.paragraph_format.tab_stops
        stops.add_tab_stop(Emu(right), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        if i == 0:
            field_begin(p, 'TOC \\o "1-2" \\h \\z \\u')
        page = pages[i] if pages is not None and i < len(pages) else None
        p.add_run(heading.text + ("\t" + str(page) if page is not None else ""))
        if i == len(entries) - 1:
            field_end(p)


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
    """A grid whose columns are as wide as their content needs, the long ones sharing the rest.

    LibreOffice sizes columns by the table grid (w:gridCol), Word by the cells (w:tcW): both
    are set, and the layout is fixed so neither re-balances them."""
    columns = [[row[c] for row in (block.header, *block.rows)] for c in range(len(block.header))]
    total = width / Pt(_TABLE_SIZE)
    ems = (
        [1.0] * len(columns)
        if block.even
        else column_widths(columns, total, _CELL_PAD, block.names)
    )
    ems = [total * e / sum(ems) for e in ems]
    widths = [Emu(int(width * e / total)) for e in ems]
    table = doc.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # The table python-docx just added is the body's last (its element is reached only there).
    tbl = doc.element.body.xpath("./w:tbl")[-1]
    for col, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(w.twips)))
    for r, row in enumerate((block.header, *block.rows)):
        # A row stays on one page; the header row repeats on the next.
        tr_pr = tbl.tr_lst[r].get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if r == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.width = widths[c]
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.first_line_indent = Pt(0)
            # Wrapped here, where a name may not be split; the renderer then never has to.
            lines = cell_lines(text, ems[c] - _CELL_PAD, block.names) if block.names else [text]
            for i, line in enumerate("\n".join(lines).split("\n")):
                run = paragraph.add_run()
                if i:
                    run.add_break()
                run.add_text(line)
                run.font.size = Pt(_TABLE_SIZE)
                run.bold = r == 0 or None
            if r == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


class _StreamedImagePart(ImagePart):
    """An image part whose bytes stay in their file: _repack streams them into the zip, so
    200 photos of 1 MB each never sit in memory nor are deflated for nothing."""

    def __init__(self, partname: PackURI, image: Image, path: Path) -> None:
        super().__init__(partname, image.content_type, b"")
        self._path = path
        self._digest: str = image.sha1

    @property
    def sha1(self) -> str:
        """The file's digest, by which python-docx finds this part for the same photo."""
        return self._digest

    @property
    def image(self) -> Image:
        """The photo's header (size, resolution), read again from its file when asked."""
        header: Image = Image.from_file(str(self._path))
        return header


def _streamed_part(doc: Any, path: Path) -> ImagePart:
    """The image part for `path`, registered so that add_picture relates to it."""
    image = Image.from_file(str(path))
    parts = doc.part.package.image_parts
    for part in parts:
        if part.sha1 == image.sha1:
            return cast(ImagePart, part)
    partname = doc.part.package.next_partname(f"/word/media/image%d.{image.ext}")
    part = _StreamedImagePart(partname, image, path)
    parts.append(part)
    return part


def _picture(doc: Any, block: Picture, width: int, media: dict[str, Path]) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if block.path.is_file():
        part = _streamed_part(doc, block.path)
        media[part.partname.membername] = block.path
        shape = p.add_run().add_picture(str(block.path))
        scale = min(1.0, width / shape.width, _MAX_PHOTO_HEIGHT / shape.height)
        shape.width, shape.height = Emu(int(shape.width * scale)), Emu(int(shape.height * scale))
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
