"""Insights -> the insight parts of other pages: family line, domain map, domain sections."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from graph_builder.analysis.insights import (
    Insights,
    InsightSettings,
    compute_insights,
    neighbour_lists_graph,
)
from graph_builder.analysis.neighbours import NeighbourLists
from graph_builder.core.collector import full_collections_paused
from graph_builder.core.labels import domain_label
from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import Vocabulary
from graph_builder.site.drawings import (
    domain_map_drawing,
)
from graph_builder.site.escape import (
    markdown_inline,
)
from graph_builder.site.holdout import HeldBlock, PageText, Part, held_list
from graph_builder.site.index import count_words
from graph_builder.site.insight_links import domain_a, domain_md, family_a, home_section
from graph_builder.site.insight_pages import render_insight_pages
from graph_builder.site.urls import entry_uri, facet_uri

__all__ = [
    "InsightParts",
    "SiteInsights",
    "compute_site_insights",
    "domain_map_section",
    "domain_section",
    "family_line",
    "insight_parts",
    "site_insight_pages",
]


def family_line(insights: Insights, slug: str, here: str) -> str:
    """The line of an entry page that names its family (an HTML paragraph), or ""."""
    family = insights.families.of_entry(slug)
    if family is None:
        return ""
    return (
        f'<p class="gb-family">Structural family: {family_a(here, family)} '
        f"({count_words(len(family.members))})</p>"
    )


def domain_map_section(insights: Insights, here: str = "domains/index.md") -> list[Part]:
    """The domain map for the domains index: a graph of domains and the strongest links in words."""
    dmap = insights.domain_map
    lines: list[Part] = ["## Domain map {#domain-map}", ""]
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


def domain_section(insights: Insights, frame: str, here: str) -> list[Part]:
    """The section of a domain page naming the domains that share its shapes."""
    links = insights.domain_map.links_of(frame)
    lines: list[Part] = ["## Shared shapes", ""]
    if not links:
        return [*lines, "No entry of another domain is a structural neighbour of this one yet.", ""]
    items = [
        f"{domain_a(here, other)}: {count_words(pairs, 'pair', 'pairs')}" for other, pairs in links
    ]
    return [
        *lines,
        f"Entries of {markdown_inline(domain_label(frame))} are structural neighbours of entries "
        "from these domains (neighbour pairs shared):",
        "",
        held_list(items, "shared-shapes"),
        "",
    ]


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteInsights:
    """A site's insights, computed once: for the pages (`site_insight_pages`) and the explorer.

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


@dataclass(frozen=True, slots=True, kw_only=True)
class InsightParts:
    """What the insights add to pages rendered elsewhere, each page's part handed to it.

    Attributes:
        family_lines: slug -> the family line of its entry page (absent: none), one of our
            paragraphs.
        home: the insight links of the home page.
        domain_map: the domain map section of the domains index.
        domains: domain -> the shared-shapes section of its page.
    """

    family_lines: Mapping[str, HeldBlock]
    home: tuple[str, ...]
    domain_map: tuple[Part, ...]
    domains: Mapping[str, tuple[Part, ...]]


def insight_parts(insights: Insights, slugs: Iterable[str]) -> InsightParts:
    """The insight parts of the entry pages of `slugs`, the home page and the domain pages."""
    lines = {slug: family_line(insights, slug, entry_uri(slug)) for slug in slugs}
    return InsightParts(
        family_lines={
            slug: HeldBlock(line, searchable=True) for slug, line in lines.items() if line
        },
        home=tuple(home_section("index.md", insights)),
        domain_map=tuple(domain_map_section(insights)),
        domains={
            frame: tuple(domain_section(insights, frame, facet_uri("source_frame", frame)))
            for frame in insights.domain_map.domains
        },
    )


def site_insight_pages(
    computed: SiteInsights, vocabulary: Vocabulary
) -> tuple[tuple[tuple[str, PageText], ...], InsightParts]:
    """The insight pages as (source URI, page), and the insight parts of the other pages.

    Args:
        computed: the site's insights (`compute_site_insights`).
        vocabulary: the controlled vocabulary.
    """
    with full_collections_paused():  # as in compute_site_insights
        pages = render_insight_pages(
            computed.insights,
            computed.graph,
            computed.entries,
            computed.settings.published,
            vocabulary,
        )
        return pages, insight_parts(computed.insights, computed.entries)
