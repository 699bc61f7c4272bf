"""The frontmatter JSON Schema: generated, published unchanged, and in step with `check`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from graph_builder.cli.main import main
from graph_builder.cli.schema import entry_schema, schema_json
from graph_builder.core import limits
from graph_builder.core.load import load_entry
from graph_builder.core.model import KNOWN_KEYS
from graph_builder.core.vocabulary import default_vocabulary
from tests.bad_fixtures import BAD, GOOD

VOCABULARY = default_vocabulary()
PUBLISHED = Path(__file__).parent.parent.parent / "docs" / "schema" / "entry.schema.json"
VALIDATOR = jsonschema.Draft202012Validator(entry_schema(VOCABULARY))


def _frontmatter(path: Path) -> dict[str, Any]:
    """The frontmatter as an editor's YAML plugin sees it: dates are text."""
    entry, problems = load_entry(path)
    assert problems == []
    assert entry is not None
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in entry.meta.items()}


def _failed_keywords(path: Path) -> list[str]:
    """The keywords that reject the file, looking inside `anyOf` (an optional key may be null)."""

    def leaves(errors: Any) -> list[str]:
        found: list[str] = []
        for error in errors:
            branches = [c for c in error.context if c.validator_value != "null"]
            found += leaves(branches) if branches else [str(error.validator)]
        return found

    return leaves(VALIDATOR.iter_errors(_frontmatter(path)))


def test_published_copy_is_up_to_date() -> None:
    assert PUBLISHED.read_text(encoding="utf-8") == schema_json(VOCABULARY), (
        "run: graph-builder schema --output docs/schema/entry.schema.json"
    )


def test_schema_is_valid_draft_2020_12() -> None:
    schema = entry_schema(VOCABULARY)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_is_deterministic_with_sorted_keys() -> None:
    text = schema_json(VOCABULARY)
    assert text == schema_json(VOCABULARY)
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_schema_covers_every_key_and_the_vocabulary() -> None:
    schema = entry_schema(VOCABULARY)
    properties = schema["properties"]
    assert list(properties) == list(KNOWN_KEYS)
    assert schema["required"] == [
        "slug",
        "name",
        "kind",
        "categories",
        "author",
        "created",
        "updated",
    ]
    assert properties["kind"]["enum"] == [
        "metaphor",
        "pattern",
        "archetype",
        "paradigm",
        "mental-model",
    ]
    relations = properties["relation_types"]["anyOf"][0]["items"]["enum"]
    assert properties["relation_types"]["anyOf"][1] == {"type": "null"}
    assert "transform/refinement" in relations
    assert "cause/accumulate" in relations
    assert len(relations) == 12 + 6 + 5  # parents, cause/ subtypes, transform/ subtypes
    assert properties["embodied_patterns"]["anyOf"][0]["items"]["enum"][-1] == "attraction"
    assert properties["slug"]["pattern"] == "^[a-z0-9]+(-[a-z0-9]+)*$"


@pytest.mark.parametrize("path", sorted(GOOD.glob("*.md")), ids=lambda p: p.stem)
def test_good_entries_validate(path: Path) -> None:
    errors = [e.message for e in VALIDATOR.iter_errors(_frontmatter(path))]
    assert errors == []


@pytest.mark.parametrize(
    ("stem", "keyword"),
    [
        ("unknown-pattern", "enum"),
        ("unknown-relation-parent", "enum"),
        ("unknown-kind", "enum"),
        ("claim-prefix", "pattern"),
        ("slug-format", "pattern"),
        ("tag-count", "minItems"),
        ("wrong-type", "type"),
        ("missing-key", "required"),
        ("missing-source-frame", "required"),
        ("dead-not-metaphor", "const"),
        ("applies-to-on-mental-model", "maxItems"),
        ("empty-value", "pattern"),
        ("too-many-items", "maxItems"),
        ("reserved-name", "not"),
    ],
)
def test_what_check_calls_an_error_the_schema_rejects(stem: str, keyword: str) -> None:
    assert _failed_keywords(BAD / f"{stem}.md") == [keyword]


@pytest.mark.parametrize("stem", ["unknown-key", "missing-summary", "few-claims", "no-structure"])
def test_what_check_calls_a_warning_the_schema_accepts(stem: str) -> None:
    assert list(VALIDATOR.iter_errors(_frontmatter(BAD / f"{stem}.md"))) == []


def test_schema_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == schema_json(VOCABULARY)
    target = tmp_path / "nested" / "entry.schema.json"
    assert main(["schema", "--output", str(target)]) == 0
    assert capsys.readouterr().out == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8") == schema_json(VOCABULARY)


def _spec(key: str) -> dict[str, Any]:
    """The key's own schema, inside the `anyOf` with null of an optional key."""
    spec: dict[str, Any] = entry_schema(VOCABULARY)["properties"][key]
    return next((s for s in spec.get("anyOf", [spec]) if s.get("type") != "null"), spec)


@pytest.mark.parametrize(
    ("key", "low", "high"),
    [
        ("embodied_patterns", *limits.PATTERN_COUNT),
        ("relation_types", *limits.RELATION_COUNT),
        ("categories", *limits.CATEGORY_COUNT),
        ("transfers", None, limits.MAX_CLAIMS),
        ("limits", None, limits.MAX_CLAIMS),
        ("related", None, limits.MAX_RELATED),
    ],
)
def test_list_sizes_come_from_limits(key: str, low: int | None, high: int) -> None:
    spec = _spec(key)
    assert spec.get("minItems") == low
    assert spec["maxItems"] == high


def test_structure_list_size_comes_from_limits() -> None:
    listed = next(s for s in _spec("structure")["anyOf"] if s["type"] == "array")
    assert (listed["minItems"], listed["maxItems"]) == limits.STRUCTURE_COUNT


@pytest.mark.parametrize("name", sorted(limits.RESERVED_PAGE_NAMES))
@pytest.mark.parametrize("key", ["slug", "source_frame"])
def test_reserved_page_names_are_not_slugs(key: str, name: str) -> None:
    entry = _frontmatter(GOOD / "rupture-and-repair.md")
    assert list(VALIDATOR.iter_errors({**entry, key: name})) != []
    assert list(VALIDATOR.iter_errors({**entry, key: f"{name}-of-things"})) == []
