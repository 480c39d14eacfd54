"""Load a trip folder of YAML files into a validated `Trip`, with file:line for every problem."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any

import yaml
from pydantic import ValidationError

from bot.gcpause import collector_paused
from bot.i18n.content import CONTENT
from bot.trip.checks import editorial_marks, trip_problems
from bot.trip.models import Trip
from bot.trip.types import Path, Said

YAML_SUFFIXES = (".yaml", ".yml")
_NULLS = {"", "~", "null", "Null", "NULL"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, and where."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class ContentError(Exception):
    """The content did not validate; `problems` says what and where."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


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


@dataclass
class _Source:
    """Parsed YAML data plus the file and line of every path in it."""

    data: dict[str, Any]
    marks: Mapping[Path, Mark]


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
    alias (not followed), a collection inside another is one level deeper."""
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
            stack += [(n, depth + 1) for pair in node.value for n in pair]
        else:
            stack += [(n, depth + 1) for n in node.value]
    return True


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


# Parsed files by their text: (data, the line of each path). Data is never changed after
# parsing (the models copy what they keep), so one parse serves every trip that holds the same
# file, e.g. a shared phrasebook or rules file, or a folder copied for a new trip.
Parsed = dict[str, tuple[Any, dict[Path, int]]]


class _Relabelled(Mapping[Path, Mark]):
    """An earlier parse's lines under this file's name (no copy: marks are read on errors)."""

    def __init__(self, name: str, lines: dict[Path, int]) -> None:
        self.name, self.lines = name, lines

    def __getitem__(self, path: Path) -> Mark:
        return self.name, self.lines[path]

    def __iter__(self) -> Iterator[Path]:
        return iter(self.lines)

    def __len__(self) -> int:
        return len(self.lines)


class _FolderMarks(Mapping[Path, Mark]):
    """The marks of a folder: each file's, under the top-level keys that file gave (looked up
    there when a problem is reported, rather than merged into one dict for every trip)."""

    def __init__(self, root: Mark) -> None:
        self.root = root
        self.files: list[tuple[Mapping[Path, Mark], set[str]]] = []

    def __getitem__(self, path: Path) -> Mark:
        if not path:
            return self.root
        for marks, keys in self.files:
            if path[0] in keys:
                return marks[path]
        raise KeyError(path)

    def __iter__(self) -> Iterator[Path]:
        yield ()
        for marks, keys in self.files:
            yield from (p for p in marks if p and p[0] in keys)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _parse_file(text: str, name: str, parsed: Parsed | None) -> tuple[Any, Mapping[Path, Mark]]:
    """`parse_yaml` of one file, or its earlier parse of the same text under this name."""
    if parsed is not None and (hit := parsed.get(text)) is not None:
        doc, lines = hit
        return doc, _Relabelled(name, lines)
    doc, marks = parse_yaml(text, name)
    if parsed is not None:
        parsed[text] = (doc, {path: line for path, (_, line) in marks.items()})
    return doc, marks


def _read_folder(folder: FsPath, parsed: Parsed | None = None) -> _Source:
    files = sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())
    if not files:
        raise ContentError([Problem(str(folder), 0, "(folder)", "no .yaml files in this folder")])
    data: dict[str, Any] = {}
    marks = _FolderMarks((str(files[0]), 1))
    problems: list[Problem] = []
    for file in files:
        name = str(file)
        try:
            doc, doc_marks = _parse_file(file.read_text(encoding="utf-8"), name, parsed)
        except ContentError as exc:
            problems += exc.problems
            continue
        except UnicodeDecodeError as exc:
            problems.append(Problem(name, 1, "(file)", f"not UTF-8 text: {exc.reason}"))
            continue
        if doc is None:
            continue
        if not isinstance(doc, dict):
            problems.append(Problem(name, 1, "(file)", "the file must be a mapping of keys"))
            continue
        taken: set[str] = set()
        for key, value in doc.items():
            if key in data:
                first = marks[(key,)]
                line = doc_marks[(key,)][1]
                problems.append(Problem(name, line, key, f"also given in {first[0]}:{first[1]}"))
                continue
            data[key] = value
            taken.add(key)
        marks.files.append((doc_marks, taken))
    if problems:
        raise ContentError(problems)
    return _Source(data, marks)


def _locate(path: Path, source: _Source, folder: FsPath) -> tuple[str, int]:
    """The file and line of the longest known prefix of `path`."""
    for n in range(len(path), -1, -1):
        if (hit := source.marks.get(tuple(path[:n]))) is not None:
            return hit
    return (str(folder), 0)


def _field(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(trip)"


# Pydantic's own error types, for messages a chat reply can say in the reader's language.
_KEYS = {
    "int_parsing": "content_not_number",
    "bool_parsing": "content_not_yes_no",
    "too_short": "content_too_short",
    "list_type": "content_not_list",
    "string_type": "content_not_text",
    "dict_type": "content_not_mapping",
}


def _said(err: Any) -> str:
    """The message of one validation error, keyed where the catalogue knows it."""
    if err["type"] == "missing":
        return Said("content_missing", "missing required field")
    if err["type"] == "extra_forbidden":
        return Said(
            "content_unknown_field", "unknown field (check the spelling; see content/README.md)"
        )
    cause = (err.get("ctx") or {}).get("error")
    if cause is not None and cause.args and isinstance(cause.args[0], Said):
        return cause.args[0]
    message: str = err["msg"].removeprefix("Value error, ")
    return Said(_KEYS[err["type"]], message) if err["type"] in _KEYS else message


def build_trip(data: Any, marks: Mapping[Path, Mark], where: str) -> Trip:
    """Validate plain data as a Trip; problems point at the marks' files and lines."""
    source = _Source(data if isinstance(data, dict) else {}, marks)
    folder = FsPath(where)
    try:
        trip = Trip.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(
                p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))
            )
            file, line = _locate(loc, source, folder)
            message = _said(err)
            problems.append(Problem(file, line, _field(loc), message))
        raise ContentError(problems) from None
    found = [Problem(*_locate(p, source, folder), _field(p), m) for p, m in trip_problems(trip)]
    if found:
        raise ContentError(found)
    return trip


