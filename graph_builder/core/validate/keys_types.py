"""An entry's frontmatter keys -> missing, unknown and empty keys and values of the wrong type."""

from __future__ import annotations

from collections.abc import Iterator

from graph_builder.core.model import KNOWN_KEYS
from graph_builder.core.validate.context import EntryContext
from graph_builder.core.validate.registry import Finding, check
from graph_builder.core.validate.rules import EXAMPLES, REQUIRED_KEYS
from graph_builder.core.validate.value_types import KNOWN, is_blank, type_problem
from graph_builder.core.validate.wording import hint, quote, type_name

__all__ = ["keys", "value_types"]


@check("missing-key", "unknown-key")
def keys(ctx: EntryContext) -> Iterator[Finding]:
    """Every required key present; every key one of the format's."""
    meta = ctx.entry.meta
    for key in REQUIRED_KEYS:
        if key not in meta:
            yield Finding(
                "missing-key",
                1,
                f"required key `{key}` is missing; add a line such as `{EXAMPLES[key]}`",
            )
    for key in meta:
        if key not in KNOWN:
            yield Finding(
                "unknown-key",
                ctx.entry.line_of(key),
                f"unknown key {quote(key)}{hint(key, KNOWN_KEYS)}; it is ignored, so rename "
                "or delete it",
            )


@check("empty-value", "wrong-type")
def value_types(ctx: EntryContext) -> Iterator[Finding]:
    """Every known key with a value of its type; a required one with a value at all."""
    for key in ctx.unsettled:
        value = ctx.entry.meta[key]
        line = ctx.entry.line_of(key)
        if is_blank(value):
            if key in REQUIRED_KEYS:
                yield Finding(
                    "empty-value",
                    line,
                    f"`{key}` has no value; write it, e.g. `{EXAMPLES[key]}`",
                )
            continue
        problem = type_problem(key, value)
        if problem is not None:
            yield Finding("wrong-type", line, problem)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if not isinstance(item, str) or not item.strip():
                    shown = "an empty item" if isinstance(item, str) else type_name(item)
                    yield Finding(
                        "wrong-type",
                        ctx.entry.line_of(key, index),
                        f"items of `{key}` must be text, but this one is {shown}; "
                        "write it as a word or in quotes",
                    )
