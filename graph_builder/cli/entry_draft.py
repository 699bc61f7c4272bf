"""Answers to `graph-builder new` (flags or prompts) -> an `EntryDraft` and its problems, if any.

A problem is one line saying what is wrong with an answer and how to put it right; the flags and
the prompts check every answer with the same functions, so both refuse the same input.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from graph_builder.core import limits
from graph_builder.core.characters import character_name, hidden_characters, printable
from graph_builder.core.slugs import slugify
from graph_builder.core.validate import did_you_mean, slug_suggestion
from graph_builder.core.vocabulary import Term, Vocabulary

__all__ = [
    "EntryDraft",
    "count_span",
    "draft_problems",
    "frame_problem",
    "kind_problem",
    "level_problem",
    "name_problem",
    "relation_problem",
    "tags_problem",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class EntryDraft:
    """What is known about a new entry before it is written; empty fields become placeholders."""

    name: str | None = None
    kind: str | None = None
    source_frame: str | None = None
    categories: tuple[str, ...] = ()
    embodied_patterns: tuple[str, ...] = ()
    relation_types: tuple[str, ...] = ()
    structure: tuple[str, ...] = ()
    abstraction_level: str | None = None
    author: str | None = None
    #: The slug asked for (`--slug`), for a name that gives none (`~`, a name in another script).
    given_slug: str | None = None

    @property
    def slug(self) -> str:
        """The slug (and file name): the one given, else the name's; empty when neither has one."""
        return self.given_slug if self.given_slug is not None else slugify(self.name or "")


def _unknown(label: str, value: str, terms: Mapping[str, Term] | Sequence[str]) -> str:
    guess = did_you_mean(value, terms)
    hint = f" (did you mean '{guess}'?)" if guess else ""
    return f"unknown {label} '{printable(value)}'{hint}; choose from: {', '.join(terms)}"


def count_span(bounds: tuple[int, int]) -> str:
    """`2 to 4`, `1 or 2`: a (least, most) pair of `limits` in words."""
    low, high = bounds
    return f"{low} or {high}" if high == low + 1 else f"{low} to {high}"


def name_problem(name: str | None, given_slug: str | None = None) -> str | None:
    if name is None or not name.strip():
        return "the entry needs a name, e.g. 'Rupture and Repair'"
    if "\n" in name.strip() or "\r" in name:
        return "the name must be one line"
    hidden = next(hidden_characters(name), None)
    if hidden is not None:
        return f"the name holds the hidden character {character_name(hidden.char)}; delete it"
    if given_slug is not None:
        if slug_suggestion(given_slug) != given_slug:
            return (
                f"'{printable(given_slug)}' cannot be a slug: use lowercase ASCII words joined by "
                "hyphens, other than 'index'"
            )
        return None
    if not slugify(name):
        return (
            f"cannot make a file name from '{printable(name)}'; use a name with ASCII letters or "
            "digits, or give the slug with --slug"
        )
    if slug_suggestion(name) is None:
        return (
            f"the name '{printable(name)}' gives the slug '{slugify(name)}', the name of a "
            "generated index page; choose another name, or give the slug with --slug"
        )
    return None


def kind_problem(kind: str | None, vocabulary: Vocabulary) -> str | None:
    if not kind:
        return f"the entry needs a kind: one of {', '.join(vocabulary.kinds)}"
    if kind in vocabulary.deprecated_kinds:
        return f"deprecated kind '{kind}', use '{vocabulary.deprecated_kinds[kind]}'"
    if kind not in vocabulary.kinds:
        return _unknown("kind", kind, vocabulary.kinds)
    return None


def frame_problem(frame: str | None) -> str | None:
    if frame and slug_suggestion(frame) != frame:
        better = slug_suggestion(frame)
        fix = f"write '{better}'" if better else "use lowercase words joined by hyphens"
        return f"source frame '{printable(frame)}' is not a slug; {fix}"
    return None


def tags_problem(
    label: str, values: Sequence[str], terms: Mapping[str, Term], bounds: tuple[int, int]
) -> str | None:
    for value in values:
        if value not in terms:
            return _unknown(label, value, terms)
    low, high = bounds
    if values and not low <= len(values) <= high:
        plural = "categories" if label == "category" else f"{label}s"
        return f"give {count_span(bounds)} {plural}, not {len(values)}"
    if len(set(values)) != len(values):
        return f"a {label} is given twice"
    return None


def relation_problem(values: Sequence[str], vocabulary: Vocabulary) -> str | None:
    parents = vocabulary.relation_parents()
    for value in values:
        parent, _, subtype = value.partition("/")
        if parent not in parents:
            return _unknown("relation type", parent, parents)
        if value not in vocabulary.relation_types:
            names = [s.partition("/")[2] for s in vocabulary.subtypes_of(parent)]
            if not names:
                return f"relation type '{parent}' has no subtypes; write '{parent}'"
            return _unknown(f"subtype of {parent}", subtype, names)
    return tags_problem("relation type", values, vocabulary.relation_types, limits.RELATION_COUNT)


def level_problem(level: str | None, vocabulary: Vocabulary) -> str | None:
    if level and level not in vocabulary.abstraction_levels:
        return _unknown("abstraction level", level, vocabulary.abstraction_levels)
    return None


def draft_problems(
    draft: EntryDraft, vocabulary: Vocabulary, *, complete: bool = True
) -> list[str]:
    """Why the draft cannot be written as given (a missing name or kind, an unknown tag...).

    Tags are checked against the vocabulary here, before anything is written, so a typo in a
    flag is a usage error with a suggestion rather than a file to fix afterwards.

    Args:
        draft: the answers so far.
        vocabulary: the terms the tags are checked against.
        complete: when False, a missing name or kind is not a problem (it will be asked for).
    """
    checks = (
        name_problem(draft.name, draft.given_slug) if complete or draft.name is not None else None,
        kind_problem(draft.kind, vocabulary) if complete or draft.kind is not None else None,
        frame_problem(draft.source_frame),
        tags_problem("category", draft.categories, vocabulary.categories, limits.CATEGORY_COUNT),
        tags_problem(
            "embodied pattern",
            draft.embodied_patterns,
            vocabulary.embodied_patterns,
            limits.PATTERN_COUNT,
        ),
        relation_problem(draft.relation_types, vocabulary),
        tags_problem("structure", draft.structure, vocabulary.structures, limits.STRUCTURE_COUNT),
        level_problem(draft.abstraction_level, vocabulary),
    )
    return [problem for problem in checks if problem is not None]


# --- rendering ------------------------------------------------------------------------------------
