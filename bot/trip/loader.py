"""Load a trip folder of YAML files into a validated `Trip`, with file:line for every problem."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any

from pydantic import ValidationError

from bot.gcpause import collector_paused
from bot.trip.checks import editorial_marks, trip_problems
from bot.trip.models import Trip
from bot.trip.problems import ContentError as ContentError
from bot.trip.problems import Problem as Problem
from bot.trip.types import Path, Said
from bot.trip.yamlread import LIMITS as LIMITS
from bot.trip.yamlread import Mark, read_data
from bot.trip.yamlread import YamlLimitError as YamlLimitError
from bot.trip.yamlread import YamlLimits as YamlLimits
from bot.trip.yamlread import parse_yaml as parse_yaml

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class _Source:
    """Parsed YAML data plus the file and line of every path in it."""

    data: dict[str, Any]
    marks: Mapping[Path, Mark]


# Parsed files by their text. Data is never changed after parsing (the models copy what they
# keep), so one parse serves every trip that holds the same file, e.g. a shared phrasebook or
# rules file, or a folder copied for a new trip.
Parsed = dict[str, Any]


class _FileMarks(Mapping[Path, Mark]):
    """The file:line of every path in one file, found when first asked: only a problem needs a
    line, so a sound trip (every trip at start-up) is read without them (`read_data`)."""

    def __init__(self, text: str, name: str) -> None:
        self.text, self.name = text, name
        self._marks: dict[Path, Mark] | None = None

    @property
    def marks(self) -> dict[Path, Mark]:
        """The marks, from a second reading of the text (the first that needs one)."""
        if self._marks is None:
            self._marks = parse_yaml(self.text, self.name)[1]
        return self._marks

    def __getitem__(self, path: Path) -> Mark:
        return self.marks[path]

    def __iter__(self) -> Iterator[Path]:
        return iter(self.marks)

    def __len__(self) -> int:
        return len(self.marks)


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
    """The data of one file (or its earlier parse of the same text), and its marks."""
    if parsed is not None and text in parsed:
        return parsed[text], _FileMarks(text, name)
    doc = read_data(text, name)
    if parsed is not None:
        parsed[text] = doc
    return doc, _FileMarks(text, name)


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
