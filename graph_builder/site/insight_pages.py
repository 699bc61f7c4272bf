"""Insights + entries -> the Markdown of the insight pages and the insight sections of other pages.

Pages: `/families/` and one page per family, `/insights/` with `/insights/bridges/`,
`/insights/surprising/` and `/insights/gaps/`. Sections for pages other modules render: the
family line of an entry page, the domain map of `/domains/`, the shared-shapes list of a domain
page, and the insight links of the home page.

Contributor text (names, summaries, free-form domains) goes through `render.markdown_inline`
in Markdown and `html.escape` (`render.html_text`) in our own HTML, the project's two escaping
rules; vocabulary terms are escaped the same way. The small graphs are inline SVG drawn here:
static, readable without JavaScript, and identical from build to build (fixed layout seed,
rounded coordinates).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from graph_builder.analysis.catalogue import layout
from graph_builder.analysis.insights import (
    Family,
    Insights,
    InsightSettings,
    PairReasons,
    TagLift,
    compute_insights,
    neighbour_graph,
    neighbour_lists_graph,
)
from graph_builder.analysis.neighbours import NeighbourLists
from graph_builder.core.load import full_collections_paused
from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import Vocabulary, default_vocabulary
from graph_builder.site.browser_graphs import KIND_COLOURS, OTHER_COLOUR
from graph_builder.site.escape import (
    front_matter,
    html_text,
    markdown_inline,
    name_html,
    name_markdown,
)
from graph_builder.site.holdout import SEARCH_EXCLUDE
from graph_builder.site.index import humanize, term_title
from graph_builder.site.urls import entry_uri, facet_uri, href, link, subtype_anchor

__all__ = [
    "BRIDGES_URI",
    "FAMILIES_URI",
    "GAPS_URI",
    "INSIGHTS_URI",
    "LLMS_LINKS",
    "NAV_URIS",
    "OPEN_DATA",
    "SURPRISING_URI",
    "SiteInsights",
    "compute_site_insights",
    "domain_map_section",
    "domain_section",
    "family_line",
    "family_uri",
    "home_section",
    "render_insight_pages",
    "site_insights",
    "with_insights",
]

FAMILIES_URI = "families/index.md"
INSIGHTS_URI = "insights/index.md"
BRIDGES_URI = "insights/bridges.md"
SURPRISING_URI = "insights/surprising.md"
GAPS_URI = "insights/gaps.md"

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

#: The entry page heading the family line is placed above (appended when it is missing).
_NEIGHBOURS_HEADING = "## Structural neighbours"

#: The largest number of nodes a small SVG graph draws; a larger family shows its best connected.
SVG_NODE_LIMIT = 60

_FACET_KEYS = {
    "pattern": "embodied_patterns",
    "relation": "relation_types",
    "structure": "structure",
}


def family_uri(family: Family) -> str:
    """The source URI of a family's page (served at `/families/<family-slug>/`)."""
    return f"families/{family.slug}.md"


def _page(title: str, description: str, lines: Iterable[str]) -> str:
    head = front_matter(title=title, description=description)
    return head + "\n".join(lines).rstrip("\n") + "\n"


def _name(entries: Mapping[str, Entry], slug: str) -> str:
    entry = entries.get(slug)
    return (entry.name or entry.slug) if entry else slug


def _entry_link(here: str, entries: Mapping[str, Entry], slug: str) -> str:
    return f"[{name_markdown(_name(entries, slug))}]({link(here, entry_uri(slug))})"


def _domain_link(here: str, frame: str) -> str:
    if not frame:
        return "no source domain"
    return f"[{markdown_inline(humanize(frame))}]({link(here, facet_uri('source_frame', frame))})"


def _family_link(here: str, family: Family) -> str:
    return f"[{markdown_inline(family.name)}]({link(here, family_uri(family))})"


