"""Entries + neighbour lists -> what `graph-builder export` writes: JSON, GraphML or GEXF.

Every export is deterministic: entries sorted by slug, keys sorted, scores rounded to 6 decimals
in the JSON, so two runs over the same catalogue give the same bytes. GraphML and GEXF come from
the site's own writers (`opendata.graphml`, `opendata.gexf`): the export of a catalogue is the
site's `/graph.graphml` and `/graph.gexf`, byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from graph_builder.analysis.catalogue import catalogue_graph
from graph_builder.analysis.neighbours import Neighbour, NeighbourLists
from graph_builder.core.model import Entry, first_by_slug
from graph_builder.opendata.gexf import gexf_bytes
from graph_builder.opendata.graphml import graphml_bytes
from graph_builder.opendata.links import latest_date

__all__ = ["FORMATS", "export_catalogue", "export_chunks", "export_json", "export_json_chunks"]

#: The export formats of `graph-builder export`.
FORMATS: tuple[str, ...] = ("json", "graphml", "gexf")


def _neighbour_json(neighbour: Neighbour) -> dict[str, Any]:
    score = neighbour.score
    return {
        "slug": neighbour.slug,
        "score": round(score.total, 6),
        "shared_patterns": list(score.shared_patterns),
        "shared_relations": list(score.shared_relations),
        "sibling_relations": [list(pair) for pair in score.sibling_relations],
        "shared_structures": list(score.shared_structures),
        "level_match": score.level_match,
    }


def _unique(entries: Sequence[Entry]) -> list[Entry]:
    """One entry per slug (the first by slug, then path), sorted by slug."""
    return list(first_by_slug(entries).values())


def _entry_json(entry: Entry, lists: NeighbourLists) -> dict[str, Any]:
    return {
        "slug": entry.slug,
        "name": entry.name,
        "kind": entry.kind,
        "source_frame": entry.source_frame,
        "categories": list(entry.categories),
        "embodied_patterns": list(entry.embodied_patterns),
        "relation_types": list(entry.relation_types),
        "structure": list(entry.structure),
        "abstraction_level": entry.abstraction_level,
        "related": list(entry.related),
        "neighbours": {
            "cross_domain": [_neighbour_json(n) for n in lists.cross_domain],
            "same_domain": [_neighbour_json(n) for n in lists.same_domain],
        },
    }


#: How deep an entry object sits in the export: `{"entries": [` opens two levels of 2 spaces.
_ENTRY_INDENT = " " * 4


def export_json_chunks(
    entries: Sequence[Entry], neighbour_lists: Mapping[str, NeighbourLists]
) -> Iterator[str]:
    """The text of :func:`export_json` in pieces, entry by entry, each ending with a newline.

    The pieces join to exactly what `json.dumps({"entries": [...]}, indent=2, sort_keys=True,
    ensure_ascii=False)` writes, but only one entry's objects and text are alive at a time: at
    100,000 entries the whole document is about 560 MB of text, and `json.dumps` with an indent
    (the pure-Python encoder) holds tens of millions of small strings before joining them.
    Each entry is dumped on its own and indented to its depth; JSON strings hold no raw
    newline, so every newline in an entry's text is the start of one of its lines.
    """
    unique = _unique(entries)
    if not unique:
        yield json.dumps({"entries": []}, indent=2) + "\n"
        return
    yield '{\n  "entries": [\n'
    last = len(unique) - 1
    for n, entry in enumerate(unique):
        text = json.dumps(
            _entry_json(entry, neighbour_lists.get(entry.slug, NeighbourLists())),
            indent=2,
            sort_keys=True,
            ensure_ascii=False,
        )
        yield (
            _ENTRY_INDENT + text.replace("\n", "\n" + _ENTRY_INDENT) + (",\n" if n < last else "\n")
        )
    yield "  ]\n}\n"


def export_json(entries: Sequence[Entry], neighbour_lists: Mapping[str, NeighbourLists]) -> str:
    """The catalogue and its neighbour lists as JSON text (2-space indent, keys sorted).

    `{"entries": [...]}` sorted by slug; each entry has `slug`, `name`, `kind`,
    `source_frame`, `categories`, `embodied_patterns`, `relation_types`, `structure` (a
    list), `abstraction_level`, `related` and `neighbours` = `{"cross_domain": [...],
    "same_domain": [...]}`, best first. A neighbour has `slug`, `score` (6 decimals),
    `shared_patterns`, `shared_relations`, and the rest of its reasons: `sibling_relations`
    (pairs [own tag, neighbour's tag]), `shared_structures` and `level_match`.

    A large catalogue is better written with :func:`export_json_chunks` (the same text, piece
    by piece).
    """
    return "".join(export_json_chunks(entries, neighbour_lists))


def export_chunks(
    entries: Sequence[Entry], neighbour_lists: Mapping[str, NeighbourLists], fmt: str
) -> Iterator[str]:
    """:func:`export_catalogue` in pieces to write one after the other: JSON entry by entry
    (:func:`export_json_chunks`), GraphML and GEXF in one piece.

    Raises:
        ValueError: an unknown format (before any piece).
    """
    if fmt == "json":
        return export_json_chunks(entries, neighbour_lists)
    return iter((export_catalogue(entries, neighbour_lists, fmt),))


def export_catalogue(
    entries: Sequence[Entry], neighbour_lists: Mapping[str, NeighbourLists], fmt: str
) -> str:
    """The catalogue in one of :data:`FORMATS`.

    GraphML and GEXF are the site's files for the same entries and lists: the catalogue graph
    through `graphml_bytes` and `gexf_bytes`, GEXF dated by the latest entry date.

    Raises:
        ValueError: an unknown format.
    """
    if fmt == "json":
        return export_json(entries, neighbour_lists)
    if fmt == "graphml":
        return graphml_bytes(catalogue_graph(entries, neighbour_lists)).decode("utf-8")
    if fmt == "gexf":
        graph = catalogue_graph(entries, neighbour_lists)
        return gexf_bytes(graph, date=latest_date(entries)).decode("utf-8")
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
