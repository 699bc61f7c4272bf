"""The similarity definition: scores worked out by hand, its failures, and its symmetry against
the naive reference on random pairs."""

from __future__ import annotations

import dataclasses
import doctest
from types import MappingProxyType

import pytest
from hypothesis import given, settings

from graph_builder.analysis import similarity as similarity_module
from graph_builder.analysis.neighbours import structural_neighbours
from graph_builder.analysis.similarity import NeighbourSettings, similarity
from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import Vocabulary
from tests.entries import make_entry
from tests.neighbour_reference import (
    VOCABULARY,
    by_slug,
    corpora,
    naive_similarity,
    neighbour_settings,
    seed_entries,
)
from tests.seed import SEED

# ---------------------------------------------------------------------------------------------
# similarity: values worked out by hand
# ---------------------------------------------------------------------------------------------


def test_seed_and_phoenix_by_hand() -> None:
    e = by_slug(seed_entries())
    score = similarity(e[SEED], e["phoenix"], VOCABULARY)
    # patterns: {link .9, splitting 1.2, iteration 1} vs {splitting, path .5, force .5}
    assert score.patterns == pytest.approx(1.2 / 4.1)
    # relations: restore 1.3 shared; transform/refinement pairs with transform (0.3 * 0.3);
    # union restore + transform/refinement + cause/accumulate + transform = 2.2
    assert score.relations == pytest.approx((1.3 + 0.09) / 2.2)
    assert score.structure == 1.0
    assert score.level == 1.0
    assert score.total == pytest.approx(0.35 * 1.2 / 4.1 + 0.35 * 1.39 / 2.2 + 0.3, abs=5e-7)
    assert score.total == 0.623575
    assert score.shared_patterns == ("splitting",)
    assert score.shared_relations == ("restore",)
    assert score.sibling_relations == (("transform/refinement", "transform"),)
    assert score.shared_structures == ("cycle",)
    assert score.level_match is True


def test_seed_and_pendulation_pair_two_cause_subtypes() -> None:
    e = by_slug(seed_entries())
    score = similarity(e[SEED], e["pendulation"], VOCABULARY)
    assert score.patterns == pytest.approx(1.0 / 4.5)
    assert score.relations == pytest.approx((1.3 + 0.3 + 0.09) / 2.2)
    assert score.structure == 0.5
    assert score.sibling_relations == (("cause/accumulate", "cause/constrain"),)
    assert score.shared_relations == ("restore", "transform/refinement")
    assert round(score.total, 3) == 0.547


def test_similarity_is_symmetric_and_pairs_flip() -> None:
    e = by_slug(seed_entries())
    ab = similarity(e[SEED], e["phoenix"], VOCABULARY)
    ba = similarity(e["phoenix"], e[SEED], VOCABULARY)
    assert (ab.total, ab.patterns, ab.relations, ab.structure, ab.level) == (
        ba.total,
        ba.patterns,
        ba.relations,
        ba.structure,
        ba.level,
    )
    assert ba.sibling_relations == (("transform", "transform/refinement"),)


def test_sibling_pairs_are_matched_in_sorted_order() -> None:
    a = make_entry("a", relations=["cause/couple", "cause/compel"])
    b = make_entry("b", relations=["cause/misfit", "cause/constrain"])
    score = similarity(a, b, VOCABULARY)
    assert score.sibling_relations == (
        ("cause/compel", "cause/constrain"),
        ("cause/couple", "cause/misfit"),
    )
    # Two pairs of weight 0.3 at 0.3 credit over a union of four tags of 0.3.
    assert score.relations == pytest.approx(2 * 0.09 / 1.2)


def test_unequal_sibling_counts_pair_only_the_smaller_side() -> None:
    a = make_entry("a", relations=["cause", "cause/compel", "cause/couple"])
    b = make_entry("b", relations=["cause/constrain"])
    score = similarity(a, b, VOCABULARY)
    assert score.sibling_relations == (("cause", "cause/constrain"),)
    assert score.relations == pytest.approx(0.09 / 1.2)


def test_unknown_parent_weighs_one_and_missing_levels_do_not_match() -> None:
    a = make_entry("a", relations=["mystery", "restore"], structure=["cycle"])
    b = make_entry("b", relations=["mystery"], structure=["growth"])
    score = similarity(a, b, VOCABULARY)
    assert score.relations == pytest.approx(1.0 / 2.3)
    assert score.structure == 0.0
    assert score.level_match is False
    assert score.total == pytest.approx(0.35 / 2.3, abs=5e-7)