def _tag_link(here: str, facet: str, tag: str) -> str:
    key = _FACET_KEYS[facet]
    anchor = subtype_anchor(tag) if facet == "relation" and "/" in tag else ""
    return f"[{markdown_inline(tag)}]({link(here, facet_uri(key, tag), anchor)})"


def _entry_a(here: str, entries: Mapping[str, Entry], slug: str) -> str:
    """An HTML link to an entry, for the lists MkDocs passes through untouched."""
    return f'<a href="{href(here, entry_uri(slug))}">{name_html(_name(entries, slug))}</a>'


def _domain_a(here: str, frame: str) -> str:
    if not frame:
        return "no source domain"
    target = href(here, facet_uri("source_frame", frame))
    return f'<a href="{target}">{html_text(humanize(frame))}</a>'


def _family_a(here: str, family: Family) -> str:
    return f'<a href="{href(here, family_uri(family))}">{html_text(family.name)}</a>'


def _html_list(items: Sequence[str], css: str) -> str:
    """A list of our own HTML items, in the form the plugin holds out of Markdown and search.

    Long link lists are most of the cost of rendering a page; `render.hold_out_blocks` swaps
    blocks of exactly this shape for a placeholder while MkDocs renders the page.
    """
    rows = "\n".join(f"<li>{item}</li>" for item in items)
    return f'<ul class="gb-{css}" {SEARCH_EXCLUDE}>\n{rows}\n</ul>'


def _count(n: int, word: str = "entry", plural: str = "entries") -> str:
    return f"{n} {word if n == 1 else plural}"


def _kind_title(kind: str | None, vocabulary: Vocabulary) -> str:
    """A kind as the vocabulary names it ("Mental model"), for legends and lists."""
    return term_title(vocabulary.kinds, kind) if kind else "no kind"


def _kind_words(kind: str | None, vocabulary: Vocabulary) -> str:
    """A kind as running text names it ("a mental model from Physics")."""
    title = _kind_title(kind, vocabulary)
    return title[:1].lower() + title[1:]


def _share(count: int, size: int) -> str:
    return f"{count} of {size} ({100 * count / size:.0f}%)" if size else "0"


# --------------------------------------------------------------------------------------------
# SVG


@dataclass(frozen=True, slots=True, kw_only=True)
class _Node:
    """One dot of a small SVG graph; `href` is already escaped (`render.href`)."""

    key: str
    label: str
    href: str
    colour: str
    radius: float
    tooltip: str


#: Label font size of the SVG graphs, px; a label box is `_LABEL_HEIGHT` tall, its baseline
#: `_LABEL_ASCENT` below the top (as Chromium lays out 12 px sans-serif).
_LABEL_FONT = 12.0
_LABEL_HEIGHT = 14.0
_LABEL_ASCENT = 11.0

# Character widths in ems, by class: narrow, wide, capital, digit, anything else; within 6% of
# DejaVu Sans as Chromium draws it, one of the widest sans-serif faces a reader may have.
_NARROW = frozenset("fijlrt.,:;'!|()[] -")
_WIDE = frozenset("mwMW@%")

_Box = tuple[float, float, float, float]  # left, top, right, bottom


def _label_width(text: str) -> float:
    return _LABEL_FONT * sum(_char_width(c) for c in text)


def _char_width(c: str) -> float:
    if c in _NARROW:
        return 0.34
    if c in _WIDE:
        return 0.95
    if c.isupper():
        return 0.72
    return 0.66 if c.isdigit() else 0.6


