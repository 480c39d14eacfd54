"""parse_mode handling: turn HTML / MarkdownV2 / Markdown into plain text plus entities.

Telegram rejects badly formed markup with "can't parse entities"; a bot that interpolates
user text without escaping it fails only in production unless the emulator is as strict.
Offsets and lengths are in UTF-16 code units, as in the Bot API.
"""

from __future__ import annotations

import re
from typing import Any

from emulator.entities import Entity, EntityBuilder, byte_offset, cant_parse, utf16_len
from emulator.markdown import parse_markdown, parse_markdown_v2
from emulator.params import bad_request

__all__ = ["parse_html", "parse_markdown", "parse_markdown_v2", "render", "utf16_len"]

_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ATTR = r"""[a-zA-Z-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?"""
_TAG_RE = re.compile(rf"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+{_ATTR})*)\s*>")
_ATTR_RE = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+)))?")
_CHARREF_RE = re.compile(r"&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]+);")
_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")


def parse_html(source: str) -> tuple[str, list[Entity]]:
    """Parse Telegram's HTML subset; raises ApiError 400 where Telegram would."""
    out = EntityBuilder()
    stack: list[tuple[str, int, dict[str, str]]] = []
    i = 0
    while i < len(source):
        ch = source[i]
        if ch == "<":
            m = _TAG_RE.match(source, i)
            if m is None:
                raise cant_parse(f"unsupported start tag at byte offset {byte_offset(source, i)}")
            closing, name = m.group(1) == "/", m.group(2).lower()
            if name not in _HTML_TAGS:
                raise cant_parse(
                    f'unsupported start tag "{name}" at byte offset {byte_offset(source, i)}'
                )
            if closing:
                if not stack:
                    raise cant_parse(f"unexpected end tag at byte offset {byte_offset(source, i)}")
                if stack[-1][0] != name:
                    raise cant_parse(
                        f"unmatched end tag at byte offset {byte_offset(source, i)}, "
                        f'expected "</{stack[-1][0]}>", found "</{name}>"'
                    )
                tag, start, attrs = stack.pop()
                _close_html(out, tag, start, attrs, stack)
            else:
                attrs = {
                    a.group(1).lower(): next((g for g in a.groups()[1:] if g is not None), "")
                    for a in _ATTR_RE.finditer(m.group(3))
                }
                if name == "a" and not attrs.get("href"):
                    raise cant_parse(f"empty href in <a> at byte offset {byte_offset(source, i)}")
                stack.append((name, out.pos, attrs))
            i = m.end()
        elif ch == "&":
            m = _CHARREF_RE.match(source, i)
            if m is None or (not m.group(1).startswith("#") and m.group(1) not in _NAMED_ENTITIES):
                out.add("&")  # Telegram keeps a lone or unknown "&" literally
                i += 1
                continue
            ref = m.group(1)
            if ref.startswith("#"):
                code = int(ref[2:], 16) if ref.startswith("#x") else int(ref[1:])
                if code > 0x10FFFF:
                    raise cant_parse(f"invalid character reference {m.group(0)}")
                out.add(chr(code))
            else:
                out.add(_NAMED_ENTITIES[ref])
            i = m.end()
        elif ch == ">":
            out.add(">")
            i += 1
        else:
            j = i
            while j < len(source) and source[j] not in "<&>":
                j += 1
            out.add(source[i:j])
            i = j
    if stack:
        raise cant_parse(f'can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return out.result()


def _close_html(
    out: EntityBuilder, tag: str, start: int, attrs: dict[str, str], stack: list[Any]
) -> None:
    kind = _HTML_TAGS[tag]
    if tag == "span" and attrs.get("class") != "tg-spoiler":
        raise cant_parse('tag "span" must have class "tg-spoiler"')
    if kind == "text_link":
        out.close(kind, start, url=attrs["href"])
    elif kind == "code" and stack and stack[-1][0] == "pre":
        lang = attrs.get("class", "").removeprefix("language-")
        if lang:  # <pre><code class="language-x"> becomes one pre entity with a language
            stack[-1][2]["language"] = lang
            return
        out.close(kind, start)
    elif kind == "pre":
        extra = {"language": attrs["language"]} if attrs.get("language") else {}
        out.close(kind, start, **extra)
    elif kind == "blockquote" and "expandable" in attrs:
        out.close("expandable_blockquote", start)
    elif kind == "custom_emoji":
        out.close(kind, start, custom_emoji_id=attrs.get("emoji-id", ""))
    else:
        out.close(kind, start)


def render(text: str, parse_mode: str | None, entities: Any = None) -> tuple[str, list[Entity]]:
    """Plain text and entities for a text/caption as Telegram would store it."""
    if entities:
        if not isinstance(entities, list):
            raise bad_request("can't parse entities JSON object")
        return text, entities  # explicit entities win over parse_mode, as in Telegram
    mode = (parse_mode or "").lower()
    if not mode:
        return text, []
    if mode == "html":
        return parse_html(text)
    if mode == "markdownv2":
        return parse_markdown_v2(text)
    if mode == "markdown":
        return parse_markdown(text)
    raise bad_request(f"unsupported parse_mode {parse_mode!r}")
