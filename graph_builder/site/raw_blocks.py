"""A Markdown extension that spares a raw HTML block the inline pass.

Python-Markdown takes each raw HTML block (and each of our block placeholders, `holdout`) out of
the text into its stash, leaving a placeholder line; the block parser wraps that line in a
paragraph like any other, and the inline stage then tries every inline pattern on it, to find
nothing: the placeholder is letters, digits and two control characters. At the end the engine
writes the stashed block in place of the whole paragraph. A generated page has several such
blocks (an entry page about seven, besides its run of link sections), each costing the inline
stage a full pass.

This extension's block processor takes a top-level block that is exactly one placeholder first,
and makes the same paragraph with its text marked atomic, which the inline stage leaves alone.
The HTML is the same; only the work is not done. Inside a list or a quote the engine's own
processors keep the block (its paragraph or its loose text depend on the list), so only the
document's own blocks are taken.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, SubElement

from markdown import Markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.util import HTML_PLACEHOLDER, AtomicString

__all__ = ["NAME", "RawBlockExtension", "makeExtension"]

#: How MkDocs and Python-Markdown name the extension (the plugin adds it by this name).
NAME = "graph_builder.site.raw_blocks"

_PLACEHOLDER = re.compile(HTML_PLACEHOLDER % r"[0-9]+")

#: Before every block processor of the engine (the highest is 100): a placeholder is none of
#: their constructs.
_PRIORITY = 200


class _RawBlock(BlockProcessor):
    parser: BlockParser

    def test(self, parent: Element, block: str) -> bool:
        return parent is self.parser.root and _PLACEHOLDER.fullmatch(block) is not None

    def run(self, parent: Element, blocks: list[str]) -> None:
        paragraph = SubElement(parent, "p")
        paragraph.text = AtomicString(blocks.pop(0))


class RawBlockExtension(Extension):
    """Register the raw-block processor."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.parser.blockprocessors.register(_RawBlock(md.parser), "graph-builder-raw", _PRIORITY)


def makeExtension(**kwargs: object) -> RawBlockExtension:  # noqa: N802 (Python-Markdown's name)
    """The hook Python-Markdown calls to load an extension given by module name."""
    return RawBlockExtension(**kwargs)