class _Obstacles:
    """Boxes filed by the cells of a coarse grid, so a new box is checked against its
    neighbourhood only: a family graph has sixty dots and labels, and each label tries up to
    six spots."""

    def __init__(self, cell: float = 48.0) -> None:
        self.cell = cell
        self.cells: defaultdict[tuple[int, int], list[_Box]] = defaultdict(list)

    def _keys(self, box: _Box) -> Iterator[tuple[int, int]]:
        cell = self.cell
        for i in range(math.floor(box[0] / cell), math.floor(box[2] / cell) + 1):
            for j in range(math.floor(box[1] / cell), math.floor(box[3] / cell) + 1):
                yield i, j

    def add(self, box: _Box) -> None:
        for key in self._keys(box):
            self.cells[key].append(box)

    def meets(self, box: _Box) -> bool:
        """Whether `box` overlaps any box filed so far (touching edges do not count)."""
        left, top, right, bottom = box
        for key in self._keys(box):
            for x0, y0, x1, y1 in self.cells.get(key, ()):
                if x0 < right and left < x1 and y0 < bottom and top < y1:
                    return True
        return False


def _place_labels(
    nodes: Sequence[_Node], placed: Mapping[str, tuple[float, float]], size: float
) -> dict[str, tuple[float, float, str]]:
    """Where each label goes, (x, baseline y, text-anchor), for the labels that fit.

    Greedy, largest dot first: a label tries below its dot, above, right, left, then a line
    further below or above, and takes the first spot that meets no label placed so far, no dot
    and no edge of the drawing. A label with no such spot is left out (its dot keeps the name
    as a tooltip): in a crowded drawing, overlapping names would make every one unreadable,
    and the best connected dots, placed first, keep theirs. Deterministic: the order and the
    spots are fixed.
    """
    obstacles = _Obstacles()
    for node in nodes:
        x, y = placed[node.key]
        r = node.radius + 1.0
        obstacles.add((x - r, y - r, x + r, y + r))
    spots: dict[str, tuple[float, float, str]] = {}
    for node in sorted(nodes, key=lambda n: (-n.radius, n.key)):
        x, y = placed[node.key]
        r = node.radius
        width = _label_width(node.label)
        candidates = (
            (x, y + r + 12.0, "middle"),
            (x, y - r - 5.0, "middle"),
            (x + r + 4.0, y + 4.0, "start"),
            (x - r - 4.0, y + 4.0, "end"),
            (x, y + r + 12.0 + _LABEL_HEIGHT, "middle"),
            (x, y - r - 5.0 - _LABEL_HEIGHT, "middle"),
        )
        for tx, ty, anchor in candidates:
            left = tx - width / 2 if anchor == "middle" else tx if anchor == "start" else tx - width
            box = (left, ty - _LABEL_ASCENT, left + width, ty - _LABEL_ASCENT + _LABEL_HEIGHT)
            inside = box[0] >= 0.0 and box[1] >= 0.0 and box[2] <= size and box[3] <= size
            if inside and not obstacles.meets(box):
                obstacles.add(box)
                spots[node.key] = (round(tx, 1) + 0.0, round(ty, 1) + 0.0, anchor)
                break
    return spots


