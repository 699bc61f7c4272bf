"""Insights + entries -> the Markdown of the insight pages.

Pages: `/families/` and one page per family, `/insights/` with `/insights/bridges/`,
`/insights/surprising/` and `/insights/gaps/`. The insight parts of other pages are in
`insight_sections`, the drawings in `drawings`."""

from __future__ import annotations

from collections.abc import Collection, Mapping

import networkx as nx

from graph_builder.analysis.insights import (
    Insights,
    PairReasons,
    neighbour_graph,
)
from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import Vocabulary, default_vocabulary
from graph_builder.site.escape import (
    markdown_inline,
)
from graph_builder.site.family_pages import family_pages
from graph_builder.site.holdout import PageText, Part, held_list
from graph_builder.site.index import FRONTMATTER_KEYS, count_words
from graph_builder.site.insight_links import (
    BRIDGES_URI,
    GAPS_URI,
    INSIGHTS_URI,
    SURPRISING_URI,
    domain_md,
    entry_a,
    entry_md,
    family_md,
    home_section,
    insight_page,
    kind_words,
    tag_md,
)
from graph_builder.site.urls import facet_uri, link, subtype_anchor

__all__ = ["LLMS_LINKS", "NAV_URIS", "OPEN_DATA", "render_insight_pages"]


#: The insight page a site's `nav` names; the others are reached from it by links (every nav
#: item is drawn on every page, so one item is cheaper than five at 2,000 entries).
NAV_URIS: tuple[str, ...] = (INSIGHTS_URI,)

#: The open data files the insights page can list: (URI, link text, what it is).
OPEN_DATA: tuple[tuple[str, str, str], ...] = (
    ("graph.json", "graph.json", "the whole graph as node-link JSON (networkx, D3)"),
    ("graph.graphml", "graph.graphml", "the same graph as GraphML (yEd, Cytoscape, networkx)"),
    ("graph.gexf", "graph.gexf", "the same graph as GEXF (Gephi)"),
    ("feed.xml", "Atom feed", "new and updated entries"),
    ("llms.txt", "llms.txt", "an index of every entry for language models"),
)

#: The insight pages for llms.txt: (title, URL path from the site root, what it holds).
LLMS_LINKS: tuple[tuple[str, str, str], ...] = (
    ("Structural families", "families/", "groups of entries that share a shape, by signature"),
    ("Bridges", "insights/bridges/", "entries that join distant parts of the catalogue"),
    ("Surprising pairs", "insights/surprising/", "close neighbours of different domain and kind"),
    ("Domain map", "domains/#domain-map", "which domains share structural neighbours"),
    ("Gaps", "insights/gaps/", "rare tags and pattern-relation pairs no entry has yet"),
)


def _family_of(here: str, insights: Insights, slug: str) -> str:
    family = insights.families.of_entry(slug)
    return family_md(here, family) if family else "no family"


def _bridges_page(insights: Insights, entries: Mapping[str, Entry]) -> tuple[str, PageText]:
    here = BRIDGES_URI
    report = insights.bridges
    description = "Entries that join otherwise distant parts of the catalogue."
    how = (
        "exactly, over every pair of entries"
        if report.exact
        else f"as an estimate from {report.sources} source entries drawn with a fixed seed "
        "(the exact count grows with the square of the catalogue)"
    )
    lines = ["# Bridges", "", description, ""]
    lines += [
        "A bridge is an entry that many shortest paths between other entries run through "
        "(its *betweenness centrality*, from 0 to 1). A path's length is the sum of 1 / score "
        "over its links: a strong similarity is a short step, a weak one a long step, and "
        "every step costs at least 1, so paths favour few, strong links. We use 1 / score "
        "rather than 1 − score so that a perfect match is still a step, not a free jump "
        f"that would make many paths tie. Centrality is computed {how}.",
        "",
    ]
    if not report.bridges:
        lines += [
            "No bridges yet: the neighbour graph has no paths that pass through an entry.",
            "",
        ]
    for number, bridge in enumerate(report.bridges, start=1):
        entry = entries[bridge.slug]
        lines += [
            f"## {number}. {entry_md(here, entries, bridge.slug)}",
            "",
            f"Centrality {bridge.centrality:.3f} · "
            f"{domain_md(here, entry.source_frame or '')} · "
            f"family: {_family_of(here, insights, bridge.slug)}",
            "{ .gb-facts }",
            "",
        ]
        if entry.summary:
            lines += [markdown_inline(entry.summary), ""]
        families = []
        for slug, count in bridge.families:
            family = insights.families.get(slug)
            label = family_md(here, family) if family else "no family"
            families.append(f"{label} ({count})")
        domains = [f"{domain_md(here, frame)} ({count})" for frame, count in bridge.domains]
        lines += [
            f"- Its neighbours' families: {', '.join(families)}",
            f"- Its neighbours' domains: {', '.join(domains)}",
            "",
        ]
    return here, insight_page("Bridges", description, lines)


