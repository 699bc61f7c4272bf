"""Entries + neighbour lists -> exports for machines (JSON, GraphML, GEXF) and text for people.

Every export is deterministic: entries sorted by slug, keys sorted, scores rounded to 6 decimals,
no dates, so two runs over the same catalogue give the same bytes. The text views
(:func:`format_neighbours`, :func:`format_explanation`, :func:`format_insights`) are what
`graph-builder neighbours`, `graph-builder explain` and `graph-builder insights` print.
"""

from __future__ import annotations

import difflib
import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from graph_builder.analysis.catalogue import catalogue_graph
from graph_builder.analysis.insights import Insights
from graph_builder.analysis.neighbours import Neighbour, NeighbourLists, same_domain
from graph_builder.analysis.similarity import NeighbourSettings, Score
from graph_builder.core.characters import printable  # re-exported: the one terminal escaping
from graph_builder.core.model import Entry, first_by_slug
from graph_builder.core.vocabulary import Vocabulary, parent_of

__all__ = [
    "FORMATS",
    "export_catalogue",
    "export_gexf",
    "export_graphml",
    "export_json",
    "format_explanation",
    "format_insights",
    "format_neighbours",
    "insights_summary",
    "printable",
    "rank_note",
    "scalar_graph",
    "suggest",
]

#: The export formats of `graph-builder export`.
FORMATS: tuple[str, ...] = ("json", "graphml", "gexf")

# Lists become one string in GraphML and GEXF, whose attribute values must be scalars.
_JOIN = ", "


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


def scalar_graph(graph: nx.Graph) -> nx.Graph:
    """A copy of the catalogue graph whose attribute values are all strings, numbers or bools.

    GraphML and GEXF hold only scalars: lists are joined with ", ", the `tags` mapping becomes
    one attribute per tag facet, and None becomes "".
    """
    flat = nx.Graph()
    for node, attrs in graph.nodes(data=True):
        values: dict[str, Any] = {}
        for key, value in attrs.items():
            if isinstance(value, Mapping):
                for inner, item in value.items():
                    values[inner] = _scalar(item)
            else:
                values[key] = _scalar(value)
        flat.add_node(node, **dict(sorted(values.items())))
    for u, v, attrs in graph.edges(data=True):
        flat.add_edge(u, v, **{key: _scalar(value) for key, value in sorted(attrs.items())})
    return flat


def _scalar(value: Any) -> str | int | float | bool:
    if value is None:
        return ""
    if isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return _JOIN.join(str(item) for item in value)
    return str(value)


def export_graphml(graph: nx.Graph) -> str:
    """The catalogue graph as GraphML text (attributes flattened by :func:`scalar_graph`)."""
    lines = nx.generate_graphml(scalar_graph(graph), prettyprint=True)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + "\n".join(lines) + "\n"


