"""Rule ids -> Rule (severity, what it asks for): the table of the entry format's rules, and the
format's words (required keys, slug pattern, placeholder, old headings) the rules quote.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from graph_builder.core import limits
from graph_builder.core.model import Severity

__all__ = [
    "EXAMPLES",
    "LIST_KEYS",
    "OLD_HEADINGS",
    "PLACEHOLDER",
    "PLACEHOLDER_PATTERN",
    "RECOMMENDED_KEYS",
    "REQUIRED_KEYS",
    "REQUIRED_SECTIONS",
    "RULES",
    "SLUG",
    "SLUG_PATTERN",
    "STRING_KEYS",
    "STRUCTURAL_KEYS",
    "Rule",
    "span",
]

#: A slug: lowercase ASCII words joined by single hyphens.
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG = re.compile(SLUG_PATTERN)

#: The marker `graph-builder new` writes where a contributor still has to write something.
PLACEHOLDER = "TODO:"
PLACEHOLDER_PATTERN = re.compile(r"\bTODO:")

#: Keys every entry must have.
REQUIRED_KEYS: tuple[str, ...] = (
    "slug",
    "name",
    "kind",
    "categories",
    "author",
    "created",
    "updated",
)

#: Headings of an older version of the format, and the section each became.
OLD_HEADINGS: Mapping[str, str] = MappingProxyType(
    {"What It Brings": "Transfers", "What It Enables": "Transfers", "Where It Breaks": "Limits"}
)
RECOMMENDED_KEYS = ("summary", "transfers", "limits")
REQUIRED_SECTIONS = ("Transfers", "Limits", "Expressions")
STRUCTURAL_KEYS = ("embodied_patterns", "relation_types", "structure", "abstraction_level")
_STRING_KEYS_WORDS = (
    "slug name summary kind source_frame grounding author harness abstraction_level"
)
STRING_KEYS = frozenset(_STRING_KEYS_WORDS.split())
_LIST_KEYS_WORDS = (
    "applies_to categories related contributors transfers limits embodied_patterns relation_types"
)
LIST_KEYS = frozenset(_LIST_KEYS_WORDS.split())
#: How each key is written, quoted in messages that tell a contributor what to write.
EXAMPLES: Mapping[str, str] = MappingProxyType(
    {
        "slug": "slug: rupture-and-repair",
        "name": "name: Rupture and Repair",
        "summary": 'summary: "One sentence saying what the model is and what it is for."',
        "kind": "kind: mental-model",
        "source_frame": "source_frame: psychotherapy",
        "applies_to": "applies_to: [organizational-behavior]",
        "dead": "dead: true",
        "categories": "categories: [psychology]",
        "grounding": "grounding: established",
        "related": "related: [antifragile]",
        "author": "author: your-handle",
        "contributors": "contributors: [another-handle]",
        "created": "created: '2026-03-23'",
        "updated": "updated: '2026-03-23'",
        "harness": "harness: your-editor",
        "transfers": "transfers: ['[model] A short claim of what carries over.']",
        "limits": "limits: ['[model] A short claim of where it breaks.']",
        "embodied_patterns": "embodied_patterns: [link, iteration]",
        "relation_types": "relation_types: [restore, transform/refinement]",
        "structure": "structure: cycle",
        "abstraction_level": "abstraction_level: generic",
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """One rule of the entry format: its id, how bad a breach is, and what it asks for."""

    id: str
    severity: Severity
    summary: str


def _rules(*rows: tuple[str, Severity, str]) -> Mapping[str, Rule]:
    return MappingProxyType({r: Rule(id=r, severity=s, summary=t) for r, s, t in rows})


_E, _W, _N = Severity.ERROR, Severity.WARNING, Severity.NOTE


def span(bounds: tuple[int, int]) -> str:
    """`2-4`, from a (least, most) pair of `limits`."""
    return f"{bounds[0]}-{bounds[1]}"


#: Every rule `check` reports, the loader's included, with its severity.
RULES: Mapping[str, Rule] = _rules(
    # Reported by the loader: the file cannot be read as an entry at all.
    ("missing-entries-dir", _E, "the catalogue folder exists"),
    ("unreadable", _E, "the file can be read"),
    ("not-utf8", _E, "the file is UTF-8 text"),
    ("file-too-large", _E, "the file is at most `limits.MAX_FILE_BYTES` bytes"),
    ("line-too-long", _E, "every line is at most `limits.MAX_LINE_CHARS` characters"),
    ("empty-file", _E, "the file is not empty"),
    ("no-frontmatter", _E, "the file starts with a `---` frontmatter block"),
    ("unclosed-frontmatter", _E, "the frontmatter ends with a `---` line"),
    ("yaml-syntax", _E, "the frontmatter is valid YAML"),
    ("yaml-value", _E, "every YAML value can be built (no mismatched `!!` tags)"),
    ("frontmatter-not-mapping", _E, "the frontmatter is a mapping of `key: value` lines"),
    ("invalid-key", _E, "every key is a plain word"),
    ("duplicate-key", _E, "every key appears once"),
    # Frontmatter.
    ("missing-key", _E, "every required key is present"),
    ("empty-value", _E, "a required key has a value"),
    ("wrong-type", _E, "every value has its key's type"),
    ("unknown-key", _W, "every key is one of the format's keys"),
    ("placeholder", _E, "no `TODO:` placeholder of the scaffold is left"),
    ("slug-format", _E, "the slug is kebab-case"),
    ("slug-mismatch", _E, "the slug equals the file name"),
    ("duplicate-slug", _E, "no two entries share a slug"),
    ("not-a-slug", _E, "`source_frame`, `applies_to` and `related` hold slugs"),
    ("multiline-name", _E, "the name is one line"),
    ("invalid-date", _E, "dates are real days written YYYY-MM-DD"),
    ("date-order", _E, "`updated` is not before `created`"),
    ("unknown-kind", _E, "the kind is one of the vocabulary's kinds"),
    ("deprecated-kind", _E, "the kind is not a deprecated one"),
    ("unknown-grounding", _E, "the grounding is one of the vocabulary's groundings"),
    ("unknown-abstraction-level", _E, "the abstraction level is one of the vocabulary's levels"),
    ("missing-source-frame", _E, "a metaphor has a `source_frame`"),
    ("applies-to-on-mental-model", _E, "a mental-model has no `applies_to`"),
    ("dead-not-metaphor", _E, "only a metaphor is `dead`"),
    ("unknown-category", _E, "every category is in the vocabulary"),
    ("missing-summary", _W, "the entry has a summary"),
    ("summary-sentences", _W, "the summary is one sentence"),
    ("few-claims", _W, "`transfers` and `limits` have at least 2 claims each"),
    ("claim-prefix", _E, "every claim starts with [model], [source], [paradigm] or [law]"),
    ("unknown-pattern", _E, "every embodied pattern is in the vocabulary"),
    ("unknown-relation-parent", _E, "every relation type's parent is in the vocabulary"),
    ("unknown-relation-subtype", _E, "every relation subtype is one of its parent's"),
    ("unknown-structure", _E, "every structure is in the vocabulary"),
    (
        "tag-count",
        _E,
        f"{span(limits.PATTERN_COUNT)} patterns, {span(limits.RELATION_COUNT)} relation types, "
        f"{span(limits.STRUCTURE_COUNT)} structures, {span(limits.CATEGORY_COUNT)} categories",
    ),
    (
        "too-many-items",
        _E,
        f"at most {limits.MAX_CLAIMS} claims in `transfers` and in `limits`, "
        f"{limits.MAX_RELATED} `related` slugs, {limits.MAX_LIST_ITEMS} items in a section's list",
    ),
    ("reserved-name", _E, "no slug or facet value takes the page name of a generated index"),
    ("page-name-clash", _E, "two different values never fold to the same page name"),
    ("control-character", _E, "no control character (NUL, ESC …) other than tab and line end"),
    ("invisible-character", _E, "no invisible format character (bidi controls, zero widths …)"),
    ("duplicate-item", _W, "no list repeats an item"),
    ("no-structure", _W, "the entry has structural tags, so it has structural neighbours"),
    ("missing-structural-tag", _W, "an entry with structural tags has all four kinds"),
    ("dangling-related", _N, "a `related` slug names an entry that exists (a note: it may come)"),
    ("self-related", _E, "an entry is not related to itself"),
    ("near-duplicate-frame", _W, "a `source_frame` is not one typo away from another entry's"),
    ("raw-html", _W, "no raw HTML (the site shows it as text)"),
    # Body.
    ("missing-section", _E, "Transfers, Limits and Expressions are present"),
    ("empty-section", _E, "a required section has text"),
    ("section-order", _E, "sections come in the format's order"),
    ("duplicate-section", _E, "every section appears once"),
    ("old-heading", _E, "no heading of the old format is left"),
    ("unknown-section", _W, "every `##` heading is one of the format's sections"),
    # Reported by the loader: text that no page would show.
    ("text-before-sections", _W, "no text before the first `##` section"),
    ("second-frontmatter", _E, "one frontmatter block: no second `---` block of keys"),
)
