"""Generated Markdown <-> Markdown with our HTML blocks held out of the engine (and search).

Markdown is for contributor prose. The HTML we lay out ourselves (the facts line, the summary,
the claims, neighbour and facet lists, graph blocks and their data, drawings, credits) would only
be passed through by a Markdown engine, after it parsed it as HTML to find where it ends. So the
plugin takes those blocks out of a generated page before the engine runs, and puts them back in
the HTML it made: the ones a reader searches for (`HeldBlock.searchable`) before the search
plugin reads the page, the rest after it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

__all__ = [
    "SEARCH_EXCLUDE",
    "HeldBlock",
    "LostBlocksError",
    "held_list",
    "hold_out_blocks",
    "restore_blocks",
]


#: Marks a block Material's search leaves out: lists of other entries' names would make every
#: entry a search hit for its neighbours' names, and would double the index for nothing.
SEARCH_EXCLUDE = "data-search-exclude"

# What a generated page holds out of Markdown (and, but for our paragraphs, out of search): our
# search-excluded list blocks, their tags on lines of their own; the graph blocks of
# entry_graph.py and explorer.py, one line of our own
# HTML from `<section class="mma-graph …" data-search-exclude>` to the `</section>` that ends the
# line; the SVG drawings of drawings.py, one line from `<div class="gb-insight-graph-wrap"
# data-search-exclude>` to its `</div>`; and the data of a graph, a `<script>` element of escaped
# JSON. No contributor line can start with `<`, no contributor text can form `<script` or
# `</script` (both escaped), and escaped text cannot put a line break right after one of our
# closing tags, so nothing else matches. Our own paragraphs, `<p class="gb-…">` to the first
# `</p>` that ends a line before a blank one, are held too but searchable: they hold no other
# paragraph, and their escaped values cannot form `</p>`.
# Every alternative starts with `<`, which lets the engine jump from one `<` to the next instead
# of trying each alternative at every character (a third of the time); `(?<![^\n]<)` is the line
# start of the blocks that need one.
_HELD_BLOCK = re.compile(
    r"<(?:(?<![^\n]<)(?:"
    r'(?P<searchable>p class="gb-[a-z-]+">(?:[^\n]|\n(?!\n))*?</p>)$'
    rf'|(ol|ul) class="gb-[a-z-]+" {SEARCH_EXCLUDE}>\n.*?\n</\2>$'
    rf'|section class="mma-graph [^"\n]*" {SEARCH_EXCLUDE}[^\n]*</section>$'
    rf'|div class="gb-insight-graph-wrap" {SEARCH_EXCLUDE}>[^\n]*</div>$'
    r')|script type="application/json" class="mma-graph__data">[^\n]*?</script>)',
    re.MULTILINE | re.DOTALL,
)
_HELD_MARK = re.compile(r"<!--gb-held-(\d+)-->")


class HeldBlock(NamedTuple):
    """One block taken out of a page: its HTML, and whether search should index it."""

    html: str
    searchable: bool


def hold_out_blocks(markdown: str) -> tuple[str, list[HeldBlock]]:
    """Swap each of our HTML blocks in a generated page for a placeholder comment.

    Why: these blocks (the facts line, summary, claims and credits; neighbour, referenced-by and
    facet lists; graph blocks and drawings; an entry graph's inline data) are most of a page's
    tags and bytes, and a Markdown engine only passes them through, after parsing them as HTML
    to find where they end; the search indexer then parses the excluded ones again only to skip
    them. The plugin renders the page with placeholders and puts the blocks back into the HTML
    with `restore_blocks`: the searchable paragraphs before search reads the page, the rest
    after, which gives the same HTML and the same search index as rendering the page as written
    (each excluded block's outermost tag carries `data-search-exclude` and has no descendant of
    its own tag name, so Material's indexer, which ends an exclusion at the first closing tag of
    that name, would skip all of it anyway).
    """
    blocks: list[HeldBlock] = []

    def hold(match: re.Match[str]) -> str:
        blocks.append(HeldBlock(match.group(0), match["searchable"] is not None))
        return f"<!--gb-held-{len(blocks) - 1}-->"

    return _HELD_BLOCK.sub(hold, markdown), blocks


class LostBlocksError(Exception):
    """A page came back from Markdown (and other plugins) without some of its held blocks."""


def restore_blocks(
    html_text: str, blocks: Sequence[HeldBlock], *, searchable: bool | None = None
) -> str:
    """Put back the blocks `hold_out_blocks` took out, in place of their placeholders.

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


def held_list(items: Sequence[str], css: str) -> str:
    """A list of our own HTML items, in the form the plugin holds out of Markdown and search.

    Long link lists are most of the cost of rendering a page; `holdout.hold_out_blocks` swaps
    blocks of exactly this shape for a placeholder while MkDocs renders the page.
    """
    rows = "\n".join(f"<li>{item}</li>" for item in items)
    return f'<ul class="gb-{css}" {SEARCH_EXCLUDE}>\n{rows}\n</ul>'
