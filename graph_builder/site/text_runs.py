"""A Markdown extension that reads escaped contributor text as text, one run at a time.

`escape.markdown_block` turns every ASCII punctuation mark of contributor prose but `*` and `_`
into a numeric character reference, so the prose can only form emphasis. Python-Markdown treats
each reference as a construct of its own: it matches it, stashes it and scans the rest of the
line again, a hundred times and more on an entry page, which made the prose of a generated page
cost twice the same prose written plainly. This extension takes each run of such text (letters,
digits, spaces, non-ASCII characters and numeric references, holding at least one reference)
as one piece of finished HTML, kept in the engine's stash as it keeps a single reference: the
engine has nothing left to look at inside it, and no later stage sees the characters the
references stand for. The HTML is the same as before, and a run can form nothing at all,
emphasis included (its markers are outside runs).

A run needs a numeric reference in it, which hand-written pages seldom have, so their text goes
through the engine as before; in one that has, the run is plain text, as it would be anyway:
nothing in a run is syntax of any Markdown construct.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

__all__ = ["NAME", "TextRunExtension", "makeExtension"]

_PLAIN = r"[A-Za-z0-9 \u0080-\U0010ffff]"
_REFERENCE = r"&#[0-9]{1,7};"
# Ends on a non-space, so two spaces before a line break stay Markdown's hard break.
_RUN = rf"{_PLAIN}*{_REFERENCE}(?:{_PLAIN}|{_REFERENCE})*(?<! )"

#: Above every inline pattern of Python-Markdown (the highest, code spans, is 190).
_PRIORITY = 200


class _TextRun(InlineProcessor):
    def handleMatch(  # type: ignore[override]  # noqa: N802 (Python-Markdown's name)
        self, m: re.Match[str], data: str
    ) -> tuple[str, int, int]:
        # Into the stash as it is, the way Python-Markdown keeps one reference: no later stage
        # (an attribute list, an abbreviation) sees the characters the references stand for.
        return self.md.htmlStash.store(m.group(0)), m.start(0), m.end(0)


class TextRunExtension(Extension):
    """Register the text-run pattern ahead of every other inline pattern."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.inlinePatterns.register(_TextRun(_RUN, md), "graph-builder-text-run", _PRIORITY)


#: How MkDocs and Python-Markdown name the extension (the plugin adds it by this name).
NAME = "graph_builder.site.text_runs"


def makeExtension(**kwargs: object) -> TextRunExtension:  # noqa: N802 (Python-Markdown's name)
    """The hook Python-Markdown calls to load an extension given by module name."""
    return TextRunExtension(**kwargs)
