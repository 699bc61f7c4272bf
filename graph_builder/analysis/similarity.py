"""Two entries -> their structural similarity and its reasons: the canonical definition.

This is the score in plain Python, one pair at a time; :mod:`graph_builder.analysis.neighbours`
ranks a whole catalogue with numpy and must give the same numbers bit for bit. Weights count in
whole millionths (integers), so every weighted sum is exact whatever its order, each component is
one correctly rounded division, the four components are combined in one fixed order, and a total
that falls half-way between two 6-decimal values is rounded on its exact fraction.
docs/neighbours.md gives the definition and the argument. Besides `__all__`, the fast path
imports the exact arithmetic it shares (`weight_units`, `TagWeights`, `sibling_pairs`,
`TagProfile`, `exact_total`, …) from here, so each step is defined once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction

from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import Vocabulary, parent_of

__all__ = ["WEIGHT_UNIT", "NeighbourSettings", "Score", "similarity"]

#: Weights and the sibling credit are counted in these units (millionths), so sums are integers.
WEIGHT_UNIT = 1_000_000

# Integers up to 2**53 are exact in a float64: the bound for every numerator and denominator.
EXACT_LIMIT = 2**53


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


def weight_units(value: float, what: str) -> int:
    """`value` in millionths, failing loudly when it is negative or finer than a millionth."""
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{what} must be a finite number >= 0, not {value!r}")
    units = round(value * WEIGHT_UNIT)
    if not math.isclose(units / WEIGHT_UNIT, value, rel_tol=1e-12, abs_tol=1e-12):
        raise ValueError(f"{what} {value!r} has more than 6 decimals; weights count in millionths")
    return units


def check_settings(settings: NeighbourSettings) -> None:
    """Fail loudly on settings the definition cannot use (a negative number, credit beyond 1)."""
    for name in ("pattern_factor", "relation_factor", "structure_factor", "level_factor"):
        value = getattr(settings, name)
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite number >= 0, not {value!r}")
    if not 0 <= settings.sibling_credit <= 1:
        raise ValueError(f"sibling_credit must lie in [0, 1], not {settings.sibling_credit!r}")
    if settings.cross_domain_k < 0 or settings.same_domain_k < 0:
        raise ValueError("cross_domain_k and same_domain_k must be >= 0")


class TagWeights:
    """Tag -> weight in millionths (the weight of the tag's parent), cached per tag."""

    def __init__(self, weight_of_parent: Callable[[str], float], what: str) -> None:
        self._weight_of_parent = weight_of_parent
        self._what = what
        self._cache: dict[str, int] = {}

    def __call__(self, tag: str) -> int:
        units = self._cache.get(tag)
        if units is None:
            parent = parent_of(tag)
            units = weight_units(
                self._weight_of_parent(parent), f"weight of {self._what} {parent!r}"
            )
            self._cache[tag] = units
        return units


def pattern_weights(vocabulary: Vocabulary) -> TagWeights:
    """The weight of each pattern tag: its parent's weight in the vocabulary, in millionths."""
    return TagWeights(vocabulary.pattern_weight, "pattern")


def relation_weights(vocabulary: Vocabulary) -> TagWeights:
    """The weight of each relation tag: its parent's weight in the vocabulary, in millionths."""
    return TagWeights(vocabulary.relation_weight, "relation")


def sibling_pairs(left_a: Iterable[str], left_b: Iterable[str]) -> tuple[tuple[str, str], ...]:
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
    x: frozenset[str], y: frozenset[str], weight: TagWeights, credit_units: int
) -> tuple[int, int, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """wJ(X, Y) as an exact fraction (numerator, denominator), with the shared and sibling tags.

    In millionths, exact = Σ w(X∩Y) and partial = Σ w(parent) over the sibling pairs, so
    wJ = (exact + credit * partial) / union = (U * exact + c * partial) / (U * union), where U is
    the unit and c the credit in millionths: both are integers.
    """
    shared = x & y
    union = sum(weight(t) for t in x | y)
    exact = sum(weight(t) for t in shared)
    pairs = sibling_pairs(x - shared, y - shared)
    partial = sum(weight(a) for a, _ in pairs)
    return (
        WEIGHT_UNIT * exact + credit_units * partial,
        WEIGHT_UNIT * union,
        tuple(sorted(shared)),
        pairs,
    )


def _ratio(numerator: int, denominator: int) -> float:
    if numerator >= EXACT_LIMIT or denominator >= EXACT_LIMIT:
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
ROUNDING_MARGIN = 1e-4


def near_rounding_boundary(total: float) -> bool:
    """True when `total` lies so close to x.xxxxxx5 that only the exact fraction can round it."""
    scaled = total * 1e6
    return abs(scaled - math.floor(scaled) - 0.5) <= ROUNDING_MARGIN


def exact_total(
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
    if near_rounding_boundary(total):
        return exact_total(settings, patterns, relations, structure, level)
    return round(total, 6)


def level_match(a: str | None, b: str | None) -> bool:
    """True when both abstraction levels are set and equal: the score's level component."""
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
    check_settings(settings)
    credit = weight_units(settings.sibling_credit, "sibling_credit")
    pattern_weight = pattern_weights(vocabulary)
    relation_weight = relation_weights(vocabulary)
    return _score_pair(
        TagProfile.of(a), TagProfile.of(b), pattern_weight, relation_weight, credit, settings
    )


@dataclass(frozen=True, slots=True)
class TagProfile:
    """The structural tags of one entry as sets (a repeated tag counts once)."""

    patterns: frozenset[str]
    relations: frozenset[str]
    structures: frozenset[str]
    level: str | None

    @classmethod
    def of(cls, entry: Entry) -> TagProfile:
        return cls(
            frozenset(entry.embodied_patterns),
            frozenset(entry.relation_types),
            frozenset(entry.structure),
            entry.abstraction_level,
        )


def _score_pair(
    a: TagProfile,
    b: TagProfile,
    pattern_weight: TagWeights,
    relation_weight: TagWeights,
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
    match = level_match(a.level, b.level)
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
