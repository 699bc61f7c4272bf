"""list[Entry] -> structural neighbours: the similarity score, its reasons, and exact top-k lists.

Two paths compute the same numbers. :func:`similarity` scores one pair in plain Python and is the
canonical definition. :func:`structural_neighbours` ranks a whole catalogue: numpy screens every
pair in row blocks with a fast float32 estimate, keeps the few columns per row that could make the
top k, and scores only those exactly. Both paths count weights in whole millionths (integers), so
every weighted sum is exact whatever its order, each component is one correctly rounded division,
the four components are combined in one fixed order, and a total that falls half-way between two
6-decimal values is rounded on its exact fraction: the fast path's scores equal
:func:`similarity` bit for bit. docs/neighbours.md gives the definition and the argument.
"""

from __future__ import annotations

import gc
import math
import os
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from graph_builder.core.model import Entry, first_by_slug
from graph_builder.core.vocabulary import Vocabulary, parent_of

__all__ = [
    "WEIGHT_UNIT",
    "Neighbour",
    "NeighbourLists",
    "NeighbourSettings",
    "Score",
    "same_domain",
    "similarity",
    "structural_neighbours",
]

#: Weights and the sibling credit are counted in these units (millionths), so sums are integers.
WEIGHT_UNIT = 1_000_000

# Integers up to 2**53 are exact in a float64: the bound for every numerator and denominator.
_EXACT_LIMIT = 2**53

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True, kw_only=True)
class NeighbourSettings:
    """The numbers of the similarity definition, with its defaults; the site config overrides them.

    The four factors weigh the components of the score; `sibling_credit` is the share of a
    parent's weight that a pair of sibling subtypes earns; `threshold` is the lowest rounded score
    that makes a neighbour; the two `k` are the lengths of the lists. `workers` is the number of
    threads of the fast path (0: one per CPU, at most 2); it never changes a result.
    """

    pattern_factor: float = 0.35
    relation_factor: float = 0.35
    structure_factor: float = 0.20
    level_factor: float = 0.10
    sibling_credit: float = 0.3
    threshold: float = 0.25
    cross_domain_k: int = 8
    same_domain_k: int = 4
    workers: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Score:
    """sim(A, B) and why: the four components and the tags behind them.

    `patterns`, `relations`, `structure` are the Jaccard values in [0, 1] before the factors;
    `level` is 1.0 or 0.0. `total` is the weighted sum rounded to 6 decimals.
    `sibling_relations` pairs a leftover tag of A with one of B under the same parent (sorted
    tags paired in order); `sibling_patterns` does the same for patterns with a `/` subtype.
    """

    total: float
    patterns: float
    relations: float
    structure: float
    level: float
    shared_patterns: tuple[str, ...]
    shared_relations: tuple[str, ...]
    sibling_relations: tuple[tuple[str, str], ...]
    shared_structures: tuple[str, ...]
    level_match: bool
    sibling_patterns: tuple[tuple[str, str], ...] = ()


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


# --------------------------------------------------------------------------------------------
# The canonical scalar score
# --------------------------------------------------------------------------------------------


def _units(value: float, what: str) -> int:
    """`value` in millionths, failing loudly when it is negative or finer than a millionth."""
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{what} must be a finite number >= 0, not {value!r}")
    units = round(value * WEIGHT_UNIT)
    if not math.isclose(units / WEIGHT_UNIT, value, rel_tol=1e-12, abs_tol=1e-12):
        raise ValueError(f"{what} {value!r} has more than 6 decimals; weights count in millionths")
    return units


def _check_settings(settings: NeighbourSettings) -> None:
    for name in ("pattern_factor", "relation_factor", "structure_factor", "level_factor"):
        value = getattr(settings, name)
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite number >= 0, not {value!r}")
    if not 0 <= settings.sibling_credit <= 1:
        raise ValueError(f"sibling_credit must lie in [0, 1], not {settings.sibling_credit!r}")
    if settings.cross_domain_k < 0 or settings.same_domain_k < 0:
        raise ValueError("cross_domain_k and same_domain_k must be >= 0")


