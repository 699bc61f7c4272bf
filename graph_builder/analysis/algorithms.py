"""Graph algorithms for the insights: Louvain communities and betweenness centrality.

Both give networkx's results (`networkx.community.louvain_communities`,
`networkx.betweenness_centrality`) for the same graph and seed, and
`tests/analysis/test_algorithms.py` holds them to that on random graphs. They exist because the
insights must cost little beside the rest of the build (at 2,000 entries, at most a tenth of
it): working on integer-indexed adjacency, and for betweenness letting scipy's Dijkstra do the
distances in C, they are two to four times faster than networkx's general versions, which pay
for graph views and attribute lookups on every step.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

import networkx as nx
import numpy as np

from graph_builder.analysis.array_types import FloatArray, IntArray

__all__ = ["betweenness", "louvain_communities"]

# --------------------------------------------------------------------------------------------
# Louvain
#
# A level of the algorithm is a weighted graph over nodes 0..n-1, as a list of adjacency dicts.
# Dict order is part of the result: nodes try the communities of their neighbours in adjacency
# order and keep the first best gain, so every adjacency dict is built in the order networkx
# builds its own (edges inserted in the order `Graph.edges` yields them).

_Level = list[dict[int, float]]


def _strengths(level: _Level) -> list[float]:
    """Each node's weighted degree, a loop counted twice (as `Graph.degree` counts it)."""
    return [sum(row.values()) + row.get(x, 0.0) for x, row in enumerate(level)]


def _modularity(level: _Level, communities: Sequence[set[int]], resolution: float) -> float:
    strengths = _strengths(level)
    total_strength = sum(strengths)
    m = total_strength / 2
    norm = 1 / total_strength**2
    quality = 0.0
    for community in communities:
        # Each inside edge once: from its lower end (a loop from its only end).
        inside = sum(w for x in community for y, w in level[x].items() if y >= x and y in community)
        strength = sum(strengths[x] for x in community)
        quality += inside / m - resolution * strength * strength * norm
    return quality


def _move_nodes(
    level: _Level, m: float, resolution: float, rng: random.Random
) -> tuple[list[set[int]], bool]:
    """One level's local moves: each node, in a shuffled order, joins the neighbouring
    community of best modularity gain, until a whole pass moves nothing.

    Returns the non-empty communities (in the order of their first node) and whether any node
    moved.
    """
    count = len(level)
    community = list(range(count))
    members = [{x} for x in range(count)]
    strengths = _strengths(level)
    totals = list(strengths)
    neighbours = [[(y, w) for y, w in row.items() if y != x] for x, row in enumerate(level)]
    order = list(range(count))
    rng.shuffle(order)
    scale = 2 * m**2
    moved_any = False
    moves = 1
    while moves:
        moves = 0
        for x in order:
            own = best = community[x]
            weights: defaultdict[int, float] = defaultdict(float)
            for y, w in neighbours[x]:
                weights[community[y]] += w
            strength = strengths[x]
            totals[own] -= strength
            leave = -weights[own] / m + resolution * (totals[own] * strength) / scale
            best_gain = 0.0
            for other, w in weights.items():
                gain = leave + w / m - resolution * (totals[other] * strength) / scale
                if gain > best_gain:
                    best_gain, best = gain, other
            totals[best] += strength
            if best != own:
                members[own].remove(x)
                members[best].add(x)
                community[x] = best
                moves += 1
                moved_any = True
    return [group for group in members if group], moved_any


def _aggregate(level: _Level, communities: Sequence[set[int]]) -> _Level:
    """The next level: one node per community, edge weights summed (inside ones as a loop)."""
    new = [0] * len(level)
    for i, group in enumerate(communities):
        for x in group:
            new[x] = i
    result: _Level = [{} for _ in communities]
    for x, row in enumerate(level):
        for y, w in row.items():
            if y >= x:  # each edge once, in `Graph.edges` order
                a, b = new[x], new[y]
                total = w + result[a].get(b, 0.0)
                result[a][b] = total
                result[b][a] = total
    return result


