"""list[Entry] + neighbour lists -> the catalogue graph (networkx), ego graphs and a layout.

The graph is undirected. Similarity is symmetric, so a neighbour link means the same thing seen
from either end, and an explicit `related` link is drawn as a plain connection; one edge per pair
keeps drawings and ego graphs free of doubled lines. What a direction would tell (which entry's
list holds the other) stays in the neighbour lists themselves.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx
import numpy as np

from graph_builder.analysis.array_types import FloatArray, IntArray
from graph_builder.analysis.neighbours import NeighbourLists
from graph_builder.core.model import Entry, first_by_slug
from graph_builder.core.text import strip_invisible

__all__ = ["EDGE_KINDS", "catalogue_graph", "ego_graph", "layout"]

#: Edge kinds: a cross-domain neighbour, a same-domain neighbour, an explicit `related` link.
EDGE_KINDS: tuple[str, ...] = ("cross", "same", "related")


def catalogue_graph(
    entries: Sequence[Entry], neighbour_lists: Mapping[str, NeighbourLists]
) -> nx.Graph:
    """The catalogue as an undirected graph of entries joined by neighbour and related links.

    Nodes are the slugs of `entries`, with the attributes `name`, `kind`, `source_frame`
    (None without a frame), `categories` (a tuple), `summary` and `tags` (a dict with
    `embodied_patterns`, `relation_types`, `structure` as tuples and `abstraction_level`).

    An edge joins two entries when either lists the other as a neighbour (`kind` is `cross` or
    `same`, `weight` is the similarity score, `neighbour` is True) or either names the other
    in `related` (`related` is True; an edge that is only a related link has `kind` =
    `related` and no weight). A related slug with no entry is not a node.

    Args:
        entries: the catalogue; when two share a slug, the first by (slug, path) is used.
        neighbour_lists: slug -> lists, as `neighbours.structural_neighbours` returns them;
            lists of slugs that are not entries are ignored.

    Returns:
        The graph, nodes and edges inserted in sorted order, so every export is the same.

    Examples:
        >>> from graph_builder.core.model import Entry
        >>> from graph_builder.analysis.neighbours import structural_neighbours
        >>> from graph_builder.core.vocabulary import default_vocabulary
        >>> entries = [
        ...     Entry(path="a.md", slug="a", name="A", source_frame="sea",
        ...           embodied_patterns=("flow",), related=("c", "gone")),
        ...     Entry(path="b.md", slug="b", name="B", source_frame="war",
        ...           embodied_patterns=("flow",)),
        ...     Entry(path="c.md", slug="c", name="C"),
        ... ]
        >>> G = catalogue_graph(entries, structural_neighbours(entries, default_vocabulary()))
        >>> sorted(G.edges(data="kind"))
        [('a', 'b', 'cross'), ('a', 'c', 'related')]
        >>> G.edges["a", "b"]["weight"]
        0.35
    """
    graph = nx.Graph()
    chosen = first_by_slug(entries)
    for slug, entry in chosen.items():
        graph.add_node(
            slug,
            # The graph feeds the browser graphs (names become aria-labels) and the open data.
            name=strip_invisible(entry.name),
            kind=entry.kind,
            source_frame=entry.source_frame,
            categories=entry.categories,
            summary=strip_invisible(entry.summary),
            tags={
                "embodied_patterns": entry.embodied_patterns,
                "relation_types": entry.relation_types,
                "structure": entry.structure,
                "abstraction_level": entry.abstraction_level,
            },
        )
    for slug in sorted(neighbour_lists):
        if slug not in chosen:
            continue
        lists = neighbour_lists[slug]
        for neighbour in (*lists.cross_domain, *lists.same_domain):
            if neighbour.slug not in chosen or graph.has_edge(slug, neighbour.slug):
                continue
            graph.add_edge(
                slug,
                neighbour.slug,
                kind="same" if neighbour.same_domain else "cross",
                weight=neighbour.score.total,
                neighbour=True,
                related=False,
            )
    for slug, entry in chosen.items():
        for other in sorted(set(entry.related)):
            if other == slug or other not in chosen:
                continue
            if graph.has_edge(slug, other):
                graph.edges[slug, other]["related"] = True
            else:
                graph.add_edge(slug, other, kind="related", neighbour=False, related=True)
    return graph


def ego_graph(graph: nx.Graph, slug: str, depth: int = 1) -> nx.Graph:
    """The entries within `depth` links of `slug`, with the edges among them.

    Args:
        graph: the catalogue graph.
        slug: the centre.
        depth: 1 for the entry and its direct links, 2 to add their links too.

    Returns:
        A new graph (changing it leaves `graph` untouched).

    Raises:
        ValueError: `slug` is not a node, or `depth` is below 1.
    """
    if slug not in graph:
        raise ValueError(f"no entry {slug!r} in the graph")
    if depth < 1:
        raise ValueError(f"depth must be 1 or more, not {depth}")
    ego: nx.Graph = nx.ego_graph(graph, slug, radius=depth)
    return ego


# Below this many nodes the repulsion is summed over every pair; above, on a grid.
_EXACT_LAYOUT = 400


def layout(
    graph: nx.Graph, seed: int = 1, *, iterations: int = 60
) -> dict[str, tuple[float, float]]:
    """Positions for every node, deterministic and fast enough for 100,000 entries.

    Each connected component is laid out on its own and the components are packed in rows,
    largest first, each in a square whose side grows with the square root of its size (so
    entries without links line up at the bottom instead of flying off and squeezing the rest).

    Within a component, a force-directed layout in the manner of Fruchterman and Reingold:
    linked entries attract (d² / k, times the edge weight), every pair repels (k² / d), and each
    step is capped by a temperature that cools linearly. Up to 400 nodes the repulsion is summed
    over all pairs; beyond, it is computed on a grid (the particle-mesh method): node counts are
    binned, convolved with the repulsion kernel by FFT and read back at each node, which costs
    O(n + G² log G) per step instead of O(n²).

    Args:
        graph: any graph (a directed one is laid out as undirected); nodes are sorted by their
            string form before placing.
        seed: seeds the starting positions; the same graph and seed give the same layout.
        iterations: the number of steps.

    Returns:
        node -> (x, y), centred and scaled into [-1, 1], rounded to 6 decimals.

    Examples:
        >>> G = nx.path_graph(["a", "b", "c"])
        >>> pos = layout(G, seed=3)
        >>> sorted(pos) == ["a", "b", "c"] and pos == layout(G, seed=3)
        True
        >>> abs(pos["a"][0] - pos["c"][0]) + abs(pos["a"][1] - pos["c"][1]) > 1
        True
    """
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    components = sorted(
        (sorted(c, key=str) for c in nx.connected_components(undirected)),
        key=lambda c: (-len(c), str(c[0])),
    )
    # One pass over the edges, then each component's edges in local indices.
    component_of: dict[Any, int] = {}
    local: dict[Any, int] = {}
    for number, members in enumerate(components):
        for i, node in enumerate(members):
            component_of[node] = number
            local[node] = i
    edges: list[list[tuple[int, int, float]]] = [[] for _ in components]
    for u, v, weight in undirected.edges(data="weight"):
        if u != v:
            ok = isinstance(weight, int | float) and not isinstance(weight, bool) and weight > 0
            edges[component_of[u]].append((local[u], local[v], float(weight) if ok else 1.0))
    placed: list[tuple[list[Any], FloatArray, float]] = []
    for number, members in enumerate(components):
        arrays = _edge_arrays(edges[number])
        positions_here = _component_layout(len(members), arrays, seed + number, iterations)
        radius = math.sqrt(len(members))
        placed.append((members, positions_here * radius, radius))
    positions = _pack(placed)
    if not positions:
        return {}
    everything = np.array(list(positions.values()), dtype=np.float64)
    low, high = everything.min(axis=0), everything.max(axis=0)
    cx, cy = ((low + high) / 2).tolist()
    scale = float((high - low).max()) / 2 or 1.0
    return {
        node: (round((x - cx) / scale, 6), round((y - cy) / scale, 6))
        for node, (x, y) in positions.items()
    }


def _pack(placed: Sequence[tuple[list[Any], FloatArray, float]]) -> dict[Any, tuple[float, float]]:
    """Shelf packing: components left to right in rows, a new row when the width is used up."""
    if not placed:
        return {}
    margin = 0.5
    sides = [2 * radius + margin for _, _, radius in placed]
    width = max(sides[0], math.sqrt(sum(side * side for side in sides)))
    out: dict[Any, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for (members, local, _), side in zip(placed, sides, strict=True):
        if x > 0 and x + side > width:
            x, y, row_height = 0.0, y - row_height, 0.0
        centre = (x + side / 2, y - side / 2)
        for node, (px, py) in zip(members, local.tolist(), strict=True):
            out[node] = (px + centre[0], py + centre[1])
        x += side
        row_height = max(row_height, side)
    return out


def _component_layout(
    n: int, edges: tuple[IntArray, IntArray, FloatArray], seed: int, iterations: int
) -> FloatArray:
    """Force-directed positions of one connected component, centred, within radius 1."""
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:
        return np.array([[-1.0, 0.0], [1.0, 0.0]])
    sources, targets, weights = edges
    pos = np.random.default_rng(seed).random((n, 2))
    k = math.sqrt(1.0 / n)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    repulsion = _exact_repulsion if n <= _EXACT_LAYOUT else _MeshRepulsion(n)
    for _ in range(iterations):
        disp = repulsion(pos, k)
        delta = pos[sources] - pos[targets]
        dist = np.maximum(np.hypot(delta[:, 0], delta[:, 1]), 1e-9)
        pull = (dist * weights / k)[:, None] * delta
        for axis in (0, 1):
            disp[:, axis] -= np.bincount(sources, weights=pull[:, axis], minlength=n)
            disp[:, axis] += np.bincount(targets, weights=pull[:, axis], minlength=n)
        length = np.maximum(np.hypot(disp[:, 0], disp[:, 1]), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    pos -= pos.mean(axis=0)
    reach = float(np.hypot(pos[:, 0], pos[:, 1]).max())
    return pos / reach if reach > 0 else pos


def _edge_arrays(edges: list[tuple[int, int, float]]) -> tuple[IntArray, IntArray, FloatArray]:
    """Edges (sorted, so the sums run in one order) as source, target and weight arrays."""
    edges.sort()
    sources = np.array([e[0] for e in edges], dtype=np.int64)
    targets = np.array([e[1] for e in edges], dtype=np.int64)
    weights = np.array([e[2] for e in edges], dtype=np.float64)
    return sources, targets, weights


def _exact_repulsion(pos: FloatArray, k: float) -> FloatArray:
    """Σ over the other nodes of k² / d along the line between them: O(n²).

    Row j, column i of the arrays holds node i's offset from node j, so the column sums add each
    node's terms in the order j = 0, 1, … : the same sums, to the last bit, as the plain
    `(delta * w).sum(axis=1)` over an n x n x 2 array, in a third of the time.
    """
    x = np.ascontiguousarray(pos[:, 0])
    y = np.ascontiguousarray(pos[:, 1])
    dx = x[None, :] - x[:, None]
    dy = y[None, :] - y[:, None]
    dist2 = np.maximum(dx * dx + dy * dy, 1e-12)
    np.fill_diagonal(dist2, np.inf)
    weight = (k * k) / dist2
    out = np.empty_like(pos)
    out[:, 0] = (dx * weight).sum(axis=0)
    out[:, 1] = (dy * weight).sum(axis=0)
    return out


def _fast_length(n: int) -> int:
    """The least length >= n with no prime factor above 5, where an FFT is at its fastest.

    >>> [_fast_length(n) for n in (1, 7, 127, 1023)]
    [1, 8, 128, 1024]
    """
    best = 2 * n
    fives = 1
    while fives < best:
        threes = fives
        while threes < best:
            length = threes
            while length < n:
                length *= 2
            best = min(best, length)
            threes *= 3
        fives *= 5
    return best


class _MeshRepulsion:
    """The repulsion of all nodes computed on a G x G grid by FFT convolution.

    The kernel (a unit-distance grid of k² r / |r|² vectors) is transformed once; each step bins
    the nodes, multiplies the transforms and reads the field back at each node's cell. Nodes in
    one cell do not push each other, which only matters below the grid's resolution. The
    transforms are numpy's: importing scipy's would cost a build a quarter of a second.
    """

    def __init__(self, n: int) -> None:
        self.size = int(min(512, max(64, 2 * math.sqrt(n))))
        g = self.size
        self.shape = (_fast_length(2 * g - 1), _fast_length(2 * g - 1))
        offsets = np.arange(-(g - 1), g, dtype=np.float64)
        dx, dy = np.meshgrid(offsets, offsets, indexing="ij")
        r2 = dx**2 + dy**2
        r2[g - 1, g - 1] = np.inf
        self.kernel = (
            np.fft.rfft2(dx / r2, s=self.shape),
            np.fft.rfft2(dy / r2, s=self.shape),
        )

    def __call__(self, pos: FloatArray, k: float) -> FloatArray:
        g = self.size
        low = pos.min(axis=0)
        span = max(float((pos.max(axis=0) - low).max()), 1e-9)
        cell = span / (g - 1)
        cells = np.clip(np.rint((pos - low) / cell).astype(np.int64), 0, g - 1)
        flat = cells[:, 0] * g + cells[:, 1]
        density = np.bincount(flat, minlength=g * g).reshape(g, g).astype(np.float64)
        spectrum = np.fft.rfft2(density, s=self.shape)
        out = np.empty_like(pos)
        for axis, kernel in enumerate(self.kernel):
            field = np.fft.irfft2(spectrum * kernel, s=self.shape)[
                g - 1 : 2 * g - 1, g - 1 : 2 * g - 1
            ]
            # The kernel is in grid units: k² / (cell · |m|) for a true distance of cell · |m|.
            out[:, axis] = field.reshape(-1)[flat] * (k * k / cell)
        return out
