"""list[Entry] -> structural neighbours: the similarity score, its reasons, and exact top-k lists."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from graph_builder.model import Entry
from graph_builder.vocabulary import Vocabulary

__all__ = [
    "NeighbourSettings",
    "Score",
    "Neighbour",
    "NeighbourLists",
    "similarity",
    "structural_neighbours",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class NeighbourSettings:
    """The numbers of the similarity definition, with its defaults; the site config overrides them."""

    pattern_factor: float = 0.35
    relation_factor: float = 0.35
    structure_factor: float = 0.20
    level_factor: float = 0.10
    sibling_credit: float = 0.3
    threshold: float = 0.25
    cross_domain_k: int = 8
    same_domain_k: int = 4


@dataclass(frozen=True, slots=True, kw_only=True)
class Score:
    """sim(A, B) and why: the four components and the tags behind them.

    `patterns`, `relations`, `structure` are the Jaccard values in [0, 1] before the factors;
    `level` is 1.0 or 0.0. `total` is the weighted sum rounded to 6 decimals.
    `sibling_relations` pairs a leftover tag of A with one of B under the same parent.
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


def similarity(
    a: Entry,
    b: Entry,
    vocabulary: Vocabulary,
    settings: NeighbourSettings = NeighbourSettings(),
) -> Score:
    """sim(A, B) as docs/neighbours.md defines it, with its reasons."""
    raise NotImplementedError


def structural_neighbours(
    entries: Sequence[Entry],
    vocabulary: Vocabulary,
    settings: NeighbourSettings = NeighbourSettings(),
) -> Mapping[str, NeighbourLists]:
    """Every entry's neighbour lists, keyed by slug (entries without structural tags get empty lists)."""
    raise NotImplementedError
