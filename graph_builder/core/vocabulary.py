"""The controlled vocabularies and their weights, read from `data/vocabulary.yaml`."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

# libyaml's safe loader when PyYAML was built with it: the same data, read ten times faster
# (the vocabulary is read at the start of every build).
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

__all__ = ["Term", "Vocabulary", "default_vocabulary", "load_vocabulary", "parent_of"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Term:
    """One vocabulary term: its slug, display title, one-line definition and weight.

    For a relation subtype (`transform/refinement`) `parent` names the parent; its weight is the
    parent's, as the similarity definition requires.
    """

    slug: str
    title: str
    definition: str
    weight: float = 1.0
    parent: str | None = None


def parent_of(tag: str) -> str:
    """The part of a relation tag before `/` (the tag itself when it has none)."""
    return tag.split("/", 1)[0]


@dataclass(frozen=True, slots=True, kw_only=True)
class Vocabulary:
    """Every controlled term of the entry format.

    `relation_types` holds parents and subtypes alike, keyed by their full tag
    (`transform`, `transform/refinement`), so membership is one lookup.
    """

    kinds: Mapping[str, Term]
    deprecated_kinds: Mapping[str, str]
    groundings: Mapping[str, Term]
    abstraction_levels: Mapping[str, Term]
    embodied_patterns: Mapping[str, Term]
    relation_types: Mapping[str, Term]
    structures: Mapping[str, Term]
    categories: Mapping[str, Term]
    claim_prefixes: Mapping[str, str]

    def pattern_weight(self, tag: str) -> float:
        """Weight of an embodied pattern; 1.0 for a term missing from the table."""
        term = self.embodied_patterns.get(tag)
        return term.weight if term else 1.0

    def relation_weight(self, tag: str) -> float:
        """Weight of a relation tag: its parent's (1.0 for a parent missing from the table)."""
        term = self.relation_types.get(parent_of(tag))
        return term.weight if term else 1.0

    def relation_parents(self) -> tuple[str, ...]:
        return tuple(slug for slug, term in self.relation_types.items() if term.parent is None)

    def subtypes_of(self, parent: str) -> tuple[str, ...]:
        return tuple(slug for slug, term in self.relation_types.items() if term.parent == parent)

    def facet(self, name: str) -> Mapping[str, Term]:
        """The terms of one facet by its frontmatter key (`embodied_patterns`, `structure`…)."""
        return {
            "kind": self.kinds,
            "grounding": self.groundings,
            "abstraction_level": self.abstraction_levels,
            "embodied_patterns": self.embodied_patterns,
            "relation_types": self.relation_types,
            "structure": self.structures,
            "categories": self.categories,
        }[name]


def _terms(raw: Mapping[str, Any], *, weighted: bool) -> dict[str, Term]:
    terms: dict[str, Term] = {}
    for slug, spec in raw.items():
        terms[slug] = Term(
            slug=slug,
            title=str(spec["title"]),
            definition=str(spec["definition"]),
            weight=float(spec["weight"]) if weighted else 1.0,
        )
    return terms


def _relations(raw: Mapping[str, Any]) -> dict[str, Term]:
    terms: dict[str, Term] = {}
    for slug, spec in raw.items():
        weight = float(spec["weight"])
        terms[slug] = Term(
            slug=slug, title=str(spec["title"]), definition=str(spec["definition"]), weight=weight
        )
        for sub, sub_spec in (spec.get("subtypes") or {}).items():
            tag = f"{slug}/{sub}"
            terms[tag] = Term(
                slug=tag,
                title=f"{spec['title']} / {sub_spec['title']}",
                definition=str(sub_spec["definition"]),
                weight=weight,
                parent=slug,
            )
    return terms


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """Read a vocabulary data file (the packaged one by default).

    Raises:
        ValueError: the file lacks a section or a term lacks its title, definition or weight;
            the vocabulary is project data, so a broken one is a bug to fix, not a diagnostic.
    """
    if path is None:
        text = resources.files("graph_builder").joinpath("data/vocabulary.yaml").read_text("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    raw = yaml.load(text, Loader=_SAFE_LOADER)
    try:
        return Vocabulary(
            kinds=MappingProxyType(_terms(raw["kinds"], weighted=False)),
            deprecated_kinds=MappingProxyType(dict(raw.get("deprecated_kinds") or {})),
            groundings=MappingProxyType(_terms(raw["groundings"], weighted=False)),
            abstraction_levels=MappingProxyType(_terms(raw["abstraction_levels"], weighted=False)),
            embodied_patterns=MappingProxyType(_terms(raw["embodied_patterns"], weighted=True)),
            relation_types=MappingProxyType(_relations(raw["relation_types"])),
            structures=MappingProxyType(_terms(raw["structures"], weighted=False)),
            categories=MappingProxyType(_terms(raw["categories"], weighted=False)),
            claim_prefixes=MappingProxyType(dict(raw["claim_prefixes"])),
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"vocabulary file is missing a section or a field: {exc}") from exc


@functools.cache
def default_vocabulary() -> Vocabulary:
    """The packaged vocabulary, read once per process."""
    return load_vocabulary()