def _pair_reasons(here: str, reasons: PairReasons) -> str:
    parts = [tag_md(here, "pattern", p) for p in reasons.shared_patterns]
    parts += [tag_md(here, "relation", r) for r in reasons.shared_relations]
    parts += [
        f"{tag_md(here, 'relation', a)} ~ {tag_md(here, 'relation', b)} (siblings)"
        for a, b in reasons.sibling_relations
    ]
    parts += [tag_md(here, "structure", s) for s in reasons.shared_structures]
    if reasons.level_match:
        parts.append("same abstraction level")
    return " · ".join(parts) if parts else "no shared tag"


def _surprising_page(
    insights: Insights, entries: Mapping[str, Entry], vocabulary: Vocabulary
) -> tuple[str, PageText]:
    here = SURPRISING_URI
    description = "Strong structural neighbours that differ in domain, kind and family."
    lines = ["# Surprising pairs", "", description, ""]
    lines += [
        "Each pair below are structural neighbours from different domains, of different kinds "
        "(a myth and a management practice, say), in families that are not each other's "
        "nearest: a link between two neighbouring families is expected, one across the map is "
        "not. They are ordered by similarity score; among equal scores, pairs whose families "
        "share fewer links come first.",
        "",
    ]
    if not insights.surprising:
        lines += ["No such pairs yet.", ""]
    for number, pair in enumerate(insights.surprising, start=1):
        a, b = entries[pair.a], entries[pair.b]
        lines += [
            f"## {number}. {entry_md(here, entries, pair.a)} and {entry_md(here, entries, pair.b)}",
            "",
            f"Score {pair.score:.3f} · families joined by "
            f"{count_words(pair.family_links, 'neighbour link', 'neighbour links')}",
            "{ .gb-facts }",
            "",
        ]
        for entry in (a, b):
            kind = markdown_inline(kind_words(entry.kind, vocabulary))
            lines.append(
                f"- {entry_md(here, entries, entry.slug)}: {kind} from "
                f"{domain_md(here, entry.source_frame or '')}, family "
                f"{_family_of(here, insights, entry.slug)}"
            )
        lines += ["", f"Shared: {_pair_reasons(here, pair.reasons)}", ""]
    return here, insight_page("Surprising pairs", description, lines)


