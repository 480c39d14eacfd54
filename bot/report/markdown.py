"""Write the report as Markdown: the same chapters, pipe tables, photos as relative links."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from bot.report.model import Block, Form, Heading, PageBreak, Para, Picture, Report, Table


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def render_markdown(report: Report, base: Path) -> str:
    """The report as Markdown; photo links are relative to `base`, the output file's folder."""
    c = report.cover
    lines = [f"# 出國報告（出國類別：{c.category}）", "", f"**{c.title}**", ""]
    lines += [f"- 服務機關：{c.organiser}"]
    lines += [f"- 姓名職稱：{t}" for t in c.travellers]
    lines += [
        f"- 派赴國家/地區：{c.destination}",
        f"- 出國期間：{c.period}",
        f"- 報告日期：{c.report_date}",
        "",
        "**目次**",
        "",
    ]
    lines += [("  " * (h.level - 1)) + f"- {h.text}" for h in report.headings(max_level=2)]
    lines += _blocks(report.blocks, base)
    return "\n".join(lines).rstrip() + "\n"


def render_form_markdown(form: Form, base: Path) -> str:
    """A form (審核表, 提要) as Markdown."""
    return "\n".join([f"# {form.title}", *_blocks(form.blocks, base)]).rstrip() + "\n"


def _blocks(blocks: Sequence[Block], base: Path) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            # The cover title is the document's only '#'; chapters start at '##'.
            lines += ["", "#" * min(block.level + 1, 6) + " " + block.text, ""]
        elif isinstance(block, Para):
            pad = "> " if block.kind == "quote" else ""
            lines += [pad + line + "  " for line in block.text.split("\n")] + [""]
        elif isinstance(block, Table):
            lines.append("| " + " | ".join(block.header) + " |")
            lines.append("|" + "---|" * len(block.header))
            lines += ["| " + " | ".join(_cell(t) for t in row) + " |" for row in block.rows]
            lines.append("")
        elif isinstance(block, Picture):
            link = Path(os.path.relpath(block.path, base)).as_posix()
            lines += [f"![{block.caption}]({link})", "", f"*{block.caption}*", ""]
        elif isinstance(block, PageBreak):
            lines.append("")
    return lines


def write_markdown(document: Report | Form, out: Path) -> None:
    """Write the Markdown next to where its photo links point from."""
    base = out.resolve().parent
    text = (
        render_markdown(document, base)
        if isinstance(document, Report)
        else (render_form_markdown(document, base))
    )
    out.write_text(text, encoding="utf-8")
