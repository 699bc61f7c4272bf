"""Contributor text -> text fit for any output: the characters no page, feed or data file shows.

`graph-builder check` reports these characters as errors at their line, so a catalogue that
builds has none; every writer still removes them, so that a stage reached without the validator
(a test, `generate` on a folder someone else checked) cannot put a direction override beside a
score or an escape sequence into an `aria-label`."""

from __future__ import annotations

import re

__all__ = ["strip_invisible"]

# C0 and C1 controls except tab and line breaks, the bidirectional controls (embeddings,
# overrides, isolates and marks) and the two non-characters.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)


def strip_invisible(text: str) -> str:
    """The text without control and bidirectional formatting characters.

    Examples:
        >>> strip_invisible("pay\\u202emoc.exe\\x1b[31m")
        'paymoc.exe[31m'
    """
    if text.isascii() and text.isprintable():
        # Printable ASCII has none of them (tab and line breaks are not printable): most names,
        # tags and summaries take this way, which costs a tenth of the pattern's search.
        return text
    return _INVISIBLE.sub("", text)