class _Weights:
    """Tag -> weight in millionths (the weight of the tag's parent), cached per tag."""

    def __init__(self, weight_of_parent: Callable[[str], float], what: str) -> None:
        self._weight_of_parent = weight_of_parent
        self._what = what
        self._cache: dict[str, int] = {}

    def __call__(self, tag: str) -> int:
        units = self._cache.get(tag)
        if units is None:
            parent = parent_of(tag)
            units = _units(self._weight_of_parent(parent), f"weight of {self._what} {parent!r}")
            self._cache[tag] = units
        return units


def _pattern_weights(vocabulary: Vocabulary) -> _Weights:
    return _Weights(vocabulary.pattern_weight, "pattern")


def _relation_weights(vocabulary: Vocabulary) -> _Weights:
    return _Weights(vocabulary.relation_weight, "relation")


def _siblings(left_a: Iterable[str], left_b: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """Pair leftover tags of A and B that share a parent: sorted within a parent, then zipped."""
    by_parent_b: dict[str, list[str]] = {}
    for tag in sorted(left_b):
        by_parent_b.setdefault(parent_of(tag), []).append(tag)
    if not by_parent_b:
        return ()
    by_parent_a: dict[str, list[str]] = {}
    for tag in sorted(left_a):
        parent = parent_of(tag)
        if parent in by_parent_b:
            by_parent_a.setdefault(parent, []).append(tag)
    pairs: list[tuple[str, str]] = []
    for parent in sorted(by_parent_a):
        pairs.extend(zip(by_parent_a[parent], by_parent_b[parent], strict=False))
    return tuple(sorted(pairs))


def _weighted_jaccard_units(
    x: frozenset[str], y: frozenset[str], weight: _Weights, credit_units: int
) -> tuple[int, int, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """wJ(X, Y) as an exact fraction (numerator, denominator), with the shared and sibling tags.

    In millionths, exact = Σ w(X∩Y) and partial = Σ w(parent) over the sibling pairs, so
    wJ = (exact + credit * partial) / union = (U * exact + c * partial) / (U * union), where U is
    the unit and c the credit in millionths: both are integers.
    """
    shared = x & y
    union = sum(weight(t) for t in x | y)
    exact = sum(weight(t) for t in shared)
    pairs = _siblings(x - shared, y - shared)
    partial = sum(weight(a) for a, _ in pairs)
    return (
        WEIGHT_UNIT * exact + credit_units * partial,
        WEIGHT_UNIT * union,
        tuple(sorted(shared)),
        pairs,
    )


def _ratio(numerator: int, denominator: int) -> float:
    if numerator >= _EXACT_LIMIT or denominator >= _EXACT_LIMIT:
        raise ValueError("too many or too heavy tags: a weighted sum exceeds 2**53 millionths")
    return numerator / denominator if denominator else 0.0


def _combine(
    settings: NeighbourSettings, patterns: float, relations: float, structure: float, level: float
) -> float:
    """The weighted sum in one fixed order; the fast path evaluates the same expression."""
    return (
        settings.pattern_factor * patterns
        + settings.relation_factor * relations
        + settings.structure_factor * structure
        + settings.level_factor * level
    )


# A float sum lies within ~1e-15 of the exact total; only a total this close (in millionths) to
# a rounding boundary x.xxxxxx5 could round differently, so only those are redone exactly.
_BOUNDARY = 1e-4


def _near_boundary(total: float) -> bool:
    scaled = total * 1e6
    return abs(scaled - math.floor(scaled) - 0.5) <= _BOUNDARY


def _exact_total(
    settings: NeighbourSettings,
    patterns: tuple[int, int],
    relations: tuple[int, int],
    structure: tuple[int, int],
    level: bool,
) -> float:
    """The total as an exact fraction (factors read as the decimals they are written as),
    rounded half to even to 6 decimals."""

    def part(factor: float, fraction: tuple[int, int]) -> Fraction:
        numerator, denominator = fraction
        if not denominator:
            return Fraction(0)
        return Fraction(repr(factor)) * Fraction(numerator, denominator)

    total = (
        part(settings.pattern_factor, patterns)
        + part(settings.relation_factor, relations)
        + part(settings.structure_factor, structure)
        + (Fraction(repr(settings.level_factor)) if level else Fraction(0))
    )
    return float(round(total, 6))


def _round_total(
    settings: NeighbourSettings,
    total: float,
    patterns: tuple[int, int],
    relations: tuple[int, int],
    structure: tuple[int, int],
    level: bool,
) -> float:
    """round(exact total, 6): the float sum decides unless it lies next to a boundary.

    Half-way totals are common (0.35 * 13/32 = 0.1421875), and there a float sum rounds up or
    down by the accident of its last bit; the exact fraction makes the result a property of the
    definition, not of the arithmetic.
    """
    if _near_boundary(total):
        return _exact_total(settings, patterns, relations, structure, level)
    return round(total, 6)


def _level_match(a: str | None, b: str | None) -> bool:
    return a is not None and a == b


def similarity(
    a: Entry,
    b: Entry,
    vocabulary: Vocabulary,
    settings: NeighbourSettings = NeighbourSettings(),
) -> Score:
    """The structural similarity of two entries, with its reasons.

    .. math::

        sim(A, B) = 0.35\\,wJ(P_A, P_B) + 0.35\\,wJ(R_A, R_B) + 0.20\\,J(S_A, S_B)
                    + 0.10\\,[L_A = L_B \\ne \\varnothing]

    `J` is Jaccard (0 when both sets are empty). `wJ` is a weighted Jaccard: a tag weighs what its
    parent (the part before `/`) weighs in the vocabulary, 1.0 for an unknown parent;
    wJ = (Σ w(X∩Y) + credit · Σ w(parent) over sibling pairs) / Σ w(X∪Y), where the sibling
    pairs match the leftover tags of each side one to one under a common parent
    (`transform` with `transform/refinement`). The score is symmetric and lies in [0, 1].

    Weighted sums are exact integers in millionths (:data:`WEIGHT_UNIT`), each component is one
    correctly rounded division, and the total is rounded to 6 decimals with :func:`round`.

    Args:
        a: the first entry (its tags come first in sibling pairs).
        b: the second entry.
        vocabulary: the weights of patterns and relations.
        settings: the factors and the sibling credit.

    Returns:
        The :class:`Score`: the total, the four components and the tags behind them.

    Raises:
        ValueError: a weight or setting is negative, or finer than a millionth.

    Examples:
        >>> from graph_builder.core.model import Entry
        >>> from graph_builder.core.vocabulary import default_vocabulary
        >>> a = Entry(path="a.md", slug="a", name="A", embodied_patterns=("iteration", "link"),
        ...           relation_types=("transform/refinement",), structure=("cycle",),
        ...           abstraction_level="generic")
        >>> b = Entry(path="b.md", slug="b", name="B", embodied_patterns=("iteration",),
        ...           relation_types=("transform",), structure=("cycle", "growth"),
        ...           abstraction_level="generic")
        >>> score = similarity(a, b, default_vocabulary())
        >>> score.patterns, score.relations, score.structure, score.level
        (0.5263157894736842, 0.15, 0.5, 1.0)
        >>> score.total, score.sibling_relations
        (0.436711, (('transform/refinement', 'transform'),))
    """
    _check_settings(settings)
    credit = _units(settings.sibling_credit, "sibling_credit")
    pattern_weight = _pattern_weights(vocabulary)
    relation_weight = _relation_weights(vocabulary)
    return _score_pair(
        _Profile.of(a), _Profile.of(b), pattern_weight, relation_weight, credit, settings
    )


@dataclass(frozen=True, slots=True)
class _Profile:
    """The structural tags of one entry as sets (a repeated tag counts once)."""

    patterns: frozenset[str]
    relations: frozenset[str]
    structures: frozenset[str]
    level: str | None

    @classmethod
    def of(cls, entry: Entry) -> _Profile:
        return cls(
            frozenset(entry.embodied_patterns),
            frozenset(entry.relation_types),
            frozenset(entry.structure),
            entry.abstraction_level,
        )


def _score_pair(
    a: _Profile,
    b: _Profile,
    pattern_weight: _Weights,
    relation_weight: _Weights,
    credit: int,
    settings: NeighbourSettings,
) -> Score:
    p_num, p_den, shared_p, sibling_p = _weighted_jaccard_units(
        a.patterns, b.patterns, pattern_weight, credit
    )
    r_num, r_den, shared_r, sibling_r = _weighted_jaccard_units(
        a.relations, b.relations, relation_weight, credit
    )
    shared_s = a.structures & b.structures
    patterns = _ratio(p_num, p_den)
    relations = _ratio(r_num, r_den)
    union_s = len(a.structures | b.structures)
    structure = len(shared_s) / union_s if union_s else 0.0
    match = _level_match(a.level, b.level)
    level = 1.0 if match else 0.0
    total = _round_total(
        settings,
        _combine(settings, patterns, relations, structure, level),
        (p_num, p_den),
        (r_num, r_den),
        (len(shared_s), union_s),
        match,
    )
    return Score(
        total=total,
        patterns=patterns,
        relations=relations,
        structure=structure,
        level=level,
        shared_patterns=shared_p,
        shared_relations=shared_r,
        sibling_relations=sibling_r,
        shared_structures=tuple(sorted(shared_s)),
        level_match=match,
        sibling_patterns=sibling_p,
    )


# --------------------------------------------------------------------------------------------
# The catalogue as arrays
# --------------------------------------------------------------------------------------------


class _Facet:
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

    def __init__(self, tag_sets: Sequence[frozenset[str]], weight: _Weights) -> None:
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
        self._members_f = members.astype(np.float64)
        if d and 2 * int(self.set_weight.max()) * WEIGHT_UNIT >= _EXACT_LIMIT:
            raise ValueError("too many or too heavy tags: a weighted sum exceeds 2**53 millionths")

    @property
    def distinct(self) -> int:
        return int(self.members.shape[0])

    def exact(self, a: IntArray, b: IntArray, credit: int) -> tuple[FloatArray, IntArray, IntArray]:
        """wJ of entry pairs (a[i], b[i]) as :func:`similarity` computes it, with its fraction."""
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

    def prepare(self, credit: float, factor: float, pool: ThreadPoolExecutor) -> None:
        """Compute the whole set-by-set screening table once, when it is small enough."""
        self._credit, self._factor = credit, factor
        d = self.distinct
        self._full: Float32Array | None = None
        if d <= _FULL_TABLE:
            full = np.empty((d, d), dtype=np.float32)

            def fill(start: int) -> None:
                full[start : start + _BLOCK] = self.table(np.arange(start, min(d, start + _BLOCK)))

            list(pool.map(fill, range(0, d, _BLOCK)))
            self._full = full

    def rows(self, sets: IntArray) -> Float32Array:
        """factor · wJ between the sets `sets` and every set: (len(sets), d) float32."""
        if self._full is not None:
            return self._full[sets]
        return self.table(sets).astype(np.float32)

    def table(self, sets: IntArray) -> FloatArray:
        """factor · wJ between the distinct sets `sets` and every distinct set: (len(sets), d).

        A float estimate for screening; :meth:`exact` gives the canonical values.
        """
        credit, factor = self._credit, self._factor
        member_f = self._members_f
        exact = (member_f[sets] * self.weights.astype(np.float64)) @ member_f.T
        union = self.set_weight[sets].astype(np.float64)[:, None] + self.set_weight.astype(
            np.float64
        )
        union -= exact
        if self.has_siblings and credit:
            with_siblings = (self.thresholds[sets] * self.threshold_weights) @ self.thresholds.T
            numerator = exact * (1.0 - credit)
            numerator += credit * with_siblings
        else:
            numerator = exact
        out = np.zeros_like(numerator)
        np.divide(numerator, union, out=out, where=union > 0)
        out *= factor
        return out


class _Groups:
    """Structure sets and levels of every participant: the rest of the score, per group.

    Entries with the same (structure set, level) form a group; the structure and level part of
    the score depends on the two groups only.
    """

    def __init__(self, profiles: Sequence[_Profile]) -> None:
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
        self._members_f = members.astype(np.float64)
        self.size = members.sum(axis=1).astype(np.int64)
        self.level = level

    @property
    def distinct(self) -> int:
        return int(self.members.shape[0])

    def exact(self, a: IntArray, b: IntArray) -> tuple[FloatArray, FloatArray, IntArray, IntArray]:
        """J(S), the level indicator, |S∩| and |S∪| of pairs, as :func:`similarity` has them."""
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

    def table(self, g: IntArray, settings: NeighbourSettings) -> FloatArray:
        """The structure and level part of the score between the groups `g` and every group."""
        member_f = self._members_f
        shared = member_f[g] @ member_f.T
        union = self.size[g].astype(np.float64)[:, None] + self.size.astype(np.float64) - shared
        out = np.zeros_like(shared)
        np.divide(shared, union, out=out, where=union > 0)
        out *= settings.structure_factor
        level = self.level[g][:, None]
        out += settings.level_factor * ((level == self.level[None, :]) & (level >= 0))
        return out


@dataclass(frozen=True, slots=True)
class _Exact:
    """Canonical scores of a run of pairs: the rounded total and the four components."""

    total: FloatArray
    patterns: FloatArray
    relations: FloatArray
    structure: FloatArray
    level: FloatArray


@dataclass(frozen=True, slots=True)
class _Columns:
    """The columns of a search: entry indices, their three table keys, a sample of positions."""

    index: IntArray
    keys: IntArray
    sample: IntArray


@dataclass(frozen=True, slots=True)
class _Candidates:
    """Pairs (row, column) of entry indices that may belong to a top-k list."""

    rows: IntArray
    cols: IntArray


# Screening tolerance. A float32 estimate differs from the canonical score by < 1e-6 (three
# float32 roundings of values <= 1), and rounding to 6 decimals moves a score by <= 5e-7; every
# column that could rank in the top k lies within 2 * (5e-7 + 1e-6) of the k-th best estimate.
_EPS = 1e-5
# Columns scored per row to bound the k-th best from below before the full pass.
_SAMPLE = 4096
# Rows per block: each block builds one table and makes one pass over the columns.
_BLOCK = 256
# Columns per tile of the full pass: a _BLOCK x _TILE float32 tile (1 MiB) stays in cache.
_TILE = 1024
# A facet with at most this many distinct sets has its whole screening table precomputed
# (at most 256 MiB of float32); a larger one is computed block by block.
_FULL_TABLE = 8192
# Frames up to this size are ranked exactly on all their pairs, with no screening.
_SMALL_FRAME = 64


class _Catalogue:
    """Every participating entry as arrays, and the two-stage top-k search over them."""

    def __init__(
        self, entries: Sequence[Entry], vocabulary: Vocabulary, settings: NeighbourSettings
    ) -> None:
        self.entries = entries
        self.settings = settings
        self.n = len(entries)
        self.profiles = [_Profile.of(e) for e in entries]
        self.credit = _units(settings.sibling_credit, "sibling_credit")
        self.pattern_weight = _pattern_weights(vocabulary)
        self.relation_weight = _relation_weights(vocabulary)
        self.patterns = _Facet([p.patterns for p in self.profiles], self.pattern_weight)
        self.relations = _Facet([p.relations for p in self.profiles], self.relation_weight)
        self.groups = _Groups(self.profiles)
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
        # Column j of the screening tables: [pattern set | relation set | group].
        d_p, d_r = self.patterns.distinct, self.relations.distinct
        self.offsets = (0, d_p, d_p + d_r)

    # ---- exact scores ---------------------------------------------------------------------

    def exact(self, a: IntArray, b: IntArray) -> _Exact:
        """The canonical scores of pairs (a[i], b[i]): :func:`similarity`'s numbers, vectorised."""
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
        for i in np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) <= _BOUNDARY).tolist():
            rounded[i] = _exact_total(
                s,
                (int(p_num[i]), int(p_den[i])),
                (int(r_num[i]), int(r_den[i])),
                (int(s_shared[i]), int(s_union[i])),
                bool(level[i]),
            )
        return _Exact(
            total=rounded, patterns=patterns, relations=relations, structure=structure, level=level
        )

    def take(self, exact: _Exact, keep: IntArray | BoolArray) -> _Exact:
        return _Exact(
            total=exact.total[keep],
            patterns=exact.patterns[keep],
            relations=exact.relations[keep],
            structure=exact.structure[keep],
            level=exact.level[keep],
        )

    # ---- screening ------------------------------------------------------------------------

    def prepare(self, pool: ThreadPoolExecutor) -> None:
        """Precompute what every block of the search reads."""
        s = self.settings
        self.patterns.prepare(s.sibling_credit, s.pattern_factor, pool)
        self.relations.prepare(s.sibling_credit, s.relation_factor, pool)
        groups = self.groups.distinct
        self.group_table = self.groups.table(np.arange(groups), s).astype(np.float32)

    def tables(self, rows: IntArray) -> Float32Array:
        """The screening table of `rows`: (d_p + d_r + groups, len(rows)) float32.

        Row j of the table holds, for every row entry, its estimated pattern part against
        pattern set j (then relation sets, then groups), so the estimate of a column is the sum
        of three table rows. Rows that share a set share the computation.
        """
        parts: list[Float32Array] = []
        for ids, make in (
            (self.patterns.set_id[rows], self.patterns.rows),
            (self.relations.set_id[rows], self.relations.rows),
            (self.groups.group[rows], self.group_table.__getitem__),
        ):
            unique, inverse = np.unique(ids, return_inverse=True)
            parts.append(make(unique)[inverse.reshape(-1)].T)
        # C order: the search gathers whole rows of this table.
        out = np.empty((sum(p.shape[0] for p in parts), len(rows)), dtype=np.float32)
        return np.concatenate(parts, axis=0, out=out)

    def columns(self, cols: IntArray) -> _Columns:
        """The table keys of the columns `cols` and the sample that bounds the k-th best."""
        keys = np.stack(
            (
                self.patterns.set_id[cols] + self.offsets[0],
                self.relations.set_id[cols] + self.offsets[1],
                self.groups.group[cols] + self.offsets[2],
            )
        )
        step = -(-len(cols) // _SAMPLE)
        return _Columns(index=cols, keys=keys, sample=np.arange(0, len(cols), step))

    def estimate(self, table: Float32Array, keys: IntArray) -> Float32Array:
        """Estimated scores of the table's rows against the keyed columns: (columns, rows)."""
        out: Float32Array = table[keys[0]]
        out += table[keys[1]]
        out += table[keys[2]]
        return out

    def eligible(self, rows: IntArray, cols: IntArray, same: bool) -> BoolArray:
        """Which (col, row) cells may be listed: same frame or not, never the entry itself."""
        equal: BoolArray = self.frame[cols][:, None] == self.frame[rows][None, :]
        if same:
            equal &= cols[:, None] != rows[None, :]
            return equal
        return ~equal

    def eligible_pairs(self, rows: IntArray, cols: IntArray, same: bool) -> BoolArray:
        """Which pairs (rows[i], cols[i]) may be listed."""
        equal: BoolArray = self.frame[rows] == self.frame[cols]
        if same:
            equal &= rows != cols
            return equal
        return ~equal

    def screen(self, rows: IntArray, columns: _Columns, k: int, same: bool) -> _Candidates:
        """Columns that may be in the top k of each row: a superset of the true lists.

        1. The k-th best estimate over a sample of columns bounds each row's k-th best from
           below (`bound`, less `_EPS`, and never under the threshold less `_EPS`).
        2. Every column is estimated for every row, in cache-sized tiles; those at or above the
           row's bound remain.
        3. Second cut: each row keeps the candidates within `_EPS` of the k-th best estimate
           among them. Every column whose rounded score could rank in the top k survives.
        """
        floor = np.float32(self.settings.threshold - _EPS)
        table = self.tables(rows)
        sample = columns.sample
        est = self.estimate(table, columns.keys[:, sample]).T.copy()
        est[~self.eligible(rows, columns.index[sample], same).T] = -np.inf
        if len(sample) >= k > 0:
            kth = np.partition(est, len(sample) - k, axis=1)[:, len(sample) - k]
            bound = np.maximum(kth - np.float32(_EPS), floor)
        else:
            bound = np.full(len(rows), floor, dtype=np.float32)
        if len(sample) == len(columns.index):
            r, c = np.nonzero(est >= bound[:, None])
            cand_cols, cand_rows, cand_est = columns.index[c], r, est[r, c]
        else:
            width = len(rows)
            found: list[tuple[IntArray, IntArray, Float32Array]] = []
            # Tiles small enough for the core's cache: the passes over a tile cost a fraction
            # of what they cost streamed through memory.
            for start in range(0, len(columns.index), _TILE):
                keys = columns.keys[:, start : start + _TILE]
                est = self.estimate(table, keys)
                flat = np.flatnonzero(est >= bound)
                c, r = np.divmod(flat, width)
                cols = columns.index[start + c]
                keep = self.eligible_pairs(rows[r], cols, same)
                found.append((cols[keep], r[keep], est.reshape(-1)[flat[keep]]))
            cand_cols = np.concatenate([f[0] for f in found])
            cand_rows = np.concatenate([f[1] for f in found])
            cand_est = np.concatenate([f[2] for f in found])
        order = np.lexsort((-cand_est, cand_rows))
        cand_cols, cand_rows, cand_est = cand_cols[order], cand_rows[order], cand_est[order]
        index = np.arange(len(rows))
        starts = np.searchsorted(cand_rows, index)
        full = np.searchsorted(cand_rows, index, side="right") - starts >= k
        kth_est = np.full(len(rows), -np.inf, dtype=np.float32)
        if k > 0:
            kth_est[full] = cand_est[starts[full] + k - 1]
        cut = np.maximum(kth_est - np.float32(_EPS), floor)
        keep = cand_est >= cut[cand_rows]
        return _Candidates(rows=rows[cand_rows[keep]], cols=cand_cols[keep])


def _top_k(
    catalogue: _Catalogue, candidates: _Candidates, k: int
) -> tuple[IntArray, IntArray, _Exact]:
    """Score candidate pairs exactly and keep each row's best k at or above the threshold.

    Returns the kept (rows, cols) sorted by row, then rounded score descending, then slug
    ascending (column index order is slug order), with their canonical scores.
    """
    rows, cols = candidates.rows, candidates.cols
    exact = catalogue.exact(rows, cols)
    above = np.flatnonzero(exact.total >= catalogue.settings.threshold)
    rows, cols, exact = rows[above], cols[above], catalogue.take(exact, above)
    order = np.lexsort((cols, -exact.total, rows))
    rows, cols, exact = rows[order], cols[order], catalogue.take(exact, order)
    keep = np.flatnonzero(np.arange(len(rows)) - np.searchsorted(rows, rows) < k)
    return rows[keep], cols[keep], catalogue.take(exact, keep)


def _workers(settings: NeighbourSettings) -> int:
    if settings.workers > 0:
        return settings.workers
    return max(1, min(2, os.cpu_count() or 1))


def _row_blocks(catalogue: _Catalogue, rows: IntArray) -> list[IntArray]:
    """Rows in blocks of similar entries (by pattern set, then group, then relation set), so a
    block has few distinct sets and its tables are cheap to gather."""
    order = np.lexsort(
        (
            catalogue.relations.set_id[rows],
            catalogue.groups.group[rows],
            catalogue.patterns.set_id[rows],
        )
    )
    rows = rows[order]
    return [rows[i : i + _BLOCK] for i in range(0, len(rows), _BLOCK)]


def _cross_candidates(
    catalogue: _Catalogue, rows: IntArray, pool: ThreadPoolExecutor
) -> _Candidates:
    k = catalogue.settings.cross_domain_k
    # Columns ordered by pattern set, so neighbouring columns read the same table rows.
    columns = catalogue.columns(np.argsort(catalogue.patterns.set_id, kind="stable"))
    blocks = _row_blocks(catalogue, rows)
    return _merge(list(pool.map(lambda b: catalogue.screen(b, columns, k, False), blocks)))


def _same_candidates(
    catalogue: _Catalogue, rows: IntArray, pool: ThreadPoolExecutor
) -> _Candidates:
    """Candidates within each frame: every pair of a small frame, screening for a large one."""
    k = catalogue.settings.same_domain_k
    wanted = np.zeros(catalogue.n, dtype=np.bool_)
    wanted[rows] = True
    framed = np.flatnonzero(catalogue.has_frame)
    by_frame = framed[np.argsort(catalogue.frame[framed], kind="stable")]
    bounds = np.flatnonzero(np.diff(catalogue.frame[by_frame])) + 1
    small_rows: list[IntArray] = []
    small_cols: list[IntArray] = []
    jobs: list[tuple[IntArray, _Columns]] = []
    for members in np.split(by_frame, bounds):
        if len(members) < 2:
            continue
        members_rows = members[wanted[members]]
        if len(members_rows) == 0:
            continue
        if len(members) <= _SMALL_FRAME:
            r = np.repeat(members_rows, len(members))
            c = np.tile(members, len(members_rows))
            small_rows.append(r[r != c])
            small_cols.append(c[r != c])
        else:
            columns = catalogue.columns(members)
            jobs.extend((block, columns) for block in _row_blocks(catalogue, members_rows))
    parts = [
        _Candidates(
            rows=np.concatenate(small_rows or [np.zeros(0, np.int64)]),
            cols=np.concatenate(small_cols or [np.zeros(0, np.int64)]),
        )
    ]
    parts.extend(pool.map(lambda job: catalogue.screen(job[0], job[1], k, True), jobs))
    return _merge(parts)


def _merge(parts: Sequence[_Candidates]) -> _Candidates:
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return _Candidates(rows=empty, cols=empty)
    return _Candidates(
        rows=np.concatenate([p.rows for p in parts]).astype(np.int64, copy=False),
        cols=np.concatenate([p.cols for p in parts]).astype(np.int64, copy=False),
    )


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
    :func:`similarity` of the entry and its neighbour, bit for bit.

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
    _check_settings(settings)
    by_slug = first_by_slug(entries)
    wanted = set(by_slug) if only is None else {s for s in only if s in by_slug}
    result: dict[str, NeighbourLists] = {slug: NeighbourLists() for slug in sorted(wanted)}
    participants = [e for e in by_slug.values() if e.has_structure]
    if len(participants) < 2:
        return result
    catalogue = _Catalogue(participants, vocabulary, settings)
    rows = np.array([i for i, e in enumerate(participants) if e.slug in wanted], dtype=np.int64)
    if len(rows) == 0:
        return result
    with ThreadPoolExecutor(max_workers=_workers(settings)) as pool:
        catalogue.prepare(pool)
        cross = _top_k(catalogue, _cross_candidates(catalogue, rows, pool), settings.cross_domain_k)
        same = _top_k(catalogue, _same_candidates(catalogue, rows, pool), settings.same_domain_k)
    # A million small objects in a row would trigger a cyclic collection every few hundred
    # allocations, each walking the growing heap; none of them can form a cycle.
    collecting = gc.isenabled()
    gc.disable()
    try:
        cross_lists = _neighbour_lists(catalogue, *cross, same_domain=False)
        same_lists = _neighbour_lists(catalogue, *same, same_domain=True)
    finally:
        if collecting:
            gc.enable()
    for i in rows.tolist():
        slug = participants[i].slug
        result[slug] = NeighbourLists(
            cross_domain=tuple(cross_lists.get(i, ())), same_domain=tuple(same_lists.get(i, ()))
        )
    return result


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


def _sibling_pairs(
    facet: _Facet, a: IntArray, b: IntArray, tag_sets: _TagSets
) -> list[tuple[tuple[str, str], ...]]:
    """The sibling pairs of entry pairs (a[i], b[i]) in one facet, as :func:`_siblings` pairs."""
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
            pairs = _siblings(tag_sets.decode(key[0]), tag_sets.decode(key[1]))
            cache[key] = pairs
        out.append(pairs)
    return out


def _neighbour_lists(
    catalogue: _Catalogue,
    rows: IntArray,
    cols: IntArray,
    exact: _Exact,
    *,
    same_domain: bool,
) -> dict[int, list[Neighbour]]:
    """Neighbour objects with their reasons, from the canonical scores of the kept pairs.

    The reasons are the same sets :func:`similarity` reports, computed for all pairs at once
    as bit masks over each facet's tags.
    """
    out: dict[int, list[Neighbour]] = {}
    slugs = [e.slug for e in catalogue.entries]
    pf, rf, gr = catalogue.patterns, catalogue.relations, catalogue.groups
    p_tags, r_tags, s_tags = _TagSets(pf.tags), _TagSets(rf.tags), _TagSets(gr.names)
    shared_p = _shared_tags(pf.members, pf.set_id[rows], pf.set_id[cols], p_tags)
    shared_r = _shared_tags(rf.members, rf.set_id[rows], rf.set_id[cols], r_tags)
    shared_s = _shared_tags(gr.members, gr.group[rows], gr.group[cols], s_tags)
    sibling_p = _sibling_pairs(pf, rows, cols, p_tags)
    sibling_r = _sibling_pairs(rf, rows, cols, r_tags)
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
