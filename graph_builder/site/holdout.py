"""A generated page: its Markdown, and our HTML blocks kept apart from it for the engine.

Markdown is for contributor prose. The HTML we lay out ourselves (the facts line, the summary,
the claims, neighbour and facet lists, graph blocks and their data, drawings, credits) would only
be passed through by a Markdown engine, after it parsed it as HTML to find where it ends. So the
code that writes such a block hands it over as a `HeldBlock`, not as text, and a page is built
as a `PageText`: its Markdown with a placeholder line where each block goes, and the blocks. The
plugin gives the engine the Markdown. The search plugin reads the blocks a reader searches for
(`HeldBlock.searchable`) in their search form, without the tags search reads through
(`for_search`); every block comes back whole in the finished page (`restore_blocks`). A run of
sections nobody searches (`Unsearched`: an entry page's lists of other entries) is a single line
of the skeleton: the engine never parses its headings, which the plugin's `unsearched_runs`
extension puts into the document tree as elements.
`graph-builder generate` writes the page whole (`PageText.markdown`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeAlias

from graph_builder.site.escape import markdown_inline

__all__ = [
    "SEARCH_EXCLUDE",
    "HeldBlock",
    "Line",
    "LostBlocksError",
    "PageText",
    "Part",
    "RunHeading",
    "RunItem",
    "Unsearched",
    "for_search",
    "held_line",
    "held_list",
    "page_text",
    "put_back",
    "restore_blocks",
    "run_line",
    "run_marks",
    "search_form",
    "set_apart",
]


#: Marks a block Material's search leaves out: lists of other entries' names would make every
#: entry a search hit for its neighbours' names, and would double the index for nothing.
SEARCH_EXCLUDE = "data-search-exclude"

# A block's placeholder, or a searchable block in its search form between its marks.
_BLOCK = re.compile(
    r"<!--gb-held-(\d+)-->|<!--gb-search-(\d+)-->.*?<!--gb-search-end-\2-->", re.DOTALL
)
#: The tags of our searchable blocks that search reads through: links, labels, isolates, line
#: breaks and rules hold no text of their own, so without them the index gets the same text,
#: and search, whose parser's time goes by the tag, parses fewer.
_READ_THROUGH = re.compile(r"</?(?:a|span|bdi)\b[^>]*>|<(?:br|hr)\b[^>]*>")
_RUN_LINE = re.compile(r"^<!--gb-run-(\d+)-->$", re.MULTILINE)


class HeldBlock(NamedTuple):
    """One of our HTML blocks, whole lines of a page: its HTML, and whether search indexes it.

    A searchable block is one of our paragraphs (the facts line, summary, claims, credits); the
    others (lists of other entries, graph blocks, drawings) carry `data-search-exclude` on an
    outer element with no descendant of its own name: Material's indexer, which ends an
    exclusion at the first closing tag of that name, would skip all of each anyway.
    """

    html: str
    searchable: bool


class RunHeading(NamedTuple):
    """A heading of an `Unsearched` run: its level (2 for `##`) and its text, plain (a domain's
    label may be in it).

    No Markdown engine parses it: the plugin's extension makes it an element of the document
    tree, where the table of contents gives it its id and permalink as it does every heading.
    A page written whole carries it as a Markdown heading (`markdown`) with the same text.
    """

    level: int
    text: str

    @property
    def markdown(self) -> str:
        """The heading as a Markdown line, left out of search by an attribute list."""
        return f"{'#' * self.level} {markdown_inline(self.text)} {{ {SEARCH_EXCLUDE} }}"


class Unsearched(NamedTuple):
    """Sections of a page that search never sees, made of our headings and blocks only: an
    entry page's lists of other entries, whose headings and blocks are all left out of search.

    The Markdown engine does not parse them: the page's skeleton holds one line for the whole
    run (`run_line`), which the plugin's `unsearched_runs` extension replaces with the run's
    headings (elements of the document tree, so the table of contents lists them) and block
    placeholders. The plugin then takes the run out of the HTML before the search plugin reads
    the page and puts it back after (`set_apart`, `put_back`). It stands between two comment
    lines of its own (`run_marks`), which stay in the page, so a build without the plugin gives
    the same HTML. A run must end where search starts again (at a searchable heading, or at the
    end of the page): what follows it would otherwise join the section before the run in the
    index.
    """

    parts: tuple[RunHeading | HeldBlock, ...]


#: What a page's run holds, in order: its headings, and the index of each of its blocks in
#: `PageText.blocks`.
RunItem: TypeAlias = RunHeading | int


#: One line of a page as its writers build it: Markdown or one of our blocks.
Line: TypeAlias = str | HeldBlock
#: A line, or a run of lines search does not see.
Part: TypeAlias = Line | Unsearched


@dataclass(frozen=True, slots=True)
class PageText:
    """A page as the plugin hands it to MkDocs: Markdown with a placeholder for each block.

    Attributes:
        skeleton: the page's Markdown, front matter included, each block a line of its own
            `<!--gb-held-N-->` (N its index in `blocks`), each unsearched run a line of its own
            `<!--gb-run-K-->` (`run_line`; K its index in `runs`).
        blocks: our HTML blocks, in the order they stand in the page, those of the runs too.
        runs: each `Unsearched` run's headings and blocks, in order.
    """

    skeleton: str
    blocks: tuple[HeldBlock, ...] = ()
    runs: tuple[tuple[RunItem, ...], ...] = ()

    @property
    def unsearched(self) -> int:
        """How many unsearched runs the page has, numbered from 0 in their lines and marks."""
        return len(self.runs)

    @property
    def markdown(self) -> str:
        """The page as written, its runs in Markdown and its blocks in place: what
        `graph-builder generate` writes."""
        if not self.runs:
            return restore_blocks(self.skeleton, self.blocks)
        written = _RUN_LINE.sub(lambda m: self._run_markdown(int(m.group(1))), self.skeleton)
        return restore_blocks(written, self.blocks)

    def _run_markdown(self, number: int) -> str:
        """Run `number` as Markdown: its marks, and a line for each heading and block."""
        start, end = run_marks(number)
        lines = [start, ""]
        for item in self.runs[number]:
            lines += [item.markdown if isinstance(item, RunHeading) else held_line(item), ""]
        return "\n".join([*lines, end])


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
    runs: list[tuple[RunItem, ...]] = []

    def held(block: HeldBlock) -> int:
        blocks.append(block)
        return len(blocks) - 1

    def line(part: Line) -> str:
        return held_line(held(part)) if isinstance(part, HeldBlock) else part

    for group in groups:
        lines = []
        for part in group:
            if isinstance(part, Unsearched):
                lines += [run_line(len(runs)), ""]
                runs.append(tuple(p if isinstance(p, RunHeading) else held(p) for p in part.parts))
            else:
                lines.append(line(part))
        text = "\n".join(lines).rstrip("\n")
        if text:
            texts.append(text)
    return PageText("\n\n".join(texts) + "\n", tuple(blocks), tuple(runs))


def held_line(number: int) -> str:
    """The placeholder line of a page's block `number` (`restore_blocks` puts the block back)."""
    return f"<!--gb-held-{number}-->"


