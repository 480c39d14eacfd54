"""Read one YAML document into plain data and the file:line of every path in it, within limits.

libyaml builds the tree when PyYAML has it; a file it refuses is read again by PyYAML, so a
syntax problem's phrase and line are always PyYAML's (`tests/test_trip_loader_fast.py`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import yaml

from bot.i18n.content import CONTENT
from bot.trip.problems import ContentError, Problem
from bot.trip.types import Path, Said

_NULLS = {"", "~", "null", "Null", "NULL"}


@dataclass(frozen=True)
class YamlLimits:
    """What one YAML file may hold. Aliases are counted as written and nodes as expanded, so a
    "billion laughs" file is refused after a bounded amount of work, whoever sent it."""

    max_bytes: int = 512 * 1024
    max_aliases: int = 200
    max_depth: int = 64
    max_nodes: int = 100_000


LIMITS = YamlLimits()
_DEFAULT_TAGS: dict[type[yaml.Node], str] = {
    yaml.ScalarNode: yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG,
    yaml.SequenceNode: yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
    yaml.MappingNode: yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
}
# libyaml's parser, when PyYAML was built with it, reads a trip ~10x faster (start-up with
# hundreds of trips). Its error texts differ from PyYAML's, so a file it refuses is read again
# by the pure-Python parser, whose problem and line the catalogue (_SYNTAX) knows.
_C_LOADER: type[yaml.SafeLoader] | None = getattr(yaml, "CSafeLoader", None)
FAST_LOADER: type[yaml.SafeLoader] | None = None
if _C_LOADER is not None:

    class _FastLoader(_C_LOADER):  # type: ignore[valid-type,misc]
        """libyaml, without guessing scalars' types: every scalar stays text (_construct)."""

        yaml_implicit_resolvers: dict[str, list[tuple[str, object]]] = {}  # noqa: RUF012

        def resolve(self, kind: type[yaml.Node], value: object, implicit: object) -> str:
            """Each node's default tag: libyaml asks for every scalar, and PyYAML's general
            resolver (path resolvers, implicit ones) was a third of the parse."""
            return _DEFAULT_TAGS[kind]

    FAST_LOADER = _FastLoader


class YamlLimitError(ContentError):
    """A file over one of the limits; `limit` names it (bytes, aliases, depth or nodes)."""

    def __init__(self, file: str, line: int, limit: str, maximum: int) -> None:
        self.file, self.limit, self.maximum = file, limit, maximum
        super().__init__([Problem(file, line, "(yaml)", f"over the limit of {maximum} {limit}")])


def _check_events(
    text: str, file: str, limits: YamlLimits, loader: type[yaml.SafeLoader] = yaml.SafeLoader
) -> None:
    """Refuse a file over the size, alias or depth limit, in one linear pass over its events
    (no alias is expanded here)."""
    if len(text.encode("utf-8")) > limits.max_bytes:
        raise YamlLimitError(file, 1, "bytes", limits.max_bytes)
    aliases = depth = 0
    for event in yaml.parse(text, Loader=loader):
        line = event.start_mark.line + 1 if event.start_mark else 1
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > limits.max_aliases:
                raise YamlLimitError(file, line, "aliases", limits.max_aliases)
        elif isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limits.max_depth:
                raise YamlLimitError(file, line, "depth", limits.max_depth)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


Mark = tuple[str, int]  # file, line


def _construct(
    node: yaml.Node, path: Path, file: str, marks: dict[Path, tuple[str, int]], budget: list[int]
) -> Any:
    """Build plain data from a node; every scalar stays a string so the models decide its type.
    `budget` is [nodes still allowed, the limit, the depth limit]: aliases expand here, so
    this bounds them; a collection deeper than the limit raises _TooDeep."""
    budget[0] -= 1
    if budget[0] < 0:
        raise YamlLimitError(file, node.start_mark.line + 1, "nodes", budget[1])
    marks[path] = (file, node.start_mark.line + 1)
    if len(path) >= budget[2] and not isinstance(node, yaml.ScalarNode):
        raise _TooDeep
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _SyntaxProblem(file, key_node.start_mark.line + 1, "a key must be plain text")
            key = key_node.value
            if key in out:
                raise _SyntaxProblem(
                    file, key_node.start_mark.line + 1, f"key {key!r} is given twice"
                )
            marks[(*path, key)] = (file, key_node.start_mark.line + 1)
            out[key] = _construct(value_node, (*path, key), file, marks, budget)
            marks[(*path, key)] = (file, key_node.start_mark.line + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(n, (*path, i), file, marks, budget) for i, n in enumerate(node.value)]
    assert isinstance(node, yaml.ScalarNode)
    if not node.style and node.value in _NULLS:  # plain: None from PyYAML, "" from libyaml
        return None
    return node.value


