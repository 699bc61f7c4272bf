"""A generated page: its Markdown, and our HTML blocks kept apart from it for the engine.

Markdown is for contributor prose. The HTML we lay out ourselves (the facts line, the summary,
the claims, neighbour and facet lists, graph blocks and their data, drawings, credits) would only
be passed through by a Markdown engine, after it parsed it as HTML to find where it ends. So the
code that writes such a block hands it over as a `HeldBlock`, not as text, and a page is built
as a `PageText`: its Markdown with a placeholder line where each block goes, and the blocks. The
plugin gives the engine the Markdown and puts the blocks back in the HTML it made: the ones a
reader searches for (`HeldBlock.searchable`) before the search plugin reads the page, the rest
after it. `graph-builder generate` writes the page whole (`PageText.markdown`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeAlias

__all__ = [
    "SEARCH_EXCLUDE",
    "HeldBlock",
    "LostBlocksError",
    "PageText",
    "Part",
    "held_list",
    "page_text",
    "restore_blocks",
]


#: Marks a block Material's search leaves out: lists of other entries' names would make every
#: entry a search hit for its neighbours' names, and would double the index for nothing.
SEARCH_EXCLUDE = "data-search-exclude"

_HELD_MARK = re.compile(r"<!--gb-held-(\d+)-->")


class HeldBlock(NamedTuple):
    """One of our HTML blocks, whole lines of a page: its HTML, and whether search indexes it.

    A searchable block is one of our paragraphs (the facts line, summary, claims, credits); the
    others (lists of other entries, graph blocks, drawings) carry `data-search-exclude` on an
    outer element with no descendant of its own name: Material's indexer, which ends an
    exclusion at the first closing tag of that name, would skip all of each anyway.
    """

    html: str
    searchable: bool


#: One line of a page as its writers build it: Markdown, or one of our blocks.
Part: TypeAlias = str | HeldBlock


@dataclass(frozen=True, slots=True)
class PageText:
    """A page as the plugin hands it to MkDocs: Markdown with a placeholder for each block.

    Attributes:
        skeleton: the page's Markdown, front matter included, each block a line of its own
            `<!--gb-held-N-->` (N its index in `blocks`).
        blocks: our HTML blocks, in the order they stand in the page.
    """

    skeleton: str
    blocks: tuple[HeldBlock, ...] = ()

    @property
    def markdown(self) -> str:
        """The page as written, its blocks in place: what `graph-builder generate` writes."""
        return restore_blocks(self.skeleton, self.blocks)


def page_text(*groups: Iterable[Part]) -> PageText:
    r"""The page of these groups of lines: the lines of a group joined by newlines, without the
    newlines it ends with; the groups that are not empty a blank line apart; one newline at the
    end. A page is one group, or its own lines and then a section another module wrote.

    >>> page = page_text(["# T", "", HeldBlock("<p>x</p>", True), ""], ["## More", ""])
    >>> page.skeleton
    '# T\n\n<!--gb-held-0-->\n\n## More\n'
    >>> page.markdown
    '# T\n\n<p>x</p>\n\n## More\n'
    """
    blocks: list[HeldBlock] = []
    texts = []
    for group in groups:
        lines = []
        for part in group:
            if isinstance(part, HeldBlock):
                lines.append(f"<!--gb-held-{len(blocks)}-->")
                blocks.append(part)
            else:
                lines.append(part)
        text = "\n".join(lines).rstrip("\n")
        if text:
            texts.append(text)
    return PageText("\n\n".join(texts) + "\n", tuple(blocks))


class LostBlocksError(Exception):
    """A page came back from Markdown (and other plugins) without some of its held blocks."""


def restore_blocks(
    html_text: str, blocks: Sequence[HeldBlock], *, searchable: bool | None = None
) -> str:
    """Put back a page's blocks (`PageText`) in place of their placeholders.

    `searchable` picks which: True the blocks search indexes, False the others (after which no
    placeholder may be left), None all of them at once. Each placeholder put back must be there
    exactly once: a Markdown extension or another plugin that drops or copies HTML comments
    would otherwise make a neighbour list or a graph vanish, or appear twice, without a word.
    Raises `LostBlocksError` naming the blocks that did not come back.
    """
    if not blocks:
        return html_text
    wanted = [searchable is None or block.searchable == searchable for block in blocks]
    seen = [0] * len(blocks)

    def put_back(match: re.Match[str]) -> str:
        number = int(match.group(1))
        if number >= len(blocks) or not wanted[number]:
            return match.group(0)
        seen[number] += 1
        return blocks[number].html

    restored = _HELD_MARK.sub(put_back, html_text)
    wrong = [n for n, count in enumerate(seen) if wanted[n] and count != 1]
    if searchable is False:
        # The searchable blocks came back earlier: any placeholder still here is a copy.
        wrong += [int(m.group(1)) for m in _HELD_MARK.finditer(restored)]
    if wrong:
        first = blocks[wrong[0]].html.split("\n", 1)[0][:80] if wrong[0] < len(blocks) else ""
        raise LostBlocksError(
            f"{len(wrong)} of {len(blocks)} held blocks did not come back exactly once "
            f"(the first begins {first!r}); a Markdown extension or plugin that removes or "
            "repeats HTML comments runs before graph-builder restores them"
        )
    return restored


def held_list(items: Sequence[str], css: str) -> HeldBlock:
    """A list of our own HTML items, held out of Markdown and search: long link lists are most
    of the cost of rendering a page."""
    rows = "\n".join(f"<li>{item}</li>" for item in items)
    return HeldBlock(f'<ul class="gb-{css}" {SEARCH_EXCLUDE}>\n{rows}\n</ul>', searchable=False)