def _svg(
    title: str,
    nodes: Sequence[_Node],
    edges: Sequence[tuple[str, str, float, str]],
    positions: Mapping[str, tuple[float, float]],
    *,
    size: float = 560.0,
) -> str:
    """An inline SVG of a small graph: nodes as linked dots with labels, edges as lines.

    `positions` may be on any scale; they are fitted into the square with a margin for labels.
    Edge tuples are (a, b, width in px, tooltip); an empty tooltip draws no title.
    """
    if not nodes:
        return ""
    margin = 70.0
    xs = [positions[n.key][0] for n in nodes]
    ys = [positions[n.key][1] for n in nodes]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2

    def place(key: str) -> tuple[float, float]:
        x, y = positions[key]
        scale = (size - 2 * margin) / span
        return (
            round(size / 2 + (x - cx) * scale, 1) + 0.0,
            round(size / 2 + (y - cy) * scale, 1) + 0.0,
        )

    placed = {n.key: place(n.key) for n in nodes}
    labels = _place_labels(nodes, placed, size)
    parts = [
        f'<svg class="gb-insight-graph" viewBox="0 0 {size:g} {size:g}" width="{size:g}" '
        f'height="{size:g}" role="img" '
        f'aria-label="{html_text(title)}" xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" '
        'style="max-width: 100%; height: auto">',
        f"<title>{html_text(title)}</title>",
    ]
    for a, b, width, tooltip in edges:
        (x1, y1), (x2, y2) = placed[a], placed[b]
        line = (
            f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" stroke="currentColor" '
            f'stroke-opacity="0.35" stroke-width="{width:g}"'
        )
        parts.append(
            f"{line}><title>{html_text(tooltip)}</title></line>" if tooltip else f"{line}/>"
        )
    for node in nodes:
        x, y = placed[node.key]
        # xlink:href, not href: Material's instant navigation rewrites every `[href]` it finds
        # by assigning to the element's `href`, which an SVG link only has as a getter. Out of
        # the tab order: the drawing is one image to assistive technology (role="img"), and
        # the lists beside it give keyboards the same links.
        dot = (
            f'<a xlink:href="{node.href}" tabindex="-1"><circle cx="{x:g}" cy="{y:g}" '
            f'r="{node.radius:g}" '
            f'fill="{html_text(node.colour)}" stroke="currentColor" stroke-width="1">'
            f"<title>{html_text(node.tooltip)}</title></circle>"
        )
        if node.key not in labels:
            parts.append(f"{dot}</a>")
            continue
        tx, ty, anchor = labels[node.key]
        parts.append(
            f'{dot}<text x="{tx:g}" y="{ty:g}" text-anchor="{anchor}" font-size="{_LABEL_FONT:g}" '
            'fill="currentColor" stroke="var(--md-default-bg-color, #fff)" stroke-width="3" '
            f'paint-order="stroke">{html_text(node.label)}</text></a>'
        )
    parts.append("</svg>")
    unnamed = len(nodes) - len(labels)
    if unnamed:
        parts.append(
            f'<p class="gb-insight-caption">{_count(unnamed, "dot", "dots")} of {len(nodes)} '
            "left unnamed where a name would cover another; point at a dot for its name, or "
            "find it in the list above.</p>"
        )
    # A block-level wrapper keeps Markdown from reading the SVG's text (a `_` in a name); search
    # skips it (the names are links in the lists beside it), which works as it holds no <div>.
    return f'<div class="gb-insight-graph-wrap" {SEARCH_EXCLUDE}>{"".join(parts)}</div>'


def _layout(graph: nx.Graph, seed: int, *, weighted: bool) -> dict[str, tuple[float, float]]:
    """Positions for a small graph, the same on every build: the site's own force layout.

    `graph_builder.analysis.catalogue.layout` is deterministic for a seed and cheap (a few milliseconds for
    the 60 nodes a family graph shows); `weighted` lets strong links pull harder, which suits
    entries joined by scores but would crush the domain map, whose weights are pair counts.
    """
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph.nodes))
    ordered.add_edges_from(
        sorted(
            (min(u, v), max(u, v), {"weight": float(d["weight"]) if weighted else 1.0})
            for u, v, d in graph.edges(data=True)
        )
    )
    return {str(k): v for k, v in layout(ordered, seed=seed).items()}


def _inside_degrees(graph: nx.Graph, members: Iterable[str]) -> dict[str, tuple[int, float]]:
    """(links, summed score) of each member to the other members, from the adjacency directly.

    Reading `graph.adj` avoids networkx subgraph views, whose filtered lookups cost more than
    the whole count at 2,000 entries.
    """
    inside = set(members)
    degrees = {}
    for slug in inside:
        links = [data for other, data in graph.adj[slug].items() if other in inside]
        degrees[slug] = (len(links), sum(float(data.get("weight", 0.0)) for data in links))
    return degrees


