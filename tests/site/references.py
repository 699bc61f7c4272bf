"""HTML compared as text: an entry page's prose may spell a character as a reference or not."""

from __future__ import annotations

import re

#: What a reference must keep standing for in HTML text and in a double-quoted attribute.
MEANINGFUL = frozenset('&<>"')


def same_text(html: str) -> str:
    """The HTML with every numeric reference to a character that means nothing in HTML text
    written as that character: the text-run extension keeps references only for `MEANINGFUL`,
    a page rendered without it keeps them all, and a reader sees the same text."""
    return re.sub(
        r"&#([0-9]+);",
        lambda m: m.group(0) if chr(int(m.group(1))) in MEANINGFUL else chr(int(m.group(1))),
        html,
    )
