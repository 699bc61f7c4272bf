"""A small graph -> a static inline SVG drawing (family graphs, the domain map).

Static, readable without JavaScript, and identical from build to build (fixed layout seed,
rounded coordinates)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import networkx as nx

from graph_builder.analysis.catalogue import layout
from graph_builder.analysis.insights import (
    Family,
    Insights,
)
from graph_builder.core.labels import domain_label
from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import Vocabulary
from graph_builder.site.escape import (
    html_text,
)
from graph_builder.site.graph_style import KIND_COLOURS, OTHER_COLOUR
from graph_builder.site.holdout import SEARCH_EXCLUDE, HeldBlock, Part
from graph_builder.site.index import count_words, kind_title
from graph_builder.site.insight_links import entry_name, kind_words
from graph_builder.site.label_placement import (
    LABEL_FONT,
    Dot,
    place_labels,
)
from graph_builder.site.urls import entry_uri, facet_uri, href

__all__ = [
    "SVG_NODE_LIMIT",
    "domain_map_drawing",
    "family_drawing",
    "induced",
    "inside_degrees",
    "small_layout",
    "svg_drawing",
]


#: The largest number of nodes a small SVG graph draws; a larger family shows its best connected.
SVG_NODE_LIMIT = 60


def svg_drawing(
    title: str,
    nodes: Sequence[Dot],
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
    labels = place_labels(nodes, placed, size)
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
            f'{dot}<text x="{tx:g}" y="{ty:g}" text-anchor="{anchor}" font-size="{LABEL_FONT:g}" '
            'fill="currentColor" stroke="var(--md-default-bg-color, #fff)" stroke-width="3" '
            f'paint-order="stroke">{html_text(node.label)}</text></a>'
        )
    parts.append("</svg>")
    unnamed = len(nodes) - len(labels)
    if unnamed:
        parts.append(
            f'<p class="gb-insight-caption">{count_words(unnamed, "dot", "dots")} of {len(nodes)} '
            "left unnamed where a name would cover another; point at a dot for its name, or "
            "find it in the list above.</p>"
        )
    # A block-level wrapper keeps Markdown from reading the SVG's text (a `_` in a name); search
    # skips it (the names are links in the lists beside it), which works as it holds no <div>.
    return f'<div class="gb-insight-graph-wrap" {SEARCH_EXCLUDE}>{"".join(parts)}</div>'


def small_layout(graph: nx.Graph, seed: int, *, weighted: bool) -> dict[str, tuple[float, float]]:
    """Positions for a small graph, the same on every build: the site's own force layout.

    `analysis.catalogue.layout` is deterministic for a seed and cheap (a few milliseconds for
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


def inside_degrees(graph: nx.Graph, members: Iterable[str]) -> dict[str, tuple[int, float]]:
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


def induced(graph: nx.Graph, members: Iterable[str]) -> nx.Graph:
    """A new graph of `members` and the edges among them, in sorted order."""
    inside = sorted(set(members))
    keep = set(inside)
    sub = nx.Graph()
    sub.add_nodes_from(inside)
    sub.add_edges_from(
        (u, v, graph.adj[u][v]) for u in inside for v in sorted(graph.adj[u]) if v in keep and u < v
    )
    return sub


def family_drawing(
    here: str,
    family: Family,
    graph: nx.Graph,
    entries: Mapping[str, Entry],
    seed: int,
    vocabulary: Vocabulary,
) -> list[Part]:
    """The family page's drawing of its members (held out of Markdown and search) and its
    legend of kinds (searchable)."""
    degree = inside_degrees(graph, family.members)
    members = sorted(family.members, key=lambda s: (-degree[s][0], s))[:SVG_NODE_LIMIT]
    sub = induced(graph, members)
    positions = small_layout(sub, seed, weighted=True)
    nodes = [
        Dot(
            key=slug,
            label=entry_name(entries, slug),
            href=href(here, entry_uri(slug)),
            colour=KIND_COLOURS.get(entries[slug].kind, OTHER_COLOUR),
            radius=6.0 + 1.5 * math.sqrt(sub.degree(slug)),
            tooltip=f"{entry_name(entries, slug)} ({kind_words(entries[slug].kind, vocabulary)}, "
            f"{domain_label(entries[slug].source_frame)})",
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
        f"{html_text(kind_title(kind, vocabulary))}"
        for kind in kinds
    )
    svg = svg_drawing(f"Neighbour graph of the family {family.name}", nodes, edges, positions)
    caption = f'<p class="gb-insight-legend">Colour shows the kind: {legend}</p>'
    return [HeldBlock(svg, searchable=False) if svg else "", "", HeldBlock(caption, True)]


def domain_map_drawing(here: str, insights: Insights, seed: int, limit: int = 40) -> Part:
    """The domains index's drawing of the domain map, held out of Markdown and search."""
    dmap = insights.domain_map
    ranked = sorted(dmap.domains.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    keep = {frame for frame, _ in ranked}
    graph = nx.Graph()
    graph.add_nodes_from(sorted(keep))
    for item in dmap.links:
        if item.a in keep and item.b in keep:
            graph.add_edge(item.a, item.b, weight=float(item.pairs))
    positions = small_layout(graph, seed, weighted=False)
    top = max((item.pairs for item in dmap.links), default=1)
    nodes = [
        Dot(
            key=frame,
            label=domain_label(frame),
            href=href(here, facet_uri("source_frame", frame)),
            colour="#76b7b2",
            radius=5.0 + 3.0 * math.sqrt(dmap.domains[frame]),
            tooltip=f"{domain_label(frame)}: {count_words(dmap.domains[frame])}",
        )
        for frame in sorted(keep)
    ]
    edges = [
        (
            u,
            v,
            round(0.75 + 5.0 * float(d["weight"]) / top, 2),
            f"{domain_label(u)} and {domain_label(v)}: "
            f"{count_words(int(d['weight']), 'pair', 'pairs')}",
        )
        for u, v, d in sorted(graph.edges(data=True))
    ]
    svg = svg_drawing("Domains linked by shared neighbour pairs", nodes, edges, positions)
    return HeldBlock(svg, searchable=False) if svg else ""
