"""Frontmatter values and body lines -> what the rules ask of them: is it a placeholder, which
strings does it hold, can it hold a marker at all (the cheap tests that skip the usual case)."""

from __future__ import annotations

import os
import re
from collections import defaultdict, deque
from collections.abc import Iterator, Mapping
from pathlib import PurePath
from typing import Any

from graph_builder.core.slugs import uri_slug
from graph_builder.core.validate.rules import PLACEHOLDER, PLACEHOLDER_PATTERN
from graph_builder.core.vocabulary import parent_of

__all__ = [
    "all_printable",
    "file_stem",
    "is_placeholder",
    "may_report",
    "nested_strings",
    "page_name",
    "plain_texts",
    "strip_code_spans",
    "worth_searching",
]

_BACKTICKS = re.compile(r"`+")


def is_placeholder(value: object) -> bool:
    """A text holding the scaffold's `TODO:` marker."""
    return (
        isinstance(value, str)
        and PLACEHOLDER in value
        and PLACEHOLDER_PATTERN.search(value) is not None
    )


def file_stem(path: str) -> str:
    """`PurePath(path).stem`, without building a path object for the usual `folder/name.md`."""
    name = path.rpartition("/")[2]
    if os.name == "nt" or name in ("", "."):
        return PurePath(path).stem
    # pathlib's rule: the part before the last dot, unless the dot is first or last.
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def plain_texts(values: list[Any]) -> bool:
    """True when every item is a string and none can hold a placeholder or raw HTML.

    One join and two substring tests replace a test per item; neither marker contains a line
    break, so none can appear across the joins.
    """
    try:
        joined = "\n".join(values)
    except TypeError:  # an item is not a string
        return False
    return not may_report(joined)


def worth_searching(value: object) -> bool:
    """Whether a frontmatter value may hold a placeholder or raw HTML: containers always may."""
    if isinstance(value, str):
        return may_report(value)
    return isinstance(value, list | dict)


def may_report(text: str) -> bool:
    """False when `text` can hold neither a placeholder nor raw HTML (the usual case).

    Both checks need a literal substring (`TODO:`, `<`), so a text without either is skipped
    without running a regular expression.
    """
    return PLACEHOLDER in text or "<" in text


def nested_strings(value: object) -> Iterator[str]:
    """Every string inside a YAML value, visiting each container once (aliases can loop)."""
    stack: list[object] = [value]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if isinstance(current, str):
            yield current
        elif isinstance(current, list | dict):
            if id(current) in seen or len(seen) > 10_000:
                continue
            seen.add(id(current))
            if isinstance(current, dict):
                stack.extend(reversed([*current.keys(), *current.values()]))
            else:
                stack.extend(reversed(current))


def all_printable(meta: Mapping[str, Any]) -> bool:
    """True when no key or string value of the frontmatter holds a non-printable character
    (the usual case), tested as one joined string in C."""
    parts: list[str] = list(meta)
    for value in meta.values():
        if type(value) is str:
            parts.append(value)
        else:
            parts.extend(nested_strings(value))
    return "".join(parts).isprintable()


def strip_code_spans(line: str) -> str:
    """The line without its inline code spans (a run of N backticks up to the next run of N).

    Written as one pass over the backtick runs: a regular expression for spans backtracks
    badly on a line of many backticks.
    """
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    if len(runs) < 2:
        return line
    later: dict[int, deque[int]] = defaultdict(deque)
    for index, (start, end) in enumerate(runs):
        later[end - start].append(index)
    kept: list[str] = []
    position = index = 0
    while index < len(runs):
        start, end = runs[index]
        closers = later[end - start]
        while closers and closers[0] <= index:
            closers.popleft()
        if closers:
            kept.append(line[position:start])
            position, index = runs[closers[0]][1], closers[0] + 1
        else:
            index += 1
    kept.append(line[position:])
    return "".join(kept)


def page_name(key: str, value: str) -> str:
    """The name of the page a value of `key` gets (a relation subtype is on its parent's page),
    folded by `slugs.uri_slug` as the site folds it."""
    return uri_slug(parent_of(value) if key == "relation_types" else value)
