"""model.KNOWN_KEYS + Vocabulary -> the JSON Schema (draft 2020-12) of the entry frontmatter.

Editors use it to complete keys and vocabulary terms as a contributor types. It states what
`graph-builder check` reports as errors and nothing more: the recommendations (a summary, two
claims each), the warnings (unknown keys, missing structural tags) and the rules that need the
whole catalogue (unique slugs, the file name) stay with `check`. Generated, never hand-edited:
`graph-builder schema --output docs/schema/entry.schema.json` refreshes the published copy, and a
test fails when that copy is stale.
"""

from __future__ import annotations

import json
from typing import Any

from graph_builder.core import limits
from graph_builder.core.model import KNOWN_KEYS
from graph_builder.core.validate import REQUIRED_KEYS, SLUG_PATTERN
from graph_builder.core.vocabulary import Vocabulary

__all__ = ["SCHEMA_DIALECT", "entry_schema", "schema_json"]

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


#: A slug that is not the name of a generated index page (a valid slug is its own page name).
_SLUG_SPEC: dict[str, Any] = {
    "type": "string",
    "pattern": SLUG_PATTERN,
    "not": {"enum": sorted(limits.RESERVED_PAGE_NAMES)},
}


def _slug(description: str) -> dict[str, Any]:
    return {**_SLUG_SPEC, "description": description}


def _slugs(description: str, most: int | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "array",
        "items": _SLUG_SPEC,
        "description": description,
    }
    if most is not None:
        schema["maxItems"] = most
    return schema


def _enum(values: Any, description: str) -> dict[str, Any]:
    return {"type": "string", "enum": list(values), "description": description}


def _tags(values: Any, bounds: tuple[int, int], description: str) -> dict[str, Any]:
    """A list of vocabulary terms, with the least and most items of `limits`."""
    low, high = bounds
    return {
        "type": "array",
        "items": {"type": "string", "enum": list(values)},
        "minItems": low,
        "maxItems": high,
        "description": f"{description}, {low} to {high}.",
    }


def _nullable(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec, or null; annotations (description, default) stay on the outside for editors."""
    notes = ("description", "default")
    inner = {k: v for k, v in spec.items() if k not in notes}
    return {"anyOf": [inner, {"type": "null"}], **{k: v for k, v in spec.items() if k in notes}}


def entry_schema(vocabulary: Vocabulary) -> dict[str, Any]:
    """The frontmatter schema as a dict, every enum taken from the vocabulary.

    Dates are strings `YYYY-MM-DD` (quote them in YAML so every tool reads them the same way);
    `structure` is a word or a list; a claim starts with a prefix. Counts come from `limits`.
    """
    prefixes = "|".join(vocabulary.claim_prefixes)
    claim = {"type": "string", "pattern": rf"^\[({prefixes})\]"}
    date = {"type": "string", "pattern": _DATE_PATTERN, "format": "date"}
    structures = list(vocabulary.structures)
    specs: dict[str, Any] = {
        "slug": _slug("Unique kebab-case id; equals the file name without `.md`."),
        "name": {
            "type": "string",
            "pattern": r"^[^\r\n]*\S[^\r\n]*$",
            "description": "Display name, on one line.",
        },
        "summary": {
            "type": "string",
            "description": "One sentence: what the model is and what it is for.",
        },
        "kind": _enum(vocabulary.kinds, "What sort of model this is."),
        "source_frame": _slug("The domain the model comes from; required for a metaphor."),
        "applies_to": _slugs("Domains the model is applied to; not on a mental-model."),
        "dead": {
            "type": "boolean",
            "description": "A metaphor whose source is forgotten; only on metaphors.",
        },
        "categories": _tags(vocabulary.categories, limits.CATEGORY_COUNT, "Subject categories"),
        "grounding": {
            **_enum(vocabulary.groundings, "How well supported the model is."),
            "default": "folk",
        },
        "related": _slugs(
            "Entries this one links to; a slug with no entry yet is allowed.", limits.MAX_RELATED
        ),
        "author": {"type": "string", "minLength": 1, "description": "A handle, or `agent:<name>`."},
        "contributors": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Other handles.",
        },
        "created": {**date, "description": "The day the entry was written."},
        "updated": {**date, "description": "The day of the last change; not before `created`."},
        "harness": {"type": "string", "description": "The tool used to draft the entry, if any."},
        "transfers": {
            "type": "array",
            "items": claim,
            "maxItems": limits.MAX_CLAIMS,
            "description": "Short claims of what carries over, each starting with a prefix.",
        },
        "limits": {
            "type": "array",
            "items": claim,
            "maxItems": limits.MAX_CLAIMS,
            "description": "Short claims of where the model breaks, each starting with a prefix.",
        },
        "embodied_patterns": _tags(
            vocabulary.embodied_patterns, limits.PATTERN_COUNT, "Image schemas"
        ),
        "relation_types": _tags(
            vocabulary.relation_types,
            limits.RELATION_COUNT,
            "Relation types, `parent` or `parent/subtype`",
        ),
        "structure": {
            "anyOf": [
                {"type": "string", "enum": structures},
                {
                    "type": "array",
                    "items": {"type": "string", "enum": structures},
                    "minItems": limits.STRUCTURE_COUNT[0],
                    "maxItems": limits.STRUCTURE_COUNT[1],
                },
            ],
            "description": "The overall shape: one structure, or a list of up to "
            f"{limits.STRUCTURE_COUNT[1]}.",
        },
        "abstraction_level": _enum(vocabulary.abstraction_levels, "How general the model is."),
    }
    # In KNOWN_KEYS order (a KeyError here means a key of the format has no schema yet). An
    # optional key may be written with no value, which `check` reads as absent.
    properties = {
        key: specs[key] if key in REQUIRED_KEYS else _nullable(specs[key]) for key in KNOWN_KEYS
    }

    def kind_is(kind: str) -> dict[str, Any]:
        return {"properties": {"kind": {"const": kind}}, "required": ["kind"]}

    return {
        "$schema": SCHEMA_DIALECT,
        "title": "Mental Model Atlas entry frontmatter",
        "description": "The YAML frontmatter of an `entries/<slug>.md` file. Generated by "
        "`graph-builder schema`; `graph-builder check` applies further rules.",
        "type": "object",
        "required": list(REQUIRED_KEYS),
        "properties": properties,
        # Unknown keys are warnings in `check`, not errors, so the schema lets them through.
        "additionalProperties": True,
        "allOf": [
            {"if": kind_is("metaphor"), "then": {"required": ["source_frame"]}},
            {
                "if": kind_is("mental-model"),
                "then": {"properties": {"applies_to": {"maxItems": 0}}},
            },
            {
                "if": {"not": kind_is("metaphor")},
                "then": {"properties": {"dead": {"const": False}}},
            },
        ],
    }


def schema_json(vocabulary: Vocabulary) -> str:
    """The schema as JSON text: keys sorted, two-space indent, one final newline."""
    return json.dumps(entry_schema(vocabulary), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
