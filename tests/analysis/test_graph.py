"""The catalogue graph: nodes and edges from entries and neighbour lists, ego graphs, layout."""

from __future__ import annotations

import math
from unittest import mock

import networkx as nx
import pytest

import graph_builder.analysis.catalogue as graph_module
from graph_builder.analysis.catalogue import catalogue_graph, ego_graph, layout
from graph_builder.analysis.neighbours import structural_neighbours
from graph_builder.core.vocabulary import default_vocabulary
from tests.entries import make_entry
from tests.neighbour_reference import seed_entries

VOCABULARY = default_vocabulary()


def small_catalogue() -> nx.Graph:
    entries = [
        make_entry("a", frame="sea", patterns=["flow", "link"], structure=["cycle"]),
        make_entry("b", frame="war", patterns=["flow"], structure=["cycle"]),
        make_entry("c", frame="sea", patterns=["flow", "link"], structure=["growth"]),
        make_entry("d"),
    ]
    entries[3] = entries[3].__class__(
        path="entries/d.md", slug="d", name="D", related=("a", "missing", "d")
    )
    entries[0] = entries[0].__class__(
        path="entries/a.md",
        slug="a",
        name="A <&>",
        kind="metaphor",
        summary="Water & ways.",
        source_frame="sea",
        categories=("systems-thinking",),
        embodied_patterns=("flow", "link"),
        structure=("cycle",),
        related=("b",),
    )
    return catalogue_graph(entries, structural_neighbours(entries, VOCABULARY))


def test_nodes_carry_the_entry_facts() -> None:
    graph = small_catalogue()
    assert list(graph.nodes) == ["a", "b", "c", "d"]
    a = graph.nodes["a"]
    assert a["name"] == "A <&>"
    assert a["kind"] == "metaphor"
    assert a["source_frame"] == "sea"
    assert a["categories"] == ("systems-thinking",)
    assert a["summary"] == "Water & ways."
    assert a["tags"] == {
        "embodied_patterns": ("flow", "link"),
        "relation_types": (),
        "structure": ("cycle",),
        "abstraction_level": None,
    }
    assert graph.nodes["d"]["source_frame"] is None


def test_edges_are_neighbour_and_related_links() -> None:
    graph = small_catalogue()
    # a-b: cross-domain, 0.35 * 0.9/1.8 + 0.2 = 0.375, and a names b in related.
    assert graph.edges["a", "b"] == {
        "kind": "cross",
        "weight": 0.375,
        "neighbour": True,
        "related": True,
    }
    # a-c: same domain (sea), patterns equal, structures differ: 0.35.
    assert graph.edges["a", "c"] == {
        "kind": "same",
        "weight": 0.35,
        "neighbour": True,
        "related": False,
    }
    # d has no tags: only its related link to a; `missing` and itself are not linked.
    assert graph.edges["d", "a"] == {"kind": "related", "neighbour": False, "related": True}
    assert sorted(graph.neighbors("d")) == ["a"]
    assert "missing" not in graph
    # b-c: 0.35 * 0.9/1.8 = 0.175 < 0.25: no edge.
    assert not graph.has_edge("b", "c")


def test_seed_graph_has_the_published_neighbours_of_the_seed() -> None:
    entries = seed_entries()
    graph = catalogue_graph(entries, structural_neighbours(entries, VOCABULARY))
    assert graph.number_of_nodes() == 43
    around = {v: d for _, v, d in graph.edges("rupture-and-repair", data=True)}
    assert around["phoenix"]["kind"] == "cross"
    assert around["phoenix"]["weight"] == 0.623575
    # The seed names these three in `related`; all are entries, so all are linked.
    for other in ("therapeutic-alliance", "antifragile", "creative-destruction"):
        assert around[other]["related"] is True


def test_ego_graph_depth_one_and_two() -> None:
    graph = nx.path_graph(["a", "b", "c", "d"])
    assert sorted(ego_graph(graph, "a", 1)) == ["a", "b"]
    assert sorted(ego_graph(graph, "a", 2)) == ["a", "b", "c"]
    ego = ego_graph(graph, "b")
    ego.add_edge("b", "z")
    assert "z" not in graph


@pytest.mark.parametrize(("slug", "depth"), [("nope", 1), ("a", 0)])
def test_ego_graph_preconditions(slug: str, depth: int) -> None:
    with pytest.raises(ValueError):
        ego_graph(nx.path_graph(["a", "b"]), slug, depth)


def test_layout_is_deterministic_and_scaled() -> None:
    graph = small_catalogue()
    first = layout(graph, seed=7)
    assert first == layout(graph, seed=7)
    assert sorted(first) == ["a", "b", "c", "d"]
    values = [v for xy in first.values() for v in xy]
    assert max(abs(v) for v in values) == pytest.approx(1.0)
    assert all(round(v, 6) == v for v in values)


def test_layout_of_tiny_graphs() -> None:
    assert layout(nx.Graph()) == {}
    assert layout(nx.Graph([("a", "a")])) == {"a": (0.0, 0.0)}
    two = layout(nx.Graph([("a", "b")]))
    assert two["a"] != two["b"]


def test_layout_packs_components_apart() -> None:
    graph = nx.complete_graph(["a", "b", "c", "d", "e"])
    graph.add_nodes_from(["x", "y", "z"])
    pos = layout(graph, seed=2)
    points = list(pos.values())
    closest = min(math.dist(p, q) for i, p in enumerate(points) for q in points[i + 1 :])
    assert closest > 0.05


def test_layout_on_the_grid_spreads_nodes_out() -> None:
    # Force the particle-mesh repulsion on a small graph: a ring of 60 nodes with chords.
    graph = nx.circulant_graph(60, [1, 7])
    graph = nx.relabel_nodes(graph, {i: f"n{i:02d}" for i in graph})
    with mock.patch.object(graph_module, "_EXACT_LAYOUT", 10):
        pos = layout(graph, seed=1)
        assert pos == layout(graph, seed=1)
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    assert all(math.isfinite(v) for v in xs + ys)
    # Spread over the frame rather than collapsed into a point.
    assert max(xs) - min(xs) > 1.0 and max(ys) - min(ys) > 1.0
    assert len(set(pos.values())) == 60


def test_layout_accepts_a_directed_graph() -> None:
    pos = layout(nx.DiGraph([("a", "b"), ("b", "c")]), seed=1)
    assert sorted(pos) == ["a", "b", "c"]