def _gaps_page(insights: Insights, entries: Mapping[str, Entry]) -> tuple[str, PageText]:
    here = GAPS_URI
    gaps = insights.gaps
    description = "What the atlas does not cover yet: an invitation to contributors."
    lines: list[Part] = ["# Gaps", "", description, ""]
    lines += ["## Rare tags", ""]
    lines += [
        f"Vocabulary terms used by at most {count_words(gaps.rare_threshold)}. "
        "An entry built on one of them would give the atlas a shape it barely has.",
        "",
    ]
    keys = {**FRONTMATTER_KEYS, "category": "categories"}
    if gaps.rare_tags:
        lines += ["| Term | Facet | Entries |", "| --- | --- | ---: |"]
        for rare in gaps.rare_tags:
            anchor = (
                subtype_anchor(rare.tag) if rare.facet == "relation" and "/" in rare.tag else ""
            )
            target = link(here, facet_uri(keys[rare.facet], rare.tag), anchor)
            lines.append(
                f"| [{markdown_inline(rare.tag)}]({target}) | {rare.facet} | {rare.count} |"
            )
        lines.append("")
    else:
        lines += ["Every term is in use by several entries.", ""]
    lines += ["## Combinations nobody has tried", ""]
    lines += [
        f"{gaps.missing_total} pairs of an embodied pattern and a relation type appear in no "
        "entry. The first ones below are made of the most common parts — the number of entries "
        "expected to hold the pair if tags were independent is highest — so their absence "
        "says most.",
        "",
    ]
    if gaps.missing_combinations:
        lines += [
            "| Pattern | Relation | Entries with the pattern | With the relation | Expected |",
            "| --- | --- | ---: | ---: | ---: |",
        ]
        for item in gaps.missing_combinations:
            lines.append(
                f"| {tag_md(here, 'pattern', item.pattern)} "
                f"| {tag_md(here, 'relation', item.relation)} | {item.pattern_count} "
                f"| {item.relation_count} | {item.expected:.1f} |"
            )
        lines.append("")
    lines += ["## Domains with one shape", ""]
    if gaps.narrow_domains:
        lines += [
            "Every entry of these domains has the same structure (or none): a model of another "
            "shape from the same field would widen what the atlas can say about it.",
            "",
        ]
        for domain in gaps.narrow_domains:
            shape = (
                ", ".join(tag_md(here, "structure", s) for s in domain.structures) or "no structure"
            )
            lines += [
                f"### {domain_md(here, domain.frame)}",
                "",
                f"{count_words(len(domain.entries))}, all {shape}:",
                "",
                held_list([entry_a(here, entries, e) for e in domain.entries], "narrow-domain"),
                "",
            ]
    else:
        lines += ["Every domain with two or more entries uses at least two structures.", ""]
    return here, insight_page("Gaps", description, lines)


def _insights_index(insights: Insights, published: Collection[str]) -> tuple[str, PageText]:
    here = INSIGHTS_URI
    description = "What the shape of the whole catalogue says, computed from the neighbour graph."
    lines = ["# Insights", "", description, ""]
    lines += home_section(here, insights, heading=False)
    files = [(uri, label, text) for uri, label, text in OPEN_DATA if uri in published]
    if files:
        lines += ["", "## Open data", "", "The catalogue is published for other tools:", ""]
        lines += [f"- [{label}]({link(here, uri)}): {text}" for uri, label, text in files]
    lines.append("")
    return here, insight_page("Insights", description, lines)


def render_insight_pages(
    insights: Insights,
    graph: nx.Graph,
    entries: Mapping[str, Entry],
    published: Collection[str] = (),
    vocabulary: Vocabulary | None = None,
) -> tuple[tuple[str, PageText], ...]:
    """Every insight page as (source URI, page), sorted by URI.

    Args:
        insights: the computed insights.
        graph: the catalogue graph (its neighbour edges draw the family graphs).
        entries: every entry by slug.
        published: the URIs of the open data files the site publishes (see `OPEN_DATA`); the
            insights page links those only, so no link can point at a missing file.
        vocabulary: the names of the kinds (the packaged vocabulary by default).
    """
    vocabulary = vocabulary or default_vocabulary()
    neighbours = neighbour_graph(graph)
    pages = [
        *family_pages(insights, neighbours, entries, vocabulary),
        _insights_index(insights, published),
        _bridges_page(insights, entries),
        _surprising_page(insights, entries, vocabulary),
        _gaps_page(insights, entries),
    ]
    return tuple(sorted(pages, key=lambda page: page[0]))
