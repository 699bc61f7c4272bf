"""Entries + neighbour lists -> what `graph-builder export` writes: JSON, GraphML or GEXF.

Every export is deterministic: entries sorted by slug, keys sorted, scores rounded to 6 decimals
in the JSON, so two runs over the same catalogue give the same bytes. GraphML and GEXF come from
the site's own writers (`opendata.graphml`, `opendata.gexf`): the export of a catalogue is the
site's `/graph.graphml` and `/graph.gexf`, byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from graph_builder.analysis.catalogue import catalogue_graph
from graph_builder.analysis.neighbours import Neighbour, NeighbourLists
from graph_builder.core.model import Entry, first_by_slug
from graph_builder.opendata.gexf import gexf_bytes
from graph_builder.opendata.graphml import graphml_bytes
from graph_builder.opendata.links import latest_date

__all__ = ["FORMATS", "export_catalogue", "export_json"]

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


def export_json(entries: Sequence[Entry], neighbour_lists: Mapping[str, NeighbourLists]) -> str:
    """The catalogue and its neighbour lists as JSON text (2-space indent, keys sorted).

    `{"entries": [...]}` sorted by slug; each entry has `slug`, `name`, `kind`,
    `source_frame`, `categories`, `embodied_patterns`, `relation_types`, `structure` (a
    list), `abstraction_level`, `related` and `neighbours` = `{"cross_domain": [...],
    "same_domain": [...]}`, best first. A neighbour has `slug`, `score` (6 decimals),
    `shared_patterns`, `shared_relations`, and the rest of its reasons: `sibling_relations`
    (pairs [own tag, neighbour's tag]), `shared_structures` and `level_match`.
    """
    out = []
    for entry in _unique(entries):
        lists = neighbour_lists.get(entry.slug, NeighbourLists())
        out.append(
            {
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
        )
    return json.dumps({"entries": out}, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


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
