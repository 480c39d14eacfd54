"""Write the report as Markdown: the same chapters, pipe tables, photos as relative links."""

from __future__ import annotations

import os
from pathlib import Path

from bot.report.model import Heading, PageBreak, Para, Picture, Report, Table


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def render_markdown(report: Report, base: Path) -> str:
    """The report as Markdown; photo links are relative to `base`, the output file's folder."""
    c = report.cover
    lines = [f"# 出國報告（出國類別：{c.category}）", "", f"**{c.title}**", ""]
    lines += [f"- 服務機關：{c.organiser}"]
    lines += [f"- 姓名職稱：{t}" for t in c.travellers]
    lines += [f"- 派赴國家/地區：{c.destination}", f"- 出國期間：{c.period}",
              f"- 報告日期：{c.report_date}", "", "**目次**", ""]  # fmt: skip
    lines += [("  " * (h.level - 1)) + f"- {h.text}" for h in report.headings(max_level=2)]
    for block in report.blocks:
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
    return "\n".join(lines).rstrip() + "\n"


def write_markdown(report: Report, out: Path) -> None:
    """Write the Markdown next to where its photo links point from."""
    out.write_text(render_markdown(report, out.resolve().parent), encoding="utf-8")
