"""Catalogue graph nodes and edges -> the facts every graph widget draws: tags, degree, sizes."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from graph_builder.site.graph_style import DOMAIN_PALETTE, EDGE_ORDER

__all__ = [
    "degree",
    "domain_colours",
    "edge_pairs",
    "edge_width",
    "graph_neighbours",
    "node_domain",
    "node_size",
    "node_tags",
]


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
        # Most pairs are not joined: `has_edge` tests a dict, where `v in graph.adj[u]` goes
        # through the view's Mapping methods and raises KeyError inside for every miss.
        ordered = sorted(m for m in members if m in graph)
        joined = graph.has_edge
        simple = []
        for i, u in enumerate(ordered):
            for v in ordered[i + 1 :]:
                if joined(u, v):
                    data = graph.adj[u][v]
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
