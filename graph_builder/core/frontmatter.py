"""An entry file's text -> its frontmatter read by a line-aware YAML pass (values, the line of
every key and item, its text as written) and the body after it, or the error that stops it.

PyYAML's safe loader does the parsing (libyaml's when installed), with two changes: a date
YAML cannot build stays text (the validator reports it at its line), and the usual flat shape
of a frontmatter is built directly rather than by PyYAML's slower generic constructor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from graph_builder.core.model import Diagnostic, diagnostic

__all__ = ["Frontmatter", "outside_tokens", "read_frontmatter"]

# python-frontmatter's boundary, `^-{3,}\s*$` (multiline): a line of three or more dashes.
_BOUNDARY = YAMLHandler.FM_BOUNDARY
_BASE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _YAMLLoader(_BASE_LOADER):  # type: ignore[valid-type,misc]
    """The safe loader, except that a date YAML cannot build stays a string.

    PyYAML raises a bare `ValueError` (no line) for `created: 2026-02-30`; keeping the text lets
    the validator report it at the key's line as an invalid date.
    """


def _lenient_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    if not isinstance(node, yaml.ScalarNode):
        raise yaml.constructor.ConstructorError(
            None, None, "a date must be a plain value like 2026-03-23", node.start_mark
        )
    # PyYAML reads `!!timestamp` text with no date in it as `None.groupdict()`: kept as text.
    if loader.timestamp_regexp.match(node.value) is None:
        return loader.construct_scalar(node)
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:  # a date or time out of range: 2026-02-30, 25:00, a +99:00 offset
        return loader.construct_scalar(node)


_YAMLLoader.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)
_YAML_LOADER: type[yaml.SafeLoader] = _YAMLLoader

# What PyYAML 6's safe constructors raise, besides its own YAMLErrors, for values a contributor
# can write; nothing else is caught, so a bug of ours is a traceback, not a `yaml-value` error.
# - ValueError: `int()` or `float()` of text the tag does not fit (`!!int abc`, `!!float x`,
#   and the plain `0b_` and `0x_`, which resolve as ints with no digits), or of an int of more
#   than 4,300 digits, Python's limit (`!!int "999…"` continued over lines).
# - KeyError: `!!bool` of a word YAML 1.1 does not read as a bool (`!!bool maybe`).
# - IndexError: `!!int` or `!!float` of an empty text (`!!int ''`, `!!float ''`, `!!int '-'`).
# - OverflowError: a sexagesimal float of more than about 170 parts (`1:00:…:00.5`), whose
#   60 ** n no float can hold.
# - RecursionError: deep nesting in the pure-Python composer PyYAML uses without libyaml
#   (libyaml stops at 1,000 levels with a ScannerError).
# Timestamps never raise (`_lenient_timestamp`); bad `!!binary`, unhashable keys, bad merge keys,
# unknown tags and a scalar tag on a list raise ConstructorError, a YAMLError with a line.
_CONSTRUCT_ERRORS = (ValueError, KeyError, IndexError, OverflowError, RecursionError)

_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
# Scalars whose constructor builds a fresh atom from the node's text alone.
_ATOM_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("null", "bool", "int", "float", "timestamp")
)


def _construct(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """The Python value of a composed frontmatter, as `construct_document` would build it.

    PyYAML's generic constructor, in Python, costs nearly as much as the C parser, and an
    entry's frontmatter nearly always has one flat shape: a mapping from plain keys to scalars
    and lists of scalars. That shape is built here directly, each scalar other than text by
    PyYAML's own constructor for its tag; anything else (nested values, a list used twice,
    merge keys, explicit or unknown tags on containers) goes to `construct_document`, so every
    value and every error stays exactly what PyYAML gives.
    """
    if _is_flat(node):
        data: dict[Any, Any] = {}
        lists: list[tuple[list[Any], yaml.Node]] = []
        for key_node, value_node in node.value:
            if isinstance(value_node, yaml.ScalarNode):
                data[key_node.value] = _atom(loader, value_node)
            else:
                items: list[Any] = []
                data[key_node.value] = items
                lists.append((items, value_node))
        # PyYAML fills the lists after the whole mapping (its constructor defers them), so a
        # document with two values that cannot be built fails on the same one here.
        for items, value_node in lists:
            items.extend(_atom(loader, item) for item in value_node.value)
        return data
    return loader.construct_document(node)


def _atom(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """A scalar's value: its text, or what the constructor for its tag builds from it."""
    if node.tag == _STR_TAG:
        return node.value
    return loader.construct_object(node)


