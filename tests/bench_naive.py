"""The naive baseline: loaded entries -> every pair scored in plain Python, beside the fast path.

`naive_neighbours` reads the definition of a structural neighbour as directly as possible (an
O(n²) loop of float sums); `naive_comparison` times it against `structural_neighbours` on the
same entries and counts the entries whose lists agree.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from graph_builder.analysis.neighbours import structural_neighbours
from graph_builder.analysis.similarity import NeighbourSettings
from graph_builder.core.load import load_entries
from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import Vocabulary, default_vocabulary, parent_of
from tests.bench_catalogue import write_catalogue

__all__ = ["naive_comparison", "naive_lines", "naive_neighbours"]


def _naive_score(a: Entry, b: Entry, vocabulary: Vocabulary, s: NeighbourSettings) -> float:
    def weighted_jaccard(x: set[str], y: set[str], weight: Callable[[str], float]) -> float:
        union = sum(weight(parent_of(t)) for t in x | y)
        if not union:
            return 0.0
        exact = sum(weight(parent_of(t)) for t in x & y)
        left_x, left_y = x - y, y - x
        partial = 0.0
        for parent in {parent_of(t) for t in left_x} & {parent_of(t) for t in left_y}:
            pairs = min(
                sum(parent_of(t) == parent for t in left_x),
                sum(parent_of(t) == parent for t in left_y),
            )
            partial += pairs * s.sibling_credit * weight(parent)
        return (exact + partial) / union

    patterns = weighted_jaccard(
        set(a.embodied_patterns), set(b.embodied_patterns), vocabulary.pattern_weight
    )
    relations = weighted_jaccard(
        set(a.relation_types), set(b.relation_types), vocabulary.relation_weight
    )
    sa, sb = set(a.structure), set(b.structure)
    structure = len(sa & sb) / len(sa | sb) if sa | sb else 0.0
    level = 1.0 if a.abstraction_level and a.abstraction_level == b.abstraction_level else 0.0
    total = (
        s.pattern_factor * patterns
        + s.relation_factor * relations
        + s.structure_factor * structure
        + s.level_factor * level
    )
    return round(total, 6)


def naive_neighbours(
    entries: Sequence[Entry], vocabulary: Vocabulary, s: NeighbourSettings = NeighbourSettings()
) -> dict[str, tuple[list[str], list[str]]]:
    """Every pair scored in plain Python floats, then sorted: the O(n²) baseline."""
    takers = [e for e in entries if e.has_structure]
    out = {}
    for a in takers:
        cross: list[tuple[float, str]] = []
        same: list[tuple[float, str]] = []
        for b in takers:
            if b.slug == a.slug:
                continue
            score = _naive_score(a, b, vocabulary, s)
            if score >= s.threshold:
                in_domain = a.source_frame is not None and a.source_frame == b.source_frame
                (same if in_domain else cross).append((-score, b.slug))
        cross.sort()
        same.sort()
        out[a.slug] = (
            [slug for _, slug in cross[: s.cross_domain_k]],
            [slug for _, slug in same[: s.same_domain_k]],
        )
    return out


def naive_comparison(n: int, workdir: Path) -> dict[str, Any]:
    """The naive loop and the fast path over the same `n` loaded entries, and the ratio."""
    folder = workdir / f"naive-{n}"
    write_catalogue(folder, n, seed=1)
    entries = load_entries(folder).entries
    vocabulary = default_vocabulary()
    start = time.perf_counter()
    naive = naive_neighbours(entries, vocabulary)
    naive_s = time.perf_counter() - start
    # The fast path is short enough to be disturbed by anything else the machine does: the
    # best of three runs.
    fast_times = []
    for _ in range(3):
        start = time.perf_counter()
        fast = structural_neighbours(entries, vocabulary)
        fast_times.append(time.perf_counter() - start)
    fast_s = min(fast_times)
    same = sum(
        1
        for slug, (cross, in_domain) in naive.items()
        if cross == [x.slug for x in fast[slug].cross_domain]
        and in_domain == [x.slug for x in fast[slug].same_domain]
    )
    return {"n": n, "naive s": naive_s, "fast s": fast_s, "agree": same, "compared": len(naive)}


def naive_lines(n: int, workdir: Path) -> list[str]:
    """The comparison at `n` entries as lines of text."""
    naive = naive_comparison(n, workdir)
    return [
        f"naive pairwise loop at {naive['n']:,} entries: {naive['naive s']:.1f} s; "
        f"fast path (best of 3): {naive['fast s']:.2f} s; "
        f"{naive['naive s'] / naive['fast s']:.0f}x "
        f"faster; same lists for {naive['agree']:,} of {naive['compared']:,} entries",
        "(a list can differ only where a total lies exactly half-way between two "
        "6-decimal values: float sums round those by accident, the fast path exactly)",
    ]
