"""`python -m bot check <folder>`: validate trip content and say what is wrong, and where.

The folder is either one trip (it holds .yaml files) or a content root whose sub-folders are
trips. Each sound trip gets one `ok:` line; each problem one `file:line: field: message` line.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from bot.trip.loader import YAML_SUFFIXES, ContentError, Problem, content_warnings, load_trip
from bot.trip.models import Trip

_TOP_ID = re.compile(r"^id\s*:")


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in YAML_SUFFIXES)


def _trip_folders(path: Path) -> list[Path]:
    """`path` itself when it holds .yaml files, else its sub-folders that do."""
    if _yaml_files(path):
        return [path]
    return sorted(p for p in path.iterdir() if p.is_dir() and _yaml_files(p))


def _id_line(folder: Path) -> tuple[str, int]:
    """The file and line of the trip's top-level `id:` key (for a trip id used twice)."""
    for file in _yaml_files(folder):
        for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if _TOP_ID.match(line):
                return str(file), n
    return str(folder), 0


def summary(trip: Trip) -> str:
    """The one-line report of a sound trip."""
    return (
        f"ok: {trip.id} — {len(trip.legs)} legs, {len(trip.contacts)} contacts, "
        f"{len(trip.talking_points)} talking points"
    )


def check_folder(path: str | Path, out: TextIO) -> int:
    """Validate a trip folder or a content root of trip folders; 0 when all is sound, else 1."""
    root = Path(path)
    if not root.is_dir():
        print(Problem(str(root), 0, "(folder)", "not a folder"), file=out)
        return 1
    folders = _trip_folders(root)
    if not folders:
        print(Problem(str(root), 0, "(folder)", "no trip folders with .yaml files"), file=out)
        return 1
    status = 0
    seen: dict[str, Path] = {}
    for folder in folders:
        try:
            trip = load_trip(folder)
        except ContentError as exc:
            for problem in exc.problems:
                print(problem, file=out)
            status = 1
            continue
        if trip.id in seen:
            file, line = _id_line(folder)
            message = f"trip id {trip.id!r} is also used by {seen[trip.id]}"
            print(Problem(file, line, "id", message), file=out)
            status = 1
            continue
        seen[trip.id] = folder
        print(summary(trip), file=out)
        for warning in content_warnings(folder, trip):
            print(warning, file=out)  # a warning does not fail the check
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m bot.trip.check [folder]` (default: content)."""
    args = list(sys.argv[1:] if argv is None else argv)
    return check_folder(args[0] if args else "content", sys.stdout)


if __name__ == "__main__":
    raise SystemExit(main())
