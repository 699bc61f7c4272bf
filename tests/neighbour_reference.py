"""A naive reference for the neighbour tests: the definition of docs/neighbours.md written pair
by pair in exact arithmetic, the entries the tests build, and random corpora (hypothesis)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from graph_builder.analysis.neighbours import NeighbourLists
from graph_builder.analysis.similarity import NeighbourSettings
from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import Vocabulary, default_vocabulary, parent_of
from tests.entries import make_entry

FIXTURES = Path(__file__).parent / "fixtures"
VOCABULARY = default_vocabulary()


def seed_entries() -> list[Entry]:
    """The facts of the first catalogue entries, in the fixture's order (seed first)."""
    data = json.loads((FIXTURES / "seed_tags.json").read_text(encoding="utf-8"))
    out = []
    for raw in data["entries"]:
        structure = raw.get("structure") or []
        out.append(
            make_entry(
                raw["slug"],
                frame=raw.get("source_frame"),
                patterns=raw.get("embodied_patterns", []),
                relations=raw.get("relation_types", []),
                structure=[structure] if isinstance(structure, str) else structure,
                level=raw.get("abstraction_level"),
                name=raw["name"],
                kind=raw["kind"],
                related=raw.get("related", []),
            )
        )
    return out


def by_slug(entries: Sequence[Entry]) -> dict[str, Entry]:
    return {e.slug: e for e in entries}


# ---------------------------------------------------------------------------------------------
# The naive reference: the definition of docs/neighbours.md, pair by pair, in exact arithmetic.
# Weights are the decimals the vocabulary writes; the total is rounded half to even on its exact
# value (float sums round half-way totals such as 0.5296875 up or down by accident).
# ---------------------------------------------------------------------------------------------


def _decimal(value: float) -> Fraction:
    return Fraction(repr(value))


def naive_weighted_jaccard(x: set[str], y: set[str], weight: Any, credit: Fraction) -> Fraction:
    union = sum((_decimal(weight(parent_of(t))) for t in x | y), Fraction(0))
    if union == 0:
        return Fraction(0)
    exact = sum((_decimal(weight(parent_of(t))) for t in x & y), Fraction(0))
    left_x, left_y = x - y, y - x
    partial = Fraction(0)
    for parent in {parent_of(t) for t in left_x} & {parent_of(t) for t in left_y}:
        pairs = min(
            sum(1 for t in left_x if parent_of(t) == parent),
            sum(1 for t in left_y if parent_of(t) == parent),
        )
        partial += pairs * credit * _decimal(weight(parent))
    return (exact + partial) / union


def naive_similarity(a: Entry, b: Entry, vocabulary: Vocabulary, s: NeighbourSettings) -> float:
    credit = _decimal(s.sibling_credit)
    patterns = naive_weighted_jaccard(
        set(a.embodied_patterns), set(b.embodied_patterns), vocabulary.pattern_weight, credit
    )
    relations = naive_weighted_jaccard(
        set(a.relation_types), set(b.relation_types), vocabulary.relation_weight, credit
    )
    sa, sb = set(a.structure), set(b.structure)
    structure = Fraction(len(sa & sb), len(sa | sb)) if sa | sb else Fraction(0)
    level = (
        1 if a.abstraction_level is not None and a.abstraction_level == b.abstraction_level else 0
    )
    total = (
        _decimal(s.pattern_factor) * patterns
        + _decimal(s.relation_factor) * relations
        + _decimal(s.structure_factor) * structure
        + _decimal(s.level_factor) * level
    )
    return float(round(total, 6))


Lists = tuple[list[tuple[str, float]], list[tuple[str, float]]]


def naive_neighbours(
    entries: Sequence[Entry], vocabulary: Vocabulary, s: NeighbourSettings
) -> dict[str, Lists]:
    """Every pair scored, sorted by (score desc, slug asc), cut at the threshold and at k."""
    takers = [e for e in entries if e.has_structure]
    out: dict[str, Lists] = {e.slug: ([], []) for e in entries}
    for a in takers:
        cross: list[tuple[float, str]] = []
        same: list[tuple[float, str]] = []
        for b in takers:
            if b.slug == a.slug:
                continue
            score = naive_similarity(a, b, vocabulary, s)
            if score < s.threshold:
                continue
            in_domain = a.source_frame is not None and a.source_frame == b.source_frame
            (same if in_domain else cross).append((-score, b.slug))
        cross.sort()
        same.sort()
        out[a.slug] = (
            [(slug, -score) for score, slug in cross[: s.cross_domain_k]],
            [(slug, -score) for score, slug in same[: s.same_domain_k]],
        )
    return out


def as_lists(result: Mapping[str, NeighbourLists]) -> dict[str, Lists]:
    return {
        slug: (
            [(n.slug, n.score.total) for n in lists.cross_domain],
            [(n.slug, n.score.total) for n in lists.same_domain],
        )
        for slug, lists in result.items()
    }


# Random corpora for the property tests.

PATTERNS = ["force", "link", "balance", "iteration", "splitting", "attraction", "force/push"]
RELATIONS = [
    "cause", "cause/accumulate", "cause/constrain", "cause/couple", "transform",
    "transform/refinement", "transform/synthesis", "restore", "enable", "mystery",
]  # fmt: skip
STRUCTURES = ["cycle", "growth", "network", "equilibrium"]
FRAMES = [None, "myth", "sea", "war"]
WORDS = ["ash", "bay", "cog", "dune", "elm", "fig", "gale", "hive"]


@st.composite
def corpora(draw: st.DrawFn) -> list[Entry]:
    count = draw(st.integers(2, 36))
    entries = []
    for i in range(count):
        if draw(st.integers(0, 9)) == 0:
            entries.append(make_entry(f"{draw(st.sampled_from(WORDS))}-{i}"))
            continue
        entries.append(
            make_entry(
                f"{draw(st.sampled_from(WORDS))}-{i}",
                frame=draw(st.sampled_from(FRAMES)),
                patterns=draw(st.lists(st.sampled_from(PATTERNS), max_size=4, unique=True)),
                relations=draw(st.lists(st.sampled_from(RELATIONS), max_size=4, unique=True)),
                structure=draw(st.lists(st.sampled_from(STRUCTURES), max_size=2, unique=True)),
                level=draw(st.sampled_from([None, "generic", "specific", "primitive"])),
            )
        )
    return entries


neighbour_settings = st.builds(
    NeighbourSettings,
    sibling_credit=st.sampled_from([0.0, 0.3, 0.5, 1.0]),
    threshold=st.sampled_from([0.0, 0.25, 0.5]),
    cross_domain_k=st.sampled_from([0, 1, 3, 8]),
    same_domain_k=st.sampled_from([0, 1, 4]),
    workers=st.sampled_from([1, 2]),
)
