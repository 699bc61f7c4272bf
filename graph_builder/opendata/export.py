"""Entries + neighbour lists -> what `graph-builder export` writes: JSON, GraphML or GEXF.

Every export is deterministic: entries sorted by slug, keys sorted, scores rounded to 6 decimals
in the JSON, so two runs over the same catalogue give the same bytes. GraphML and GEXF come from
the site's own writers (`opendata.graphml`, `opendata.gexf`): the export of a catalogue is the
site's `/graph.graphml` and `/graph.gexf`, byte for byte.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Mapping, Sequence

from graph_builder.analysis.catalogue import catalogue_graph
from graph_builder.analysis.neighbours import Neighbour, NeighbourLists
from graph_builder.core.model import Entry, first_by_slug
from graph_builder.opendata.gexf import gexf_bytes
from graph_builder.opendata.graphml import graphml_bytes
from graph_builder.opendata.links import latest_date

__all__ = ["FORMATS", "export_catalogue", "export_chunks", "export_json", "export_json_chunks"]

#: The export formats of `graph-builder export`.
FORMATS: tuple[str, ...] = ("json", "graphml", "gexf")


def _unique(entries: Sequence[Entry]) -> list[Entry]:
    """One entry per slug (the first by slug, then path), sorted by slug."""
    return list(first_by_slug(entries).values())


# The JSON export is written by hand, entry by entry, as the text `json.dumps({"entries":
# [...]}, indent=2, sort_keys=True, ensure_ascii=False)` gives for it, byte for byte
# (tests/opendata/test_export.py holds it to that reference for any text). With an indent
# `json` falls back to its pure-Python encoder: at 100,000 entries it took 30 s of the
# command's 115 s even entry by entry, and this writer takes 10 s. Keys are written in sorted
# order; scalars go through json's own encoders. Tag lists are all strings, so caching them by
# value is safe.

_dumps_scalar = json.JSONEncoder(ensure_ascii=False).encode
_encode_string: Callable[[str], str] = json.encoder.encode_basestring


def _scalar(value: object) -> str:
    """A JSON scalar as `json.dumps(value, ensure_ascii=False)` writes it."""
    if type(value) is str:
        return _encode_string(value)
    if type(value) is float and math.isfinite(value):
        return float.__repr__(value)  # as json writes a finite float
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    return _dumps_scalar(value)


def _array(items: Sequence[object], depth: int) -> str:
    """A list of scalars or of lists of scalars, opened at `depth` (its items one deeper)."""
    if not items:
        return "[]"
    inner = "\n" + "  " * (depth + 1)
    parts = [
        _array(item, depth + 1) if isinstance(item, list | tuple) else _scalar(item)
        for item in items
    ]
    return "[" + inner + ("," + inner).join(parts) + "\n" + "  " * depth + "]"


class _NeighbourText:
    """Neighbour objects as JSON at their depth in the export, each list of tags written once.

    Thousands of neighbours share the same tuple of shared tags, so each distinct tuple is
    formatted once and looked up after that.
    """

    # {"entries": [ {"neighbours": {"cross_domain": [ {: the object's keys sit at depth 6.
    _DEPTH = 6

    def __init__(self) -> None:
        self._arrays: dict[tuple[object, ...], str] = {}

    def _tags(self, tags: tuple[object, ...]) -> str:
        text = self._arrays.get(tags)
        if text is None:
            text = self._arrays[tags] = _array(tags, self._DEPTH)
        return text

    def __call__(self, neighbours: Sequence[Neighbour]) -> str:
        if not neighbours:
            return "[]"
        pad = "  " * self._DEPTH
        tags = self._tags
        objects = []
        for neighbour in neighbours:
            score = neighbour.score
            objects.append(
                f'{{\n{pad}"level_match": {_scalar(score.level_match)},'
                f'\n{pad}"score": {_scalar(round(score.total, 6))},'
                f'\n{pad}"shared_patterns": {tags(score.shared_patterns)},'
                f'\n{pad}"shared_relations": {tags(score.shared_relations)},'
                f'\n{pad}"shared_structures": {tags(score.shared_structures)},'
                f'\n{pad}"sibling_relations": {tags(score.sibling_relations)},'
                f'\n{pad}"slug": {_scalar(neighbour.slug)}\n          }}'
            )
        return "[\n          " + ",\n          ".join(objects) + "\n        ]"


def _entry_text(entry: Entry, lists: NeighbourLists, neighbours: _NeighbourText) -> str:
    """One entry object at its depth in the export (depth 2, keys at 3), without a comma."""
    return (
        "    {"
        f'\n      "abstraction_level": {_scalar(entry.abstraction_level)},'
        f'\n      "categories": {_array(entry.categories, 3)},'
        f'\n      "embodied_patterns": {_array(entry.embodied_patterns, 3)},'
        f'\n      "kind": {_scalar(entry.kind)},'
        f'\n      "name": {_scalar(entry.name)},'
        '\n      "neighbours": {'
        f'\n        "cross_domain": {neighbours(lists.cross_domain)},'
        f'\n        "same_domain": {neighbours(lists.same_domain)}'
        "\n      },"
        f'\n      "related": {_array(entry.related, 3)},'
        f'\n      "relation_types": {_array(entry.relation_types, 3)},'
        f'\n      "slug": {_scalar(entry.slug)},'
        f'\n      "source_frame": {_scalar(entry.source_frame)},'
        f'\n      "structure": {_array(entry.structure, 3)}'
        "\n    }"
    )


def export_json_chunks(
    entries: Sequence[Entry], neighbour_lists: Mapping[str, NeighbourLists]
) -> Iterator[str]:
    """The text of :func:`export_json` in pieces, entry by entry, each ending with a newline.

    The pieces join to exactly what `json.dumps({"entries": [...]}, indent=2, sort_keys=True,
    ensure_ascii=False)` writes, but only one entry's text is made at a time: at 100,000
    entries the whole document is about 560 MB, and `json.dumps` with an indent holds tens of
    millions of small strings before joining them.
    """
    unique = _unique(entries)
    if not unique:
        yield '{\n  "entries": []\n}\n'
        return
    yield '{\n  "entries": [\n'
    neighbours = _NeighbourText()
    last = len(unique) - 1
    for n, entry in enumerate(unique):
        lists = neighbour_lists.get(entry.slug, NeighbourLists())
        yield _entry_text(entry, lists, neighbours) + (",\n" if n < last else "\n")
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