def _is_flat(node: yaml.Node) -> bool:
    """A mapping of plain-text keys to scalars or to lists of scalars, no list used twice."""
    if type(node) is not yaml.MappingNode or node.tag != _MAP_TAG:
        return False
    lists: set[int] = set()
    for key_node, value_node in node.value:
        if type(key_node) is not yaml.ScalarNode or key_node.tag != _STR_TAG:
            return False
        kind = type(value_node)
        if kind is yaml.ScalarNode:
            if value_node.tag != _STR_TAG and value_node.tag not in _ATOM_TAGS:
                return False
            continue
        if kind is not yaml.SequenceNode or value_node.tag != _SEQ_TAG or id(value_node) in lists:
            return False
        lists.add(id(value_node))
        for item in value_node.value:
            if type(item) is not yaml.ScalarNode or (
                item.tag != _STR_TAG and item.tag not in _ATOM_TAGS
            ):
                return False
    return True


_YAML_HINTS = (
    ("mapping values are not allowed", "; a value containing `: ` must be put in quotes"),
    (
        "cannot start any token",
        "; put a value that starts with `@`, `%` or a backtick in quotes, and indent with "
        "spaces, not tabs",
    ),
    ("found undefined alias", "; a value starting with `*` must be put in quotes"),
    ("expected ',' or ']'", "; close the `[...]` list on the line it starts"),
)


def _closing_boundary(text: str, start: int) -> re.Match[str] | None:
    """The first boundary line after `start` (the end of the opening one), or None.

    The same match as the pattern's next one from `start`, found faster: a boundary starts a
    line, so only the places after a line break followed by `---` are tried.
    """
    found = text.find("\n---", start)
    while found != -1:
        boundary = _BOUNDARY.match(text, found + 1)
        if boundary is not None:
            return boundary
        found = text.find("\n---", found + 1)
    return None


def _yaml_hint(problem: str) -> str:
    """The usual fix for a YAML error a contributor is likely to meet, or nothing."""
    return next((hint for text, hint in _YAML_HINTS if text in problem), "")


def _bad_value_line(node: yaml.Node | None) -> int:
    """The 1-based frontmatter line of the first key or value that cannot be built alone."""
    if not isinstance(node, yaml.MappingNode):
        return node.start_mark.line + 1 if node is not None else 1
    for pair in node.value:
        for part in pair:
            probe = _YAML_LOADER("")
            try:
                probe.construct_document(part)
            except (yaml.YAMLError, *_CONSTRUCT_ERRORS):
                return int(part.start_mark.line) + 1
            finally:
                probe.dispose()
    return node.start_mark.line + 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Frontmatter:
    """A file's frontmatter block, read, and the body after it.

    `text` is the YAML as written between the two `---` lines; its first line (the rest of the
    opening `---` line, usually empty) is the file's line `first_line`.
    """

    meta: dict[str, Any]
    lines: dict[str, int]
    item_lines: dict[str, tuple[int, ...]]
    text: str
    first_line: int
    body: str
    body_offset: int
    problems: tuple[Diagnostic, ...]


