"""Words and values -> the pieces of a diagnostic's message: quoted values, did-you-mean hints,
type names and the slug a fix suggests, worded once for every rule."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from graph_builder.core import limits
from graph_builder.core.characters import printable
from graph_builder.core.slugs import slugify, uri_slug
from graph_builder.core.validate.rules import SLUG

__all__ = [
    "did_you_mean",
    "hint",
    "html_message",
    "or_words",
    "quote",
    "slug_suggestion",
    "type_name",
]


def did_you_mean(word: str, candidates: Sequence[str] | Mapping[str, Any]) -> str | None:
    """The closest candidate to a near-miss (`spliting` -> `splitting`), or None.

    Case is ignored when comparing; the candidate is returned as spelt in the vocabulary.
    """
    by_lower = {c.lower(): c for c in candidates}
    match = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[match[0]] if match else None


def quote(value: object, limit: int = 60) -> str:
    """An untrusted value quoted for a one-line message: control characters escaped, cut short."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{printable(text)}'"


def slug_suggestion(text: str) -> str | None:
    """A slug made from `text` that passes every slug rule, or None when there is none.

    `slugify` can give nothing (a name of punctuation) or the name of a generated index page
    (`Index`); neither is worth suggesting.

    >>> slug_suggestion("Zeno's Paradox"), slug_suggestion("!!!"), slug_suggestion("Index")
    ('zenos-paradox', None, None)
    """
    slug = slugify(text)
    if not SLUG.match(slug) or uri_slug(slug) in limits.RESERVED_PAGE_NAMES:
        return None
    return slug


def hint(word: str, candidates: Sequence[str] | Mapping[str, Any]) -> str:
    """` (did you mean 'x'?)` for a near-miss of `candidates`, or nothing."""
    match = did_you_mean(word, candidates)
    return f" (did you mean {quote(match)}?)" if match else ""


def type_name(value: object) -> str:
    """What YAML read a value as, in a contributor's words (`a number`, `a list`)."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, bytes):
        return "binary data (a `!!binary` value)"
    if value is None:
        return "empty"
    return "text"


def or_words(words: Sequence[str]) -> str:
    """`a, b or c`."""
    return f"{', '.join(words[:-1])} or {words[-1]}" if len(words) > 1 else "".join(words)


def html_message(tag: str) -> str:
    """The `raw-html` message for the tag found."""
    shown = tag if tag == "<!--" else f"{tag}>"
    return (
        f"raw HTML {quote(shown)} is shown as text, not rendered; write Markdown instead "
        "(or put it in backticks to show it as code)"
    )