def _induced(graph: nx.Graph, members: Iterable[str]) -> nx.Graph:
    """A new graph of `members` and the edges among them, in sorted order."""
    inside = sorted(set(members))
    keep = set(inside)
    sub = nx.Graph()
    sub.add_nodes_from(inside)
    sub.add_edges_from(
        (u, v, graph.adj[u][v]) for u in inside for v in sorted(graph.adj[u]) if v in keep and u < v
    )
    return sub


def _family_svg(
    here: str,
    family: Family,
    graph: nx.Graph,
    entries: Mapping[str, Entry],
    seed: int,
    vocabulary: Vocabulary,
) -> str:
    degree = _inside_degrees(graph, family.members)
    members = sorted(family.members, key=lambda s: (-degree[s][0], s))[:SVG_NODE_LIMIT]
    sub = _induced(graph, members)
    positions = _layout(sub, seed, weighted=True)
    nodes = [
        _Node(
            key=slug,
            label=_name(entries, slug),
            href=href(here, entry_uri(slug)),
            colour=KIND_COLOURS.get(entries[slug].kind, OTHER_COLOUR),
            radius=6.0 + 1.5 * math.sqrt(sub.degree(slug)),
            tooltip=f"{_name(entries, slug)} ({_kind_words(entries[slug].kind, vocabulary)}, "
            f"{humanize(entries[slug].source_frame or '') or 'no domain'})",
        )
        for slug in sorted(members)
    ]
    # No tooltip per line: a family graph has a few hundred, and each would be parsed twice
    # per build (Markdown, search) for a detail the entry pages already give.
    edges = [
        (u, v, round(0.5 + 4.0 * max(0.0, float(d["weight"]) - 0.25), 2), "")
        for u, v, d in sorted(sub.edges(data=True))
    ]
    kinds = sorted(
        {entries[slug].kind for slug in members}, key=lambda k: (k not in KIND_COLOURS, k)
    )
    legend = " ".join(
        f'<span style="color: {KIND_COLOURS.get(kind, OTHER_COLOUR)}">●</span> '
        f"{html_text(_kind_title(kind, vocabulary))}"
        for kind in kinds
    )
    svg = _svg(f"Neighbour graph of the family {family.name}", nodes, edges, positions)
    return svg + f'\n\n<p class="gb-insight-legend">Colour shows the kind: {legend}</p>'


