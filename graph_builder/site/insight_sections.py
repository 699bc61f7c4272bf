"""Insights -> the insight parts of other pages: family line, domain map, domain sections."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from graph_builder.analysis.insights import (
    Insights,
    InsightSettings,
    compute_insights,
    neighbour_lists_graph,
)
from graph_builder.analysis.neighbours import NeighbourLists
from graph_builder.core.load import full_collections_paused
from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import Vocabulary
from graph_builder.site.drawings import (
    domain_map_drawing,
)
from graph_builder.site.escape import (
    markdown_inline,
)
from graph_builder.site.index import humanize
from graph_builder.site.insight_links import (
    count_words,
    domain_a,
    domain_md,
    family_a,
    held_list,
    home_section,
)
from graph_builder.site.insight_pages import render_insight_pages
from graph_builder.site.urls import entry_uri, facet_uri

__all__ = [
    "SiteInsights",
    "compute_site_insights",
    "domain_map_section",
    "domain_section",
    "family_line",
    "site_insights",
    "with_insights",
]


#: The entry page heading the family line is placed above (appended when it is missing).
_NEIGHBOURS_HEADING = "## Structural neighbours"


def family_line(insights: Insights, slug: str, here: str) -> str:
    """The line of an entry page that names its family (an HTML paragraph), or ""."""
    family = insights.families.of_entry(slug)
    if family is None:
        return ""
    return (
        f'<p class="gb-family">Structural family: {family_a(here, family)} '
        f"({count_words(len(family.members))})</p>"
    )


def domain_map_section(insights: Insights, here: str = "domains/index.md") -> list[str]:
    """The domain map for the domains index: a graph of domains and the strongest links in words."""
    dmap = insights.domain_map
    lines = ["## Domain map {#domain-map}", ""]
    if not dmap.links:
        return [*lines, "No two domains share a neighbour pair yet.", ""]
    lines += [
        "Two domains are linked when entries from one are structural neighbours of entries "
        "from the other; the thicker the line, the more such pairs.",
        "",
        domain_map_drawing(here, insights, insights.settings.seed),
        "",
        "### Strongest links",
        "",
    ]
    for item in dmap.links[:15]:
        lines.append(
            f"- {domain_md(here, item.a)} and {domain_md(here, item.b)} share "
            f"{count_words(item.pairs, 'neighbour pair', 'neighbour pairs')}"
        )
    return [*lines, ""]


def domain_section(insights: Insights, frame: str, here: str) -> list[str]:
    """The section of a domain page naming the domains that share its shapes."""
    links = insights.domain_map.links_of(frame)
    lines = ["## Shared shapes", ""]
    if not links:
        return [*lines, "No entry of another domain is a structural neighbour of this one yet.", ""]
    items = [
        f"{domain_a(here, other)}: {count_words(pairs, 'pair', 'pairs')}" for other, pairs in links
    ]
    return [
        *lines,
        f"Entries of {markdown_inline(humanize(frame))} are structural neighbours of entries "
        "from these domains (neighbour pairs shared):",
        "",
        held_list(items, "shared-shapes"),
        "",
    ]


def _insert_under_heading(markdown: str, heading: str, block: str) -> str:
    """`block` as the first paragraph under the first line equal to `heading`, or at the end."""
    at = markdown.find(heading)
    while at != -1:
        end = at + len(heading)
        if (at == 0 or markdown[at - 1] == "\n") and (
            end == len(markdown) or markdown[end] == "\n"
        ):
            return markdown[:end] + "\n\n" + block + markdown[end:]
        at = markdown.find(heading, at + 1)
    return markdown.rstrip("\n") + "\n\n" + block + "\n"


def _append(markdown: str, lines: Sequence[str]) -> str:
    return markdown.rstrip("\n") + "\n\n" + "\n".join(lines).rstrip("\n") + "\n"


def with_insights(
    pages: Mapping[str, str],
    insights: Insights,
    graph: nx.Graph,
    entries: Mapping[str, Entry],
    published: Collection[str] = (),
    vocabulary: Vocabulary | None = None,
) -> dict[str, str]:
    """The insight pages, and the site's pages that gain an insight section, by source URI.

    Given every generated page's Markdown by URI, returns only what changes: the new insight
    pages, each entry page with its family line (first under its structural neighbours
    heading), the domains index with the domain map, each domain page with the domains sharing
    its shapes, and the home page with links to the insights. A page missing from `pages` is
    skipped, so this works on any subset of the site.

    Args:
        pages: source URI -> Markdown of the pages generated so far.
        insights: the computed insights.
        graph: the catalogue graph.
        entries: every entry by slug.
        published: the open data files the site publishes, by URI.
        vocabulary: the names of the kinds (the packaged vocabulary by default).

    Returns:
        Source URI -> Markdown for the new and the changed pages.
    """
    changed = dict(render_insight_pages(insights, graph, entries, published, vocabulary))
    for slug in sorted(entries):
        here = entry_uri(slug)
        line = family_line(insights, slug, here)
        if line and here in pages:
            changed[here] = _insert_under_heading(pages[here], _NEIGHBOURS_HEADING, line)
    domains_index = "domains/index.md"
    if domains_index in pages:
        changed[domains_index] = _append(pages[domains_index], domain_map_section(insights))
    for frame in insights.domain_map.domains:
        here = facet_uri("source_frame", frame)
        if here in pages:
            changed[here] = _append(pages[here], domain_section(insights, frame, here))
    if "index.md" in pages:
        changed["index.md"] = _append(pages["index.md"], home_section("index.md", insights))
    return dict(sorted(changed.items()))


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteInsights:
    """A site's insights, computed once: for the pages (`site_insights`) and the explorer.

    `graph` is the neighbour graph they were computed on, `entries` the catalogue by slug.
    """

    insights: Insights
    graph: nx.Graph
    entries: Mapping[str, Entry]
    settings: InsightSettings


def compute_site_insights(
    entries: Iterable[Entry],
    vocabulary: Vocabulary,
    neighbour_lists: Mapping[str, NeighbourLists],
    settings: InsightSettings = InsightSettings(),
) -> SiteInsights:
    """A whole site's insights: neighbour graph -> `compute_insights`.

    Args:
        entries: the catalogue.
        vocabulary: the controlled vocabulary.
        neighbour_lists: every entry's neighbour lists.
        settings: the insight settings (Louvain resolution, seeds, list lengths, and the open
            data files the site publishes).
    """
    # The computations make many short-lived objects, which set off full garbage collections;
    # each would walk every page of the site held in memory, a sixth of the insights' cost at
    # 2,000 entries. The young generations are still collected; what is left for a full pass
    # waits for the first one after.
    with full_collections_paused():
        by_slug = {entry.slug: entry for entry in entries}
        graph = neighbour_lists_graph(by_slug.values(), neighbour_lists)
        insights = compute_insights(graph, by_slug, vocabulary, neighbour_lists, settings)
    return SiteInsights(insights=insights, graph=graph, entries=by_slug, settings=settings)


def site_insights(
    pages: Mapping[str, str], computed: SiteInsights, vocabulary: Vocabulary
) -> dict[str, str]:
    """The insight pages and the site's pages that gain an insight section (`with_insights`).

    Args:
        pages: source URI -> Markdown of the site's generated pages.
        computed: the site's insights (`compute_site_insights`).
        vocabulary: the controlled vocabulary.

    Returns:
        Source URI -> Markdown of the new and changed pages.
    """
    with full_collections_paused():  # as in compute_site_insights
        return with_insights(
            pages,
            computed.insights,
            computed.graph,
            computed.entries,
            computed.settings.published,
            vocabulary,
        )
