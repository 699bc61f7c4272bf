"""list[Entry] -> structural neighbours: every entry's exact top-k lists, with their reasons.

The fast path of :func:`~graph_builder.analysis.similarity.similarity`, which stays the
definition. :mod:`~graph_builder.analysis.screening` screens every pair in row blocks with a
float32 estimate and keeps the few columns per row that could make the top k; this module
scores only those exactly (:class:`~graph_builder.analysis.score_arrays.CatalogueArrays`),
ranks them, and decodes the shared tags behind each score. Every score equals the definition's
bit for bit; docs/neighbours.md gives the argument.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from graph_builder.analysis.array_types import BoolArray, IntArray
from graph_builder.analysis.score_arrays import CatalogueArrays, ExactScores, FacetArrays
from graph_builder.analysis.screening import Candidates, CandidateSearch
from graph_builder.analysis.similarity import (
    NeighbourSettings,
    Score,
    check_settings,
    sibling_pairs,
)
from graph_builder.core.model import Entry, first_by_slug
from graph_builder.core.vocabulary import Vocabulary

__all__ = ["Neighbour", "NeighbourLists", "same_domain", "structural_neighbours"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Neighbour:
    """One entry in another entry's neighbour list."""

    slug: str
    score: Score
    same_domain: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class NeighbourLists:
    """An entry's neighbours: top cross-domain and top same-domain, best first."""

    cross_domain: tuple[Neighbour, ...] = ()
    same_domain: tuple[Neighbour, ...] = ()


def same_domain(a: Entry, b: Entry) -> bool:
    """True when both entries name a source frame and it is the same one."""
    return a.source_frame is not None and a.source_frame == b.source_frame


def structural_neighbours(
    entries: Sequence[Entry],
    vocabulary: Vocabulary,
    settings: NeighbourSettings = NeighbourSettings(),
    *,
    only: Collection[str] | None = None,
) -> Mapping[str, NeighbourLists]:
    """Every entry's neighbour lists by slug (entries without structural tags get empty lists).

    Only entries with a structural tag take part. Two entries are in the same domain when both
    name a source frame and it is the same; otherwise they are cross-domain. A pair is a
    neighbour when its score, rounded to 6 decimals, is at least `settings.threshold`. Each entry
    keeps its best `cross_domain_k` cross-domain and `same_domain_k` same-domain neighbours,
    ordered by rounded score descending, then slug ascending. Every score equals
    `similarity` of the entry and its neighbour, bit for bit.

    The search is exact but does not score every pair exactly: numpy estimates all scores of a
    block of rows from per-distinct-set tables, keeps the columns that could reach the top k,
    and only those are scored exactly (docs/neighbours.md has the argument).

    Args:
        entries: the catalogue. When two entries share a slug, the first by (slug, path) is used.
        vocabulary: the weights of patterns and relations.
        settings: the numbers of the definition.
        only: compute the lists of these slugs only (they still rank against every entry);
            the result then has just these keys.

    Returns:
        slug -> :class:`NeighbourLists`, sorted by slug.

    Raises:
        ValueError: a weight or setting is negative, or finer than a millionth.

    Examples:
        >>> from graph_builder.core.model import Entry
        >>> from graph_builder.core.vocabulary import default_vocabulary
        >>> def entry(slug, frame, patterns):
        ...     return Entry(path=f"{slug}.md", slug=slug, name=slug, source_frame=frame,
        ...                  embodied_patterns=patterns, structure=("cycle",))
        >>> lists = structural_neighbours(
        ...     [entry("a", "myth", ("force", "link")), entry("b", "myth", ("force",)),
        ...      entry("c", "sea", ("link",)), entry("d", None, ())],
        ...     default_vocabulary())
        >>> [(n.slug, n.score.total) for n in lists["a"].cross_domain]
        [('c', 0.425)]
        >>> [(n.slug, n.score.total) for n in lists["a"].same_domain]
        [('b', 0.325)]
        >>> lists["d"]
        NeighbourLists(cross_domain=(), same_domain=())
    """
    check_settings(settings)
    by_slug = first_by_slug(entries)
    wanted = set(by_slug) if only is None else {s for s in only if s in by_slug}
    result: dict[str, NeighbourLists] = {slug: NeighbourLists() for slug in sorted(wanted)}
    participants = [e for e in by_slug.values() if e.has_structure]
    if len(participants) < 2:
        return result
    arrays = CatalogueArrays(participants, vocabulary, settings)
    rows = np.array([i for i, e in enumerate(participants) if e.slug in wanted], dtype=np.int64)
    if len(rows) == 0:
        return result
    # The search runs its row blocks on threads of its own, so BLAS runs each matrix product
    # on the calling thread: its own threads would only compete with them, and OpenBLAS's
    # threads spin on a core for a while after every product, CPU time that buys nothing.
    with (
        threadpool_limits(limits=1, user_api="blas"),
        ThreadPoolExecutor(max_workers=_workers(settings)) as pool,
    ):
        search = CandidateSearch(arrays, pool)
        cross = _top_k(arrays, search.cross_domain(rows), settings.cross_domain_k)
        same = _top_k(arrays, search.same_domain(rows), settings.same_domain_k)
    # A million small objects in a row would trigger a cyclic collection every few hundred
    # allocations, each walking the growing heap; none of them can form a cycle.
    collecting = gc.isenabled()
    gc.disable()
    try:
        cross_lists = _neighbour_lists(arrays, *cross, same_domain=False)
        same_lists = _neighbour_lists(arrays, *same, same_domain=True)
    finally:
        if collecting:
            gc.enable()
    for i in rows.tolist():
        slug = participants[i].slug
        result[slug] = NeighbourLists(
            cross_domain=tuple(cross_lists.get(i, ())), same_domain=tuple(same_lists.get(i, ()))
        )
    return result


