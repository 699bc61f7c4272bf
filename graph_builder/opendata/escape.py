"""Contributor text -> one line, or XML-escaped attribute and element text, for the open data."""

from __future__ import annotations

from graph_builder.core.text import strip_invisible

__all__ = ["one_line", "xml_attr", "xml_text"]


def one_line(text: str) -> str:
    """`text` with every run of whitespace (newlines included) collapsed to one space."""
    return " ".join(text.split())


def xml_attr(value: str) -> str:
    """`value` escaped for a double-quoted XML attribute; line breaks and tabs as references."""
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