class _TooDeep(Exception):
    """A collection deeper than the limit (libyaml's tree: read again by PyYAML for its line)."""


class _SyntaxProblem(Exception):
    def __init__(self, file: str, line: int, message: str) -> None:
        self.problem = Problem(file, line, "(yaml)", message)


# PyYAML's problem (its English) → the catalogue's short phrase (bot/i18n/content.py), and
# whether the line to show is where the construct opened (an unclosed '[', '{' or quote).
_SYNTAX: tuple[tuple[str, str, bool], ...] = (
    ("expected ',' or ']'", "yaml_open_list", True),
    ("expected ',' or '}'", "yaml_open_map", True),
    ("found unexpected end of stream", "yaml_open_quote", True),
    ("mapping values are not allowed", "yaml_colon_here", False),
    ("found character '\\t'", "yaml_tab", False),
    ("could not find expected ':'", "yaml_no_colon", False),
    ("expected <block end>", "yaml_indent", False),
    ("did not find expected", "yaml_indent", False),
    ("found '<stream end>'", "yaml_early_end", False),
    ("found undefined alias", "yaml_alias", False),
    ("found unknown escape character", "yaml_escape", False),
)


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, file: str) -> Problem:
    """A PyYAML syntax error as a short phrase in the catalogue, on a line the user can find:
    PyYAML counts a line past the last one at the end of the file."""
    problem = str(exc.problem or "")
    key, at_start = next(((k, o) for p, k, o in _SYNTAX if p in problem), ("content_yaml", False))
    mark = (exc.context_mark if at_start else None) or exc.problem_mark or exc.context_mark
    last = max(1, len(text.splitlines()))
    line = min(mark.line + 1, last) if mark else 1
    english = CONTENT[key]["en"].format(detail=problem)
    return Problem(file, line, "(yaml)", Said(key, english, detail=problem))


def _compose(text: str, file: str, limits: YamlLimits, fast: bool) -> yaml.Node | None:
    """The document's node tree, by libyaml if it is there (and `fast`); any YAML error or
    limit passed (and so its message and line) is the pure-Python parser's."""
    if fast and FAST_LOADER is not None and len(text.encode("utf-8")) <= limits.max_bytes:
        try:
            # libyaml bounds the nesting itself (1,000 levels), so the tree is built first and
            # its aliases and depth, as written, are counted on it: one pass instead of two.
            node = yaml.compose(text, Loader=FAST_LOADER)
        except yaml.YAMLError:
            pass  # read again below, for PyYAML's own words
        else:
            # Without a '*' the file has no alias: the depth alone is left, and _construct
            # counts it (_TooDeep sends the file here again, with fast=False).
            if node is None or "*" not in text or _within(node, limits):
                return node
    _check_events(text, file, limits)
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _within(root: yaml.Node, limits: YamlLimits) -> bool:
    """Whether the tree keeps to the alias and depth limits as written: a node met again is an
    alias (not followed), a collection inside another is one level deeper. Nodes are met in
    the document's order, as `read_data` meets them, so both count the same depth."""
    seen: set[int] = set()
    aliases = 0
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            aliases += 1
            if aliases > limits.max_aliases:
                return False
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            continue
        if depth > limits.max_depth:
            return False
        if isinstance(node, yaml.MappingNode):
            stack += [(n, depth + 1) for pair in reversed(node.value) for n in reversed(pair)]
        else:
            stack += [(n, depth + 1) for n in reversed(node.value)]
    return True


