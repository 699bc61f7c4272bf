"""Entries, scores and neighbour lists -> the text `neighbours`, `explain` and `new` print."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from graph_builder.analysis.neighbours import NeighbourLists, same_domain
from graph_builder.analysis.similarity import NeighbourSettings, Score
from graph_builder.core.characters import printable
from graph_builder.core.labels import NO_DOMAIN
from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import Vocabulary, parent_of

__all__ = ["format_explanation", "format_neighbours", "rank_note", "suggest"]


def suggest(slug: str, slugs: Sequence[str]) -> str | None:
    """The known slug a mistyped or shortened one most likely means, if any.

    A slug that holds what was typed comes first (`rupture` -> `rupture-and-repair`, the
    shortest such), then the closest spelling (`phenix` -> `phoenix`).

    >>> suggest("rupture", ["phoenix", "rupture-and-repair"]), suggest("phenix", ["phoenix"])
    ('rupture-and-repair', 'phoenix')
    """
    word = slug.strip().lower()
    holding = sorted((s for s in slugs if word and word in s), key=lambda s: (len(s), s))
    if holding:
        return holding[0]
    found = difflib.get_close_matches(word, slugs, n=1, cutoff=0.6)
    return found[0] if found else None


def _label(entry: Entry) -> str:
    frame = printable(entry.source_frame) if entry.source_frame else NO_DOMAIN
    return f"{printable(entry.name or entry.slug)} ({printable(entry.slug)}, {frame})"


def _shared_tags(score: Score) -> str:
    parts = []
    relations = [*score.shared_relations, *(f"{a}~{b}" for a, b in score.sibling_relations)]
    patterns = [*score.shared_patterns, *(f"{a}~{b}" for a, b in score.sibling_patterns)]
    if patterns:
        parts.append("patterns: " + ", ".join(patterns))
    if relations:
        parts.append("relations: " + ", ".join(relations))
    if score.shared_structures:
        parts.append("structure: " + ", ".join(score.shared_structures))
    if score.level_match:
        parts.append("same level")
    return printable(" · ".join(parts) or "nothing shared")


def format_neighbours(
    entry: Entry,
    lists: NeighbourLists,
    entries_by_slug: Mapping[str, Entry],
    settings: NeighbourSettings = NeighbourSettings(),
) -> str:
    """An entry's two neighbour lists as text: rank, score, the neighbour, what they share."""
    lines = [_label(entry), ""]
    if not entry.has_structure:
        lines.append("No structural tags (embodied_patterns, relation_types, structure,")
        lines.append("abstraction_level): this entry takes no part in the neighbour lists.")
        return "\n".join(lines) + "\n"
    sections = (
        ("Cross-domain", settings.cross_domain_k, lists.cross_domain),
        ("Same-domain", settings.same_domain_k, lists.same_domain),
    )
    for title, k, found in sections:
        lines.append(f"{title} neighbours (top {k}, score >= {settings.threshold}):")
        if not found:
            lines.append("  none")
        for rank, neighbour in enumerate(found, start=1):
            other = entries_by_slug.get(neighbour.slug)
            label = _label(other) if other else printable(neighbour.slug)
            lines.append(f"  {rank:>2}. {neighbour.score.total:.6f}  {label}")
            lines.append(f"      {_shared_tags(neighbour.score)}")
        lines.append("")
    return "\n".join(lines)


def _weights(tags: Sequence[str], weight: Any) -> str:
    return ", ".join(f"{t} ({weight(parent_of(t)):g})" for t in sorted(tags)) or "-"


