"""Neighbour graph + entries -> structural families: Louvain communities, named by their tags."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import networkx as nx

from graph_builder.analysis.algorithms import louvain_communities
from graph_builder.analysis.insights.neighbour_edges import neighbour_graph
from graph_builder.analysis.insights.settings import InsightSettings
from graph_builder.core.model import Entry

__all__ = ["Family", "FamilyReport", "TagLift", "structural_families"]

#: The facets that make up an entry's shape, in the order names and signatures show them.
_SHAPE_FACETS: tuple[str, ...] = ("structure", "relation", "pattern")


@dataclass(frozen=True, slots=True, kw_only=True)
class TagLift:
    """How over-represented one tag is in a family.

    lift = (count / size) / (overall / total): 1 means as common as in the whole catalogue.
    """

    facet: str
    tag: str
    count: int
    size: int
    overall: int
    total: int
    lift: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Family:
    """One community of the neighbour graph.

    `members` are slugs sorted; `domains` groups them by source frame (`""` for entries without
    one), frames sorted with the frameless group last.
    """

    slug: str
    number: int
    name: str
    members: tuple[str, ...]
    signature: tuple[TagLift, ...]
    domains: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class FamilyReport:
    """Every family, the family of each placed entry, and the entries left on their own."""

    families: tuple[Family, ...]
    family_of: Mapping[str, str]
    unplaced: tuple[str, ...]
    resolution: float
    seed: int

    def get(self, slug: str) -> Family | None:
        """The family with this family slug, or None."""
        for family in self.families:
            if family.slug == slug:
                return family
        return None

    def of_entry(self, entry_slug: str) -> Family | None:
        """The family an entry belongs to, or None when it is unplaced."""
        family_slug = self.family_of.get(entry_slug)
        return None if family_slug is None else self.get(family_slug)


def _entry_tags(entry: Entry) -> dict[str, frozenset[str]]:
    return {
        "structure": frozenset(entry.structure),
        "relation": frozenset(entry.relation_types),
        "pattern": frozenset(entry.embodied_patterns),
    }


def _tag_counts(entries: Iterable[Entry]) -> dict[tuple[str, str], int]:
    counts: Counter[tuple[str, str]] = Counter()
    for entry in entries:
        for facet, tags in _entry_tags(entry).items():
            counts.update((facet, tag) for tag in tags)
    return dict(counts)


def _lifts(
    members: Iterable[Entry], overall: Mapping[tuple[str, str], int], total: int
) -> list[TagLift]:
    members = list(members)
    size = len(members)
    lifts = []
    for (facet, tag), count in sorted(_tag_counts(members).items()):
        share_overall = overall[(facet, tag)] / total
        lifts.append(
            TagLift(
                facet=facet,
                tag=tag,
                count=count,
                size=size,
                overall=overall[(facet, tag)],
                total=total,
                lift=(count / size) / share_overall,
            )
        )
    return lifts


def _display_tag(tag: str) -> str:
    # A subtype reads better alone in a name ("refinement", not "transform/refinement").
    return tag.rsplit("/", 1)[-1]


def _repeats(word: str, words: Iterable[str]) -> bool:
    """True when `word` says again what one of `words` says (the same word, or one's stem)."""
    return any(word.startswith(other) or other.startswith(word) for other in words)


def _characteristic(lift: TagLift) -> tuple[float, int, str]:
    # share × lift rewards tags most members have *and* the rest of the catalogue lacks;
    # lift alone would crown a tag held by one member that happens to be rare.
    return (-(lift.count / lift.size) * lift.lift, -lift.count, lift.tag)


def _family_name(lifts: list[TagLift]) -> tuple[str, list[TagLift]]:
    """A name from the most characteristic tag of each facet; the rest ranked for tie-breaks."""
    chosen: list[TagLift] = []
    for facet in _SHAPE_FACETS:
        # `boundary` is both a structure and a pattern, `transform` a relation and the stem of
        # the structure `transformation`: a word the name already says is skipped.
        words_so_far = [_display_tag(lift.tag) for lift in chosen]
        ranked = sorted(
            (
                lift
                for lift in lifts
                if lift.facet == facet and not _repeats(_display_tag(lift.tag), words_so_far)
            ),
            key=_characteristic,
        )
        if ranked:
            chosen.append(ranked[0])
    words = [_display_tag(lift.tag) for lift in chosen]
    spare = sorted(
        (lift for lift in lifts if not _repeats(_display_tag(lift.tag), words)),
        key=_characteristic,
    )
    if words:
        words[0] = words[0][:1].upper() + words[0][1:]
    return " · ".join(words) or "Untagged", spare


def _signature(lifts: list[TagLift], size: int, limit: int) -> tuple[TagLift, ...]:
    # A tag must be held by a quarter of the family (two members at least) to count as typical.
    floor = min(size, max(2, math.ceil(size / 4)))
    typical = [lift for lift in lifts if lift.count >= floor and lift.lift > 1.0]
    typical.sort(
        key=lambda lift: (-lift.lift, -lift.count, _SHAPE_FACETS.index(lift.facet), lift.tag)
    )
    return tuple(typical[:limit])


def _by_domain(
    members: Iterable[str], entries: Mapping[str, Entry]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    groups: dict[str, list[str]] = defaultdict(list)
    for slug in members:
        groups[entries[slug].source_frame or ""].append(slug)
    order = sorted(groups, key=lambda frame: (frame == "", frame))
    return tuple((frame, tuple(sorted(groups[frame]))) for frame in order)


def _communities(graph: nx.Graph, settings: InsightSettings) -> list[set[str]]:
    """Louvain's best partition over `settings.louvain_runs` seeds (seed, seed + 1, …).

    Only up to `settings.louvain_runs_limit` nodes; a larger graph gets one run, with `seed`.

    Louvain's result depends on the order it visits nodes, which its seed shuffles; on a small
    catalogue different seeds give different partitions. Keeping the one of highest modularity
    (the first on a tie) is as deterministic as one seed and much less sensitive to it.
    """
    if not graph.number_of_edges():
        return [{node} for node in graph.nodes]
    best: list[set[str]] = []
    best_quality = -math.inf
    small = graph.number_of_nodes() <= settings.louvain_runs_limit
    runs = max(1, settings.louvain_runs) if small else 1
    for run in range(runs):
        found = louvain_communities(
            graph, weight="weight", resolution=settings.resolution, seed=settings.seed + run
        )
        if runs == 1:
            return list(found)  # nothing to compare it with
        quality = nx.community.modularity(
            graph, found, weight="weight", resolution=settings.resolution
        )
        if quality > best_quality + 1e-12:
            best, best_quality = found, quality
    return best


def structural_families(
    graph: nx.Graph,
    entries: Mapping[str, Entry],
    settings: InsightSettings = InsightSettings(),
) -> FamilyReport:
    """Communities of the neighbour graph, each named and characterised by its tags.

    The communities are Louvain's (`networkx.community.louvain_communities`) on the neighbour
    edges weighted by score, with `settings.resolution` and the fixed `settings.seed`. A community
    smaller than `settings.min_family_size` is not a family: its entries are *unplaced*.

    For a family F of size |F| in a catalogue of N tagged entries, the lift of a tag t is

        lift(t) = (|{e ∈ F : t ∈ e}| / |F|) / (|{e : t ∈ e}| / N)

    The name joins the most characteristic structure, relation and pattern, where a tag is more
    characteristic the higher share(t in F) × lift(t); a name already taken gains the next most
    characteristic tag. The signature lists tags held by at least a quarter of the family (two
    members at least) with lift > 1, highest lift first.

    Families are numbered from 1 by size descending, then name. A family's slug (its address
    on the site) is its anchor: the member written first (earliest `created`, then slug). An
    entry added later never becomes the anchor of a family that already had one, so a family
    keeps its address as the catalogue grows, unless it really splits or merges.

    Args:
        graph: the catalogue graph (see `neighbour_graph` for which edges count).
        entries: every node's entry, by slug.
        settings: resolution, seed, minimum family size and signature length.

    Returns:
        A `FamilyReport`.

    Raises:
        KeyError: a node of the graph has no entry.

    Example:
        >>> g = nx.Graph()
        >>> g.add_edge("a", "b", kind="cross", weight=0.8)
        >>> e = {s: Entry(path=f"{s}.md", slug=s, name=s, structure=("cycle",)) for s in "abc"}
        >>> report = structural_families(g, e)
        >>> [(f.slug, f.name, f.members) for f in report.families], report.unplaced
        ([('a', 'Cycle', ('a', 'b'))], ())
    """
    neighbours = neighbour_graph(graph)
    tagged = [entries[node] for node in neighbours.nodes if entries[node].has_structure]
    total = len(tagged)
    overall = _tag_counts(tagged)
    communities = _communities(neighbours, settings)
    groups = sorted((tuple(sorted(c)) for c in communities), key=lambda c: (-len(c), c))
    unplaced = sorted(s for group in groups if len(group) < settings.min_family_size for s in group)

    drafts: list[tuple[str, tuple[str, ...], list[TagLift]]] = []
    taken: set[str] = set()
    for group in groups:
        if len(group) < settings.min_family_size:
            continue
        members = [entries[s] for s in group if entries[s].has_structure]
        lifts = _lifts(members, overall, total) if members else []
        name, spare = _family_name(lifts)
        for lift in spare:
            if name not in taken:
                break
            name = f"{name} · {_display_tag(lift.tag)}"
        base, counter = name, 2
        while name in taken:
            name, counter = f"{base} ({counter})", counter + 1
        taken.add(name)
        drafts.append((name, group, lifts))

    drafts.sort(key=lambda draft: (-len(draft[1]), draft[0]))
    families = []
    for number, (name, group, lifts) in enumerate(drafts, start=1):
        families.append(
            Family(
                slug=_anchor(group, entries),
                number=number,
                name=name,
                members=group,
                signature=_signature(lifts, len(group), settings.signature_size),
                domains=_by_domain(group, entries),
            )
        )
    family_of = {member: family.slug for family in families for member in family.members}
    return FamilyReport(
        families=tuple(families),
        family_of=MappingProxyType(dict(sorted(family_of.items()))),
        unplaced=tuple(unplaced),
        resolution=settings.resolution,
        seed=settings.seed,
    )


def _anchor(members: Sequence[str], entries: Mapping[str, Entry]) -> str:
    """The member written first: earliest `created` (ISO dates sort as text), then slug."""
    first: str = min(members, key=lambda slug: (entries[slug].created or "9999-99-99", slug))
    return first
