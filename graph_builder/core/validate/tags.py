"""An entry's kind, enums and tags -> the values the vocabulary does not hold, and tag counts."""

from __future__ import annotations

from collections.abc import Iterator

from graph_builder.core import limits
from graph_builder.core.validate.context import EntryContext
from graph_builder.core.validate.registry import Finding, check
from graph_builder.core.validate.rules import EXAMPLES, STRUCTURAL_KEYS
from graph_builder.core.validate.value_types import SEQUENCE_KEYS
from graph_builder.core.validate.wording import did_you_mean, hint, quote

__all__ = ["categories", "duplicates", "enums", "kind", "tags"]

#: The tag lists with a count to keep to: key, (fewest, most), noun, its plural.
_TAG_COUNTS = (
    ("embodied_patterns", limits.PATTERN_COUNT, "pattern", "patterns"),
    ("relation_types", limits.RELATION_COUNT, "relation type", "relation types"),
    ("structure", limits.STRUCTURE_COUNT, "structure", "structures"),
    ("categories", limits.CATEGORY_COUNT, "category", "categories"),
)


_DUPLICATE_KEYS = tuple(sorted(SEQUENCE_KEYS))


@check(
    "deprecated-kind",
    "unknown-kind",
    "missing-source-frame",
    "applies-to-on-mental-model",
    "dead-not-metaphor",
)
def kind(ctx: EntryContext) -> Iterator[Finding]:
    """A current kind of the vocabulary, and the keys that go with it."""
    entry, vocabulary = ctx.entry, ctx.vocabulary
    kind = ctx.scalar("kind")
    if kind is None:
        return
    line = entry.line_of("kind")
    if kind in vocabulary.deprecated_kinds:
        use = vocabulary.deprecated_kinds[kind]
        yield Finding("deprecated-kind", line, f"deprecated kind {quote(kind)}, use `{use}`")
    elif kind not in vocabulary.kinds:
        yield Finding(
            "unknown-kind",
            line,
            f"unknown kind {quote(kind)}{hint(kind, vocabulary.kinds)}; use one of "
            f"{', '.join(vocabulary.kinds)}",
        )
        return
    if kind == "metaphor" and not ctx.present("source_frame"):
        yield Finding(
            "missing-source-frame",
            line,
            "a metaphor needs `source_frame`, the domain it borrows from; add e.g. "
            "`source_frame: mythology`",
        )
    if kind == "mental-model" and ctx.present("applies_to"):
        yield Finding(
            "applies-to-on-mental-model",
            entry.line_of("applies_to"),
            "`applies_to` is not used on a mental-model; delete it (or change `kind`)",
        )
    if kind != "metaphor" and entry.meta.get("dead") is True:
        yield Finding(
            "dead-not-metaphor",
            entry.line_of("dead"),
            f"`dead` applies only to metaphors, and this entry is a {kind}; delete the line",
        )


@check("unknown-grounding", "unknown-abstraction-level")
def enums(ctx: EntryContext) -> Iterator[Finding]:
    """The grounding and the abstraction level among the vocabulary's."""
    specs = (
        ("grounding", "unknown-grounding", "grounding", ctx.vocabulary.groundings),
        (
            "abstraction_level",
            "unknown-abstraction-level",
            "abstraction level",
            ctx.vocabulary.abstraction_levels,
        ),
    )
    for key, rule, label, terms in specs:
        value = ctx.scalar(key)
        if value is not None and value not in terms:
            yield Finding(
                rule,
                ctx.entry.line_of(key),
                f"unknown {label} {quote(value)}{hint(value, terms)}; "
                f"use one of {', '.join(terms)}",
            )


@check("unknown-category")
def categories(ctx: EntryContext) -> Iterator[Finding]:
    """Every category in the vocabulary."""
    terms = ctx.vocabulary.categories
    for line, text in ctx.items("categories"):
        if text not in terms:
            yield Finding(
                "unknown-category",
                line,
                f"unknown category {quote(text)}{hint(text, terms)}; pick one "
                "from graph_builder/data/vocabulary.yaml, or propose a new one there",
            )


