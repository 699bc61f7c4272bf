"""Entries + vocabulary -> gaps: rare terms, missing combinations, domains of one shape."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graph_builder.analysis.insights.settings import InsightSettings
from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import Vocabulary, parent_of

__all__ = ["DomainVariety", "Gaps", "MissingCombination", "RareTag", "gaps"]


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
