"""Catalogue graph + entries -> insights: families, bridges, domain map, surprising pairs, gaps.

Every function here is a pure computation over the neighbour graph (nodes are entry slugs, edges
carry `kind` in {"cross", "same", "related"} and `weight` = similarity score) and the entries that
give each node its tags, frame and kind. Only neighbour edges ("cross" and "same") count: an
explicit `related` link is a contributor's judgement, not a shared shape.

All results are deterministic: nodes and edges are fed to the algorithms in sorted order, random
choices use a fixed seed, and every list has a total tie-break that ends on the slug.

One module a concern, each public name re-exported here: `neighbour_edges` (the graph every
insight reads), `families`, `bridging`, `domain_links`, `surprising`, `coverage` (the gaps),
`settings` and `compute` (all of them at once, as the site and `graph-builder insights` use).
"""

from __future__ import annotations

from graph_builder.analysis.insights.bridging import Bridge, BridgeReport, bridges
from graph_builder.analysis.insights.compute import Insights, compute_insights
from graph_builder.analysis.insights.coverage import (
    DomainVariety,
    Gaps,
    MissingCombination,
    RareTag,
    gaps,
)
from graph_builder.analysis.insights.domain_links import DomainLink, DomainMap, domain_map
from graph_builder.analysis.insights.families import (
    Family,
    FamilyReport,
    TagLift,
    structural_families,
)
from graph_builder.analysis.insights.neighbour_edges import (
    NEIGHBOUR_EDGE_KINDS,
    neighbour_graph,
    neighbour_lists_graph,
)
from graph_builder.analysis.insights.settings import InsightSettings
from graph_builder.analysis.insights.surprising import PairReasons, SurprisingPair, surprising_pairs

__all__ = [
    "NEIGHBOUR_EDGE_KINDS",
    "Bridge",
    "BridgeReport",
    "DomainLink",
    "DomainMap",
    "DomainVariety",
    "Family",
    "FamilyReport",
    "Gaps",
    "InsightSettings",
    "Insights",
    "MissingCombination",
    "PairReasons",
    "RareTag",
    "SurprisingPair",
    "TagLift",
    "bridges",
    "compute_insights",
    "domain_map",
    "gaps",
    "neighbour_graph",
    "neighbour_lists_graph",
    "structural_families",
    "surprising_pairs",
]