def _domain_svg(here: str, insights: Insights, seed: int, limit: int = 40) -> str:
    dmap = insights.domain_map
    ranked = sorted(dmap.domains.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    keep = {frame for frame, _ in ranked}
    graph = nx.Graph()
    graph.add_nodes_from(sorted(keep))
    for item in dmap.links:
        if item.a in keep and item.b in keep:
            graph.add_edge(item.a, item.b, weight=float(item.pairs))
    positions = _layout(graph, seed, weighted=False)
    top = max((item.pairs for item in dmap.links), default=1)
    nodes = [
        _Node(
            key=frame,
            label=humanize(frame),
            href=href(here, facet_uri("source_frame", frame)),
            colour="#76b7b2",
            radius=5.0 + 3.0 * math.sqrt(dmap.domains[frame]),
            tooltip=f"{humanize(frame)}: {_count(dmap.domains[frame])}",
        )
        for frame in sorted(keep)
    ]
    edges = [
        (
            u,
            v,
            round(0.75 + 5.0 * float(d["weight"]) / top, 2),
            f"{humanize(u)} and {humanize(v)}: {_count(int(d['weight']), 'pair', 'pairs')}",
        )
        for u, v, d in sorted(graph.edges(data=True))
    ]
    return _svg("Domains linked by shared neighbour pairs", nodes, edges, positions)


# --------------------------------------------------------------------------------------------
# Families


def _signature_table(here: str, signature: Sequence[TagLift]) -> list[str]:
    if not signature:
        return ["No tag stands out: the members share shape in many small ways.", ""]
    rows = [
        "| Tag | Facet | In the family | In the catalogue | Lift |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for lift in signature:
        rows.append(
            f"| {_tag_link(here, lift.facet, lift.tag)} | {lift.facet} "
            f"| {_share(lift.count, lift.size)} | {_share(lift.overall, lift.total)} "
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
) -> tuple[str, str]:
    here = family_uri(family)
    total = len(insights.families.families)
    domains = [frame for frame, _ in family.domains if frame]
    description = (
        f"Structural family {family.number} of the atlas: {_count(len(family.members))} "
        f"from {_count(len(domains), 'domain', 'domains')} that share a shape."
    )
    lines = [f"# {markdown_inline(family.name)}", ""]
    lines += [
        f"[Family {family.number} of {total}]({link(here, FAMILIES_URI)}) · "
        f"{_count(len(family.members))} · {_count(len(domains), 'domain', 'domains')}",
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
        lines += [f"### {_domain_link(here, frame) if frame else 'No source domain'}", ""]
        items = []
        for slug in sorted(members, key=lambda s: (_name(entries, s).casefold(), s)):
            summary = entries[slug].summary
            link_html = _entry_a(here, entries, slug)
            items.append(f"{link_html} — {html_text(summary)}" if summary else link_html)
        lines += [_html_list(items, "family-members"), ""]
    lines += ["## Graph", ""]
    shown = min(len(family.members), SVG_NODE_LIMIT)
    if shown < len(family.members):
        lines += [f"The {shown} best connected members and the neighbour links between them.", ""]
    else:
        lines += ["The members and the neighbour links between them.", ""]
    seed = insights.settings.seed
    lines += [_family_svg(here, family, graph, entries, seed, vocabulary), ""]
    near = _family_neighbours(family, insights, graph)
    if near:
        lines += ["## Nearest families", ""]
        for slug, count in near[:5]:
            other = insights.families.get(slug)
            if other is not None:
                links = _count(count, "neighbour link", "neighbour links")
                lines.append(f"- {_family_link(here, other)}: {links}")
        lines.append("")
    return here, _page(family.name, description, lines)


#: How many members the families index shows per family; the family page lists them all.
FAMILY_SAMPLE = 12


def _families_index(
    insights: Insights, graph: nx.Graph, entries: Mapping[str, Entry]
) -> tuple[str, str]:
    here = FAMILIES_URI
    report = insights.families
    description = (
        "Groups of entries that share a shape across domains, found in the neighbour graph."
    )
    lines = ["# Structural families", "", description, ""]
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
        lines += [f"## {family.number}. {_family_link(here, family)}", ""]
        tags = ", ".join(
            f"{_tag_link(here, lift.facet, lift.tag)} ×{lift.lift:.1f}"
            for lift in family.signature[:4]
        )
        domains = sum(1 for frame, _ in family.domains if frame)
        lines.append(
            f"{_count(len(family.members))} from {_count(domains, 'domain', 'domains')}"
            + (f" · signature: {tags}" if tags else "")
        )
        lines += ["{ .gb-facts }", ""]
        # The best connected members first: they show what the family is about.
        degree = _inside_degrees(graph, family.members)
        ranked = sorted(family.members, key=lambda s: (-degree[s][1], _name(entries, s), s))
        sample = sorted(ranked[:FAMILY_SAMPLE], key=lambda s: (_name(entries, s).casefold(), s))
        names = ", ".join(_entry_a(here, entries, s) for s in sample)
        more = len(family.members) - len(sample)
        if more:
            names += f' and <a href="{href(here, family_uri(family))}">{more} more</a>'
        lines += [f'<p class="gb-family-sample">{names}</p>', ""]
    if report.unplaced:
        lines += ["## Not in a family yet", ""]
        lines += ["These entries have too few neighbour links to join a family:", ""]
        items = [_entry_a(here, entries, s) for s in report.unplaced]
        lines += [_html_list(items, "unplaced"), ""]
    return here, _page("Structural families", description, lines)


# --------------------------------------------------------------------------------------------
# Bridges, surprising pairs, gaps


def _family_of(here: str, insights: Insights, slug: str) -> str:
    family = insights.families.of_entry(slug)
    return _family_link(here, family) if family else "no family"


def _bridges_page(insights: Insights, entries: Mapping[str, Entry]) -> tuple[str, str]:
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
            f"## {number}. {_entry_link(here, entries, bridge.slug)}",
            "",
            f"Centrality {bridge.centrality:.3f} · "
            f"{_domain_link(here, entry.source_frame or '')} · "
            f"family: {_family_of(here, insights, bridge.slug)}",
            "{ .gb-facts }",
            "",
        ]
        if entry.summary:
            lines += [markdown_inline(entry.summary), ""]
        families = []
        for slug, count in bridge.families:
            family = insights.families.get(slug)
            label = _family_link(here, family) if family else "no family"
            families.append(f"{label} ({count})")
        domains = [f"{_domain_link(here, frame)} ({count})" for frame, count in bridge.domains]
        lines += [
            f"- Its neighbours' families: {', '.join(families)}",
            f"- Its neighbours' domains: {', '.join(domains)}",
            "",
        ]
    return here, _page("Bridges", description, lines)


def _reasons(here: str, reasons: PairReasons) -> str:
    parts = [_tag_link(here, "pattern", p) for p in reasons.shared_patterns]
    parts += [_tag_link(here, "relation", r) for r in reasons.shared_relations]
    parts += [
        f"{_tag_link(here, 'relation', a)} ~ {_tag_link(here, 'relation', b)} (siblings)"
        for a, b in reasons.sibling_relations
    ]
    parts += [_tag_link(here, "structure", s) for s in reasons.shared_structures]
    if reasons.level_match:
        parts.append("same abstraction level")
    return " · ".join(parts) if parts else "no shared tag"


def _surprising_page(
    insights: Insights, entries: Mapping[str, Entry], vocabulary: Vocabulary
) -> tuple[str, str]:
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
            f"## {number}. {_entry_link(here, entries, pair.a)} and "
            f"{_entry_link(here, entries, pair.b)}",
            "",
            f"Score {pair.score:.3f} · families joined by "
            f"{_count(pair.family_links, 'neighbour link', 'neighbour links')}",
            "{ .gb-facts }",
            "",
        ]
        for entry in (a, b):
            kind = markdown_inline(_kind_words(entry.kind, vocabulary))
            lines.append(
                f"- {_entry_link(here, entries, entry.slug)}: {kind} from "
                f"{_domain_link(here, entry.source_frame or '')}, family "
                f"{_family_of(here, insights, entry.slug)}"
            )
        lines += ["", f"Shared: {_reasons(here, pair.reasons)}", ""]
    return here, _page("Surprising pairs", description, lines)


def _gaps_page(insights: Insights, entries: Mapping[str, Entry]) -> tuple[str, str]:
    here = GAPS_URI
    gaps = insights.gaps
    description = "What the atlas does not cover yet: an invitation to contributors."
    lines = ["# Gaps", "", description, ""]
    lines += ["## Rare tags", ""]
    lines += [
        f"Vocabulary terms used by at most {_count(gaps.rare_threshold)}. An entry built on one "
        "of them would give the atlas a shape it barely has.",
        "",
    ]
    keys = {**_FACET_KEYS, "category": "categories"}
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
                f"| {_tag_link(here, 'pattern', item.pattern)} "
                f"| {_tag_link(here, 'relation', item.relation)} | {item.pattern_count} "
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
                ", ".join(_tag_link(here, "structure", s) for s in domain.structures)
                or "no structure"
            )
            lines += [
                f"### {_domain_link(here, domain.frame)}",
                "",
                f"{_count(len(domain.entries))}, all {shape}:",
                "",
                _html_list([_entry_a(here, entries, e) for e in domain.entries], "narrow-domain"),
                "",
            ]
    else:
        lines += ["Every domain with two or more entries uses at least two structures.", ""]
    return here, _page("Gaps", description, lines)


