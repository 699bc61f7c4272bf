"""A frontmatter key and its value -> the type problem, if any, and the keys whose values are
malformed: later rules skip those rather than pile a second report on the same value."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph_builder.core import limits
from graph_builder.core.model import KNOWN_KEYS, Entry
from graph_builder.core.validate.rules import EXAMPLES, LIST_KEYS, STRING_KEYS, span
from graph_builder.core.validate.wording import type_name

__all__ = [
    "KNOWN",
    "SEQUENCE_KEYS",
    "TEXT_KEYS",
    "is_blank",
    "malformed_keys",
    "type_problem",
    "unsettled_keys",
]

KNOWN = frozenset(KNOWN_KEYS)
#: Keys a filled-in text is right for, and keys a list of filled-in texts is right for.
TEXT_KEYS = KNOWN - LIST_KEYS - {"dead"}
SEQUENCE_KEYS = LIST_KEYS | {"structure"}


def unsettled_keys(entry: Entry) -> tuple[str, ...]:
    """The known keys whose value is not the usual case, so the type rules must look at it.

    The usual case is settled in one pass, before any general check: a filled-in text where
    text is asked for, a list of filled-in texts where a list is.
    """
    found: list[str] = []
    for key, value in entry.meta.items():
        kind = type(value)
        if kind is str:
            if key in TEXT_KEYS and value and not value.isspace():
                continue
        elif kind is list and value and key in SEQUENCE_KEYS:
            for item in value:
                if type(item) is not str or not item or item.isspace():
                    break
            else:
                continue
        if key in KNOWN:
            found.append(key)
    return tuple(found)


def is_blank(value: Any) -> bool:
    """No value at all: null, an empty or blank text, an empty list."""
    blank = value is None or (isinstance(value, str | list) and not value)
    return blank or (isinstance(value, str) and not value.strip())


def malformed_keys(entry: Entry, unsettled: tuple[str, ...]) -> frozenset[str]:
    """The keys of `unsettled` whose value has the wrong type (`wrong-type` reports each)."""
    meta = entry.meta
    return frozenset(
        key
        for key in unsettled
        if not is_blank(meta[key]) and type_problem(key, meta[key]) is not None
    )


def type_problem(key: str, value: object) -> str | None:
    """What is wrong with the type of `key`'s value, as a message, or None."""
    if key in STRING_KEYS and not isinstance(value, str):
        quote_hint = ""
        if isinstance(value, bool | int | float | dt.date):
            quote_hint = " (YAML read it as such: put it in quotes)"
        elif isinstance(value, bytes):
            quote_hint = "; remove the `!!binary` tag"
        return (
            f"`{key}` must be text, but it is {type_name(value)}{quote_hint}; "
            f"write `{EXAMPLES[key]}`"
        )
    if key in LIST_KEYS and not isinstance(value, list):
        return f"`{key}` must be a list, but it is {type_name(value)}; write `{EXAMPLES[key]}`"
    if key == "structure" and not isinstance(value, str | list):
        return (
            "`structure` must be a word or a list of "
            f"{span(limits.STRUCTURE_COUNT)} words, but it is {type_name(value)}"
        )
    if key == "dead" and not isinstance(value, bool):
        return f"`dead` must be true or false, but it is {type_name(value)}; write `dead: true`"
    if key in ("created", "updated"):
        if isinstance(value, dt.datetime):
            return f"`{key}` must be a date without a time; write `{EXAMPLES[key]}`"
        if not isinstance(value, str | dt.date):
            return f"`{key}` must be a date, but it is {type_name(value)}; write `{EXAMPLES[key]}`"
    return None