def _top_k(
    arrays: CatalogueArrays, candidates: Candidates, k: int
) -> tuple[IntArray, IntArray, ExactScores]:
    """Score candidate pairs exactly and keep each row's best k at or above the threshold.

    Returns the kept (rows, cols) sorted by row, then rounded score descending, then slug
    ascending (column index order is slug order), with their canonical scores.
    """
    rows, cols = candidates.rows, candidates.cols
    exact = arrays.exact(rows, cols)
    above = np.flatnonzero(exact.total >= arrays.settings.threshold)
    rows, cols, exact = rows[above], cols[above], exact.take(above)
    order = np.lexsort((cols, -exact.total, rows))
    rows, cols, exact = rows[order], cols[order], exact.take(order)
    keep = np.flatnonzero(np.arange(len(rows)) - np.searchsorted(rows, rows) < k)
    return rows[keep], cols[keep], exact.take(keep)


def _workers(settings: NeighbourSettings) -> int:
    if settings.workers > 0:
        return settings.workers
    return max(1, min(2, os.cpu_count() or 1))


class _TagSets:
    """Decode rows of a tag-membership matrix into sorted tag tuples, each distinct row once.

    Reasons repeat: thousands of pairs share `('iteration', 'link')`. A row is encoded as an
    integer bit mask (bytes beyond 62 tags), and each distinct mask is decoded once.
    """

    def __init__(self, tags: Sequence[str]) -> None:
        self.tags = tuple(tags)
        self._decoded: dict[int | bytes, tuple[str, ...]] = {}

    def codes(self, members: BoolArray) -> Sequence[int | bytes]:
        if len(self.tags) <= 62:
            bits = np.left_shift(np.int64(1), np.arange(len(self.tags), dtype=np.int64))
            codes: list[int] = (members.astype(np.int64) @ bits).tolist()
            return codes
        return [row.tobytes() for row in np.packbits(members, axis=1)]

    def rows(self, members: BoolArray) -> list[tuple[str, ...]]:
        """The tags of each row of `members`, sorted."""
        if len(self.tags) <= 62 and len(members):
            bits = np.left_shift(np.int64(1), np.arange(len(self.tags), dtype=np.int64))
            unique, inverse = np.unique(members.astype(np.int64) @ bits, return_inverse=True)
            decoded = [self.decode(code) for code in unique.tolist()]
            return [decoded[i] for i in inverse.reshape(-1).tolist()]
        return [self.decode(code) for code in self.codes(members)]

    def decode(self, code: int | bytes) -> tuple[str, ...]:
        found = self._decoded.get(code)
        if found is None:
            if isinstance(code, bytes):
                bits = np.unpackbits(np.frombuffer(code, dtype=np.uint8))[: len(self.tags)]
                found = tuple(t for t, bit in zip(self.tags, bits.tolist(), strict=True) if bit)
            else:
                found = tuple(t for i, t in enumerate(self.tags) if code >> i & 1)
            self._decoded[code] = found
        return found