class _Refused(Exception):
    """Something `read_data` leaves to `parse_yaml`, which says what and where."""


def read_data(text: str, file: str, limits: YamlLimits = LIMITS) -> Any:
    """The data `parse_yaml` gives for this file, without its marks: what a sound file needs at
    start-up (a problem's line is looked up again only then). Anything amiss — bad syntax, a
    limit passed, a key given twice — is `parse_yaml`'s to raise, with its problem and line."""
    if FAST_LOADER is not None and len(text.encode("utf-8")) <= limits.max_bytes:
        try:
            node = yaml.compose(text, Loader=FAST_LOADER)
            return None if node is None else _Plain(limits, "*" in text).build(node)
        except (yaml.YAMLError, _Refused, RecursionError):
            pass
    return parse_yaml(text, file, (), limits)[0]


class _Plain:
    """Plain data from a tree, within the limits as `parse_yaml` counts them: nodes as expanded;
    aliases and depth as written (a node met again is an alias, and what it repeats was counted
    where it was written). A class, not a closure: a recursive closure is a reference cycle,
    left for the collector, per file."""

    def __init__(self, limits: YamlLimits, aliases: bool) -> None:
        self.left, self.written, self.aliases = limits.max_nodes, 0, aliases
        self.max_depth, self.max_aliases = limits.max_depth, limits.max_aliases
        self.seen: set[int] = set()

    def again(self, node: yaml.Node) -> bool:
        """Whether the node was met before (an alias), counting it as written."""
        if id(node) not in self.seen:
            self.seen.add(id(node))
            return False
        self.written += 1
        if self.written > self.max_aliases:
            raise _Refused
        return True

    def build(self, node: yaml.Node, depth: int = 0, repeat: bool = False) -> Any:
        """The data of one node; `repeat` inside what an alias repeats."""
        self.left -= 1
        if self.left < 0:
            raise _Refused
        if self.aliases and not repeat:
            repeat = self.again(node)
        if type(node) is yaml.ScalarNode:
            value = node.value
            return None if not node.style and value in _NULLS else value
        if depth >= self.max_depth and not repeat:
            raise _Refused
        if type(node) is yaml.MappingNode:
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if type(key_node) is not yaml.ScalarNode or key_node.value in out:
                    raise _Refused
                if self.aliases and not repeat:
                    self.again(key_node)
                out[key_node.value] = self.build(value_node, depth + 1, repeat)
            return out
        return [self.build(n, depth + 1, repeat) for n in node.value]


def parse_yaml(
    text: str, file: str, path: Path = (), limits: YamlLimits = LIMITS, *, fast: bool = True
) -> tuple[Any, dict[Path, tuple[str, int]]]:
    """Parse one YAML document into plain data and its marks; raise ContentError on bad syntax,
    YamlLimitError past a limit (size, aliases, depth, nodes as expanded). `fast=False` reads
    it with the pure-Python parser alone (the same result, slower)."""
    marks: dict[Path, tuple[str, int]] = {}
    try:
        node = _compose(text, file, limits, fast)
    except yaml.MarkedYAMLError as exc:
        raise ContentError([_syntax_problem(exc, text, file)]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Problem(file, 1, "(yaml)", f"YAML syntax: {exc}")]) from None
    if node is None:
        return None, marks
    # The depth as written, counted while building, when no alias can make it differ from
    # the depth as expanded (an alias needs a '*'); else _within or _check_events counted it.
    depth = limits.max_depth + len(path) if "*" not in text else sys.maxsize
    budget = [limits.max_nodes, limits.max_nodes, depth]
    try:
        return _construct(node, path, file, marks, budget), marks
    except _TooDeep:
        if not fast:  # _check_events bounds the depth before the tree is built
            raise YamlLimitError(file, 1, "depth", limits.max_depth) from None
        return parse_yaml(text, file, path, limits, fast=False)
    except RecursionError:  # a recursive alias (&a [*a]) never ends
        raise YamlLimitError(file, 1, "depth", limits.max_depth) from None
    except _SyntaxProblem as exc:
        raise ContentError([exc.problem]) from None
