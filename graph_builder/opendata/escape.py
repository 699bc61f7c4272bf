"""Contributor text -> one line, or XML-escaped attribute and element text, for the open data."""

from __future__ import annotations

import re

from graph_builder.core.text import strip_invisible

__all__ = ["one_line", "xml_attr", "xml_text"]


def one_line(text: str) -> str:
    """`text` with every run of whitespace (newlines included) collapsed to one space."""
    return " ".join(text.split())


# What `xml_attr` replaces. Most values (slugs, numbers, tag names) hold none of it, and one
# search costs less than the seven replacements that would each find nothing.
_ATTR_SPECIAL = re.compile('[&<>"\n\r\t]')


def xml_attr(value: str) -> str:
    """`value` escaped for a double-quoted XML attribute; line breaks and tabs as references."""
    if _ATTR_SPECIAL.search(value) is None:
        return value
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def xml_text(text: str) -> str:
    """`text` without invisible characters, escaped for XML element content (and attributes)."""
    escaped = strip_invisible(text)
    return (
        escaped.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )
