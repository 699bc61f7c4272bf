"""A Markdown extension that reads an entry page's escaped contributor text in runs.

`escape.markdown_block` turns every ASCII punctuation mark of contributor prose but `*` and `_`
into a numeric character reference, so the prose can only form emphasis. Python-Markdown treats
each reference as a construct of its own, twice: its raw-HTML preprocessor calls back for each
one, and its inline stage matches it, stashes it and scans the rest of the line again. An entry
page has well over a hundred, which made its prose cost twice the same prose written plainly.

This extension takes each run of such text (letters, digits, spaces, non-ASCII characters and
numeric references, starting and ending on a non-space, holding at least one reference) before
any of that, and keeps it in the engine's stash as the finished HTML it already is, the way the
engine keeps a single reference; so are the code spans and links `escape` writes as HTML.
Nothing in a run is Markdown syntax (no punctuation mark is left in it but inside a reference,
and line-start indentation stays outside), so no later stage (an attribute list, an
abbreviation) ever sees the characters the references stand for. In the stash the references
of characters that mean nothing in HTML text become those characters: the page reads the same,
and is shorter for the search indexer, which decodes every reference it meets.

It acts only on a page whose Markdown starts with `MARK`, which the plugin puts on entry pages:
a hand-written page may show a reference literally in a code block, which a run must not touch.
Entry pages have no code blocks (contributor code spans are HTML by then, `escape`).
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

__all__ = ["MARK", "NAME", "TextRunExtension", "makeExtension", "marked"]

#: How MkDocs and Python-Markdown name the extension (the plugin adds it by this name).
NAME = "graph_builder.site.text_runs"

#: The first line of a page whose text runs the extension reads; removed before anything else.
#: A contributor's line can never start with `<` (`escape`), so no entry text can forge it.
MARK = "<!--graph-builder:text-runs-->"

_PLAIN = r"[A-Za-z0-9 \u0080-\U0010ffff]"
_SOLID = r"(?!\s)[A-Za-z0-9\u0080-\U0010ffff]"
_REFERENCE = r"&#[0-9]{1,7};"
# A run goes from a non-space to a non-space (any Unicode space): indentation stays the engine's,
# so do two spaces before a line break (a hard break), and so does the space the engine strips
# from the ends of a paragraph or an item, a no-break space included. Nor does a run touch an
# emphasis marker: whether `_` opens or closes emphasis depends on the character beside it (a
# letter or not), and the engine's emphasis patterns can cut a stash placeholder that sits right
# beside `*` or `_` (120,000 random hostile strings, each rendered as a block and as a line, show
# no difference with this rule, and do without it). That is the pattern
#     (?<![*_])(?:SOLID|REFERENCE)(?:PLAIN|REFERENCE)*(?<!\s)(?![*_])
# matched as `_SPAN` (the whole stretch of such text, without going back) and `_run_end` (where
# in it the run ends): the same runs, without the engine trying each character as a one-character
# alternative and backing off it again.
_SPAN = re.compile(rf"(?<![*_])(?:{_SOLID}|{_REFERENCE})(?:{_PLAIN}++|{_REFERENCE})*+")
_EMPHASIS = "*_"


def _run_end(line: str, start: int, end: int) -> int:
    """Where the run in `line[start:end]` (a `_SPAN` match) ends: the furthest point after a
    non-space and not before an emphasis marker, stepping back over a reference whole; `start`
    when there is none (then no run starts anywhere in the span: any point a later start could
    end at would do for this one too)."""
    while end > start:
        if not line[end - 1].isspace() and (end == len(line) or line[end] not in _EMPHASIS):
            return end
        # A `;` in a span can only close a reference.
        end = line.rindex("&", start, end) if line[end - 1] == ";" else end - 1
    return start


# The inline elements `escape` writes into prose itself: a code span and a web address, their
# text made of references. Each is kept whole, so emphasis around it can never cut it in two
# (Python-Markdown can pair an emphasis marker with one across a lone tag).
_ELEMENT = re.compile(r'<code>[^<>]*</code>|<a href="[^"<>]*" rel="nofollow">[^<>]*</a>')

#: After fenced code (25) has taken its blocks out, before raw HTML (20) is looked for.
_PRIORITY = 24

# In the stash a run is finished HTML, never parsed again: only the characters that mean something
# in HTML text or in a double-quoted attribute stay references. The others go back to the
# characters they stand for, so the page is shorter and the search indexer, which decodes every
# reference of the text it reads, has fewer to decode.
_KEPT_REFERENCES = frozenset('&<>"')
_DECODED = {
    f"&#{code};": chr(code)
    for code in range(0x21, 0x7F)
    if not chr(code).isalnum() and chr(code) not in _KEPT_REFERENCES
}
_REFERENCES = re.compile(_REFERENCE)


def _decoded(run: str) -> str:
    """A run with the references of characters inert in HTML text turned back into characters."""
    return _REFERENCES.sub(lambda m: _DECODED.get(m.group(0), m.group(0)), run)


def marked(markdown: str) -> str:
    """A page's Markdown, marked for the extension to read its text runs."""
    return f"{MARK}\n{markdown}"


class _TextRuns(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        if not lines or lines[0] != MARK:
            return lines
        store = self.md.htmlStash.store

        def element(match: re.Match[str]) -> str:
            return store(match.group(0))

        def stash(match: re.Match[str]) -> str:
            text = match.group(0)
            if "&#" not in text:
                return text
            start = match.start()
            cut = _run_end(match.string, start, match.end()) - start
            run = text[:cut]
            return store(_decoded(run)) + text[cut:] if "&#" in run else text

        return [_SPAN.sub(stash, _ELEMENT.sub(element, line)) for line in lines[1:]]


class TextRunExtension(Extension):
    """Register the text-run preprocessor."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.preprocessors.register(_TextRuns(md), "graph-builder-text-runs", _PRIORITY)


def makeExtension(**kwargs: object) -> TextRunExtension:  # noqa: N802 (Python-Markdown's name)
    """The hook Python-Markdown calls to load an extension given by module name."""
    return TextRunExtension(**kwargs)
