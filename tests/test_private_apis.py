"""No module of ours reaches into a dependency's private names (issue 15).

A dependency's `_private` modules, names and attributes can change in any release, and none of
the project's dependencies is pinned. The test reads every module in bot/, handlers/ and
emulator/ with `ast` and fails on:
- an import from a third-party module path with a `_private` part (`telegram._utils.types`),
  or of a `_private` name from a third-party module;
- an attribute `x._name` where `_name` is not a name our own code defines (our classes'
  private attributes and functions are ours to use), unless `x` is a standard-library module.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "emulator")
OURS = {*PACKAGES, "tests", "benchmarks"}
# The standard library's own public API spelled with a leading underscore (namedtuple's).
STDLIB_UNDERSCORE_API = {"_replace", "_asdict", "_fields", "_make", "_field_defaults"}


def _modules() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def _private(name: str) -> bool:
    """A `_name` that is neither a dunder nor an enum-style `_sunder_`."""
    return name.startswith("_") and not name.endswith("_")


def _top(module: str) -> str:
    return module.split(".", 1)[0]


def _third_party(module: str) -> bool:
    top = _top(module)
    return bool(top) and top not in OURS and top not in sys.stdlib_module_names


def _own_names(trees: list[ast.Module]) -> set[str]:
    """Every private name our code defines: functions, classes, attributes, slots, arguments."""
    names: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name | ast.arg):
                names.add(node.id if isinstance(node, ast.Name) else node.arg)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.alias):
                names.add(node.asname or node.name.split(".")[0])
            elif (
                isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "__slots__" for t in node.targets)
                and isinstance(node.value, ast.Tuple | ast.List)
            ):
                names.update(
                    e.value
                    for e in node.value.elts
                    if isinstance(e, ast.Constant) and isinstance(e.value, str)
                )
    return {n for n in names if _private(n)}


def _imported_modules(tree: ast.Module) -> dict[str, str]:
    """Local name → module, for `import a.b as c` and `from a import b` (b may be a module)."""
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return bound


def _violations(tree: ast.Module, own: set[str]) -> Iterator[tuple[int, str]]:
    bound = _imported_modules(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _third_party(alias.name) and any(map(_private, alias.name.split("."))):
                    yield node.lineno, f"import {alias.name}"
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if not _third_party(node.module):
                continue
            if any(map(_private, node.module.split("."))):
                yield node.lineno, f"from {node.module} import …"
            for alias in node.names:
                if _private(alias.name):
                    yield node.lineno, f"from {node.module} import {alias.name}"
        elif isinstance(node, ast.Attribute) and _private(node.attr):
            base = node.value
            if isinstance(base, ast.Name) and base.id in bound:
                if _third_party(bound[base.id]):
                    yield node.lineno, f"{base.id}.{node.attr}"
            elif node.attr not in own and node.attr not in STDLIB_UNDERSCORE_API:
                yield node.lineno, f"….{node.attr}"


TREES = {p: ast.parse(p.read_text(encoding="utf-8"), str(p)) for p in _modules()}
OWN = _own_names(list(TREES.values()))


@pytest.mark.parametrize("path", sorted(TREES), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_private_api_of_a_dependency(path: Path) -> None:
    """Each module uses its dependencies' public names only."""
    rel = path.relative_to(ROOT).as_posix()
    found = [f"{rel}:{line}: {what}" for line, what in _violations(TREES[path], OWN)]
    assert not found, "private API of a dependency:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ("from telegram._utils.types import JSONDict", True),
        ("import telegram._utils.defaultvalue", True),
        ("from docx.shared import _private_thing", True),
        ("x = shape._inline", True),
        ("import docx\ndocx._secret", True),
        ("from telegram.request import BaseRequest\nBaseRequest.DEFAULT_NONE", False),
        ("import os\nos._exit(0)", False),
        (
            "class A:\n    def __init__(self):\n        self._own = 1\n    def f(self):\n"
            "        return self._own",
            False,
        ),
        ("p = point._replace(x=1)", False),
        ("from bot._hidden import thing", False),
    ],
)
def test_the_check_itself(source: str, flagged: bool) -> None:
    """The check flags a dependency's private names and not ours nor the standard library's."""
    tree = ast.parse(source)
    assert bool(list(_violations(tree, _own_names([tree])))) is flagged