def louvain_communities(
    graph: nx.Graph,
    *,
    weight: str = "weight",
    resolution: float = 1.0,
    seed: int = 0,
    threshold: float = 1e-7,
) -> list[set[Any]]:
    """Louvain's communities of an undirected graph: networkx's partition for the same seed.

    Each level moves nodes between communities while modularity (with `resolution`) improves,
    then merges each community into one node; the levels stop when one gains at most
    `threshold`. The node order of each level is shuffled by one `random.Random(seed)`, as
    networkx does, and every tie goes the same way, so the partition is networkx's.

    Args:
        graph: an undirected, non-multi graph; `weight` is read with 1 as default.
        weight: the edge attribute holding the weight.
        resolution: above 1 favours more, smaller communities; below 1 fewer, larger ones.
        seed: the seed of the node order.
        threshold: the least modularity gain for another level.

    Returns:
        The communities, as sets of the graph's nodes.

    Raises:
        ValueError: the graph is directed or a multigraph.

    Example:
        >>> g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z")])
        >>> g.add_edge("c", "x")
        >>> sorted(sorted(c) for c in louvain_communities(g, seed=1))
        [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    if graph.is_directed() or graph.is_multigraph():
        raise ValueError("louvain_communities() takes an undirected graph without parallel edges")
    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    level: _Level = [{} for _ in nodes]
    for u, v, w in graph.edges(data=weight, default=1):
        a, b = index[u], index[v]
        level[a][b] = level[b][a] = w
    if not any(level):
        return [{node} for node in nodes]
    rng = random.Random(seed)
    m = sum(_strengths(level)) / 2
    quality = _modularity(level, [{x} for x in range(len(level))], resolution)
    holds = [[node] for node in nodes]  # the graph's nodes inside each node of the level
    communities, moved = _move_nodes(level, m, resolution, rng)
    result = [{node for x in group for node in holds[x]} for group in communities]
    while moved:
        result = [{node for x in group for node in holds[x]} for group in communities]
        new_quality = _modularity(level, communities, resolution)
        if new_quality - quality <= threshold:
            break
        quality = new_quality
        holds = [[node for x in group for node in holds[x]] for group in communities]
        level = _aggregate(level, communities)
        communities, moved = _move_nodes(level, m, resolution, rng)
    return result


# --------------------------------------------------------------------------------------------
# Betweenness

#: Below this much work (sources × arcs) the distances come from `_dijkstra`, in Python:
#: importing scipy's graph routines costs about 0.15 s, more than the whole betweenness of a
#: small catalogue (0.06 s at 250 entries), and `graph-builder check` should not pay it at all.
_SCIPY_WORK = 2_000_000

#: Sources per call to scipy's Dijkstra: bounds the distance rows held at once (8 bytes a node).
_SOURCES_PER_BLOCK = 256


def _dijkstra(adjacency: Sequence[Sequence[tuple[int, float]]], source: int) -> list[float]:
    """Shortest distances from `source` (inf where unreachable), the same floats as networkx's:
    each is the least of d(u) + length(u, v) over the arcs into v, with d(u) already final."""
    distance = [math.inf] * len(adjacency)
    distance[source] = 0.0
    heap = [(0.0, source)]
    while heap:
        d, v = heapq.heappop(heap)
        if d > distance[v]:
            continue  # a stale entry: v was reached by a shorter path since
        for w, length in adjacency[v]:
            candidate = d + length
            if candidate < distance[w]:
                distance[w] = candidate
                heapq.heappush(heap, (candidate, w))
    return distance


def _distance_rows(
    n: int, tail: IntArray, head: IntArray, length: FloatArray, sources: Sequence[int]
) -> Iterator[tuple[int, FloatArray]]:
    """(source, its distances to every node) for each source, in order."""
    if len(sources) * len(length) < _SCIPY_WORK:
        adjacency: list[list[tuple[int, float]]] = [[] for _ in range(n)]
        for a, b, w in zip(tail.tolist(), head.tolist(), length.tolist(), strict=True):
            adjacency[a].append((b, w))
        for s in sources:
            yield s, np.array(_dijkstra(adjacency, s))
        return
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    arcs = csr_matrix((length, (tail, head)), shape=(n, n))
    for first in range(0, len(sources), _SOURCES_PER_BLOCK):
        block = sources[first : first + _SOURCES_PER_BLOCK]
        rows = np.atleast_2d(dijkstra(arcs, directed=True, indices=block))
        yield from zip(block, rows, strict=True)


def betweenness(
    graph: nx.Graph, *, k: int | None = None, seed: int = 0, weight: str = "distance"
) -> dict[str, float]:
    """Normalised betweenness centrality, the same numbers as `networkx.betweenness_centrality`.

    Brandes' algorithm: from each source s, the shortest distances d(s, ·); an arc u -> v is on
    a shortest path when d(s, u) + length(u, v) == d(s, v), and these arcs form a DAG. Walking
    it in order of distance counts the shortest paths σ(s, v) = Σ σ(s, u) over the arcs into v;
    walking it back accumulates the dependency δ(v) = Σ σ(s, v) / σ(s, w) · (1 + δ(w)) over the
    arcs out of v. The betweenness of v is Σ_s δ_s(v), divided by (n - 1)(n - 2). With `k`, only
    k sources drawn by `random.Random(seed).sample` are used and the sums are scaled up as
    networkx does (a source by 1 / ((k - 1)(n - 2)), any other node by 1 / (k (n - 2))), so the
    estimate is networkx's for the same seed.

    On a large graph the distances come from scipy's Dijkstra, in C, for a block of sources at a
    time (on a small one from `_dijkstra`, which costs less than importing scipy), and the
    shortest-path arcs of every source are picked out with one array comparison; only the two
    walks along the DAG (about one arc per node) are Python loops. That is about four times
    faster than networkx at 2,000 entries, which keeps bridges inside the build budget.
    Distances are compared exactly, as networkx compares them, so ties count alike.

    Args:
        graph: an undirected graph whose edges all carry `weight`, a positive length.
        k: how many sources to sample; None for every node (exact).
        seed: the sampling seed.
        weight: the edge attribute holding the length.

    Returns:
        Betweenness of every node, in [0, 1].

    Raises:
        ValueError: the graph is directed, a length is not positive, or `k` is not between 1
            and the number of nodes.

    Example:
        >>> g = nx.path_graph(["a", "b", "c"])
        >>> nx.set_edge_attributes(g, 1.0, "distance")
        >>> betweenness(g)
        {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    if graph.is_directed():
        raise ValueError("betweenness() takes an undirected graph")
    nodes = list(graph)
    n = len(nodes)
    if k is not None and not 1 <= k <= n:
        raise ValueError(f"k must be between 1 and {n}, not {k}")
    index = {node: i for i, node in enumerate(nodes)}
    shortest: dict[tuple[int, int], float] = {}  # a multigraph's parallel edges: the shortest
    for u, v, value in graph.edges(data=weight):
        a, b = index[u], index[v]
        if a != b:  # a loop is on no shortest path
            pair = (a, b) if a < b else (b, a)
            shortest[pair] = min(float(value), shortest.get(pair, math.inf))
    tail = np.array([a for a, _ in shortest] + [b for _, b in shortest], dtype=np.int64)
    head = np.array([b for _, b in shortest] + [a for a, _ in shortest], dtype=np.int64)
    length = np.array(list(shortest.values()) * 2, dtype=np.float64)
    if not np.all(length > 0):
        raise ValueError(f"betweenness() needs positive '{weight}' lengths on every edge")
    if k is None:
        sources = list(range(n))
    else:
        sources = [index[v] for v in random.Random(seed).sample(nodes, k)]
    total = np.zeros(n)
    for s, dist in _distance_rows(n, tail, head, length, sources):
        via = dist[tail] + length
        on_path = np.flatnonzero((via == dist[head]) & np.isfinite(via))
        # Arcs by the distance of their tail: each node's σ is complete before it is passed on.
        on_path = on_path[np.argsort(dist[tail[on_path]], kind="stable")]
        froms = tail[on_path].tolist()
        tos = head[on_path].tolist()
        sigma = [0.0] * n
        sigma[s] = 1.0
        for a, b in zip(froms, tos, strict=True):
            sigma[b] += sigma[a]
        # Back by the distance of their head: each node's δ is complete before it is used.
        delta = [0.0] * n
        for i in np.argsort(-dist[head[on_path]], kind="stable").tolist():
            a, b = froms[i], tos[i]
            delta[a] += sigma[a] / sigma[b] * (1.0 + delta[b])
        delta[s] = 0.0
        total += delta
    if n <= 2:
        return dict.fromkeys(nodes, 0.0)
    if k is None:
        scale = np.full(n, 1 / ((n - 1) * (n - 2)))
    else:
        scale = np.full(n, 1 / (k * (n - 2)))
        scale[sources] = 1 / ((k - 1) * (n - 2)) if k > 1 else math.nan
    return dict(zip(nodes, (total * scale).tolist(), strict=True))