def run_line(number: int) -> str:
    """The skeleton's line standing for a page's unsearched run `number`."""
    return f"<!--gb-run-{number}-->"


def run_marks(number: int) -> tuple[str, str]:
    """The comment lines around a page's unsearched run `number` in its HTML."""
    return f"<!--gb-unsearched-{number}-->", f"<!--gb-unsearched-end-{number}-->"


def set_apart(html_text: str, count: int) -> tuple[str, list[str]]:
    """The page's HTML with each of its `count` unsearched runs, marks and all, replaced by a
    placeholder, and the runs: for the search plugin not to read them (`put_back` after).

    Raises `LostBlocksError` when a run's marks are not there exactly once, in order.
    """
    runs = []
    for number in range(count):
        start, end = run_marks(number)
        first, last = html_text.find(start), html_text.find(end)
        if html_text.count(start) != 1 or html_text.count(end) != 1 or last < first:
            raise LostBlocksError(
                f"the marks of unsearched run {number} are not in the page once each, in order; "
                "a Markdown extension or plugin that removes or repeats HTML comments runs "
                "before graph-builder sets them apart"
            )
        last += len(end)
        runs.append(html_text[first:last])
        html_text = f"{html_text[:first]}<!--gb-apart-{number}-->{html_text[last:]}"
    return html_text, runs


