"""Catalogue graph -> what every graph widget shares: colours, edge styles, node and edge facts.

The site draws its graphs with vis-network. pyvis builds the node and edge lists and the network
options from the catalogue graph (`vis_network`); we keep only that plain data and never use
pyvis's HTML template (it pulls files from a CDN, and its local mode copies a folder into the
working directory). The page code is ours: one vis-network script, one small script and one
stylesheet, served from the site's assets at the same URL on every page (`graph_assets`), plus a
few KB of JSON data per page.

Three outputs per build:

- an entry page's neighbourhood graph: the entry, its neighbours and the related entries that
  exist, with fixed positions (`entry_graph`);
- the explorer of every entry at `/graph/`, positioned at build time and fetched as JSON
  (`explorer`);
- the whole graph as node-link JSON at `/graph.json` (`opendata.graph_json`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

__all__ = [
    "ASSET_DIR",
    "DOMAIN_PALETTE",
    "EDGE_ORDER",
    "EDGE_STYLES",
    "EXPLORER_DATA_URI",
    "KIND_COLOURS",
    "LAYOUT_SEED",
    "OTHER_COLOUR",
    "SCRIPTS",
    "STYLESHEETS",
    "EdgeStyle",
    "GraphFamily",
    "degree",
    "domain_colours",
    "edge_pairs",
    "edge_width",
    "graph_neighbours",
    "kind_colour",
    "kind_sort_key",
    "node_domain",
    "node_size",
    "node_tags",
]

#: Where the graph assets are published inside the site.
ASSET_DIR = "assets/graph"
#: The scripts every page loads, in order (vis-network first: graph.js needs it).
SCRIPTS = (f"{ASSET_DIR}/vis-network.min.js", f"{ASSET_DIR}/graph.js")
#: The stylesheet every page loads.
STYLESHEETS = (f"{ASSET_DIR}/graph.css",)
#: The explorer's data, fetched by `/graph/` and by an entry page that shows depth 2.
EXPLORER_DATA_URI = "graph/explorer.json"
#: The whole graph as node-link JSON.
#: The seed of the explorer's layout: the same catalogue gives the same picture on every build.
LAYOUT_SEED = 1


#: Node fill colour per kind (Okabe-Ito, readable on light and dark backgrounds alike).
KIND_COLOURS: Mapping[str, str] = {
    "metaphor": "#e69f00",
    "pattern": "#56b4e9",
    "archetype": "#cc79a7",
    "paradigm": "#009e73",
    "mental-model": "#0072b2",
}
#: The colour of anything a legend does not name (no kind, a domain past the palette).
OTHER_COLOUR = "#999999"

#: Colours for the most frequent domains in the explorer; the rest share `OTHER_COLOUR`.
DOMAIN_PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class EdgeStyle:
    """How one kind of edge is drawn: its legend label, colour and dash pattern (empty: solid)."""

    label: str
    colour: str
    dashes: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class GraphFamily:
    """A structural family as the explorer colours it: its slug, name and members' slugs."""

    slug: str
    name: str
    members: tuple[str, ...]


#: Edge kinds of the catalogue graph, in the order the legend and the entry graph list them.
EDGE_STYLES: Mapping[str, EdgeStyle] = {
    "cross": EdgeStyle(label="cross-domain neighbour", colour="#0072b2", dashes=()),
    "same": EdgeStyle(label="same-domain neighbour", colour="#009e73", dashes=(8, 5)),
    "related": EdgeStyle(label="related entry", colour="#8a6d9e", dashes=(2, 4)),
}
EDGE_ORDER = {kind: index for index, kind in enumerate(EDGE_STYLES)}


# --------------------------------------------------------------------------------------------
# Node and edge facts


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, Iterable):
        return tuple(str(item) for item in value if item)
    return (str(value),)


def node_tags(attrs: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """A structural tag list of a node, whether stored flat or under a `tags` mapping."""
    if key in attrs:
        return _strings(attrs[key])
    tags = attrs.get("tags")
    if isinstance(tags, Mapping):
        return _strings(tags.get(key))
    return ()


def node_domain(attrs: Mapping[str, Any]) -> str:
    return str(attrs.get("source_frame") or "")


def graph_neighbours(graph: nx.Graph, slug: str) -> set[str]:
    """The slugs joined to `slug` by an edge in either direction."""
    if graph.is_directed():
        return set(graph.successors(slug)) | set(graph.predecessors(slug))
    return set(graph.neighbors(slug))


def degree(graph: nx.Graph, slug: str) -> int:
    """How many slugs are joined to `slug`: `len(graph_neighbours(...))` without the set."""
    if graph.is_directed():
        return len(graph_neighbours(graph, slug))
    return len(graph.adj[slug])


def _score(data: Mapping[str, Any]) -> float | None:
    weight = data.get("weight")
    if isinstance(weight, int | float) and not isinstance(weight, bool) and weight > 0:
        return float(weight)
    return None


def edge_pairs(
    graph: nx.Graph, members: set[str], first: str | None = None
) -> list[tuple[str, str, str, float | None]]:
    """The edges among `members`, one per unordered pair: (a, b, kind, score), sorted.

    In a directed graph a pair may be joined both ways. The edge leaving `first` wins (it is that
    entry's own list), then the higher score, then the kind order cross, same, related.
    """
    whole = len(members) == graph.number_of_nodes() and all(m in graph for m in members)
    if not whole and not graph.is_directed() and not graph.is_multigraph():
        # One edge per pair, so nothing to choose between: test each pair of the few members, in
        # sorted order (a subgraph view costs far more, and this runs once per entry page).
        ordered = sorted(m for m in members if m in graph)
        simple = []
        for i, u in enumerate(ordered):
            for v in ordered[i + 1 :]:
                data = graph.get_edge_data(u, v)
                if data is not None:
                    simple.append((u, v, str(data.get("kind") or "related"), _score(data)))
        return simple
    best: dict[tuple[str, str], tuple[tuple[int, float, int], str, float | None]] = {}
    edges = graph.edges(data=True) if whole else graph.subgraph(members).edges(data=True)
    for u, v, data in edges:
        if u == v:
            continue
        kind = str(data.get("kind") or "related")
        score = _score(data)
        rank = (0 if u == first else 1, -(score or 0.0), EDGE_ORDER.get(kind, len(EDGE_ORDER)))
        key = (u, v) if u < v else (v, u)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, kind, score)
    return [(a, b, kind, score) for (a, b), (_, kind, score) in sorted(best.items())]


def edge_width(score: float | None) -> float:
    """Line width from the similarity score: 1 px at the 0.25 threshold, 6 px at 1.0; 2 px for
    a related link that is no neighbour (it has no score)."""
    if score is None:
        return 2.0
    return round(1.0 + 5.0 * max(0.0, min(1.0, (score - 0.25) / 0.75)), 2)


def node_size(degree: int) -> float:
    """Dot radius from the degree in the whole graph, so a hub looks the same on every page."""
    return round(6.0 + 2.0 * math.sqrt(degree), 1)


def domain_colours(graph: nx.Graph) -> dict[str, str]:
    """The most frequent domains, each with its own colour (ties broken by name)."""
    counts = Counter(node_domain(attrs) for _, attrs in graph.nodes(data=True))
    counts.pop("", None)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return {domain: colour for (domain, _), colour in zip(ranked, DOMAIN_PALETTE, strict=False)}


def kind_sort_key(kind: str) -> tuple[int, str]:
    order = list(KIND_COLOURS)
    return (order.index(kind) if kind in order else len(order), kind)


def kind_colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, OTHER_COLOUR)