def export_gexf(graph: nx.Graph) -> str:
    """The catalogue graph as GEXF 1.2 text, without the writer's date so runs are identical."""
    writer = nx.readwrite.gexf.GEXFWriter(prettyprint=True, version="1.2draft")
    writer.add_graph(scalar_graph(graph))
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)
    writer.indent(writer.xml)
    text: str = ET.tostring(writer.xml, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + text.rstrip("\n") + "\n"


def export_catalogue(
    entries: Sequence[Entry], neighbour_lists: Mapping[str, NeighbourLists], fmt: str
) -> str:
    """The catalogue in one of :data:`FORMATS`.

    Raises:
        ValueError: an unknown format.
    """
    if fmt == "json":
        return export_json(entries, neighbour_lists)
    if fmt == "graphml":
        return export_graphml(catalogue_graph(entries, neighbour_lists))
    if fmt == "gexf":
        return export_gexf(catalogue_graph(entries, neighbour_lists))
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")


# ---------------------------------------------------------------------------------------------
# Text for people
# ---------------------------------------------------------------------------------------------


def suggest(slug: str, slugs: Sequence[str]) -> str | None:
    """The known slug closest to a mistyped one, if any is close."""
    found = difflib.get_close_matches(slug, slugs, n=1, cutoff=0.6)
    return found[0] if found else None


def _label(entry: Entry) -> str:
    frame = printable(entry.source_frame) if entry.source_frame else "no frame"
    return f"{printable(entry.name or entry.slug)} ({printable(entry.slug)}, {frame})"


def _reasons(score: Score) -> str:
    parts = []
    relations = [*score.shared_relations, *(f"{a}~{b}" for a, b in score.sibling_relations)]
    patterns = [*score.shared_patterns, *(f"{a}~{b}" for a, b in score.sibling_patterns)]
    if patterns:
        parts.append("patterns: " + ", ".join(patterns))
    if relations:
        parts.append("relations: " + ", ".join(relations))
    if score.shared_structures:
        parts.append("structure: " + ", ".join(score.shared_structures))
    if score.level_match:
        parts.append("same level")
    return printable(" · ".join(parts) or "nothing shared")


def format_neighbours(
    entry: Entry,
    lists: NeighbourLists,
    entries_by_slug: Mapping[str, Entry],
    settings: NeighbourSettings = NeighbourSettings(),
) -> str:
    """An entry's two neighbour lists as text: rank, score, the neighbour, what they share."""
    lines = [_label(entry), ""]
    if not entry.has_structure:
        lines.append("No structural tags (embodied_patterns, relation_types, structure,")
        lines.append("abstraction_level): this entry takes no part in the neighbour lists.")
        return "\n".join(lines) + "\n"
    sections = (
        ("Cross-domain", settings.cross_domain_k, lists.cross_domain),
        ("Same-domain", settings.same_domain_k, lists.same_domain),
    )
    for title, k, found in sections:
        lines.append(f"{title} neighbours (top {k}, score >= {settings.threshold}):")
        if not found:
            lines.append("  none")
        for rank, neighbour in enumerate(found, start=1):
            other = entries_by_slug.get(neighbour.slug)
            label = _label(other) if other else printable(neighbour.slug)
            lines.append(f"  {rank:>2}. {neighbour.score.total:.6f}  {label}")
            lines.append(f"      {_reasons(neighbour.score)}")
        lines.append("")
    return "\n".join(lines)


def _weights(tags: Sequence[str], weight: Any) -> str:
    return ", ".join(f"{t} ({weight(parent_of(t)):g})" for t in sorted(tags)) or "-"


def format_explanation(
    a: Entry,
    b: Entry,
    score: Score,
    vocabulary: Vocabulary,
    settings: NeighbourSettings = NeighbourSettings(),
    notes: Sequence[str] = (),
) -> str:
    """sim(A, B) taken apart: each component, its factor and points, and the tags behind it.

    Args:
        a: the first entry.
        b: the second entry.
        score: :func:`graph_builder.analysis.similarity.similarity` of the two.
        vocabulary: for the weights shown beside each tag.
        settings: the factors and the credit used.
        notes: lines to add at the end (where each entry stands in the other's list).
    """
    s = settings
    relation_pairs = ", ".join(f"{x} ~ {y}" for x, y in score.sibling_relations)
    pattern_pairs = ", ".join(f"{x} ~ {y}" for x, y in score.sibling_patterns)
    domain = "same domain" if same_domain(a, b) else "cross-domain"
    rows = [
        ("patterns", score.patterns, s.pattern_factor),
        ("relations", score.relations, s.relation_factor),
        ("structure", score.structure, s.structure_factor),
        ("level", score.level, s.level_factor),
    ]
    lines = [
        f"A: {_label(a)}",
        f"B: {_label(b)}",
        f"{domain}; score {score.total:.6f} (shown as {score.total:.3f})",
        "",
        f"  {'component':<10} {'value':>8}   {'factor':>6}   {'points':>8}",
    ]
    for name, value, factor in rows:
        lines.append(f"  {name:<10} {value:>8.6f} x {factor:>6g} = {value * factor:>8.6f}")
    lines.append(
        f"  {'total':<10} {'':>8}   {'':>6}   {score.total:>8.6f}  (rounded to 6 decimals)"
    )
    lines.append("")
    pa, pb = set(a.embodied_patterns), set(b.embodied_patterns)
    ra, rb = set(a.relation_types), set(b.relation_types)
    lines += [
        "patterns (weighted Jaccard; a tag weighs what its parent weighs):",
        f"  shared:   {_weights(score.shared_patterns, vocabulary.pattern_weight)}",
    ]
    if pattern_pairs:
        lines.append(f"  siblings: {pattern_pairs} (each earns {s.sibling_credit:g} of the weight)")
    lines += [
        f"  only A:   {_weights(sorted(pa - pb), vocabulary.pattern_weight)}",
        f"  only B:   {_weights(sorted(pb - pa), vocabulary.pattern_weight)}",
        "relations (weighted Jaccard, sibling subtypes earn partial credit):",
        f"  shared:   {_weights(score.shared_relations, vocabulary.relation_weight)}",
        f"  siblings: {relation_pairs or '-'}"
        + (f" (each earns {s.sibling_credit:g} of its parent's weight)" if relation_pairs else ""),
        f"  only A:   {_weights(sorted(ra - rb), vocabulary.relation_weight)}",
        f"  only B:   {_weights(sorted(rb - ra), vocabulary.relation_weight)}",
        "structure (Jaccard):",
        f"  shared:   {', '.join(score.shared_structures) or '-'}"
        f"   (A: {', '.join(a.structure) or '-'}; B: {', '.join(b.structure) or '-'})",
        "level:",
        f"  A: {a.abstraction_level or '-'}; B: {b.abstraction_level or '-'}"
        + ("  (match)" if score.level_match else "  (no match: both must be set and equal)"),
    ]
    if notes:
        lines.append("")
        lines.extend(notes)
    return "\n".join(printable(line) for line in lines) + "\n"


def rank_note(a: Entry, b: Entry, lists: NeighbourLists, settings: NeighbourSettings) -> str:
    """Where `b` stands in `a`'s list: its rank, or why it is not there."""
    same = same_domain(a, b)
    found = lists.same_domain if same else lists.cross_domain
    k = settings.same_domain_k if same else settings.cross_domain_k
    which = "same-domain" if same else "cross-domain"
    for rank, neighbour in enumerate(found, start=1):
        if neighbour.slug == b.slug:
            return f"{b.slug} is #{rank} of {a.slug}'s {which} neighbours"
    if len(found) < k:
        return (
            f"{b.slug} is not among {a.slug}'s {which} neighbours "
            f"(the list has room; the score is below {settings.threshold})"
        )
    return (
        f"{b.slug} is not among {a.slug}'s {which} neighbours "
        f"(the {k}th scores {found[-1].score.total:.6f})"
    )


def insights_summary(insights: Insights, entries: Mapping[str, Entry]) -> dict[str, Any]:
    """The families, bridges and surprising pairs as JSON-ready data (`graph-builder insights`).

    Slugs, names and rounded figures only, sorted as the insight pages sort them, so two runs
    over the same catalogue give the same text.
    """
    report = insights.families

    def name(slug: str) -> str:
        return entries[slug].name if slug in entries else slug

    return {
        "families": [
            {
                "number": family.number,
                "slug": family.slug,
                "name": family.name,
                "members": [{"slug": s, "name": name(s)} for s in family.members],
                "signature": [
                    {"facet": lift.facet, "tag": lift.tag, "lift": round(lift.lift, 2)}
                    for lift in family.signature
                ],
            }
            for family in report.families
        ],
        "unplaced": list(report.unplaced),
        "resolution": report.resolution,
        "seed": report.seed,
        "bridges": [
            {
                "slug": bridge.slug,
                "name": name(bridge.slug),
                "centrality": round(bridge.centrality, 6),
                "family": bridge.family,
                "neighbour_families": [{"family": f, "count": n} for f, n in bridge.families],
            }
            for bridge in insights.bridges.bridges
        ],
        "betweenness": "exact" if insights.bridges.exact else f"{insights.bridges.sources} sources",
        "surprising": [
            {
                "a": pair.a,
                "b": pair.b,
                "score": round(pair.score, 6),
                "family_a": pair.family_a,
                "family_b": pair.family_b,
            }
            for pair in insights.surprising
        ],
    }


def format_insights(insights: Insights, entries: Mapping[str, Entry]) -> str:
    """The families, bridges and surprising pairs as text for a terminal."""
    data = insights_summary(insights, entries)
    names = {f["slug"]: f["name"] for f in data["families"]}
    lines = [
        f"{len(data['families'])} structural families (Louvain, resolution "
        f"{data['resolution']:g}, seed {data['seed']}):"
    ]
    for family in data["families"]:
        members = ", ".join(printable(m["name"]) for m in family["members"])
        size = len(family["members"])
        lines.append(f"{family['number']:>3}. {family['name']} ({size}): {members}")
        if family["signature"]:
            tags = ", ".join(
                f"{s['tag']} ({s['facet']}) x{s['lift']:.2f}" for s in family["signature"]
            )
            lines.append(f"     signature: {tags}")
    if data["unplaced"]:
        lines.append(f"  in no family: {', '.join(data['unplaced'])}")
    lines += ["", f"Bridges (betweenness, {data['betweenness']}):"]
    for number, bridge in enumerate(data["bridges"], start=1):
        joined = ", ".join(
            f"{names.get(item['family'], 'no family')} ({item['count']})"
            for item in bridge["neighbour_families"]
        )
        lines.append(
            f"{number:>3}. {printable(bridge['name'])} {bridge['centrality']:.3f}: joins {joined}"
        )
    if not data["bridges"]:
        lines.append("  none")
    lines += ["", "Surprising pairs (different domain, kind and family):"]
    for number, pair in enumerate(data["surprising"], start=1):
        a, b = entries[pair["a"]], entries[pair["b"]]
        lines.append(
            f"{number:>3}. {printable(a.name)} ~ {printable(b.name)} {pair['score']:.3f} "
            f"({printable(a.kind or 'no kind')}, {printable(a.source_frame or 'no domain')} / "
            f"{printable(b.kind or 'no kind')}, {printable(b.source_frame or 'no domain')})"
        )
    if not data["surprising"]:
        lines.append("  none")
    return "\n".join(lines) + "\n"