def _insights_index(insights: Insights, published: Collection[str]) -> tuple[str, str]:
    here = INSIGHTS_URI
    description = "What the shape of the whole catalogue says, computed from the neighbour graph."
    lines = ["# Insights", "", description, ""]
    lines += home_section(here, insights, heading=False)
    files = [(uri, label, text) for uri, label, text in OPEN_DATA if uri in published]
    if files:
        lines += ["", "## Open data", "", "The catalogue is published for other tools:", ""]
        lines += [f"- [{label}]({link(here, uri)}): {text}" for uri, label, text in files]
    lines.append("")
    return here, _page("Insights", description, lines)


# --------------------------------------------------------------------------------------------
# Sections for other pages


def family_line(insights: Insights, slug: str, here: str) -> str:
    """The line of an entry page that names its family (an HTML paragraph), or ""."""
    family = insights.families.of_entry(slug)
    if family is None:
        return ""
    return (
        f'<p class="gb-family">Structural family: {_family_a(here, family)} '
        f"({_count(len(family.members))})</p>"
    )


def home_section(here: str, insights: Insights, *, heading: bool = True) -> list[str]:
    """Links to the insight pages, for the home page (with a heading) or the insights index."""
    families = len(insights.families.families)
    lines = ["## Insights", ""] if heading else []
    lines += [
        f"- [Structural families]({link(here, FAMILIES_URI)}): "
        f"{_count(families, 'group', 'groups')} of entries that share a shape",
        f"- [Bridges]({link(here, BRIDGES_URI)}): entries that join distant parts of the atlas",
        f"- [Surprising pairs]({link(here, SURPRISING_URI)}): close neighbours from far apart",
        f"- [Domain map]({link(here, 'domains/index.md', 'domain-map')}): "
        "which fields share shapes",
        f"- [Gaps]({link(here, GAPS_URI)}): rare tags and combinations nobody has tried yet",
    ]
    return lines


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
        _domain_svg(here, insights, insights.settings.seed),
        "",
        "### Strongest links",
        "",
    ]
    for item in dmap.links[:15]:
        lines.append(
            f"- {_domain_link(here, item.a)} and {_domain_link(here, item.b)} share "
            f"{_count(item.pairs, 'neighbour pair', 'neighbour pairs')}"
        )
    return [*lines, ""]