def _shared_tags(
    members: BoolArray, a: IntArray, b: IntArray, tag_sets: _TagSets
) -> list[tuple[str, ...]]:
    """The tags rows a[i] and b[i] of `members` share, as sorted tuples."""
    return tag_sets.rows(members[a] & members[b])


def _sibling_pairs_of(
    facet: FacetArrays, a: IntArray, b: IntArray, tag_sets: _TagSets
) -> list[tuple[tuple[str, str], ...]]:
    """The sibling pairs of entry pairs (a[i], b[i]) in one facet, as `sibling_pairs` has them."""
    if not facet.has_siblings:
        return [()] * len(a)
    ma, mb = facet.members[facet.set_id[a]], facet.members[facet.set_id[b]]
    left_a = tag_sets.codes(ma & ~mb & facet.sibling_capable)
    left_b = tag_sets.codes(mb & ~ma & facet.sibling_capable)
    cache: dict[tuple[int | bytes, int | bytes], tuple[tuple[str, str], ...]] = {}
    out: list[tuple[tuple[str, str], ...]] = []
    for key in zip(left_a, left_b, strict=True):
        pairs = cache.get(key)
        if pairs is None:
            pairs = sibling_pairs(tag_sets.decode(key[0]), tag_sets.decode(key[1]))
            cache[key] = pairs
        out.append(pairs)
    return out


def _neighbour_lists(
    arrays: CatalogueArrays,
    rows: IntArray,
    cols: IntArray,
    exact: ExactScores,
    *,
    same_domain: bool,
) -> dict[int, list[Neighbour]]:
    """Neighbour objects with their reasons, from the canonical scores of the kept pairs.

    The reasons are the same sets `similarity` reports, computed for all pairs at once
    as bit masks over each facet's tags.
    """
    out: dict[int, list[Neighbour]] = {}
    slugs = [e.slug for e in arrays.entries]
    pf, rf, gr = arrays.patterns, arrays.relations, arrays.groups
    p_tags, r_tags, s_tags = _TagSets(pf.tags), _TagSets(rf.tags), _TagSets(gr.names)
    shared_p = _shared_tags(pf.members, pf.set_id[rows], pf.set_id[cols], p_tags)
    shared_r = _shared_tags(rf.members, rf.set_id[rows], rf.set_id[cols], r_tags)
    shared_s = _shared_tags(gr.members, gr.group[rows], gr.group[cols], s_tags)
    sibling_p = _sibling_pairs_of(pf, rows, cols, p_tags)
    sibling_r = _sibling_pairs_of(rf, rows, cols, r_tags)
    totals, patterns, relations, structure, level = (
        exact.total.tolist(),
        exact.patterns.tolist(),
        exact.relations.tolist(),
        exact.structure.tolist(),
        exact.level.tolist(),
    )
    for n, (i, j) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
        score = Score(
            total=totals[n],
            patterns=patterns[n],
            relations=relations[n],
            structure=structure[n],
            level=level[n],
            shared_patterns=shared_p[n],
            shared_relations=shared_r[n],
            sibling_relations=sibling_r[n],
            shared_structures=shared_s[n],
            level_match=level[n] == 1.0,
            sibling_patterns=sibling_p[n],
        )
        out.setdefault(i, []).append(Neighbour(slug=slugs[j], score=score, same_domain=same_domain))
    return out
