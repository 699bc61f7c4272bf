"""Structural families -> the Markdown of /families/ and of one page per family."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import networkx as nx

from graph_builder.analysis.insights import (
    Family,
    Insights,
    TagLift,
)
from graph_builder.core.model import Entry
from graph_builder.core.slugs import uri_slug
from graph_builder.core.vocabulary import Vocabulary
from graph_builder.site.drawings import (
    SVG_NODE_LIMIT,
    family_drawing,
    inside_degrees,
)
from graph_builder.site.escape import (
    html_text,
    markdown_inline,
)
from graph_builder.site.holdout import HeldBlock, PageText, Part, held_list
from graph_builder.site.index import count_words
from graph_builder.site.insight_links import (
    FAMILIES_URI,
    domain_md,
    entry_a,
    entry_name,
    family_address,
    family_md,
    family_uri,
    insight_page,
    share,
    tag_md,
)
from graph_builder.site.outputs import GeneratedFile
from graph_builder.site.urls import href, link

__all__ = ["FAMILY_SAMPLE", "family_pages", "family_redirects"]


def _signature_table(here: str, signature: Sequence[TagLift]) -> list[str]:
    if not signature:
        return ["No tag stands out: the members share shape in many small ways.", ""]
    rows = [
        "| Tag | Facet | In the family | In the catalogue | Lift |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for lift in signature:
        rows.append(
            f"| {tag_md(here, lift.facet, lift.tag)} | {lift.facet} "
            f"| {share(lift.count, lift.size)} | {share(lift.overall, lift.total)} "
            f"| {lift.lift:.2f} |"
        )
    return [*rows, ""]


def _family_neighbours(
    family: Family, insights: Insights, graph: nx.Graph
) -> list[tuple[str, int]]:
    """Other families joined to this one by neighbour edges: (family slug, edges), most first."""
    counts: Counter[str] = Counter()
    members = set(family.members)
    for u, v in graph.edges(family.members):
        inside, outside = (u, v) if u in members else (v, u)
        if outside in members or inside not in members:
            continue
        other = insights.families.family_of.get(outside)
        if other:
            counts[other] += 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _family_page(
    family: Family,
    insights: Insights,
    graph: nx.Graph,
    entries: Mapping[str, Entry],
    vocabulary: Vocabulary,
) -> tuple[str, PageText]:
    here = family_uri(family)
    total = len(insights.families.families)
    domains = [frame for frame, _ in family.domains if frame]
    description = (
        f"Structural family {family.number} of the atlas: {count_words(len(family.members))} "
        f"from {count_words(len(domains), 'domain', 'domains')} that share a shape."
    )
    lines: list[Part] = [f"# {markdown_inline(family.name)}", ""]
    lines += [
        f"[Family {family.number} of {total}]({link(here, FAMILIES_URI)}) · "
        f"{count_words(len(family.members))} · {count_words(len(domains), 'domain', 'domains')}",
        "{ .gb-facts }",
        "",
        "## Signature",
        "",
        "The tags most over-represented in this family. Lift is the tag's share in the family "
        "divided by its share in the whole catalogue: 2 means twice as common here.",
        "",
        *_signature_table(here, family.signature),
        "## Members by domain",
        "",
    ]
    for frame, members in family.domains:
        lines += [f"### {domain_md(here, frame) if frame else 'No source domain'}", ""]
        items = []
        for slug in sorted(members, key=lambda s: (entry_name(entries, s).casefold(), s)):
            summary = entries[slug].summary
            link_html = entry_a(here, entries, slug)
            items.append(f"{link_html} — {html_text(summary)}" if summary else link_html)
        lines += [held_list(items, "family-members"), ""]
    lines += ["## Graph", ""]
    shown = min(len(family.members), SVG_NODE_LIMIT)
    if shown < len(family.members):
        lines += [f"The {shown} best connected members and the neighbour links between them.", ""]
    else:
        lines += ["The members and the neighbour links between them.", ""]
    seed = insights.settings.seed
    lines += [*family_drawing(here, family, graph, entries, seed, vocabulary), ""]
    near = _family_neighbours(family, insights, graph)
    if near:
        lines += ["## Nearest families", ""]
        for slug, count in near[:5]:
            other = insights.families.get(slug)
            if other is not None:
                links = count_words(count, "neighbour link", "neighbour links")
                lines.append(f"- {family_md(here, other)}: {links}")
        lines.append("")
    return here, insight_page(family.name, description, lines)


#: How many members the families index shows per family; the family page lists them all.
FAMILY_SAMPLE = 12


def _families_index(
    insights: Insights, graph: nx.Graph, entries: Mapping[str, Entry]
) -> tuple[str, PageText]:
    here = FAMILIES_URI
    report = insights.families
    description = (
        "Groups of entries that share a shape across domains, found in the neighbour graph."
    )
    lines: list[Part] = ["# Structural families", "", description, ""]
    lines += [
        "A family is a community of the neighbour graph: entries more tightly linked to one "
        "another by structural similarity than to the rest of the catalogue (Louvain community "
        f"detection on the neighbour links weighted by score, resolution {report.resolution:g}, "
        "fixed seed). Explicit *related* links are left out: only shared shape counts. Each "
        "family is named after its most characteristic structure, relation and pattern.",
        "",
    ]
    if not report.families:
        lines += ["No families yet: the catalogue has too few neighbour links.", ""]
    for family in report.families:
        lines += [f"## {family.number}. {family_md(here, family)}", ""]
        tags = ", ".join(
            f"{tag_md(here, lift.facet, lift.tag)} ×{lift.lift:.1f}"
            for lift in family.signature[:4]
        )
        domains = sum(1 for frame, _ in family.domains if frame)
        lines.append(
            f"{count_words(len(family.members))} from {count_words(domains, 'domain', 'domains')}"
            + (f" · signature: {tags}" if tags else "")
        )
        lines += ["{ .gb-facts }", ""]
        # The best connected members first: they show what the family is about.
        degree = inside_degrees(graph, family.members)
        ranked = sorted(family.members, key=lambda s: (-degree[s][1], entry_name(entries, s), s))
        sample = sorted(
            ranked[:FAMILY_SAMPLE], key=lambda s: (entry_name(entries, s).casefold(), s)
        )
        names = ", ".join(entry_a(here, entries, s) for s in sample)
        more = len(family.members) - len(sample)
        if more:
            names += f' and <a href="{href(here, family_uri(family))}">{more} more</a>'
        lines += [HeldBlock(f'<p class="gb-family-sample">{names}</p>', searchable=True), ""]
    if report.unplaced:
        lines += ["## Not in a family yet", ""]
        lines += ["These entries have too few neighbour links to join a family:", ""]
        items = [entry_a(here, entries, s) for s in report.unplaced]
        lines += [held_list(items, "unplaced"), ""]
    return here, insight_page("Structural families", description, lines)


def family_pages(
    insights: Insights, neighbours: nx.Graph, entries: Mapping[str, Entry], vocabulary: Vocabulary
) -> list[tuple[str, PageText]]:
    """The families index and every family's page, as (source URI, Markdown)."""
    pages = [_families_index(insights, neighbours, entries)]
    pages += [
        _family_page(family, insights, neighbours, entries, vocabulary)
        for family in insights.families.families
    ]
    return pages


