"""A Markdown extension that puts a generated page's unsearched runs into the document tree.

An entry page's lists of other entries (neighbours, related entries, who refers to it) are our
own headings and HTML blocks (`holdout.Unsearched`). Given to Python-Markdown as text, each
heading went through the block parser, every inline pattern and the attribute-list extension,
and each block placeholder through the raw-HTML parser, on every page, only to come out as the
HTML we could have written: a fifth of the engine's time on an entry page.

So the page's skeleton holds one line per run (`holdout.run_line`). This extension's
preprocessor turns that line into a placeholder of the engine's own, and its tree processor,
after the inline patterns and attribute lists and before the table of contents, puts in its
place the run's marks, its headings as elements (their text plain, never parsed: no pattern or
attribute list ever reads it; `data-search-exclude` set) and a placeholder paragraph per
block. The table of contents then gives those headings their ids and permalinks and lists
them, as it would have from the Markdown `PageText.markdown` writes, and the plugin's usual
steps take the run apart for search and put the blocks back.

The extension reads a page's runs from the plugin (`pages`, its `PageText` by source URI) and
acts only on a page whose Markdown starts with the line `marked` puts there, which names it.
A run line the tree processor does not find (an extension that moved it) leaves the run's
marks out of the page, which the plugin reports (`holdout.set_apart`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from graph_builder.site.holdout import (
    SEARCH_EXCLUDE,
    PageText,
    RunHeading,
    held_line,
    run_line,
    run_marks,
)

__all__ = ["NAME", "UnsearchedRunExtension", "makeExtension", "marked"]

#: How MkDocs and Python-Markdown name the extension (the plugin adds it by this name).
NAME = "graph_builder.site.unsearched_runs"

_MARK_START, _MARK_END = "<!--graph-builder:runs ", "-->"

#: After the text runs (24) and before MkDocs' raw-HTML reader (21) and the engine's (20).
_PRE_PRIORITY = 23
#: After the inline patterns (20) and attribute lists (8), which must never read a heading's
#: text (a domain's label is in one); before the table of contents (5), which gives the
#: headings their ids and permalinks as it does any other.
_TREE_PRIORITY = 7


def marked(markdown: str, uri: str) -> str:
    """A page's Markdown, marked for the extension to put in the runs of the page at `uri`.
    A contributor's line can never start with `<` (`escape`), so no entry text can forge it."""
    return f"{_MARK_START}{uri}{_MARK_END}\n{markdown}"


class _Runs(Preprocessor):
    """The page's run lines -> placeholders the tree processor finds, with the runs they hold."""

    def __init__(self, md: Markdown, pages: Mapping[str, PageText]) -> None:
        super().__init__(md)
        self.pages = pages
        # Per conversion: each placeholder's run, and the page they belong to.
        self.found: dict[str, tuple[PageText, int]] = {}

    def run(self, lines: list[str]) -> list[str]:
        self.found = {}
        first = lines[0] if lines else ""
        if not (first.startswith(_MARK_START) and first.endswith(_MARK_END)):
            return lines
        text = self.pages.get(first[len(_MARK_START) : -len(_MARK_END)])
        lines = lines[1:]
        if text is None:
            return lines
        wanted = {run_line(number): number for number in range(text.unsearched)}
        out = []
        for line in lines:
            number = wanted.get(line)
            if number is None:
                out.append(line)
                continue
            placeholder = self.md.htmlStash.store("")
            self.found[placeholder] = (text, number)
            out.append(placeholder)
        return out


class _RunTree(Treeprocessor):
    """Each run's placeholder paragraph -> the run's marks, headings and block placeholders."""

    def __init__(self, md: Markdown, runs: _Runs) -> None:
        super().__init__(md)
        self.runs = runs

    def run(self, root: Element) -> None:
        found = self.runs.found
        if not found:
            return
        at = [
            (position, found[element.text])
            for position, element in enumerate(root)
            if element.tag == "p" and element.text in found and len(element) == 0
        ]
        # From the last, so the positions of the ones before stay right.
        for position, (text, number) in reversed(at):
            elements = self._elements(text, number)
            for element in elements:
                # The line break the engine's prettifier, done by now, puts after a block.
                element.tail = "\n"
            root[position : position + 1] = elements

    def _elements(self, text: PageText, number: int) -> list[Element]:
        start, end = run_marks(number)
        elements = [self._raw(start)]
        for item in text.runs[number]:
            if isinstance(item, RunHeading):
                heading = Element(f"h{item.level}")
                # The engine's writer keeps a `&` that starts a reference as it is; so every
                # `&` is written out here, and the heading shows exactly its text.
                heading.text = item.text.replace("&", "&amp;")
                # A valueless attribute, written bare, as the attribute list writes it.
                heading.attrib[SEARCH_EXCLUDE] = None  # type: ignore[assignment]
                elements.append(heading)
            else:
                elements.append(self._raw(held_line(item)))
        elements.append(self._raw(end))
        return elements

    def _raw(self, html: str) -> Element:
        """A paragraph of one placeholder: the engine writes the comment alone in its place.
        Stored with the line break the engine keeps after a raw HTML block of its own, so the
        page's lines come out as they would from `PageText.markdown`."""
        paragraph = Element("p")
        paragraph.text = self.md.htmlStash.store(f"{html}\n")
        return paragraph


class UnsearchedRunExtension(Extension):
    """Register the run preprocessor and tree processor; `pages` maps a page's source URI to
    its `PageText` (the plugin's, refilled on every build)."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {"pages": [{}, "source URI -> PageText of the build's generated pages"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        runs = _Runs(md, self.getConfig("pages"))
        md.preprocessors.register(runs, "graph-builder-runs", _PRE_PRIORITY)
        md.treeprocessors.register(_RunTree(md, runs), "graph-builder-run-tree", _TREE_PRIORITY)


def makeExtension(**kwargs: Any) -> UnsearchedRunExtension:  # noqa: N802 (Python-Markdown's name)
    """The hook Python-Markdown calls to load an extension given by module name."""
    return UnsearchedRunExtension(**kwargs)