@check(
    "unknown-pattern",
    "unknown-relation-parent",
    "unknown-relation-subtype",
    "unknown-structure",
    "tag-count",
    "no-structure",
    "missing-structural-tag",
)
def tags(ctx: EntryContext) -> Iterator[Finding]:
    """Structural tags known to the vocabulary, in their counts, and all four kinds present."""
    vocabulary = ctx.vocabulary
    for line, text in ctx.items("embodied_patterns"):
        if text not in vocabulary.embodied_patterns:
            yield Finding(
                "unknown-pattern",
                line,
                f"unknown embodied pattern {quote(text)}"
                f"{hint(text, vocabulary.embodied_patterns)}; see the patterns in "
                "graph_builder/data/vocabulary.yaml",
            )
    valid_relations = ctx.terms.valid_relations
    for line, text in ctx.items("relation_types"):
        if text not in valid_relations:
            yield from _relation(ctx, line, text)
    for line, text in ctx.items("structure"):
        if text not in vocabulary.structures:
            yield Finding(
                "unknown-structure",
                line,
                f"unknown structure {quote(text)}"
                f"{hint(text, vocabulary.structures)}; use one of "
                f"{', '.join(vocabulary.structures)}",
            )
    for key, (low, high), noun, nouns in _TAG_COUNTS:
        value = ctx.entry.meta.get(key)
        if not isinstance(value, list) or low <= len(value) <= high:
            continue
        if value and not ctx.has_placeholder(key):
            wanted = f"{low} or {high}" if high == low + 1 else f"{low} to {high}"
            yield Finding(
                "tag-count",
                ctx.entry.line_of(key),
                f"`{key}` has {len(value)} {noun if len(value) == 1 else nouns}; use "
                f"{wanted}{' (the most telling)' if high > low + 1 else ''}",
            )
    present = [key for key in STRUCTURAL_KEYS if ctx.present(key)]
    if not present:
        yield Finding(
            "no-structure",
            1,
            "the entry has no structural tags, so it has no structural neighbours; add "
            "`embodied_patterns`, `relation_types`, `structure` and `abstraction_level`",
        )
    else:
        for key in STRUCTURAL_KEYS:
            if key not in present and key not in ctx.malformed:
                yield Finding(
                    "missing-structural-tag",
                    ctx.entry.line_of(key) if key in ctx.entry.meta else 1,
                    f"`{key}` is missing, so neighbours are computed without it; add e.g. "
                    f"`{EXAMPLES[key]}`",
                )


def _relation(ctx: EntryContext, line: int, text: str) -> Iterator[Finding]:
    vocabulary = ctx.vocabulary
    parents = ctx.terms.relation_parents
    parent, _, subtype = text.partition("/")
    if parent not in parents:
        guess = did_you_mean(parent, parents)
        whole = f" in {quote(text)}" if subtype else ""
        hint = f" (did you mean {quote(guess)}?)" if guess else ""
        fixed = f"{guess}/{subtype}" if subtype else guess
        if guess and fixed in vocabulary.relation_types:
            fix = f"write `{fixed}`"
        else:
            fix = f"the parents are {', '.join(parents)}"
        yield Finding(
            "unknown-relation-parent",
            line,
            f"unknown relation parent {quote(parent)}{whole}{hint}; {fix}",
        )
        return
    if text in vocabulary.relation_types:
        return
    names = [s.partition("/")[2] for s in vocabulary.subtypes_of(parent)]
    if not names:
        yield Finding(
            "unknown-relation-subtype",
            line,
            f"relation {quote(parent)} has no subtypes; write `{parent}`",
        )
        return
    guess = did_you_mean(subtype, names)
    hint = f" (did you mean {quote(parent + '/' + guess)}?)" if guess else ""
    yield Finding(
        "unknown-relation-subtype",
        line,
        f"unknown subtype {quote(subtype)} of {quote(parent)}{hint}; the subtypes of {parent} "
        f"are {', '.join(names)}, or write the bare `{parent}`",
    )


@check("duplicate-item")
def duplicates(ctx: EntryContext) -> Iterator[Finding]:
    """No list repeats an item."""
    for key in _DUPLICATE_KEYS:
        items = ctx.items(key)
        if len(items) < 2 or len({text for _, text in items}) == len(items):
            continue
        seen: set[str] = set()
        for line, text in items:
            if text in seen:
                yield Finding(
                    "duplicate-item",
                    line,
                    f"{quote(text)} is listed twice in `{key}`; remove this one",
                )
            seen.add(text)