def load_trip(folder: str | FsPath, parsed: Parsed | None = None) -> Trip:
    """Load and validate one trip folder; raise ContentError listing every problem. `parsed`
    keeps the files parsed so far (by `load_trips`), to parse a file met again only once."""
    folder = FsPath(folder)
    if not folder.is_dir():
        raise ContentError([Problem(str(folder), 0, "(folder)", "not a folder")])
    source = _read_folder(folder, parsed)
    return build_trip(source.data, source.marks, str(folder))


def content_warnings(folder: str | FsPath, trip: Trip) -> list[Problem]:
    """What `check` warns about in a sound trip (e.g. source references in display text)."""
    folder = FsPath(folder)
    source = _read_folder(folder)
    return [Problem(*_locate(p, source, folder), _field(p), m) for p, m in editorial_marks(trip)]


def load_trips(root: str | FsPath) -> dict[str, Trip]:
    """Load every trip folder under `root` (each sub-folder holding .yaml files is one trip)."""
    with collector_paused():
        return _load_trips(root)


def _load_trips(root: str | FsPath) -> dict[str, Trip]:
    root = FsPath(root)
    if not root.is_dir():
        raise ContentError([Problem(str(root), 0, "(folder)", "content folder not found")])
    folders = sorted(p for p in root.iterdir() if p.is_dir() and any(p.glob("*.y*ml")))
    if not folders:
        raise ContentError([Problem(str(root), 0, "(folder)", "no trip folders with .yaml files")])
    trips: dict[str, Trip] = {}
    problems: list[Problem] = []
    parsed: Parsed = {}
    for folder in folders:
        try:
            trip = load_trip(folder, parsed)
        except ContentError as exc:
            problems += exc.problems
            continue
        if trip.id in trips:
            problems.append(Problem(str(folder), 1, "id", f"trip id {trip.id!r} is used twice"))
        trips[trip.id] = trip
    if problems:
        raise ContentError(problems)
    return trips
