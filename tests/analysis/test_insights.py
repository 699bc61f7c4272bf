"""Structural insights on small hand-made graphs whose answers are worked out by hand."""

from __future__ import annotations

import dataclasses
import doctest
import functools
import json
import random
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import feedparser
import networkx as nx
import pytest

from graph_builder.analysis import insights
from graph_builder.analysis.insights import (
    InsightSettings,
    PairReasons,
    bridges,
    compute_insights,
    domain_map,
    gaps,
    neighbour_graph,
    structural_families,
    surprising_pairs,
)
from graph_builder.analysis.neighbours import Neighbour, NeighbourLists
from graph_builder.analysis.similarity import Score
from graph_builder.cli import main as cli
from graph_builder.cli.insights_text import format_insights
from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import default_vocabulary
from graph_builder.site import drawings, insight_links, insight_pages, insight_sections
from graph_builder.site import label_placement as labels
from graph_builder.site.build import build_site
from graph_builder.site.holdout import HeldBlock, page_text
from tests.entries import make_entry

# Metaphors at the generic level, named by their slug in capitals.
entry = functools.partial(make_entry, kind="metaphor", level="generic", naming=str.upper)


def add_clique(graph: nx.Graph, nodes: str, weight: float = 0.6) -> None:
    for i, u in enumerate(nodes):
        for v in nodes[i + 1 :]:
            graph.add_edge(u, v, kind="cross", weight=weight)


# Two four-cliques joined by the single edge d–e. Left: cycles that restore by iteration;
# right: pipelines that coordinate a flow. `balance` is on a, b, c (left) and e (right);
# `link` on d and e only.
LEFT = {
    "a": ("iteration", "balance"),
    "b": ("iteration", "balance"),
    "c": ("iteration", "balance"),
    "d": ("iteration", "link"),
}
RIGHT = {
    "e": ("flow", "link", "balance"),
    "f": ("flow",),
    "g": ("flow",),
    "h": ("flow",),
}


def two_cliques() -> tuple[nx.Graph, dict[str, Entry]]:
    graph = nx.Graph()
    add_clique(graph, "abcd")
    add_clique(graph, "efgh")
    graph.add_edge("d", "e", kind="cross", weight=0.3)
    entries = {
        slug: entry(slug, frame="myth", patterns=p, relations=("restore",), structure=("cycle",))
        for slug, p in LEFT.items()
    }
    entries |= {
        slug: entry(
            slug,
            kind="pattern",
            frame="ops",
            patterns=p,
            relations=("coordinate",),
            structure=("pipeline",),
        )
        for slug, p in RIGHT.items()
    }
    return graph, entries


