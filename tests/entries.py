"""The one way the tests build an `Entry` in memory, with the structural tags by short names.

Each test module sets the defaults its cases share with `functools.partial` (a kind, a level,
how a name is made from the slug) instead of writing an Entry builder of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from graph_builder.core.model import Entry

__all__ = ["make_entry", "title_name"]


def title_name(slug: str) -> str:
    """`rupture-and-repair` -> `Rupture And Repair`: a readable stand-in name."""
    return slug.replace("-", " ").title()


def make_entry(
    slug: str,
    *,
    frame: str | None = None,
    patterns: Sequence[str] = (),
    relations: Sequence[str] = (),
    structure: Sequence[str] = (),
    level: str | None = None,
    path: str | None = None,
    name: str | None = None,
    naming: Callable[[str], str] = title_name,
    **fields: Any,
) -> Entry:
    """An entry with this slug; `frame`, `patterns`, `relations`, `structure` and `level` are
    its source frame and structural tags, any other keyword an `Entry` field (lists become
    tuples, as the loader makes them)."""
    values: dict[str, Any] = {
        "path": path or f"entries/{slug}.md",
        "slug": slug,
        "name": naming(slug) if name is None else name,
        "source_frame": frame,
        "embodied_patterns": tuple(patterns),
        "relation_types": tuple(relations),
        "structure": tuple(structure),
        "abstraction_level": level,
    }
    values.update({k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()})
    return Entry(**values)