def family_redirects(families: Sequence[Family], taken: Iterable[str] = ()) -> list[GeneratedFile]:
    """Pages that send an old family address on to the family that holds it now.

    A family's address is its anchor member's slug (`structural_families`). Every other member
    gets a redirect at `/families/<member>/`, so an address saved when that member anchored its
    family, before the families split or merged, still leads to its family; so does the address
    of the family's name, which older builds used. `taken` are the URIs of real pages.
    """
    used = set(taken)
    redirects = []
    for family in families:
        for slug in (*family.members, uri_slug(family.name)):
            uri = f"families/{slug}/index.html"
            if slug == family.slug or uri in used or family_address(slug) in used:
                continue
            used.add(uri)
            url = href(f"families/{slug}.md", family_uri(family))
            name = html_text(family.name)
            html = (
                '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                f"<title>{name}</title>\n"
                f'<link rel="canonical" href="{url}">\n'
                f'<meta http-equiv="refresh" content="0; url={url}">\n'
                '<meta name="robots" content="noindex">\n</head>\n<body>\n'
                f'<p>This structural family is now at <a href="{url}">{name}</a>.</p>\n'
                "</body>\n</html>\n"
            )
            redirects.append(GeneratedFile(uri=uri, content=html.encode("utf-8")))
    return sorted(redirects, key=lambda file: file.uri)