@pytest.mark.parametrize(
    "module",
    [
        insights.bridging,
        insights.domain_links,
        insights.families,
        insights.neighbour_edges,
    ],
)
def test_module_doctests(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0


# --------------------------------------------------------------------------------------------
# neighbour_graph


def test_neighbour_graph_keeps_neighbour_edges_only_with_the_best_score() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("z")
    graph.add_edge("b", "a", kind="cross", weight=0.4)
    graph.add_edge("a", "b", kind="cross", weight=0.5)
    graph.add_edge("a", "c", kind="related", weight=1.0)
    graph.add_edge("c", "b", kind="same", weight=0.8)
    result = neighbour_graph(graph)
    assert list(result.nodes) == ["a", "b", "c", "z"]
    assert sorted(result.edges(data="weight")) == [("a", "b", 0.5), ("b", "c", 0.8)]
    assert result.edges["b", "c"]["distance"] == pytest.approx(1.25)
    assert result.edges["b", "c"]["kind"] == "same"


def test_neighbour_graph_rejects_a_non_positive_score() -> None:
    graph = nx.Graph()
    graph.add_edge("a", "b", kind="cross", weight=0.0)
    with pytest.raises(ValueError, match="non-positive weight"):
        neighbour_graph(graph)


# --------------------------------------------------------------------------------------------
# Families


def test_two_cliques_joined_by_one_edge_are_two_families() -> None:
    graph, entries = two_cliques()
    report = structural_families(graph, entries)
    assert [f.members for f in report.families] == [("a", "b", "c", "d"), ("e", "f", "g", "h")]
    assert [f.name for f in report.families] == [
        "Cycle · restore · iteration",
        "Pipeline · coordinate · flow",
    ]
    assert [f.number for f in report.families] == [1, 2]
    assert [f.slug for f in report.families] == [
        "a",
        "e",
    ]
    assert report.family_of["d"] == "a"
    assert report.family_of["e"] == "e"
    assert report.unplaced == ()
    assert report.families[0].domains == (("myth", ("a", "b", "c", "d")),)


def test_signature_lifts_by_hand() -> None:
    graph, entries = two_cliques()
    left = structural_families(graph, entries).families[0]
    # 8 tagged entries. In the left family of 4:
    #   cycle 4/4 vs 4/8 -> 2.0; restore 4/4 vs 4/8 -> 2.0; iteration 4/4 vs 4/8 -> 2.0;
    #   balance 3/4 vs 4/8 -> 1.5; link 1/4 (below the two-member floor) and vs 2/8 -> 1.0.
    got = [(t.facet, t.tag, t.count, t.size, t.overall, t.total) for t in left.signature]
    assert got == [
        ("structure", "cycle", 4, 4, 4, 8),
        ("relation", "restore", 4, 4, 4, 8),
        ("pattern", "iteration", 4, 4, 4, 8),
        ("pattern", "balance", 3, 4, 4, 8),
    ]
    assert [t.lift for t in left.signature] == pytest.approx([2.0, 2.0, 2.0, 1.5])
    right = structural_families(graph, entries).families[1]
    # balance: 1/4 vs 4/8 -> 0.5, under-represented, so absent from the right signature.
    assert "balance" not in [t.tag for t in right.signature]


def test_families_do_not_depend_on_insertion_order() -> None:
    graph, entries = two_cliques()
    edges = list(graph.edges(data=True))
    random.Random(3).shuffle(edges)
    shuffled = nx.Graph()
    shuffled.add_nodes_from(sorted(graph.nodes, reverse=True))
    shuffled.add_edges_from((v, u, d) for u, v, d in edges)
    assert structural_families(shuffled, entries) == structural_families(graph, entries)


def test_related_edges_do_not_make_families() -> None:
    graph = nx.Graph()
    graph.add_edge("a", "b", kind="related", weight=1.0)
    graph.add_edge("c", "d", kind="same", weight=0.5)
    entries = {s: entry(s, structure=("cycle",)) for s in "abcd"}
    report = structural_families(graph, entries)
    assert [f.members for f in report.families] == [("c", "d")]
    assert report.unplaced == ("a", "b")
    assert report.of_entry("a") is None


def test_a_name_already_taken_gains_a_tag() -> None:
    # Two separate pairs with the same structure, relation and top pattern: the second family
    # in order (same size, so the one whose members sort later) gains its next tag.
    graph = nx.Graph()
    graph.add_edge("a", "b", kind="cross", weight=0.5)
    graph.add_edge("c", "d", kind="cross", weight=0.5)
    # In each pair link is 2/2 vs 4/4 (share × lift = 1) and the other pattern 1/2 vs 1/4
    # (0.5 × 2 = 1): a tie that the higher count breaks, so both pairs are named after link.
    patterns = {"a": ("link", "scale"), "b": ("link",), "c": ("link", "flow"), "d": ("link",)}
    entries = {
        s: entry(s, patterns=p, relations=("enable",), structure=("network",))
        for s, p in patterns.items()
    }
    names = [f.name for f in structural_families(graph, entries).families]
    assert names == ["Network · enable · link", "Network · enable · link · flow"]


def test_a_name_does_not_repeat_a_word_or_its_stem() -> None:
    # `transform` would repeat the structure `transformation`, `container` the relation
    # `contain`, and the pattern `boundary` the structure.
    graph = nx.Graph()
    graph.add_edge("a", "b", kind="cross", weight=0.9)
    graph.add_edge("c", "d", kind="cross", weight=0.9)
    tags = {
        "a": ("transformation", ("transform", "enable"), ("path",)),
        "b": ("transformation", ("transform", "enable"), ("path",)),
        "c": ("boundary", ("contain", "prevent"), ("boundary", "container")),
        "d": ("boundary", ("contain", "prevent"), ("boundary", "container")),
    }
    entries = {
        s: entry(s, structure=(st,), relations=rel, patterns=pat)
        for s, (st, rel, pat) in tags.items()
    }
    names = [f.name for f in structural_families(graph, entries).families]
    # Every tag has lift 2 here (2 of 2 against 2 of 4), so ties go to the alphabet; the
    # patterns left (`boundary`, `container`) both repeat the name, so it keeps two words.
    assert names == ["Boundary · contain", "Transformation · enable · path"]


def test_resolution_splits_a_loose_family() -> None:
    # A ring of eight equal links: at a high resolution Louvain cuts it into several families.
    graph = nx.cycle_graph([f"n{i}" for i in range(8)])
    nx.set_edge_attributes(graph, "cross", "kind")
    nx.set_edge_attributes(graph, 0.5, "weight")
    entries = {s: entry(s, structure=("cycle",)) for s in graph}
    low = structural_families(graph, entries, InsightSettings(resolution=0.1))
    high = structural_families(graph, entries, InsightSettings(resolution=3.0))
    assert len(low.families) == 1
    assert len(high.families) > 1


# --------------------------------------------------------------------------------------------
# Bridges


def barbell() -> tuple[nx.Graph, dict[str, Entry]]:
    """Two four-cliques joined through a middle node m: a b c d – m – e f g h."""
    graph = nx.Graph()
    add_clique(graph, "abcd", 0.5)
    add_clique(graph, "efgh", 0.5)
    graph.add_edge("d", "m", kind="cross", weight=0.5)
    graph.add_edge("m", "e", kind="same", weight=0.5)
    frames = dict.fromkeys("abcd", "myth") | dict.fromkeys("efgh", "ops") | {"m": "law"}
    entries = {s: entry(s, frame=f, structure=("cycle",)) for s, f in frames.items()}
    return graph, entries


def test_the_joining_node_is_the_top_bridge() -> None:
    graph, entries = barbell()
    families = structural_families(graph, entries)
    report = bridges(graph, entries, families)
    # n = 9; networkx normalises by 2 / ((n-1)(n-2)) = 2/56.
    # m lies on every path between {a,b,c,d} and {e,f,g,h}: 16 pairs -> 32/56 = 4/7.
    # d lies on the paths between {a,b,c} and {m,e,f,g,h}: 15 pairs -> 30/56 = 15/28 (e alike).
    # a, b, c, f, g, h lie on no shortest path between others.
    got = [(b.slug, b.centrality) for b in report.bridges]
    assert [slug for slug, _ in got] == ["m", "d", "e"]
    assert [value for _, value in got] == pytest.approx([4 / 7, 15 / 28, 15 / 28])
    assert report.exact and report.sources == 9
    top = report.bridges[0]
    assert dict(top.domains) == {"myth": 1, "ops": 1}
    assert sorted(count for _, count in top.families) == [1, 1]
    assert {slug for slug, _ in top.families} == {families.family_of["d"], families.family_of["e"]}


@pytest.mark.parametrize(
    ("direct", "via_b"),
    [
        # a–b and b–c score 0.9: the path through b costs 2 × 1/0.9 = 2.22.
        (0.5, 0.0),  # the direct link costs 1/0.5 = 2.0: shorter, b is no bridge.
        (0.4, 1.0),  # the direct link costs 1/0.4 = 2.5: every a–c path runs through b.
    ],
)
def test_distance_is_one_over_score(direct: float, via_b: float) -> None:
    # With 1 - score the path through b would always win (0.1 + 0.1 < 1 - direct).
    graph = nx.Graph()
    graph.add_edge("a", "b", kind="cross", weight=0.9)
    graph.add_edge("b", "c", kind="cross", weight=0.9)
    graph.add_edge("a", "c", kind="cross", weight=direct)
    entries = {s: entry(s) for s in "abc"}
    families = structural_families(graph, entries)
    report = bridges(graph, entries, families)
    found = {b.slug: b.centrality for b in report.bridges}
    assert found.get("b", 0.0) == pytest.approx(via_b)


def test_sampled_betweenness_is_deterministic_and_says_so() -> None:
    graph, entries = barbell()
    settings = InsightSettings(exact_betweenness_limit=5, betweenness_samples=6)
    families = structural_families(graph, entries, settings)
    first = bridges(graph, entries, families, settings)
    assert not first.exact and first.sources == 6
    assert first == bridges(graph, entries, families, settings)


# --------------------------------------------------------------------------------------------
# Domain map


def test_domain_map_counts_cross_domain_neighbour_pairs() -> None:
    graph = nx.Graph()
    graph.add_edge("p", "r", kind="cross", weight=0.5)  # myth – therapy
    graph.add_edge("q", "r", kind="cross", weight=0.4)  # myth – therapy
    graph.add_edge("p", "q", kind="same", weight=0.7)  # myth – myth: not a link
    graph.add_edge("r", "s", kind="cross", weight=0.3)  # therapy – ops
    graph.add_edge("p", "s", kind="related", weight=1.0)  # related: ignored
    graph.add_edge("s", "t", kind="cross", weight=0.3)  # t has no frame: ignored
    frames = {"p": "myth", "q": "myth", "r": "therapy", "s": "ops", "t": None}
    entries = {s: entry(s, frame=f) for s, f in frames.items()}
    result = domain_map(graph, entries)
    assert [(x.a, x.b, x.pairs) for x in result.links] == [
        ("myth", "therapy", 2),
        ("ops", "therapy", 1),
    ]
    assert dict(result.domains) == {"myth": 2, "ops": 1, "therapy": 1}
    assert result.links_of("therapy") == (("myth", 2), ("ops", 1))
    assert result.links_of("myth") == (("therapy", 2),)
    assert result.links_of("nowhere") == ()


# --------------------------------------------------------------------------------------------
# Surprising pairs


def test_surprising_pairs_need_other_domain_kind_and_family() -> None:
    graph, entries = two_cliques()
    # h is a metaphor like c: the c–h link is cross-family but same-kind, so not surprising.
    entries["h"] = entry("h", frame="ops", patterns=("flow",), structure=("pipeline",))
    graph.add_edge("c", "h", kind="cross", weight=0.35)
    families = structural_families(graph, entries)
    assert families.family_of["c"] != families.family_of["h"]
    pairs = surprising_pairs(graph, entries, families)
    assert [(p.a, p.b) for p in pairs] == [("d", "e")]
    pair = pairs[0]
    assert pair.score == pytest.approx(0.3)
    assert pair.family_links == 2  # d–e and c–h join the two families
    # Without neighbour lists the reasons are the exactly shared tags.
    assert pair.reasons == PairReasons(shared_patterns=("link",), level_match=True)


def test_surprising_pairs_skip_neighbouring_families() -> None:
    # Three 4-cliques: L (a-d), M (e-h), R (i-l), joined by three L-M links, two M-R links
    # and one L-R link. Nearest families: L -> M, M -> L, R -> M; so L-M and M-R are close,
    # and only L-R is distant.
    graph = nx.Graph()
    for nodes in ("abcd", "efgh", "ijkl"):
        add_clique(graph, nodes, 0.9)
    for u, v, score in (
        ("a", "e", 0.8),  # L-M: the strongest cross-family pairs
        ("b", "f", 0.7),
        ("c", "g", 0.6),
        ("h", "l", 0.5),  # M-R
        ("g", "k", 0.45),
        ("d", "i", 0.3),  # L-R
    ):
        graph.add_edge(u, v, kind="cross", weight=score)
    kinds = dict.fromkeys("abcd", "metaphor") | dict.fromkeys("efgh", "pattern")
    kinds |= dict.fromkeys("ijkl", "archetype")
    entries = {s: entry(s, kind=k, structure=("cycle",)) for s, k in kinds.items()}
    families = structural_families(graph, entries)
    assert sorted(f.members for f in families.families) == [
        ("a", "b", "c", "d"),
        ("e", "f", "g", "h"),
        ("i", "j", "k", "l"),
    ]
    pairs = surprising_pairs(graph, entries, families)
    assert [(p.a, p.b, p.score, p.family_links) for p in pairs] == [("d", "i", 0.3, 1)]


def test_surprising_pair_reasons_come_from_the_score() -> None:
    graph, entries = two_cliques()
    families = structural_families(graph, entries)
    score = Score(
        total=0.3,
        patterns=0.2,
        relations=0.1,
        structure=0.0,
        level=1.0,
        shared_patterns=("link",),
        shared_relations=(),
        # listed from e's side: (e's tag, d's tag); shown from d's side.
        sibling_relations=(("coordinate", "restore"),),
        shared_structures=(),
        level_match=True,
    )
    lists = {
        "e": NeighbourLists(cross_domain=(Neighbour(slug="d", score=score, same_domain=False),))
    }
    (pair,) = surprising_pairs(graph, entries, families, lists)
    assert pair.reasons.sibling_relations == (("restore", "coordinate"),)
    assert pair.reasons.shared_patterns == ("link",)


# --------------------------------------------------------------------------------------------
# Gaps


def test_gaps_by_hand() -> None:
    vocabulary = default_vocabulary()
    entries = {
        "a": entry(
            "a", frame="myth", patterns=("iteration",), relations=("restore",), structure=("cycle",)
        ),
        "b": entry(
            "b", frame="myth", patterns=("iteration",), relations=("restore",), structure=("cycle",)
        ),
        "c": entry(
            "c",
            frame="ops",
            patterns=("flow",),
            relations=("cause/couple",),
            structure=("pipeline",),
        ),
    }
    result = gaps(entries, vocabulary, InsightSettings(missing_combination_count=3))
    # N = 3: the rare threshold is max(1, 3 // 50) = 1.
    assert result.rare_threshold == 1
    rare = {(r.facet, r.tag): r.count for r in result.rare_tags}
    assert rare[("pattern", "attraction")] == 0
    assert rare[("pattern", "flow")] == 1
    assert rare[("relation", "cause")] == 1  # through its subtype
    assert rare[("relation", "cause/couple")] == 1
    assert ("pattern", "iteration") not in rare  # two entries
    assert ("structure", "cycle") not in rare
    assert [r.count for r in result.rare_tags] == sorted(r.count for r in result.rare_tags)
    # Held: (iteration, restore), (flow, cause). Expected counts of the missing pairs:
    # iteration×cause = 2·1/3, flow×restore = 1·2/3; every other pair has a part used by nobody.
    missing = [(m.pattern, m.relation) for m in result.missing_combinations]
    assert missing[:2] == [("flow", "restore"), ("iteration", "cause")]
    assert result.missing_combinations[0].expected == pytest.approx(2 / 3)
    assert len(missing) == 3
    patterns, parents = len(vocabulary.embodied_patterns), len(vocabulary.relation_parents())
    assert result.missing_total == patterns * parents - 2
    # myth: two entries, both cycles -> one shape; ops has a single entry -> not listed.
    assert [(d.frame, d.entries, d.structures) for d in result.narrow_domains] == [
        ("myth", ("a", "b"), ("cycle",))
    ]


# --------------------------------------------------------------------------------------------
# Pages


def test_insight_pages_escape_contributor_text_and_link_everything() -> None:
    graph, entries = two_cliques()
    evil = "<script>alert(1)</script> [x](javascript:y)"
    entries["a"] = entry(
        "a",
        name=evil,
        summary="<img src=x onerror=alert(1)>",
        frame="myth<b>",
        patterns=("iteration", "balance"),
        relations=("restore",),
        structure=("cycle",),
    )
    result = compute_insights(graph, entries, default_vocabulary())
    pages = {u: t.markdown for u, t in insight_pages.render_insight_pages(result, graph, entries)}
    assert sorted(pages) == [
        "families/a.md",
        "families/e.md",
        "families/index.md",
        "insights/bridges.md",
        "insights/gaps.md",
        "insights/index.md",
        "insights/surprising.md",
    ]
    for text in pages.values():
        assert "<script>" not in text
        assert "<img" not in text
        assert "<b>" not in text
        assert "](javascript:" not in text
    family = pages["families/a.md"]
    assert (
        "| [cycle](../structures/cycle.md) | structure | 4 of 4 (100%) | 4 of 8 (50%) | 2.00 |"
        in family
    )
    assert '<li><a href="../../entries/b/"><bdi>B</bdi></a></li>' in family
    # The evil name is text inside our own link, brackets and all.
    assert (
        '<li><a href="../../entries/a/"><bdi>&lt;script&gt;alert(1)&lt;/script&gt; &#91;x&#93;'
        "(javascript:y)</bdi></a> — &lt;img src=x onerror=alert(1)&gt;</li>"
    ) in family
    # The inline SVG is well-formed XML and links every member with its page URL.
    svg = family[family.index("<svg") : family.index("</svg>") + len("</svg>")]
    root = ET.fromstring(svg)
    links = list(root.iter("{http://www.w3.org/2000/svg}a"))
    hrefs = sorted(a.get("{http://www.w3.org/1999/xlink}href") for a in links)
    # One image to assistive technology; keyboards take the member list's links instead.
    assert root.get("role") == "img"
    assert {a.get("tabindex") for a in links} == {"-1"}
    assert hrefs == ["../../entries/a/", "../../entries/b/", "../../entries/c/", "../../entries/d/"]
    assert "&lt;script&gt;" in svg
    index = pages["families/index.md"]
    assert "## 1. [Cycle · restore · iteration](a.md)" in index
    line = insight_sections.family_line(result, "d", "entries/d.md")
    target = "../../families/a/"
    assert line == (
        f'<p class="gb-family">Structural family: <a href="{target}">'
        "Cycle · restore · iteration</a> (4 entries)</p>"
    )
    assert insight_sections.family_line(result, "nobody", "entries/x.md") == ""


def test_insight_pages_name_kinds_as_the_vocabulary_does() -> None:
    graph, entries = two_cliques()
    entries["a"] = dataclasses.replace(entries["a"], kind="mental-model")
    result = compute_insights(graph, entries, default_vocabulary())
    pages = {u: t.markdown for u, t in insight_pages.render_insight_pages(result, graph, entries)}
    family = pages["families/a.md"]
    assert "mental-model" not in family
    assert "</span> Mental model" in family  # the legend
    assert "<title>A (mental model, Myth)</title>" in family  # the dot's tooltip


def test_a_crowded_drawing_names_the_dots_that_fit() -> None:
    # Eleven dots within 42 px of each other, and one far off that sets the scale.
    nodes = [
        labels.Dot(
            key=f"n{i:02d}",
            label=f"A rather long name {i}",
            href=f"../n{i:02d}/",
            colour="#000000",
            radius=12.0 if i == 7 else 6.0,
            tooltip=f"tip {i}",
        )
        for i in range(12)
    ]
    positions = {f"n{i:02d}": (0.01 * (i % 4), 0.03 * (i // 4)) for i in range(11)}
    positions["n11"] = (1.0, 1.0)
    svg = drawings.svg_drawing("Crowd", nodes, [], positions)
    named = re.findall(r"<text [^>]*>([^<]*)</text>", svg)
    assert 1 < len(named) < 12
    assert "A rather long name 7" in named  # the biggest dot is named first
    assert "A rather long name 11" in named  # alone in its corner
    assert f"{12 - len(named)} dots of 12 left unnamed" in svg
    assert svg.count("<title>tip ") == 12  # every dot keeps its name as a tooltip
    assert svg == drawings.svg_drawing("Crowd", nodes, [], positions)


def test_domain_sections_in_words() -> None:
    graph, entries = two_cliques()
    result = compute_insights(graph, entries, default_vocabulary())
    text = page_text(insight_sections.domain_map_section(result)).markdown
    assert "- [Myth](myth.md) and [Ops](ops.md) share 1 neighbour pair" in text
    assert "<svg" in text
    section = page_text(insight_sections.domain_section(result, "ops", "domains/ops.md")).markdown
    assert (
        '<ul class="gb-shared-shapes" data-search-exclude>\n'
        '<li><a href="../myth/">Myth</a>: 1 pair</li>\n</ul>'
    ) in section
    home = "\n".join(insight_links.home_section("index.md", result))
    assert "[Structural families](families/index.md): 2 groups" in home
    assert "[Domain map](domains/index.md#domain-map)" in home


def test_insight_parts_name_each_page_part() -> None:
    graph, entries = two_cliques()
    result = compute_insights(graph, entries, default_vocabulary())
    parts = insight_sections.insight_parts(result, entries)
    family = (
        '<p class="gb-family">Structural family: '
        '<a href="../../families/a/">Cycle · restore · iteration</a> '
        "(4 entries)</p>"
    )
    assert parts.family_lines["d"] == HeldBlock(family, searchable=True)
    assert parts.family_lines == {
        slug: HeldBlock(insight_sections.family_line(result, slug, f"entries/{slug}.md"), True)
        for slug in entries
        if insight_sections.family_line(result, slug, f"entries/{slug}.md")
    }
    assert parts.domain_map[0] == "## Domain map {#domain-map}"
    assert parts.domains["ops"][0] == "## Shared shapes"
    assert set(parts.domains) == set(result.domain_map.domains)
    assert parts.home[0] == "## Insights"
    assert parts.home[-1].endswith("rare tags and combinations nobody has tried yet")


def test_pages_get_their_insight_parts_in_place(tmp_path: Path) -> None:
    write_site_sources(tmp_path)
    site = build_site(tmp_path / "entries")
    pages = {page.uri: page.markdown for page in site.pages}
    family = '<p class="gb-family">Structural family: <a href="../../families/'
    entry = pages["entries/phoenix.md"]
    # The family line opens the structural neighbours section, before the graph and the lists.
    assert f"\n## Structural neighbours {{ data-search-exclude }}\n\n{family}" in entry
    assert entry.count("gb-family") == 1
    domains = pages["domains/index.md"]
    assert "\n\n## Domain map {#domain-map}\n" in domains
    assert domains.endswith("\n") and not domains.endswith("\n\n")
    assert "\n\n## Shared shapes\n" in pages["domains/myth.md"]
    assert pages["index.md"].endswith("rare tags and combinations nobody has tried yet\n")
    # Without insights, no page has a part of them.
    bare = build_site(tmp_path / "entries", insights=None)
    assert not any("gb-family" in page.markdown for page in bare.pages)
    assert not any("## Shared shapes" in page.markdown for page in bare.pages)


# --------------------------------------------------------------------------------------------
# A real build


SITE_ENTRY = """---
slug: {slug}
name: {name}
summary: "{summary}"
kind: {kind}
source_frame: {frame}
categories: [systems-thinking]
author: tester
created: '2026-01-0{day}'
updated: '2026-02-0{day}'
transfers:
  - '[model] One claim.'
  - '[model] Another claim.'
limits:
  - '[model] One limit.'
  - '[model] Another limit.'
embodied_patterns: [{patterns}]
relation_types: [{relations}]
structure: {structure}
abstraction_level: generic
---

## Transfers

- **Move** -- text.

## Limits

- **Limit** -- text.

## Expressions

- "a phrase" -- its gloss.
"""

# Two groups whose tags never meet (a cross-group score is 0.1, below the 0.25 threshold):
# four cycles and four pipelines, each entry from its own domain.
SITE_CATALOGUE = {
    "phoenix": ("metaphor", "myth", "splitting, iteration", "restore, transform", "cycle"),
    "hansei": ("pattern", "lean", "splitting, iteration", "restore, transform", "cycle"),
    "ouroboros": ("archetype", "alchemy", "splitting, iteration", "restore, transform", "cycle"),
    "rupture": ("mental-model", "therapy", "splitting, iteration", "restore, enable", "cycle"),
    "andon": ("pattern", "factory", "flow, blockage", "coordinate, prevent", "pipeline"),
    "kitchen": ("metaphor", "cooking", "flow, blockage", "coordinate, prevent", "pipeline"),
    "relay": ("metaphor", "sport", "flow, blockage", "coordinate, enable", "pipeline"),
    "supply": ("paradigm", "logistics", "flow, blockage", "coordinate, prevent", "pipeline"),
}

SITE_CONFIG = """site_name: Insight Test <Atlas>
site_url: https://example.org/atlas/
docs_dir: docs
use_directory_urls: true
theme:
  name: material
  font: false
markdown_extensions:
  - attr_list
  - tables
  - toc:
      permalink: true
plugins:
  - graph-builder:
      entries_dir: entries
"""


def write_site_sources(root: Path) -> Path:
    """SITE_CATALOGUE as entry files and SITE_CONFIG as mkdocs.yml under `root`; the config."""
    (root / "docs").mkdir()
    (root / "entries").mkdir()
    for day, (slug, (kind, frame, patterns, relations, structure)) in enumerate(
        SITE_CATALOGUE.items(), start=1
    ):
        text = SITE_ENTRY.format(
            slug=slug,
            name=slug.title(),
            summary=f"The {slug} model <b>in brief</b>.",
            kind=kind,
            frame=frame,
            day=day,
            patterns=patterns,
            relations=relations,
            structure=structure,
        )
        (root / "entries" / f"{slug}.md").write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text(SITE_CONFIG, encoding="utf-8")
    return root / "mkdocs.yml"


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = tmp_path_factory.mktemp("insight-site")
    config_file = write_site_sources(root)
    config = load_config(str(config_file), site_dir=str(root / "site"), strict=True)
    build(config)
    return root / "site"


def test_insights_command_prints_what_the_site_shows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file = write_site_sources(tmp_path)
    monkeypatch.chdir(tmp_path)  # ./mkdocs.yml is the default config
    assert cli.main(["insights"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 structural families (Louvain, resolution 1, seed 20240601):\n")
    assert "  1. Cycle · restore · iteration (4): Hansei, Ouroboros, Phoenix, Rupture\n" in out
    assert "  2. Pipeline · coordinate · blockage (4): Andon, Kitchen, Relay, Supply\n" in out
    assert "cycle (structure) x2.00" in out  # 4 of 4 members against 4 of 8 entries
    # No neighbour link joins the two groups, so no path runs through anyone: no bridges, and
    # every cross-domain pair lies inside one family: no surprising pairs.
    assert "Bridges (betweenness, exact):\n  none\n" in out
    assert out.endswith("Surprising pairs (different domain, kind and family):\n  none\n")
    assert cli.main(["insights", "--config-file", str(config_file), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [f["slug"] for f in data["families"]] == [
        "phoenix",
        "andon",
    ]
    assert [m["slug"] for m in data["families"][0]["members"]] == [
        "hansei",
        "ouroboros",
        "phoenix",
        "rupture",
    ]
    assert data["resolution"] == 1.0 and data["bridges"] == [] and data["unplaced"] == []


def test_insights_text_escapes_terminal_control_characters() -> None:
    graph, entries = two_cliques()
    entries["a"] = dataclasses.replace(entries["a"], name="A\x1b[2J\x07")
    result = compute_insights(graph, entries, default_vocabulary())
    text = format_insights(result, entries)
    assert "\x1b" not in text and "\x07" not in text
    assert "A\\x1b[2J\\x07" in text


def test_insights_command_tries_a_resolution_and_refuses_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_site_sources(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["insights", "--resolution", "0.5"]) == 0
    assert "(Louvain, resolution 0.5, seed 20240601)" in capsys.readouterr().out
    assert cli.main(["insights", "--resolution", "0"]) == 2
    assert capsys.readouterr().err == (
        "graph-builder insights: error: --resolution must be above 0, not 0.0\n"
    )
    assert cli.main(["insights", "--config-file", "missing.yml"]) == 2
    assert "missing.yml: cannot load the MkDocs config" in capsys.readouterr().err
    # An entry error stops it with the check lines, and no traceback.
    andon = tmp_path / "entries" / "andon.md"
    andon.write_text(andon.read_text("utf-8").replace("kind: pattern", "kind: patern"), "utf-8")
    assert cli.main(["insights"]) == 1
    err = capsys.readouterr().err
    assert re.search(r"entries/andon\.md:\d+: error: .*\[unknown-kind\]", err)
    assert err.endswith("1 error(s) in entries: run `graph-builder check`\n")


@pytest.mark.slow
def test_the_built_site_has_families_insights_and_open_data(built_site: Path) -> None:
    families = (built_site / "families" / "index.html").read_text(encoding="utf-8")
    assert "Cycle · restore · iteration" in families
    assert "Pipeline · coordinate · blockage" in families
    cycle = (built_site / "families" / "phoenix" / "index.html").read_text("utf-8")
    for slug in ("phoenix", "hansei", "ouroboros", "rupture"):
        assert f'href="../../entries/{slug}/"' in cycle
    assert "andon" not in cycle
    phoenix = (built_site / "entries" / "phoenix" / "index.html").read_text(encoding="utf-8")
    assert 'Structural family: <a href="../../families/phoenix/">' in phoenix
    for page in ("bridges", "surprising", "gaps"):
        assert (built_site / "insights" / page / "index.html").is_file()
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="families/"' in home
    assert 'href="insights/surprising/"' in home
    domains = (built_site / "domains" / "index.html").read_text(encoding="utf-8")
    assert 'id="domain-map"' in domains
    assert "<svg" in domains
    insights_index = (built_site / "insights" / "index.html").read_text(encoding="utf-8")
    assert 'href="../feed.xml"' in insights_index
    assert 'href="../llms.txt"' in insights_index

    feed = feedparser.parse((built_site / "feed.xml").read_bytes())
    assert feed.bozo == 0
    assert feed.feed.title == "Insight Test <Atlas>"
    assert feed.feed.updated == "2026-02-08T00:00:00Z"
    links = [entry.link for entry in feed.entries]
    assert links[0] == "https://example.org/atlas/entries/supply/"
    assert sorted(links) == sorted(
        f"https://example.org/atlas/entries/{slug}/" for slug in SITE_CATALOGUE
    )
    assert feed.entries[0].summary == "The supply model <b>in brief</b>."

    llms = (built_site / "llms.txt").read_text(encoding="utf-8")
    assert llms.startswith("# Insight Test <Atlas>\n")
    for slug in SITE_CATALOGUE:
        assert f"(https://example.org/atlas/entries/{slug}/): The {slug} model" in llms
    assert "- [Structural families](https://example.org/atlas/families/)" in llms


@pytest.mark.slow
def test_every_link_of_the_insight_pages_resolves(built_site: Path) -> None:
    pages = [
        *built_site.joinpath("families").rglob("index.html"),
        *built_site.joinpath("insights").rglob("index.html"),
        built_site / "domains" / "index.html",
    ]
    checked = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r'href="([^"#:?]+)(?:#[^"]*)?"', text):
            if target.startswith("/") or target.endswith((".css", ".js")):
                continue
            resolved = (page.parent / target).resolve()
            assert resolved.exists(), f"{page.relative_to(built_site)} links to missing {target}"
            checked += 1
    assert checked > 50


@pytest.mark.slow
def test_a_second_build_gives_the_same_insights_and_data(built_site: Path, tmp_path: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = built_site.parent
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "again"), strict=True)
    build(config)
    again = tmp_path / "again"
    files = [
        *(p.relative_to(built_site) for p in built_site.joinpath("families").rglob("*.html")),
        *(p.relative_to(built_site) for p in built_site.joinpath("insights").rglob("*.html")),
        Path("feed.xml"),
        Path("llms.txt"),
        Path("graph.graphml"),
        Path("graph.gexf"),
    ]
    assert len(files) > 8
    for name in files:
        assert (again / name).read_bytes() == (built_site / name).read_bytes(), name
