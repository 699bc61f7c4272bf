"""Catalogue graph + entries -> every insight at once (`Insights`), computed once per build."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx

from graph_builder.analysis.insights.bridging import BridgeReport, bridges
from graph_builder.analysis.insights.coverage import Gaps, gaps
from graph_builder.analysis.insights.domain_links import DomainMap, domain_map
from graph_builder.analysis.insights.families import FamilyReport, structural_families
from graph_builder.analysis.insights.neighbour_edges import neighbour_graph
from graph_builder.analysis.insights.settings import InsightSettings
from graph_builder.analysis.insights.surprising import SurprisingPair, surprising_pairs
from graph_builder.analysis.neighbours import NeighbourLists
from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import Vocabulary

__all__ = ["Insights", "compute_insights"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Insights:
    """Everything the insight pages show, computed once per build."""

    families: FamilyReport
    bridges: BridgeReport
    domain_map: DomainMap
    surprising: tuple[SurprisingPair, ...]
    gaps: Gaps
    settings: InsightSettings = field(default_factory=InsightSettings)


def compute_insights(
    graph: nx.Graph,
    entries: Mapping[str, Entry] | Iterable[Entry],
    vocabulary: Vocabulary,
    neighbour_lists: Mapping[str, NeighbourLists] | None = None,
    settings: InsightSettings = InsightSettings(),
) -> Insights:
    """Every insight of the catalogue, computed once (the plugin calls this per build).

    Args:
        graph: the catalogue graph; its nodes are entry slugs.
        entries: the entries, by slug or as a sequence.
        vocabulary: the controlled vocabulary (for the gaps).
        neighbour_lists: the neighbour lists, for the reasons of surprising pairs.
        settings: the knobs of every computation.

    Returns:
        An `Insights`.
    """
    by_slug: dict[str, Entry] = (
        dict(entries.items()) if isinstance(entries, Mapping) else {e.slug: e for e in entries}
    )
    # Only entries in the graph take part; a graph node without an entry is a caller's bug.
    in_graph = {str(node): by_slug[str(node)] for node in graph.nodes}
    graph = neighbour_graph(graph)  # once, for every computation below
    families = structural_families(graph, in_graph, settings)
    return Insights(
        families=families,
        bridges=bridges(graph, in_graph, families, settings),
        domain_map=domain_map(graph, in_graph),
        surprising=surprising_pairs(graph, in_graph, families, neighbour_lists, settings),
        gaps=gaps(in_graph, vocabulary, settings),
        settings=settings,
    )
