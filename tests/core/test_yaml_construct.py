"""frontmatter.py's fast YAML constructor equals PyYAML's: on generated frontmatter (flat and
nested; plain, quoted and block scalars; ints in every base, floats, bools of every YAML 1.1
spelling, nulls, dates and timestamps, explicit tags, anchors and aliases, unicode), `_construct`
builds exactly the value the loader's own `construct_document` builds, or both raise the same
exception. And each exception a contributor's YAML can raise is a `yaml-value` error at its line.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from graph_builder.core.frontmatter import _CONSTRUCT_ERRORS, _YAML_LOADER, _construct, _is_flat
from graph_builder.core.load import parse_entry


# Plain scalars that resolve to every implicit type of YAML 1.1 (PyYAML's resolver), and a few
# that resolve to a type whose constructor then fails (`0b_`, `0x_`: ints with no digits).
def _words(text: str) -> list[str]:
    return text.split()


_PLAIN_WORDS = (
    # ints: decimal, binary, octal, hexadecimal, sexagesimal, signs and underscores
    *_words("0 -0 +7 1_000 0b1010 -0b1_0 0b_ 017 0o17 0x1F -0x_ff 0x_ 190:20:30 1:2 08"),
    "99999999999999999999999",
    # floats
    *_words("1.5 -1.0e+3 1.0E-3 .5 ._ 1_0.5 1. .inf -.Inf +.INF .NaN .nan 190:20:30.15 1e3"),
    # bools of every spelling PyYAML reads, and near misses
    *_words("yes Yes YES no No NO true True TRUE false False FALSE on On ON off Off OFF"),
    *_words("y Y n N oN tRUE"),
    # nulls
    *_words("~ null Null NULL nULL"),
    # dates and timestamps, valid and not
    *_words("2026-03-23 2026-02-30 2026-3-3 0000-01-01 2001-12-14t21:59:43.10-05:00"),
    *_words("2002-12-14T25:00:00Z 2001-12-15T02:59:43.1Z"),
    "2001-12-14 21:59:43.10",
    "2001-12-14 21:59:43.1234567 +99:00",
    "2001-12-14 21:59:43.10 -5",
    # text
    *_words("phoenix rupture-and-repair été 日本語 x_y = <<"),
    "a b c",
)
_TAGS = ("!!str ", "!!int ", "!!float ", "!!bool ", "!!null ", "!!timestamp ")
_BINARY = ("aGVsbG8=", "aGVsbG8", "!!!", "", "YQ==\n")
_TEXT = st.text(
    alphabet=st.characters(
        codec="utf-8", categories=("L", "N", "P", "S", "Zs"), exclude_characters="\x85\u2028\u2029"
    ),
    max_size=12,
)
_KEYS = st.sampled_from(("slug", "name", "kind", "categories", "related", "a", "b", "2026", "é"))
_ANCHORS = ("a", "b")


@st.composite
def _scalar(draw: st.DrawFn, flow: bool) -> str:
    """One scalar as it is written on a line: its tag or anchor, then the text in some style."""
    # One scalar in twenty or so carries an explicit tag: most documents build, some do not.
    tagged = draw(st.integers(0, 19))
    if tagged == 0:
        return "!!binary " + json.dumps(draw(st.sampled_from(_BINARY)))
    prefix = draw(st.sampled_from(_TAGS)) if tagged == 1 else ""
    style = draw(st.sampled_from(("plain", "plain", "single", "double", "text")))
    if style == "plain":
        text = draw(st.sampled_from(_PLAIN_WORDS))
    elif style == "text":
        text = draw(_TEXT)
        # A plain scalar: characters YAML gives a meaning to are left out (a syntax error is
        # the composer's business, the same for both constructors).
        text = "".join(c for c in text if c not in ":#,[]{}&*!|>'\"%@`?-") or "t"
        text = text.strip() or "t"
    elif style == "single":
        text = "'" + draw(_TEXT).replace("'", "''") + "'"
    else:
        text = draw(_TEXT)
        # YAML's `\u` escapes take no surrogate pairs: characters past U+FFFF are written as is.
        ascii_only = draw(st.booleans()) and all(ord(c) <= 0xFFFF for c in text)
        text = json.dumps(text, ensure_ascii=ascii_only)
    if flow and style in ("plain", "text") and text in ("=", "<<"):
        text = "x"
    return prefix + text


@st.composite
def _value(draw: st.DrawFn, indent: int, depth: int, flat: bool) -> str:
    """A mapping value or list item: the text after `key:` or `-`, with its own leading space.

    `flat` keeps to the shape the fast path builds itself (scalars, and lists of scalars at the
    top), so that both paths are well exercised.
    """
    pad = " " * (indent + 2)
    if flat and depth > 0:
        shapes = ["scalar"] * 5 + ["alias", "block"]
    elif flat:
        shapes = ["scalar"] * 5 + ["alias", "block", "flow-list", "list", "list"]
    else:
        shapes = ["scalar"] * 5 + ["alias", "block", "flow-list", "list", "list"]
        shapes += ["mapping", "flow-mapping"] if depth < 2 else []
    shape = draw(st.sampled_from(shapes))
    if shape == "scalar":
        return " " + draw(_scalar(flow=False))
    if shape == "alias":
        return " *a" if flat else f" *{draw(st.sampled_from(_ANCHORS))}"
    if shape == "block":
        header = draw(st.sampled_from(("|", "|-", "|+", ">", ">-", ">+")))
        lines = draw(st.lists(_TEXT.map(str.strip), min_size=1, max_size=3))
        return f" {header}\n" + "\n".join(pad + line if line else "" for line in lines)
    if shape == "flow-list":
        items = draw(st.lists(_scalar(flow=True), max_size=4))
        return " [" + ", ".join(items) + "]"
    if shape == "flow-mapping":
        pairs = draw(st.lists(st.tuples(_KEYS, _scalar(flow=True)), max_size=3))
        return " {" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
    if shape == "list":
        items = draw(st.lists(_value(indent + 2, depth + 1, flat), min_size=1, max_size=4))
        return "".join(f"\n{pad}-{item}" for item in items)
    return "\n" + draw(_mapping(indent + 2, depth + 1, flat))


@st.composite
def _mapping(draw: st.DrawFn, indent: int = 0, depth: int = 0, flat: bool = False) -> str:
    pairs = draw(st.lists(st.tuples(_KEYS, _value(indent, depth, flat)), min_size=1, max_size=6))
    return "\n".join(f"{' ' * indent}{key}:{value}" for key, value in pairs)


@st.composite
def _document(draw: st.DrawFn) -> str:
    """A frontmatter mapping whose first keys define the anchors its aliases name: a scalar and
    a list (a list named twice is a shape the fast path must leave to PyYAML)."""
    scalar = draw(_scalar(flow=False))
    items = ", ".join(draw(st.lists(_scalar(flow=True), max_size=3)))
    body = draw(_mapping(flat=draw(st.booleans())))
    return f"anchor-a: &a {scalar}\nanchor-b: &b [{items}]\n" + body


def _canonical(value: Any, seen: dict[int, int] | None = None) -> Any:
    """A value with its exact types (True is not 1), NaN equal to NaN, and shared containers."""
    seen = {} if seen is None else seen
    if isinstance(value, dict | list | set):
        if id(value) in seen:
            return ("same-as", seen[id(value)])
        seen[id(value)] = len(seen)
        if isinstance(value, dict):
            return ("dict", [(_canonical(k, seen), _canonical(v, seen)) for k, v in value.items()])
        if isinstance(value, set):
            return ("set", sorted(map(repr, value)))
        return ("list", [_canonical(v, seen) for v in value])
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else repr(value))
    return (type(value).__name__, value)


def _outcome(build: Any) -> Any:
    try:
        return ("value", _canonical(build()))
    except (yaml.YAMLError, *_CONSTRUCT_ERRORS) as exc:
        return ("error", type(exc).__name__)


def _fast(text: str) -> Any:
    loader = _YAML_LOADER(text)
    try:
        return _outcome(lambda: _construct(loader, loader.get_single_node()))
    finally:
        loader.dispose()


def _reference(text: str) -> Any:
    return _outcome(lambda: yaml.load(text, Loader=_YAML_LOADER))


@settings(max_examples=max(250, settings.default.max_examples), deadline=None)
@given(document=_document())
@example(document="a: !!int ''")
@example(document="a: 0b_\nb: [x, y]")
@example(document="a: !!bool maybe")
@example(document="a: &x [1]\nb: *x")
@example(document="a: &x 1\nb: *x")
@example(document="a: 1" + ":00" * 200 + ".5")
@example(document="a: [!!bool 0]\nb: !!int 0b_")  # PyYAML builds lists last: b fails first
def test_fast_constructor_equals_pyyaml(document: str) -> None:
    assert _fast(document) == _reference(document)


def test_the_generated_documents_exercise_the_fast_path() -> None:
    """At least the flat shape and a nested one: otherwise the property above tests nothing."""
    for text, flat in (("a: 1\nb: [x, 2]", True), ("a:\n  b: 1", False)):
        loader = _YAML_LOADER(text)
        try:
            assert _is_flat(loader.get_single_node()) is flat
        finally:
            loader.dispose()


# Each exception `_CONSTRUCT_ERRORS` names, raised by a value a contributor can write.
@pytest.mark.parametrize(
    ("value", "raised"),
    [
        ("!!int abc", ValueError),
        ("0x_", ValueError),
        # 5,000 digits over five lines of a quoted text joined by escaped line breaks.
        ('!!int "' + "\\\n  ".join(["9" * 1_000] * 5) + '"', ValueError),
        ("!!bool maybe", KeyError),
        ("!!int ''", IndexError),
        ("!!float '-'", ValueError),
        ("!!float ''", IndexError),
        ("1" + ":00" * 200 + ".5", OverflowError),
    ],
)
def test_each_caught_exception_is_a_yaml_value_error_at_its_line(
    value: str, raised: type[Exception]
) -> None:
    document = f"kind: pattern\nsummary: {value}"
    with pytest.raises(raised):
        yaml.load(document, Loader=_YAML_LOADER)
    text = f"---\nslug: x\n{document}\n---\n## Transfers\n"
    entry, problems = parse_entry(text, "entries/x.md", default_slug="x")
    assert entry is None
    assert [(p.line, p.rule) for p in problems] == [(4, "yaml-value")]


class _PythonLoader(yaml.SafeLoader):
    """The loader as it is where PyYAML has no libyaml: its composer is pure Python."""


_PythonLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _YAML_LOADER.yaml_constructors["tag:yaml.org,2002:timestamp"]
)


def test_deep_nesting_without_libyaml_is_a_yaml_value_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    document = "a: " + "[" * 600 + "\n  " + "]" * 600
    with pytest.raises(RecursionError):
        yaml.load(document, Loader=_PythonLoader)
    monkeypatch.setattr("graph_builder.core.frontmatter._YAML_LOADER", _PythonLoader)
    entry, problems = parse_entry(f"---\n{document}\n---\n", "entries/x.md")
    assert entry is None
    # The composer gave up before any node was built: reported at the opening `---`.
    assert [(p.line, p.rule) for p in problems] == [(1, "yaml-value")]


def test_a_bug_of_ours_is_not_reported_as_the_contributors_yaml(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*_: object) -> object:
        raise AttributeError("a bug in the loader")

    monkeypatch.setattr("graph_builder.core.frontmatter._construct", broken)
    with pytest.raises(AttributeError, match="a bug in the loader"):
        parse_entry("---\nslug: x\n---\n", "entries/x.md")