def format_explanation(
    a: Entry,
    b: Entry,
    score: Score,
    vocabulary: Vocabulary,
    settings: NeighbourSettings = NeighbourSettings(),
    notes: Sequence[str] = (),
) -> str:
    """sim(A, B) taken apart: each component, its factor and points, and the tags behind it.

    Args:
        a: the first entry.
        b: the second entry.
        score: :func:`graph_builder.analysis.neighbours.similarity` of the two.
        vocabulary: for the weights shown beside each tag.
        settings: the factors and the credit used.
        notes: lines to add at the end (where each entry stands in the other's list).
    """
    s = settings
    relation_pairs = ", ".join(f"{x} ~ {y}" for x, y in score.sibling_relations)
    pattern_pairs = ", ".join(f"{x} ~ {y}" for x, y in score.sibling_patterns)
    domain = "same domain" if same_domain(a, b) else "cross-domain"
    rows = [
        ("patterns", score.patterns, s.pattern_factor),
        ("relations", score.relations, s.relation_factor),
        ("structure", score.structure, s.structure_factor),
        ("level", score.level, s.level_factor),
    ]
    lines = [
        f"A: {_label(a)}",
        f"B: {_label(b)}",
        f"{domain}; score {score.total:.6f} (shown as {score.total:.3f})",
        "",
        f"  {'component':<10} {'value':>8}   {'factor':>6}   {'points':>8}",
    ]
    for name, value, factor in rows:
        lines.append(f"  {name:<10} {value:>8.6f} x {factor:>6g} = {value * factor:>8.6f}")
    lines.append(
        f"  {'total':<10} {'':>8}   {'':>6}   {score.total:>8.6f}  (rounded to 6 decimals)"
    )
    lines.append("")
    pa, pb = set(a.embodied_patterns), set(b.embodied_patterns)
    ra, rb = set(a.relation_types), set(b.relation_types)
    lines += [
        "patterns (weighted Jaccard; a tag weighs what its parent weighs):",
        f"  shared:   {_weights(score.shared_patterns, vocabulary.pattern_weight)}",
    ]
    if pattern_pairs:
        lines.append(f"  siblings: {pattern_pairs} (each earns {s.sibling_credit:g} of the weight)")
    lines += [
        f"  only A:   {_weights(sorted(pa - pb), vocabulary.pattern_weight)}",
        f"  only B:   {_weights(sorted(pb - pa), vocabulary.pattern_weight)}",
        "relations (weighted Jaccard, sibling subtypes earn partial credit):",
        f"  shared:   {_weights(score.shared_relations, vocabulary.relation_weight)}",
        f"  siblings: {relation_pairs or '-'}"
        + (f" (each earns {s.sibling_credit:g} of its parent's weight)" if relation_pairs else ""),
        f"  only A:   {_weights(sorted(ra - rb), vocabulary.relation_weight)}",
        f"  only B:   {_weights(sorted(rb - ra), vocabulary.relation_weight)}",
        "structure (Jaccard):",
        f"  shared:   {', '.join(score.shared_structures) or '-'}"
        f"   (A: {', '.join(a.structure) or '-'}; B: {', '.join(b.structure) or '-'})",
        "level:",
        f"  A: {a.abstraction_level or '-'}; B: {b.abstraction_level or '-'}"
        + ("  (match)" if score.level_match else "  (no match: both must be set and equal)"),
    ]
    if notes:
        lines.append("")
        lines.extend(notes)
    return "\n".join(printable(line) for line in lines) + "\n"


def rank_note(a: Entry, b: Entry, lists: NeighbourLists, settings: NeighbourSettings) -> str:
    """Where `b` stands in `a`'s list: its rank, or why it is not there."""
    same = same_domain(a, b)
    found = lists.same_domain if same else lists.cross_domain
    k = settings.same_domain_k if same else settings.cross_domain_k
    which = "same-domain" if same else "cross-domain"
    for rank, neighbour in enumerate(found, start=1):
        if neighbour.slug == b.slug:
            return f"{b.slug} is #{rank} of {a.slug}'s {which} neighbours"
    if len(found) < k:
        return (
            f"{b.slug} is not among {a.slug}'s {which} neighbours "
            f"(the list has room; the score is below {settings.threshold})"
        )
    return (
        f"{b.slug} is not among {a.slug}'s {which} neighbours "
        f"(the {_ordinal(k)} scores {found[-1].score.total:.6f})"
    )


def _ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st …

    >>> [_ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 103)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '103rd']
    """
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"
