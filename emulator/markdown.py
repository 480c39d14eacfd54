"""MarkdownV2 and legacy Markdown parse modes."""

from __future__ import annotations

from emulator.entities import Entity, EntityBuilder, byte_offset, cant_parse

_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")


def parse_markdown_v2(source: str) -> tuple[str, list[Entity]]:
    """Parse MarkdownV2; unescaped reserved characters are errors, as in Telegram."""
    out = EntityBuilder()
    open_: list[tuple[str, int, int]] = []  # (marker, utf16 start, source index)
    i = 0
    line_start = True
    quote_start: int | None = None
    while i < len(source):
        ch = source[i]
        if line_start and quote_start is not None and ch != ">":
            out.close("blockquote", quote_start)
            quote_start = None
        if ch == "\\":
            if i + 1 >= len(source) or not 1 <= ord(source[i + 1]) <= 126:
                raise cant_parse(
                    f"character '\\' is reserved and must be escaped at byte "
                    f"offset {byte_offset(source, i)}"
                )
            out.add(source[i + 1])
            i += 2
        elif ch == "`":
            i = _md_code(source, i, out, escapes=True)
        elif ch == ">" and line_start:
            if quote_start is None:
                quote_start = out.pos
            i += 1
        elif source.startswith("||", i) or source.startswith("__", i) or ch in "*_~":
            marker = source[i : i + 2] if source.startswith(("||", "__"), i) else ch
            if open_ and open_[-1][0] == marker:
                _, start, _ = open_.pop()
                out.close(_MD_KINDS[marker], start)
            else:
                open_.append((marker, out.pos, i))
            i += len(marker)
        elif ch == "[":
            i = _md_link(source, i, out, v2=True)
        elif ch in _MDV2_RESERVED:
            raise cant_parse(
                f"character '{ch}' is reserved and must be escaped with the preceding '\\'"
            )
        else:
            if ch == "\n" and quote_start is not None and not source.startswith(">", i + 1):
                out.close("blockquote", quote_start)  # the quote ends before its newline
                quote_start = None
            out.add(ch)
            i += 1
        line_start = ch == "\n"
    if quote_start is not None:
        out.close("blockquote", quote_start)
    if open_:
        marker, _, idx = open_[-1]
        raise cant_parse(
            f"can't find end of {_MD_KINDS[marker].title()} entity at byte "
            f"offset {byte_offset(source, idx)}"
        )
    return out.result()


_MD_KINDS = {
    "*": "bold",
    "_": "italic",
    "__": "underline",
    "~": "strikethrough",
    "||": "spoiler",
}


def _md_code(source: str, i: int, out: EntityBuilder, escapes: bool) -> int:
    fence = "```" if source.startswith("```", i) else "`"
    end = i + len(fence)
    chunk: list[str] = []
    while True:
        if end >= len(source):
            raise cant_parse(
                f"can't find end of the entity starting at byte offset {byte_offset(source, i)}"
            )
        if escapes and source[end] == "\\" and end + 1 < len(source):
            chunk.append(source[end + 1])
            end += 2
            continue
        if source.startswith(fence, end):
            break
        chunk.append(source[end])
        end += 1
    body = "".join(chunk)
    start = out.pos
    if fence == "```":
        first, nl, rest = body.partition("\n")
        language = first.strip() if nl and first.strip() and " " not in first.strip() else ""
        out.add(rest if language else body)
        out.close("pre", start, **({"language": language} if language else {}))
    else:
        out.add(body)
        out.close("code", start)
    return end + len(fence)


def _md_link(source: str, i: int, out: EntityBuilder, v2: bool) -> int:
    close = source.find("](", i)
    end = close + 2 if close >= 0 else len(source)
    while end < len(source) and source[end] != ")":
        end += 2 if v2 and source[end] == "\\" else 1  # "\)" inside a V2 URL is escaped
    if close < 0 or end >= len(source):
        if v2:
            raise cant_parse(
                "character '[' is reserved and must be escaped with the preceding '\\'"
            )
        raise cant_parse(
            f"can't find end of the entity starting at byte offset {byte_offset(source, i)}"
        )
    label, _ = (parse_markdown_v2 if v2 else parse_markdown)(source[i + 1 : close])
    url = source[close + 2 : end].replace("\\)", ")").replace("\\\\", "\\")
    start = out.pos
    out.add(label)
    kind = "text_mention" if url.startswith("tg://user?id=") else "text_link"
    out.close(kind, start, url=url)
    return end + 1


def parse_markdown(source: str) -> tuple[str, list[Entity]]:
    """Parse legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url)."""
    out = EntityBuilder()
    i = 0
    while i < len(source):
        ch = source[i]
        if ch == "\\" and i + 1 < len(source) and source[i + 1] in "_*`[":
            out.add(source[i + 1])
            i += 2
        elif ch == "`":
            i = _md_code(source, i, out, escapes=False)
        elif ch == "[":
            i = _md_link(source, i, out, v2=False)
        elif ch in "*_":
            end = source.find(ch, i + 1)
            if end < 0:
                raise cant_parse(
                    f"can't find end of the entity starting at byte offset {byte_offset(source, i)}"
                )
            start = out.pos
            out.add(source[i + 1 : end])
            out.close(_MD_KINDS[ch], start)
            i = end + 1
        else:
            out.add(ch)
            i += 1
    return out.result()
