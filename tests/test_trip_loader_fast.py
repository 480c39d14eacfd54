"""libyaml reads the content (start-up with hundreds of trips) with the same data, the same
file:line marks and, for a bad file, the same problem as the pure-Python parser."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.trip import yamlread
from bot.trip.loader import ContentError, Problem, YamlLimits, parse_yaml
from bot.trip.yamlread import read_data

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(
    [*(ROOT / "content").rglob("*.yaml"), *(ROOT / "tests" / "fixtures").rglob("*.yaml")]
)
SNIPPETS = [
    "a: ~\nb: null\nc: '~'\nd: \"\"\ne:\nf: NULL\n",
    "base: &b {zone: UTC, n: 1}\nlegs: [*b, *b]\n",
    "text: |\n  line one\n  line two\nfolded: >\n  a\n  b\nkeep: |+\n  x\n\n",
    "n: 007\nt: 2015-05-18 08:30\nb: yes\nlist:\n- 1\n-   - nested\n    - deeper\n",
    '名前: 易榮宗\n\'quoted key\': "with \\"escape\\" and \\u00e9"\n',
    "# only a comment\n",
    "",
]
BAD = [
    "legs:\n  - id: a\n    kind: meeting\n    members: [cao-kaiwen\n",
    "a: [1, 2,\n\n\n",
    "a: {b: 1\n",
    'a: "abc\nb: 1\n',
    "a: b: c\n",
    "a:\n\t- b\n",
    "a: 1\nb\nc: 2\n",
    "a:\n  b: 1\n c: 2\n",
    "a: *x\n",
    "a: 1\na: 2\n",
    "? [a]\n: 1\n",
    "a: 1\n---\nb: 2\n",
    'a: "\\q"\n',
]


def _problems(text: str, fast: bool, limits: YamlLimits = yamlread.LIMITS) -> list[Problem]:
    with pytest.raises(ContentError) as caught:
        parse_yaml(text, "bad.yaml", limits=limits, fast=fast)
    return caught.value.problems


def test_libyaml_is_there() -> None:
    # The start-up figure of benchmarks.scale relies on it; PyYAML's wheels bundle it.
    assert yamlread.FAST_LOADER is not None


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_content_file_reads_the_same(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert parse_yaml(text, str(path), fast=True) == parse_yaml(text, str(path), fast=False)


@pytest.mark.parametrize("text", SNIPPETS)
def test_nulls_anchors_block_scalars_and_plain_strings_read_the_same(text: str) -> None:
    assert parse_yaml(text, "x.yaml", fast=True) == parse_yaml(text, "x.yaml", fast=False)


def test_a_null_is_none_and_a_quoted_tilde_is_text() -> None:
    doc, marks = parse_yaml(SNIPPETS[0], "x.yaml", fast=True)
    assert doc == {"a": None, "b": None, "c": "~", "d": "", "e": None, "f": None}
    assert marks[("f",)] == ("x.yaml", 6)


@pytest.mark.parametrize("text", BAD)
def test_a_bad_file_gives_the_same_problem_and_line(text: str) -> None:
    fast, slow = _problems(text, True), _problems(text, False)
    assert fast == slow
    assert [str(p) for p in fast] == [str(p) for p in slow]


@pytest.mark.parametrize(
    ("text", "limits"),
    [
        ("a: [" + "[" * 70 + "]" * 70 + "]\n", YamlLimits(max_depth=64)),
        ("b: &b [1, 2]\nl: [" + ", ".join(["*b"] * 30) + "]\n", YamlLimits(max_aliases=20)),
        ("b: &b [1, 2, 3, 4]\nl: [" + ", ".join(["*b"] * 30) + "]\n", YamlLimits(max_nodes=50)),
        ("a: " + "x" * 300 + "\n", YamlLimits(max_bytes=200)),
    ],
)
def test_a_file_over_a_limit_is_refused_the_same(text: str, limits: YamlLimits) -> None:
    assert _problems(text, True, limits) == _problems(text, False, limits)


# Start-up reads every sound file without marks (`read_data`); it must give parse_yaml's data,
# and leave anything amiss to parse_yaml, which raises its own problem and line.
@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_data_without_marks_is_the_same(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert read_data(text, str(path)) == parse_yaml(text, str(path), fast=False)[0]


@pytest.mark.parametrize("text", BAD)
def test_data_without_marks_of_a_bad_file_raises_parse_yamls_problem(text: str) -> None:
    with pytest.raises(ContentError) as caught:
        read_data(text, "bad.yaml")
    assert caught.value.problems == _problems(text, False)


_TEXT = st.text(st.sampled_from("ab~: *&-#\n'\"x1"), max_size=6)
_TREE = st.recursive(
    st.none() | _TEXT,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(_TEXT, kids, max_size=4),
    max_leaves=30,
)


def _shared(tree: object, reuse: list[object]) -> object:
    # Let safe_dump write anchors and aliases: the same list or dict in several places.
    if isinstance(tree, list):
        out = [_shared(x, reuse) for x in tree]
        if reuse and len(out) % 2:
            out.append(reuse[-1])
        reuse.append(out)
        return out
    if isinstance(tree, dict):
        return {k: _shared(v, reuse) for k, v in tree.items()}
    return tree


@settings(max_examples=300, deadline=None)
@given(
    tree=_TREE,
    limits=st.builds(
        YamlLimits,
        max_aliases=st.integers(0, 4),
        max_depth=st.integers(1, 6),
        max_nodes=st.integers(1, 60),
    ),
)
def test_data_without_marks_agrees_with_parse_yaml_within_any_limits(
    tree: object, limits: YamlLimits
) -> None:
    text = yaml.safe_dump({"doc": _shared(tree, [])}, allow_unicode=True)
    try:
        expected = parse_yaml(text, "x.yaml", limits=limits)[0]
    except ContentError as exc:
        with pytest.raises(ContentError) as caught:
            read_data(text, "x.yaml", limits)
        assert caught.value.problems == exc.problems
    else:
        assert read_data(text, "x.yaml", limits) == expected
        assert parse_yaml(text, "x.yaml", limits=limits, fast=False)[0] == expected
