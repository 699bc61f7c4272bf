"""Neighbour graph + families -> bridges: the entries most shortest neighbour paths run through."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from graph_builder.analysis.algorithms import betweenness
from graph_builder.analysis.insights.families import FamilyReport
from graph_builder.analysis.insights.neighbour_edges import neighbour_graph
from graph_builder.analysis.insights.settings import InsightSettings
from graph_builder.core.model import Entry

__all__ = ["Bridge", "BridgeReport", "bridges"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Bridge:
    """An entry many shortest neighbour paths run through.

    `families` and `domains` count the entry's neighbours by family slug (`""` when unplaced) and
    by frame (`""` when frameless), most frequent first.
    """

    slug: str
    centrality: float
    family: str
    families: tuple[tuple[str, int], ...]
    domains: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeReport:
    """The top bridges and how their centrality was computed (exact, or from `sources` samples)."""

    bridges: tuple[Bridge, ...]
    exact: bool
    sources: int


def _ranked_counts(values: Iterable[str]) -> tuple[tuple[str, int], ...]:
    counts = Counter(values)
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def bridges(
    graph: nx.Graph,
    entries: Mapping[str, Entry],
    families: FamilyReport,
    settings: InsightSettings = InsightSettings(),
) -> BridgeReport:
    """The entries with the highest betweenness centrality in the neighbour graph.

    Betweenness of v is Σ σ(s, t | v) / σ(s, t) over pairs s ≠ t ≠ v, normalised by
    2 / ((n - 1)(n - 2)) as networkx does for undirected graphs, where σ counts shortest paths.
    Path length is the sum of edge distances, distance = 1 / score. We take 1 / score rather than
    1 - score because it is positive for every edge (a score of 1 would give a zero-length edge
    and make many paths tie) and every hop costs at least 1, so a bridge is an entry that joins
    regions, not the middle of a chain of near-identical entries; a strong link still costs less
    than a weak one.

    Exact up to `settings.exact_betweenness_limit` nodes; above, networkx's estimate from
    `settings.betweenness_samples` source nodes drawn with `settings.seed`, so the cost stays
    linear in the number of entries.

    Args:
        graph: the catalogue graph.
        entries: every node's entry, by slug.
        families: the families, to say which ones a bridge joins.
        settings: how many bridges and the exact/sampled switch.

    Returns:
        A `BridgeReport` with at most `settings.bridge_count` entries of non-zero centrality,
        highest first, ties by slug.

    Example:
        >>> g = nx.Graph()
        >>> g.add_edges_from([("a", "b"), ("b", "c")], kind="cross", weight=0.5)
        >>> e = {s: Entry(path=f"{s}.md", slug=s, name=s) for s in "abc"}
        >>> from graph_builder.analysis.insights.families import structural_families
        >>> fams = structural_families(g, e)
        >>> [(b.slug, b.centrality) for b in bridges(g, e, fams).bridges]
        [('b', 1.0)]
    """
    neighbours = neighbour_graph(graph)
    n = neighbours.number_of_nodes()
    exact = n <= max(settings.exact_betweenness_limit, settings.betweenness_samples)
    sources = n if exact else max(2, settings.betweenness_samples)
    centrality = betweenness(neighbours, k=None if exact else sources, seed=settings.seed)
    ranked = sorted(
        ((slug, value) for slug, value in centrality.items() if value > 1e-12),
        key=lambda item: (-round(item[1], 12), item[0]),
    )[: settings.bridge_count]
    found = []
    for slug, value in ranked:
        around = sorted(neighbours.neighbors(slug))
        found.append(
            Bridge(
                slug=slug,
                centrality=value,
                family=families.family_of.get(slug, ""),
                families=_ranked_counts(families.family_of.get(s, "") for s in around),
                domains=_ranked_counts(entries[s].source_frame or "" for s in around),
            )
        )
    return BridgeReport(bridges=tuple(found), exact=exact, sources=sources)
