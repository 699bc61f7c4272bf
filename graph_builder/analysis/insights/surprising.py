"""Neighbour graph + families -> surprising pairs: strong links across domain, kind and family."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from graph_builder.analysis.insights.families import FamilyReport
from graph_builder.analysis.insights.neighbour_edges import neighbour_graph
from graph_builder.analysis.insights.settings import InsightSettings
from graph_builder.analysis.neighbours import NeighbourLists
from graph_builder.analysis.similarity import level_match
from graph_builder.core.model import Entry

__all__ = ["PairReasons", "SurprisingPair", "surprising_pairs"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PairReasons:
    """Why two entries are neighbours: the tags they share and whether their level matches."""

    shared_patterns: tuple[str, ...] = ()
    shared_relations: tuple[str, ...] = ()
    sibling_relations: tuple[tuple[str, str], ...] = ()
    shared_structures: tuple[str, ...] = ()
    level_match: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class SurprisingPair:
    """A strong cross-domain neighbour pair whose entries differ in kind and in family.

    `family_links` counts every neighbour edge between the two families (this pair included):
    the fewer, the further apart the families are.
    """

    a: str
    b: str
    score: float
    family_a: str
    family_b: str
    family_links: int
    reasons: PairReasons


def _pair_reasons(
    a: Entry, b: Entry, neighbour_lists: Mapping[str, NeighbourLists] | None
) -> PairReasons:
    """Why a and b are neighbours: the reasons of the score their lists hold, read from a's side."""
    if neighbour_lists is not None:
        for source, target in ((a.slug, b.slug), (b.slug, a.slug)):
            lists = neighbour_lists.get(source)
            if lists is None:
                continue
            for neighbour in (*lists.cross_domain, *lists.same_domain):
                if neighbour.slug == target:
                    score = neighbour.score
                    # Each sibling pair reads (a's tag, b's tag), whichever list it came from.
                    siblings = tuple(
                        (y, x) if x not in a.relation_types and y in a.relation_types else (x, y)
                        for x, y in score.sibling_relations
                    )
                    return PairReasons(
                        shared_patterns=tuple(score.shared_patterns),
                        shared_relations=tuple(score.shared_relations),
                        sibling_relations=tuple(siblings),
                        shared_structures=tuple(score.shared_structures),
                        level_match=score.level_match,
                    )
    # Without the neighbour lists, the exact shared tags are still a faithful reason.
    return PairReasons(
        shared_patterns=tuple(sorted(set(a.embodied_patterns) & set(b.embodied_patterns))),
        shared_relations=tuple(sorted(set(a.relation_types) & set(b.relation_types))),
        shared_structures=tuple(sorted(set(a.structure) & set(b.structure))),
        level_match=level_match(a.abstraction_level, b.abstraction_level),
    )


def surprising_pairs(
    graph: nx.Graph,
    entries: Mapping[str, Entry],
    families: FamilyReport,
    neighbour_lists: Mapping[str, NeighbourLists] | None = None,
    settings: InsightSettings = InsightSettings(),
) -> tuple[SurprisingPair, ...]:
    """The strongest cross-domain neighbour pairs that join different kinds and distant families.

    A pair qualifies when its edge is of kind "cross", the two entries have different `kind`s,
    and they sit in different families (an unplaced entry is a family of its own) that are not
    close: two families are close when either is the other's nearest, the family it shares the
    most neighbour edges with (ties broken by family slug). Neighbouring families such as a
    "cycle" family and an "equilibrium" family share many strong links, and those links say
    less than one that crosses the map. When no pair joins distant families (a catalogue of
    two families, say), pairs of close families are taken instead, rather than none.

    Pairs are ordered by score descending, then by how few neighbour edges join their two
    families, then by slugs.

    Args:
        graph: the catalogue graph.
        entries: every node's entry, by slug.
        families: the families.
        neighbour_lists: the neighbour lists, whose scores give the reasons (sibling subtypes
            included); without them the reasons are the exactly shared tags.
        settings: how many pairs to return.

    Returns:
        At most `settings.surprising_count` pairs, slugs of each pair in ascending order.
    """
    neighbours = neighbour_graph(graph)

    def family(slug: str) -> str:
        return families.family_of.get(slug, "") or f"~{slug}"

    between: Counter[tuple[str, str]] = Counter()
    for u, v in neighbours.edges:
        fu, fv = family(u), family(v)
        if fu != fv:
            between[(fu, fv) if fu < fv else (fv, fu)] += 1
    nearest: dict[str, tuple[int, str]] = {}
    for (fa, fb), links in sorted(between.items()):
        for one, other in ((fa, fb), (fb, fa)):
            best = nearest.get(one)
            if best is None or (-links, other) < (-best[0], best[1]):
                nearest[one] = (links, other)

    def close(fu: str, fv: str) -> bool:
        return nearest[fu][1] == fv or nearest[fv][1] == fu

    distant: list[tuple[float, int, str, str]] = []
    near: list[tuple[float, int, str, str]] = []
    for u, v, data in neighbours.edges(data=True):
        if data["kind"] != "cross" or entries[u].kind == entries[v].kind:
            continue
        fu, fv = family(u), family(v)
        if fu == fv:
            continue
        links = between[(fu, fv) if fu < fv else (fv, fu)]
        (near if close(fu, fv) else distant).append((-data["weight"], links, u, v))
    candidates = sorted(distant or near)
    return tuple(
        SurprisingPair(
            a=u,
            b=v,
            score=-negative,
            family_a=families.family_of.get(u, ""),
            family_b=families.family_of.get(v, ""),
            family_links=links,
            reasons=_pair_reasons(entries[u], entries[v], neighbour_lists),
        )
        for negative, links, u, v in candidates[: settings.surprising_count]
    )
