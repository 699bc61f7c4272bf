"""Catalogue graph + entries -> insights: families, bridges, domain map, surprising pairs, gaps.

Every function here is a pure computation over the neighbour graph (nodes are entry slugs, edges
carry `kind` in {"cross", "same", "related"} and `weight` = similarity score) and the entries that
give each node its tags, frame and kind. Only neighbour edges ("cross" and "same") count: an
explicit `related` link is a contributor's judgement, not a shared shape.

All results are deterministic: nodes and edges are fed to the algorithms in sorted order, random
choices use a fixed seed, and every list has a total tie-break that ends on the slug.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import networkx as nx

from graph_builder.analysis.algorithms import betweenness, louvain_communities
from graph_builder.analysis.neighbours import NeighbourLists
from graph_builder.core.model import Entry
from graph_builder.core.slugs import uri_slug
from graph_builder.core.vocabulary import Vocabulary, parent_of

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

#: Edge kinds that come from the similarity score; `related` edges are left out of every insight.
NEIGHBOUR_EDGE_KINDS: frozenset[str] = frozenset({"cross", "same"})

#: Marks a graph `neighbour_graph` made, so passing it again costs nothing.
_NEIGHBOUR_GRAPH = "graph_builder_neighbour_graph"

#: The facets that make up an entry's shape, in the order names and signatures show them.
_FACETS: tuple[str, ...] = ("structure", "relation", "pattern")


@dataclass(frozen=True, slots=True, kw_only=True)
class InsightSettings:
    """The knobs of the insight computations, with their defaults.

    `resolution` is Louvain's: above 1 favours more, smaller families; below 1 fewer, larger ones.
    Louvain runs `louvain_runs` times (seeds `seed`, `seed + 1`, …) on catalogues of up to
    `louvain_runs_limit` entries and keeps the best partition, once above (about 0.2 s a run
    at 2,000 entries). Betweenness is exact up to `exact_betweenness_limit` nodes and estimated
    from `betweenness_samples` source nodes (chosen with `seed`) above it, which keeps its cost
    linear in the catalogue size (about 0.09 s at 2,000 entries, against 1.5 s exact).
    """

    resolution: float = 1.0
    seed: int = 20240601
    louvain_runs: int = 4
    louvain_runs_limit: int = 500
    min_family_size: int = 2
    signature_size: int = 8
    bridge_count: int = 10
    exact_betweenness_limit: int = 500
    betweenness_samples: int = 100
    surprising_count: int = 15
    missing_combination_count: int = 20
    #: URIs of the open data files the site publishes, which the insights page links to.
    published: tuple[str, ...] = ()


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


@dataclass(frozen=True, slots=True, kw_only=True)
class RareTag:
    """A vocabulary term and how many entries use it."""

    facet: str
    tag: str
    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class MissingCombination:
    """A pattern and a relation that no entry has together.

    `expected` = pattern count × relation count / entries: how many entries would hold the pair if
    tags were independent, so the most telling gaps (common parts, never together) come first.
    """

    pattern: str
    relation: str
    pattern_count: int
    relation_count: int
    expected: float


@dataclass(frozen=True, slots=True, kw_only=True)
class DomainVariety:
    """A domain with little structural variety: its entries and the structures they use."""

    frame: str
    entries: tuple[str, ...]
    structures: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Gaps:
    """What the catalogue lacks: rare terms, missing combinations, one-shape domains."""

    rare_tags: tuple[RareTag, ...]
    rare_threshold: int
    missing_combinations: tuple[MissingCombination, ...]
    missing_total: int
    narrow_domains: tuple[DomainVariety, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Insights:
    """Everything the insight pages show, computed once per build."""

    families: FamilyReport
    bridges: BridgeReport
    domain_map: DomainMap
    surprising: tuple[SurprisingPair, ...]
    gaps: Gaps
    settings: InsightSettings = field(default_factory=InsightSettings)


# --------------------------------------------------------------------------------------------
# The neighbour graph


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


# --------------------------------------------------------------------------------------------
# Families


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
    for facet in _FACETS:
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
    typical.sort(key=lambda lift: (-lift.lift, -lift.count, _FACETS.index(lift.facet), lift.tag))
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

    Families are numbered from 1 by size descending, then name.

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
        >>> [(f.name, f.members) for f in report.families], report.unplaced
        ([('Cycle', ('a', 'b'))], ())
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
    slugs: set[str] = set()
    for number, (name, group, lifts) in enumerate(drafts, start=1):
        slug = base_slug = uri_slug(name)
        while slug in slugs:
            slug = f"{base_slug}-{number}"
        slugs.add(slug)
        families.append(
            Family(
                slug=slug,
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


# --------------------------------------------------------------------------------------------
# Bridges


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


# --------------------------------------------------------------------------------------------
# Domain map


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


# --------------------------------------------------------------------------------------------
# Surprising pairs


def _reasons(
    a: Entry, b: Entry, neighbour_lists: Mapping[str, NeighbourLists] | None
) -> PairReasons:
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
        level_match=a.abstraction_level is not None and a.abstraction_level == b.abstraction_level,
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
            reasons=_reasons(entries[u], entries[v], neighbour_lists),
        )
        for negative, links, u, v in candidates[: settings.surprising_count]
    )


# --------------------------------------------------------------------------------------------
# Gaps


def _facet_usage(entries: Iterable[Entry], vocabulary: Vocabulary) -> dict[str, Counter[str]]:
    usage: dict[str, Counter[str]] = {
        facet: Counter(dict.fromkeys(terms, 0))
        for facet, terms in (
            ("pattern", vocabulary.embodied_patterns),
            ("relation", vocabulary.relation_types),
            ("structure", vocabulary.structures),
            ("category", vocabulary.categories),
        )
    }
    for entry in entries:
        relations = set(entry.relation_types) | {parent_of(tag) for tag in entry.relation_types}
        usage["pattern"].update(set(entry.embodied_patterns))
        usage["relation"].update(relations)
        usage["structure"].update(set(entry.structure))
        usage["category"].update(set(entry.categories))
    return usage


def gaps(
    entries: Mapping[str, Entry],
    vocabulary: Vocabulary,
    settings: InsightSettings = InsightSettings(),
) -> Gaps:
    """What the catalogue does not cover yet, as an invitation to contributors.

    - Rare tags: vocabulary terms (patterns, relations, structures, categories) used by at most
      `max(1, N // 50)` of the N entries, fewest first. A relation parent counts the entries that
      use it bare or through a subtype.
    - Missing combinations: (pattern, relation parent) pairs no entry holds, ordered by the count
      expected if tags were independent (pattern count × relation count / N) descending, so the
      pairs of common parts come first.
    - Narrow domains: frames with two or more entries that all share a single structure (or have
      none), most entries first.

    Args:
        entries: the catalogue, by slug.
        vocabulary: the controlled vocabulary, whose unused terms are gaps too.
        settings: how many missing combinations to list.

    Returns:
        A `Gaps`.
    """
    ordered = [entries[slug] for slug in sorted(entries)]
    n = len(ordered)
    usage = _facet_usage(ordered, vocabulary)
    threshold = max(1, n // 50)
    facet_order = ("pattern", "relation", "structure", "category")
    rare = sorted(
        (
            RareTag(facet=facet, tag=tag, count=count)
            for facet in facet_order
            for tag, count in usage[facet].items()
            if count <= threshold
        ),
        key=lambda r: (r.count, facet_order.index(r.facet), r.tag),
    )

    held: set[tuple[str, str]] = set()
    for entry in ordered:
        parents = {parent_of(tag) for tag in entry.relation_types}
        held.update((p, r) for p in entry.embodied_patterns for r in parents)
    missing = [
        MissingCombination(
            pattern=pattern,
            relation=relation,
            pattern_count=usage["pattern"][pattern],
            relation_count=usage["relation"][relation],
            expected=(usage["pattern"][pattern] * usage["relation"][relation] / n) if n else 0.0,
        )
        for pattern in vocabulary.embodied_patterns
        for relation in vocabulary.relation_parents()
        if (pattern, relation) not in held
    ]
    missing.sort(key=lambda m: (-m.pattern_count * m.relation_count, m.pattern, m.relation))

    by_frame: dict[str, list[Entry]] = defaultdict(list)
    for entry in ordered:
        if entry.source_frame:
            by_frame[entry.source_frame].append(entry)
    narrow = []
    for frame, members in by_frame.items():
        structures = sorted({s for entry in members for s in entry.structure})
        if len(members) >= 2 and len(structures) <= 1:
            narrow.append(
                DomainVariety(
                    frame=frame,
                    entries=tuple(e.slug for e in members),
                    structures=tuple(structures),
                )
            )
    narrow.sort(key=lambda d: (-len(d.entries), d.frame))
    return Gaps(
        rare_tags=tuple(rare),
        rare_threshold=threshold,
        missing_combinations=tuple(missing[: settings.missing_combination_count]),
        missing_total=len(missing),
        narrow_domains=tuple(narrow),
    )


# --------------------------------------------------------------------------------------------
# All at once


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
