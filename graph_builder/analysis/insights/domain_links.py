"""Neighbour graph + entries -> the domain map: which domains the neighbour pairs join."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import networkx as nx

from graph_builder.analysis.insights.neighbour_edges import neighbour_graph
from graph_builder.core.model import Entry

__all__ = ["DomainLink", "DomainMap", "domain_map"]


@dataclass(frozen=True, slots=True, kw_only=True)
class DomainLink:
    """Two domains (a < b) and how many cross-domain neighbour pairs join them."""

    a: str
    b: str
    pairs: int


@dataclass(frozen=True, slots=True, kw_only=True)
class DomainMap:
    """Domains (frame -> entry count) and the links between them, strongest first."""

    domains: Mapping[str, int]
    links: tuple[DomainLink, ...]

    def links_of(self, frame: str) -> tuple[tuple[str, int], ...]:
        """The domains sharing neighbour pairs with `frame`: (other, pairs), strongest first."""
        found = [
            (link.b if link.a == frame else link.a, link.pairs)
            for link in self.links
            if frame in (link.a, link.b)
        ]
        return tuple(sorted(found, key=lambda item: (-item[1], item[0])))


def domain_map(graph: nx.Graph, entries: Mapping[str, Entry]) -> DomainMap:
    """Domains linked by the neighbour pairs that cross between them.

    A link (A, B) counts the neighbour edges whose ends have source frames A and B, A ≠ B; entries
    without a frame belong to no domain and are left out.

    Args:
        graph: the catalogue graph.
        entries: every node's entry, by slug.

    Returns:
        A `DomainMap`: every frame with its entry count, and the links sorted by pairs descending,
        then frame names.

    Example:
        >>> g = nx.Graph()
        >>> g.add_edges_from([("a", "b"), ("a", "c")], kind="cross", weight=0.5)
        >>> e = {s: Entry(path="", slug=s, name=s, source_frame=f) for s, f in zip("abc", "xyy")}
        >>> domain_map(g, e).links
        (DomainLink(a='x', b='y', pairs=2),)
    """
    neighbours = neighbour_graph(graph)
    frames = Counter(frame for node in neighbours.nodes if (frame := entries[node].source_frame))
    pairs: Counter[tuple[str, str]] = Counter()
    for u, v in neighbours.edges:
        fu, fv = entries[u].source_frame, entries[v].source_frame
        if fu and fv and fu != fv:
            pairs[(fu, fv) if fu < fv else (fv, fu)] += 1
    links = tuple(
        DomainLink(a=a, b=b, pairs=count)
        for (a, b), count in sorted(pairs.items(), key=lambda item: (-item[1], item[0]))
    )
    return DomainMap(domains=MappingProxyType(dict(sorted(frames.items()))), links=links)