def put_back(html_text: str, runs: Sequence[str]) -> str:
    """Put back the runs `set_apart` took out, each in place of its placeholder."""
    for number, run in enumerate(runs):
        mark = f"<!--gb-apart-{number}-->"
        if html_text.count(mark) != 1:
            raise LostBlocksError(
                f"unsearched run {number} has lost its place, or has two; a plugin that removes "
                "or repeats HTML comments runs before graph-builder puts it back"
            )
        html_text = html_text.replace(mark, run)
    return html_text


class LostBlocksError(Exception):
    """A page came back from Markdown (and other plugins) without some of its held blocks."""


def for_search(html_text: str, blocks: Sequence[HeldBlock]) -> str:
    """The page's HTML as search reads it: each searchable block in its search form
    (`search_form`), between two marks that `restore_blocks` replaces with the block whole; the
    placeholders of the other blocks stay.

    Raises `LostBlocksError` unless each searchable block's placeholder is there exactly once.
    """
    seen = [0] * len(blocks)

    def form(match: re.Match[str]) -> str:
        if match.group(1) is None:  # a block in its search form already, between its marks
            return match.group(0)
        number = int(match.group(1))
        if number >= len(blocks) or not blocks[number].searchable:
            return match.group(0)
        seen[number] += 1
        text = search_form(blocks[number].html)
        return f"<!--gb-search-{number}-->{text}<!--gb-search-end-{number}-->"

    searched = _BLOCK.sub(form, html_text)
    _check_once(blocks, [n for n, block in enumerate(blocks) if block.searchable and seen[n] != 1])
    return searched


def search_form(block_html: str) -> str:
    """A searchable block without the tags search reads through (`_READ_THROUGH`): what search
    indexes of it is the same text."""
    return _READ_THROUGH.sub("", block_html)


def restore_blocks(html_text: str, blocks: Sequence[HeldBlock]) -> str:
    """Put back every block of a page (`PageText`): in place of its placeholder, or of its
    search form and marks (`for_search`).

    Each must be there exactly once: a Markdown extension or another plugin that drops or
    copies HTML comments would otherwise make a neighbour list or a graph vanish, or appear
    twice, without a word. Raises `LostBlocksError` naming the blocks that did not come back.
    """
    if not blocks:
        return html_text
    seen = [0] * len(blocks)

    def put_back(match: re.Match[str]) -> str:
        number = int(match.group(1) or match.group(2))
        if number >= len(blocks):
            return match.group(0)
        seen[number] += 1
        return blocks[number].html

    restored = _BLOCK.sub(put_back, html_text)
    _check_once(blocks, [n for n, count in enumerate(seen) if count != 1])
    return restored


def _check_once(blocks: Sequence[HeldBlock], wrong: Sequence[int]) -> None:
    if wrong:
        first = blocks[wrong[0]].html.split("\n", 1)[0][:80]
        raise LostBlocksError(
            f"{len(wrong)} of {len(blocks)} held blocks did not come back exactly once "
            f"(the first begins {first!r}); a Markdown extension or plugin that removes or "
            "repeats HTML comments runs before graph-builder restores them"
        )


def held_list(items: Sequence[str], css: str) -> HeldBlock:
    """A list of our own HTML items, held out of Markdown and search: long link lists are most
    of the cost of rendering a page."""
    rows = "\n".join(f"<li>{item}</li>" for item in items)
    return HeldBlock(f'<ul class="gb-{css}" {SEARCH_EXCLUDE}>\n{rows}\n</ul>', searchable=False)