def domain_section(insights: Insights, frame: str, here: str) -> list[str]:
    """The section of a domain page naming the domains that share its shapes."""
    links = insights.domain_map.links_of(frame)
    lines = ["## Shared shapes", ""]
    if not links:
        return [*lines, "No entry of another domain is a structural neighbour of this one yet.", ""]
    items = [
        f"{_domain_a(here, other)}: {_count(pairs, 'pair', 'pairs')}" for other, pairs in links
    ]
    return [
        *lines,
        f"Entries of {markdown_inline(humanize(frame))} are structural neighbours of entries "
        "from these domains (neighbour pairs shared):",
        "",
        _html_list(items, "shared-shapes"),
        "",
    ]


def render_insight_pages(
    insights: Insights,
    graph: nx.Graph,
    entries: Mapping[str, Entry],
    published: Collection[str] = (),
    vocabulary: Vocabulary | None = None,
) -> tuple[tuple[str, str], ...]:
    """Every insight page as (source URI, Markdown), sorted by URI.

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
        _families_index(insights, neighbours, entries),
        _insights_index(insights, published),
        _bridges_page(insights, entries),
        _surprising_page(insights, entries, vocabulary),
        _gaps_page(insights, entries),
    ]
    pages += [
        _family_page(family, insights, neighbours, entries, vocabulary)
        for family in insights.families.families
    ]
    return tuple(sorted(pages))


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
