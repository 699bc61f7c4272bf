"""Insights -> what `graph-builder insights` prints: JSON-ready data or text for a terminal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph_builder.analysis.insights import Insights
from graph_builder.core.characters import printable
from graph_builder.core.labels import NO_DOMAIN
from graph_builder.core.model import Entry

__all__ = ["format_insights", "insights_summary"]


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
            f"({printable(a.kind or 'no kind')}, {printable(a.source_frame or NO_DOMAIN)} / "
            f"{printable(b.kind or 'no kind')}, {printable(b.source_frame or NO_DOMAIN)})"
        )
    if not data["surprising"]:
        lines.append("  none")
    return "\n".join(lines) + "\n"