def test_entries_without_tags_score_zero() -> None:
    score = similarity(make_entry("a"), make_entry("b"), VOCABULARY)
    assert score.total == 0.0
    assert (score.patterns, score.relations, score.structure, score.level) == (0, 0, 0, 0)


def test_half_way_total_is_rounded_on_its_exact_value() -> None:
    # relations 2.1 / 3.2 = 21/32, structure 1, level 1: 0.35 * 21/32 + 0.3 = 0.5296875 exactly.
    a = make_entry(
        "a", patterns=["merging"], relations=["translate", "contain"], structure=["pipeline"],
        level="generic",
    )  # fmt: skip
    b = make_entry(
        "b", patterns=["path"], relations=["contain", "translate", "transform", "enable"],
        structure=["pipeline"], level="generic",
    )  # fmt: skip
    score = similarity(a, b, VOCABULARY)
    assert score.relations == 21 / 32
    assert score.total == 0.529688  # half to even on the exact value
    assert naive_similarity(a, b, VOCABULARY, NeighbourSettings()) == 0.529688


def test_settings_change_the_factors_and_the_credit() -> None:
    e = by_slug(seed_entries())
    custom = NeighbourSettings(
        pattern_factor=0.5, relation_factor=0.5, structure_factor=0, level_factor=0,
        sibling_credit=0,
    )  # fmt: skip
    score = similarity(e[SEED], e["phoenix"], VOCABULARY, custom)
    assert score.relations == pytest.approx(1.3 / 2.2)
    assert score.total == pytest.approx(0.5 * 1.2 / 4.1 + 0.5 * 1.3 / 2.2, abs=5e-7)


def _vocabulary_with_pattern_weight(weight: float) -> Vocabulary:
    patterns = dict(VOCABULARY.embodied_patterns)
    patterns["force"] = dataclasses.replace(patterns["force"], weight=weight)
    return dataclasses.replace(VOCABULARY, embodied_patterns=MappingProxyType(patterns))


@pytest.mark.parametrize("weight", [0.1234567, -0.5, float("nan")])
def test_a_weight_that_is_not_whole_millionths_fails_loudly(weight: float) -> None:
    vocabulary = _vocabulary_with_pattern_weight(weight)
    a = make_entry("a", patterns=["force"])
    with pytest.raises(ValueError, match="force"):
        similarity(a, a, vocabulary)
    with pytest.raises(ValueError, match="force"):
        structural_neighbours([a, make_entry("b", patterns=["force"])], vocabulary)


def test_a_changed_weight_changes_the_score() -> None:
    vocabulary = _vocabulary_with_pattern_weight(2.5)
    a = make_entry("a", patterns=["force", "link"])
    b = make_entry("b", patterns=["force"])
    assert similarity(a, b, vocabulary).patterns == pytest.approx(2.5 / 3.4)


@pytest.mark.parametrize(
    "bad",
    [
        NeighbourSettings(sibling_credit=1.5),
        NeighbourSettings(pattern_factor=-0.1),
        NeighbourSettings(cross_domain_k=-1),
    ],
)
def test_bad_settings_fail_loudly(bad: NeighbourSettings) -> None:
    a = make_entry("a", patterns=["force"])
    with pytest.raises(ValueError):
        similarity(a, a, VOCABULARY, bad)


def test_docstring_examples() -> None:
    result = doctest.testmod(similarity_module)
    assert result.attempted >= 7
    assert result.failed == 0


@settings(max_examples=80, deadline=None)
@given(a=corpora(), s=neighbour_settings)
def test_similarity_is_symmetric_and_matches_the_reference(
    a: list[Entry], s: NeighbourSettings
) -> None:
    x, y = a[0], a[1]
    forward, backward = similarity(x, y, VOCABULARY, s), similarity(y, x, VOCABULARY, s)
    assert forward.total == backward.total == naive_similarity(x, y, VOCABULARY, s)
    assert 0.0 <= forward.total <= 1.0
    assert backward.sibling_relations == tuple(
        sorted((tb, ta) for ta, tb in forward.sibling_relations)
    )