def read_frontmatter(text: str, path: str) -> Frontmatter | Diagnostic:
    """Split a file's text at its frontmatter and read the YAML, each line as the file numbers it.

    Args:
        text: the whole file, without a byte order mark.
        path: the path shown in diagnostics.

    Returns:
        The frontmatter (with the `invalid-key` and `duplicate-key` problems of its keys, which
        leave the rest readable), or the one error that stops the file from being read.
    """
    # python-frontmatter's own boundary pattern, used directly because the split must keep offsets.
    opening = _BOUNDARY.match(text)
    if opening is None:
        return diagnostic(
            path, 1, "no-frontmatter", "file does not start with a `---` frontmatter block"
        )
    closing = _closing_boundary(text, opening.end())
    if closing is None:
        return diagnostic(path, 1, "unclosed-frontmatter", "frontmatter has no closing `---` line")
    fm_text = text[opening.end() : closing.start()]
    offset = text.count("\n", 0, opening.end())
    body = text[closing.end() :]
    body_offset = text.count("\n", 0, closing.end())

    loader = _YAML_LOADER(fm_text)
    node: yaml.Node | None = None
    try:
        node = loader.get_single_node()
        meta = _construct(loader, node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = offset + (mark.line + 1 if mark else 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if (
            exc.context
            and exc.context_mark
            and exc.context_mark.line != (mark.line if mark else -1)
        ):
            problem += f" ({exc.context} that starts on line {offset + exc.context_mark.line + 1})"
        problem += _yaml_hint(problem)
        return diagnostic(path, line, "yaml-syntax", f"YAML error in frontmatter: {problem}")
    except yaml.reader.ReaderError as exc:
        line = offset + fm_text.count("\n", 0, max(exc.position, 0)) + 1
        char = exc.character
        code = ord(char) if isinstance(char, str) and len(char) == 1 else char
        found = f" (character U+{code:04X})" if isinstance(code, int) else ""
        problem = f"{exc.reason}{found}; delete it"
        return diagnostic(path, line, "yaml-syntax", f"YAML error in frontmatter: {problem}")
    except yaml.YAMLError as exc:
        return diagnostic(path, offset + 1, "yaml-syntax", f"YAML error in frontmatter: {exc}")
    except _CONSTRUCT_ERRORS:
        line = offset + _bad_value_line(node)
        return diagnostic(
            path,
            line,
            "yaml-value",
            "YAML cannot build this value (an explicit `!!` tag that does not fit the text, "
            "a number YAML cannot read such as `0x_` or one of thousands of digits, or "
            "nesting too deep); write a plain value, or put it in quotes",
        )
    finally:
        loader.dispose()

    if not isinstance(meta, dict) or not isinstance(node, yaml.MappingNode):
        shape = "empty" if meta is None else f"a {type(meta).__name__}"
        line = offset + (node.start_mark.line + 1 if node is not None else 1)
        return diagnostic(
            path,
            line,
            "frontmatter-not-mapping",
            f"frontmatter must be a mapping of `key: value` lines, but it is {shape}",
        )

    diagnostics: list[Diagnostic] = []
    lines: dict[str, int] = {}
    item_lines: dict[str, tuple[int, ...]] = {}
    for key_node, value_node in node.value:
        key_line = offset + key_node.start_mark.line + 1
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str) or key_node.tag != "tag:yaml.org,2002:str":
            diagnostics.append(
                diagnostic(
                    path,
                    key_line,
                    "invalid-key",
                    "this key is not a plain word (YAML read it as a number, date or list); "
                    "keys are words such as `name`",
                )
            )
            continue
        if key in lines:
            diagnostics.append(
                diagnostic(
                    path,
                    key_line,
                    "duplicate-key",
                    f"key `{key}` appears twice (first on line {lines[key]}); keep one",
                )
            )
            continue
        lines[key] = key_line
        if isinstance(value_node, yaml.SequenceNode):
            item_lines[key] = tuple(offset + item.start_mark.line + 1 for item in value_node.value)
    meta = {k: v for k, v in meta.items() if isinstance(k, str)}
    return Frontmatter(
        meta=meta,
        lines=lines,
        item_lines=item_lines,
        text=fm_text,
        first_line=offset + 1,
        body=body,
        body_offset=body_offset,
        problems=tuple(diagnostics),
    )


def outside_tokens(text: str) -> list[tuple[int, int]]:
    """The stretches of a YAML text that no token covers, as (start, end) indexes: its comments,
    indentation and line breaks, which no parsed value holds.

    The pure-Python scanner is used, since its marks count characters (libyaml's count bytes).
    A text that does not scan gives [] (its YAML error is what gets reported).
    """
    stretches: list[tuple[int, int]] = []
    covered = 0
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index > covered:
                stretches.append((covered, token.start_mark.index))
            covered = max(covered, token.end_mark.index)
    except yaml.YAMLError:
        return []
    if covered < len(text):
        stretches.append((covered, len(text)))
    return stretches
