"""Participating entries -> their tag sets as numpy arrays, and exact scores of many pairs at once.

Entries with the same tag set share a row, so the arrays grow with the distinct sets, not the
entries. :meth:`CatalogueArrays.exact` is :func:`~graph_builder.analysis.similarity.similarity`'s
arithmetic vectorised: the same integer sums, the same divisions, the same order of the weighted
sum and the same exact rounding at a half-way total, so its numbers equal the definition's bit
for bit. The screening (:mod:`graph_builder.analysis.screening`) reads these arrays too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from graph_builder.analysis.array_types import BoolArray, FloatArray, IntArray
from graph_builder.analysis.similarity import (
    EXACT_LIMIT,
    ROUNDING_MARGIN,
    WEIGHT_UNIT,
    NeighbourSettings,
    TagProfile,
    TagWeights,
    exact_total,
    pattern_weights,
    relation_weights,
    weight_units,
)
from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import Vocabulary, parent_of

__all__ = ["CatalogueArrays", "ExactScores", "FacetArrays", "StructureGroups"]


class FacetArrays:
    """One weighted tag facet (patterns or relations) of every participant, as arrays.

    Entries with the same tag set share a row of the *set* tables, so the screening tables are
    computed per distinct set (a few thousand) rather than per entry.

    Attributes:
        set_id: (n,) the distinct tag set of each entry.
        members: (d, t) bool, tag t is in set d.
        weights: (t,) int64 weight of each tag in millionths.
        set_weight: (d,) int64 Σ weight over the set.
        counts: (d, q) int64 how many tags of set d fall under parent q.
        parent_weights: (q,) int64 weight of each parent in millionths.
        thresholds: (d, h) float64 [counts[d, q] >= k] for every (parent q, k) column, so that
            Σ_h w · th_A · th_B = Σ_q w(q) · min(count_A(q), count_B(q)).
        threshold_weights: (h,) float64 the parent weight of each threshold column.
        has_siblings: whether any parent has two distinct tags in the catalogue; without, no
            pair can be siblings, the sibling sum is the exact sum and the screening skips it.
        sibling_capable: (t,) bool, the tags whose parent has another tag.
    """

    def __init__(self, tag_sets: Sequence[frozenset[str]], weight: TagWeights) -> None:
        tags = sorted(set().union(*tag_sets)) if tag_sets else []
        self.tags = tuple(tags)
        tag_index = {t: i for i, t in enumerate(tags)}
        parents = sorted({parent_of(t) for t in tags})
        parent_index = {p: i for i, p in enumerate(parents)}
        distinct: dict[frozenset[str], int] = {}
        set_id = np.empty(len(tag_sets), dtype=np.int64)
        for i, tag_set in enumerate(tag_sets):
            set_id[i] = distinct.setdefault(tag_set, len(distinct))
        d, t, q = len(distinct), len(tags), len(parents)
        members = np.zeros((d, t), dtype=np.bool_)
        counts = np.zeros((d, q), dtype=np.int64)
        for tag_set, row in distinct.items():
            for tag in tag_set:
                members[row, tag_index[tag]] = True
                counts[row, parent_index[parent_of(tag)]] += 1
        self.set_id = set_id
        self.members = members
        self.weights = np.array([weight(tag) for tag in tags], dtype=np.int64)
        self.parent_weights = np.array([weight(p) for p in parents], dtype=np.int64)
        self.set_weight = members.astype(np.int64) @ self.weights
        self.counts = counts
        # Without a parent that holds two distinct tags, no pair of tags can be siblings and
        # Σ w(parent) · min(count_A, count_B) is just the exact sum.
        self.has_siblings = len(parents) < len(tags)
        tag_parent = np.array([parent_index[parent_of(tag)] for tag in tags], dtype=np.int64)
        # Tags whose parent has another tag in the catalogue: only these can form sibling pairs.
        self.sibling_capable = np.bincount(tag_parent, minlength=q)[tag_parent] > 1
        columns = [(j, k) for j in range(q) for k in range(1, int(counts[:, j].max(initial=0)) + 1)]
        self.thresholds = np.zeros((d, len(columns)), dtype=np.float64)
        for c, (j, k) in enumerate(columns):
            self.thresholds[:, c] = counts[:, j] >= k
        self.threshold_weights = self.parent_weights[[j for j, _ in columns]].astype(np.float64)
        if d and 2 * int(self.set_weight.max()) * WEIGHT_UNIT >= EXACT_LIMIT:
            raise ValueError("too many or too heavy tags: a weighted sum exceeds 2**53 millionths")

    @property
    def distinct(self) -> int:
        """How many distinct tag sets the participants have."""
        return int(self.members.shape[0])

    def exact(self, a: IntArray, b: IntArray, credit: int) -> tuple[FloatArray, IntArray, IntArray]:
        """wJ of entry pairs (a[i], b[i]) as `similarity` computes it, with its fraction."""
        sa, sb = self.set_id[a], self.set_id[b]
        exact = (self.members[sa] & self.members[sb]).astype(np.int64) @ self.weights
        union = self.set_weight[sa] + self.set_weight[sb] - exact
        if self.has_siblings:
            with_siblings = np.minimum(self.counts[sa], self.counts[sb]) @ self.parent_weights
        else:
            with_siblings = exact
        numerator = (WEIGHT_UNIT - credit) * exact + credit * with_siblings
        denominator = WEIGHT_UNIT * union
        out = np.zeros(len(sa), dtype=np.float64)
        np.divide(
            numerator.astype(np.float64),
            denominator.astype(np.float64),
            out=out,
            where=denominator > 0,
        )
        return out, numerator, denominator


class StructureGroups:
    """Structure sets and levels of every participant: the rest of the score, per group.

    Entries with the same (structure set, level) form a group; the structure and level part of
    the score depends on the two groups only.
    """

    def __init__(self, profiles: Sequence[TagProfile]) -> None:
        names = sorted(set().union(*(p.structures for p in profiles))) if profiles else []
        self.names = tuple(names)
        index = {s: i for i, s in enumerate(names)}
        levels = sorted({p.level for p in profiles if p.level is not None})
        level_index = {lv: i for i, lv in enumerate(levels)}
        distinct: dict[tuple[frozenset[str], str | None], int] = {}
        group = np.empty(len(profiles), dtype=np.int64)
        for i, p in enumerate(profiles):
            group[i] = distinct.setdefault((p.structures, p.level), len(distinct))
        members = np.zeros((len(distinct), len(names)), dtype=np.bool_)
        level = np.full(len(distinct), -1, dtype=np.int64)
        for (structures, lv), row in distinct.items():
            for s in structures:
                members[row, index[s]] = True
            if lv is not None:
                level[row] = level_index[lv]
        self.group = group
        self.members = members
        self.size = members.sum(axis=1).astype(np.int64)
        self.level = level

    @property
    def distinct(self) -> int:
        """How many distinct (structure set, level) groups the participants have."""
        return int(self.members.shape[0])

    def exact(self, a: IntArray, b: IntArray) -> tuple[FloatArray, FloatArray, IntArray, IntArray]:
        """J(S), the level indicator, |S∩| and |S∪| of pairs, as `similarity` has them."""
        ga, gb = self.group[a], self.group[b]
        shared = (self.members[ga] & self.members[gb]).sum(axis=1, dtype=np.int64)
        union = self.size[ga] + self.size[gb] - shared
        structure = np.zeros(len(ga), dtype=np.float64)
        np.divide(
            shared.astype(np.float64), union.astype(np.float64), out=structure, where=union > 0
        )
        la = self.level[ga]
        level = ((la == self.level[gb]) & (la >= 0)).astype(np.float64)
        return structure, level, shared, union


@dataclass(frozen=True, slots=True)
class ExactScores:
    """Canonical scores of a run of pairs: the rounded total and the four components."""

    total: FloatArray
    patterns: FloatArray
    relations: FloatArray
    structure: FloatArray
    level: FloatArray

    def take(self, keep: IntArray | BoolArray) -> ExactScores:
        """The scores of the pairs `keep` selects, in its order."""
        return ExactScores(
            total=self.total[keep],
            patterns=self.patterns[keep],
            relations=self.relations[keep],
            structure=self.structure[keep],
            level=self.level[keep],
        )


class CatalogueArrays:
    """Every participating entry as arrays: its tag sets, its frame, the exact scores of pairs."""

    def __init__(
        self, entries: Sequence[Entry], vocabulary: Vocabulary, settings: NeighbourSettings
    ) -> None:
        self.entries = entries
        self.settings = settings
        self.n = len(entries)
        self.profiles = [TagProfile.of(e) for e in entries]
        self.credit = weight_units(settings.sibling_credit, "sibling_credit")
        self.pattern_weight = pattern_weights(vocabulary)
        self.relation_weight = relation_weights(vocabulary)
        self.patterns = FacetArrays([p.patterns for p in self.profiles], self.pattern_weight)
        self.relations = FacetArrays([p.relations for p in self.profiles], self.relation_weight)
        self.groups = StructureGroups(self.profiles)
        frames = sorted({e.source_frame for e in entries if e.source_frame is not None})
        frame_index = {f: i for i, f in enumerate(frames)}
        # An entry without a frame gets a frame id of its own: cross-domain to everyone.
        self.frame = np.array(
            [
                frame_index[e.source_frame] if e.source_frame is not None else len(frames) + i
                for i, e in enumerate(entries)
            ],
            dtype=np.int64,
        )
        self.has_frame = np.array([e.source_frame is not None for e in entries], dtype=np.bool_)

    def exact(self, a: IntArray, b: IntArray) -> ExactScores:
        """The canonical scores of pairs (a[i], b[i]): `similarity`'s numbers, vectorised."""
        s = self.settings
        patterns, p_num, p_den = self.patterns.exact(a, b, self.credit)
        relations, r_num, r_den = self.relations.exact(a, b, self.credit)
        structure, level, s_shared, s_union = self.groups.exact(a, b)
        total = s.pattern_factor * patterns
        total += s.relation_factor * relations
        total += s.structure_factor * structure
        total += s.level_factor * level
        # Away from a boundary, rint(x * 1e6) / 1e6 is round(x, 6): both give the double nearest
        # to the same whole number of millionths.
        scaled = total * 1e6
        rounded = np.rint(scaled) / 1e6
        for i in np.flatnonzero(
            np.abs(scaled - np.floor(scaled) - 0.5) <= ROUNDING_MARGIN
        ).tolist():
            rounded[i] = exact_total(
                s,
                (int(p_num[i]), int(p_den[i])),
                (int(r_num[i]), int(r_den[i])),
                (int(s_shared[i]), int(s_union[i])),
                bool(level[i]),
            )
        return ExactScores(
            total=rounded, patterns=patterns, relations=relations, structure=structure, level=level
        )
