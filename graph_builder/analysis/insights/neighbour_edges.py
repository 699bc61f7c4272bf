"""Catalogue graph or neighbour lists -> the simple, sorted graph of neighbour edges insights use.

Only neighbour edges ("cross" and "same") count: an explicit `related` link is a contributor's
judgement, not a shared shape. Nodes and edges are inserted in sorted order, so Louvain and
sampled betweenness, which visit nodes in insertion order, see the same order every time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx

from graph_builder.analysis.neighbours import NeighbourLists
from graph_builder.core.model import Entry

__all__ = ["NEIGHBOUR_EDGE_KINDS", "neighbour_graph", "neighbour_lists_graph"]

#: Edge kinds that come from the similarity score; `related` edges are left out of every insight.
NEIGHBOUR_EDGE_KINDS: frozenset[str] = frozenset({"cross", "same"})

#: Marks a graph `neighbour_graph` made, so passing it again costs nothing.
_NEIGHBOUR_GRAPH = "graph_builder_neighbour_graph"


def neighbour_graph(graph: nx.Graph) -> nx.Graph:
    """The simple undirected graph of neighbour edges, nodes and edges inserted in sorted order.

    Works on any networkx graph class (directed or multi): an edge of kind "cross" or "same" is
    kept, its weight being the score; when a pair appears more than once (A lists B and B lists A)
    the highest score is kept. Every node is kept, so isolated entries stay visible.

    Sorted insertion matters: Louvain and sampled betweenness visit nodes in insertion order, so
    the same catalogue must always give the same order.

    Args:
        graph: the catalogue graph.

    Returns:
        A new `nx.Graph` whose edges have `weight` (score), `kind` and `distance` (1 / score);
        a graph this function made is returned as it is.

    Example:
        >>> g = nx.MultiDiGraph()
        >>> g.add_edge("b", "a", kind="cross", weight=0.5)
        0
        >>> g.add_edge("a", "b", kind="related", weight=1.0)
        0
        >>> sorted(neighbour_graph(g).edges(data="weight"))
        [('a', 'b', 0.5)]
    """
    if graph.graph.get(_NEIGHBOUR_GRAPH) is True:
        return graph
    best: dict[tuple[str, str], tuple[float, str]] = {}
    for u, v, data in graph.edges(data=True):
        kind = data.get("kind")
        if kind not in NEIGHBOUR_EDGE_KINDS or u == v:
            continue
        weight = float(data.get("weight", 0.0))
        if weight <= 0.0:
            raise ValueError(f"neighbour edge {u}-{v} has a non-positive weight {weight!r}")
        key = (str(u), str(v)) if str(u) < str(v) else (str(v), str(u))
        if key not in best or weight > best[key][0]:
            best[key] = (weight, str(kind))
    result = nx.Graph(**{_NEIGHBOUR_GRAPH: True})
    result.add_nodes_from(sorted(str(node) for node in graph.nodes))
    for (u, v), (weight, kind) in sorted(best.items()):
        result.add_edge(u, v, weight=weight, kind=kind, distance=1.0 / weight)
    return result


def neighbour_lists_graph(
    entries: Iterable[Entry], neighbour_lists: Mapping[str, NeighbourLists]
) -> nx.Graph:
    """The neighbour graph straight from the neighbour lists: one node per entry, one edge per pair.

    What the insights need and no more (the site's full catalogue graph also carries `related`
    links and display attributes). A pair listed by both entries keeps its one score; an edge
    is "same" when the lists say the pair shares a domain, else "cross".

    Example:
        >>> from graph_builder.analysis.neighbours import Neighbour
        >>> from graph_builder.analysis.similarity import Score
        >>> s = Score(total=0.5, patterns=0.5, relations=0.5, structure=0.0, level=1.0,
        ...           shared_patterns=(), shared_relations=(), sibling_relations=(),
        ...           shared_structures=(), level_match=True)
        >>> lists = {"a": NeighbourLists(cross_domain=(Neighbour(slug="b", score=s,
        ...                                                          same_domain=False),))}
        >>> e = [Entry(path="", slug=x, name=x) for x in "abc"]
        >>> sorted(neighbour_lists_graph(e, lists).edges(data=True))
        [('a', 'b', {'weight': 0.5, 'kind': 'cross', 'distance': 2.0})]
    """
    slugs = {entry.slug for entry in entries}
    # Straight to what `neighbour_graph` would make of the lists' graph (one edge per pair, the
    # score of the last list naming it, inserted in sorted order) without building that graph.
    best: dict[tuple[str, str], tuple[float, str]] = {}
    for slug in sorted(neighbour_lists):
        if slug not in slugs:
            continue
        lists = neighbour_lists[slug]
        for item in (*lists.cross_domain, *lists.same_domain):
            other = item.slug
            if other in slugs and other != slug:
                key = (slug, other) if slug < other else (other, slug)
                best[key] = (float(item.score.total), "same" if item.same_domain else "cross")
    result = nx.Graph(**{_NEIGHBOUR_GRAPH: True})
    result.add_nodes_from(sorted(slugs))
    edges = []
    for (u, v), (weight, kind) in sorted(best.items()):
        if weight <= 0.0:
            raise ValueError(f"neighbour edge {u}-{v} has a non-positive weight {weight!r}")
        edges.append((u, v, {"weight": weight, "kind": kind, "distance": 1.0 / weight}))
    result.add_edges_from(edges)
    return result
