"""What one site build can hand to the next in the same process: `BuildMemo`.

Under `mkdocs serve` every save rebuilds the whole site. Most of it depends on the entries'
front matter alone: the neighbours, the catalogue graph and its layout, the insights, every page
but the entry pages, and every file. A save that changes only an entry's prose (its Markdown
body) changes nothing of that, and nothing of the other entries' pages, so the next build takes
all of it from the memo and renders the one page that changed; nor is any file but the saved one
parsed again (`load.ParsedFiles`). The key is the whole front matter of every entry with the
settings of the build, compared by value, so anything that could change the output misses the
memo.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

from graph_builder.analysis.neighbours import NeighbourLists
from graph_builder.core.load import ParsedFiles
from graph_builder.core.model import Entry
from graph_builder.site.insight_sections import InsightParts
from graph_builder.site.outputs import GeneratedFile, GeneratedPage

__all__ = ["BuildMemo", "SiteStructure", "structure_key"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteStructure:
    """The site-wide part of a build, made from the front matter alone.

    Attributes:
        neighbours: each slug's neighbour lists.
        graph: the catalogue graph (the entry pages draw their neighbourhood from it).
        parts: the insights' parts of the entry pages (None without insights).
        pages: every page but the entry pages.
        files: every generated file.
    """

    neighbours: Mapping[str, NeighbourLists]
    graph: nx.Graph
    parts: InsightParts | None
    pages: tuple[GeneratedPage, ...]
    files: tuple[GeneratedFile, ...]


def _front_matter(entry: Entry) -> Entry:
    """The entry without its body: what every output but its own page is made from."""
    return dataclasses.replace(entry, body="", body_line=1, sections=())


def structure_key(entries: Sequence[Entry], *settings: object) -> tuple[object, ...]:
    """What the site-wide part of a build depends on: every entry's front matter, and the
    build's settings (vocabulary, neighbour and insight settings, site options)."""
    return (tuple(_front_matter(e) for e in entries), *settings)


@dataclass(slots=True)
class BuildMemo:
    """The last build's entry files, site-wide results and entry pages, for the next build.

    Attributes:
        files: what the last load of the entries folder gave (`load.ParsedFiles`).
        structure_reused: whether the last build took the site-wide part from the memo.
        pages_rendered: how many entry pages the last build rendered (the rest were kept).
    """

    files: ParsedFiles = field(default_factory=ParsedFiles)
    key: tuple[object, ...] | None = None
    structure: SiteStructure | None = None
    pages: dict[str, tuple[Entry, GeneratedPage]] = field(default_factory=dict)
    structure_reused: bool = False
    pages_rendered: int = 0

    def structure_for(self, key: tuple[object, ...]) -> SiteStructure | None:
        """The kept site-wide results if `key` equals the last build's, else None (and the
        kept entry pages are dropped: they were made with the old results)."""
        self.pages_rendered = 0
        self.structure_reused = self.key is not None and self.key == key
        if not self.structure_reused:
            self.pages.clear()
            return None
        return self.structure

    def keep(self, key: tuple[object, ...], structure: SiteStructure) -> None:
        self.key = key
        self.structure = structure

    def entry_page(self, entry: Entry, render: Callable[[Entry], GeneratedPage]) -> GeneratedPage:
        """The entry's page as the last build made it, if the entry is unchanged; else a new
        one from `render`, kept for the next build."""
        kept = self.pages.get(entry.slug)
        if kept is not None and kept[0] == entry:
            return kept[1]
        page = render(entry)
        self.pages[entry.slug] = (entry, page)
        self.pages_rendered += 1
        return page
