"""Generated Markdown <-> Markdown with our HTML blocks held out of the engine and search."""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["SEARCH_EXCLUDE", "LostBlocksError", "held_list", "hold_out_blocks", "restore_blocks"]


#: Marks a block Material's search leaves out: lists of other entries' names would make every
#: entry a search hit for its neighbours' names, and would double the index for nothing.
SEARCH_EXCLUDE = "data-search-exclude"

# What a generated page holds out of Markdown and search: our search-excluded list blocks,
# their tags on lines of their own; the graph blocks of browser_graphs.py, one line of our own
# HTML from `<section class="mma-graph …" data-search-exclude>` to the `</section>` that ends the
# line; the SVG drawings of drawings.py, one line from `<div class="gb-insight-graph-wrap"
# data-search-exclude>` to its `</div>`; and the data of a graph, a `<script>` element of escaped
# JSON. No contributor line can start with `<`, no contributor text can form `<script` or
# `</script` (both escaped), and escaped text cannot put a line break right after one of our
# closing tags, so nothing else matches.
_HELD_BLOCK = re.compile(
    rf'^<(ol|ul) class="gb-[a-z-]+" {SEARCH_EXCLUDE}>\n.*?\n</\1>$'
    rf'|^<section class="mma-graph [^"\n]*" {SEARCH_EXCLUDE}[^\n]*</section>$'
    rf'|^<div class="gb-insight-graph-wrap" {SEARCH_EXCLUDE}>[^\n]*</div>$'
    r'|<script type="application/json" class="mma-graph__data">[^\n]*?</script>',
    re.MULTILINE | re.DOTALL,
)
_HELD_MARK = re.compile(r"<!--gb-held-(\d+)-->")


def hold_out_blocks(markdown: str) -> tuple[str, list[str]]:
    """Swap each search-excluded block of a generated page for a placeholder comment.

    Why: these blocks (neighbour, referenced-by and facet lists, graph blocks and drawings, an
    entry graph's inline data) are most of a page's tags and bytes, and a Markdown engine only
    passes them through, after parsing them as HTML twice; the search indexer then parses them a
    third time only to skip them. The plugin renders the page with placeholders and puts the
    blocks back into the finished HTML with `restore_blocks`, which gives the same HTML and the
    same search index as rendering the page as written (each block's outermost tag carries
    `data-search-exclude` and has no descendant of its own tag name, so Material's indexer,
    which ends an exclusion at the first closing tag of that name, skips all of it).
    """
    blocks: list[str] = []

    def hold(match: re.Match[str]) -> str:
        blocks.append(match.group(0))
        return f"<!--gb-held-{len(blocks) - 1}-->"

    return _HELD_BLOCK.sub(hold, markdown), blocks


class LostBlocksError(Exception):
    """A page came back from Markdown (and other plugins) without some of its held blocks."""


def restore_blocks(html_text: str, blocks: Sequence[str]) -> str:
    """Put back the blocks `hold_out_blocks` took out, in place of their placeholders.

    Each placeholder must come back exactly once: a Markdown extension or another plugin that
    drops or copies HTML comments would otherwise make a neighbour list or a graph vanish, or
    appear twice, without a word. Raises `LostBlocksError` naming the blocks that did not.
    """
    if not blocks:
        return html_text
    seen = [0] * len(blocks)

    def put_back(match: re.Match[str]) -> str:
        number = int(match.group(1))
        if number >= len(blocks):
            return match.group(0)
        seen[number] += 1
        return blocks[number]

    restored = _HELD_MARK.sub(put_back, html_text)
    wrong = [n for n, count in enumerate(seen) if count != 1]
    if wrong:
        first = blocks[wrong[0]].split("\n", 1)[0][:80]
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
