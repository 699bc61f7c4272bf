"""The graph algorithms against networkx: the same partitions and centralities, faster."""

from __future__ import annotations

import doctest
import random
import subprocess
import sys
from unittest.mock import patch

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_builder.analysis import algorithms
from graph_builder.analysis.algorithms import betweenness, louvain_communities


def test_module_examples() -> None:
    assert doctest.testmod(algorithms).failed == 0


# --- Louvain ---------------------------------------------------------------------------------


def partition(communities: list[set[str]]) -> list[list[str]]:
    return sorted(sorted(community) for community in communities)


@st.composite
def scored_graphs(draw: st.DrawFn) -> nx.Graph:
    """Graphs of up to 40 nodes, weights from a short list (so gains often tie), a loop or two.

    Node names are not in insertion order, so a result that leaned on sorting would show.
    """
    n = draw(st.integers(min_value=1, max_value=40))
    names = draw(st.permutations([f"e{i:02d}" for i in range(n)]))
    pairs = [(u, v) for i, u in enumerate(names) for v in names[i:]]  # v == u: a loop
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=120))
    graph = nx.Graph()
    graph.add_nodes_from(names)
    for u, v in chosen:
        graph.add_edge(u, v, weight=draw(st.sampled_from([0.25, 0.3, 0.5, 0.71, 1.0])))
    return graph


@settings(max_examples=150, deadline=None)
@given(
    graph=scored_graphs(),
    resolution=st.sampled_from([0.5, 1.0, 1.5, 2.0]),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_louvain_gives_the_partition_networkx_gives(
    graph: nx.Graph, resolution: float, seed: int
) -> None:
    ours = louvain_communities(graph, weight="weight", resolution=resolution, seed=seed)
    if graph.number_of_edges():
        theirs = nx.community.louvain_communities(
            graph, weight="weight", resolution=resolution, seed=seed
        )
    else:
        theirs = [{node} for node in graph]
    assert partition(ours) == partition(theirs)


def test_louvain_on_a_larger_sparse_graph_matches_networkx() -> None:
    # Several levels of merging: a few hundred nodes in loose groups.
    graph = nx.planted_partition_graph(12, 25, 0.3, 0.01, seed=3)
    rng = random.Random(8)
    graph = nx.relabel_nodes(graph, {node: f"n{(node * 37) % 300:03d}" for node in graph})
    for u, v in graph.edges:
        graph.edges[u, v]["weight"] = rng.choice([0.2, 0.35, 0.5, 0.8])
    for seed in (0, 20240601):
        expected = nx.community.louvain_communities(graph, weight="weight", seed=seed)
        found = louvain_communities(graph, weight="weight", seed=seed)
        assert partition(found) == partition(expected)
        assert 8 <= len(found) <= 16


def test_louvain_without_edges_and_refusals() -> None:
    lonely = nx.Graph()
    lonely.add_nodes_from(["b", "a"])
    assert partition(louvain_communities(lonely)) == [["a"], ["b"]]
    assert louvain_communities(nx.Graph()) == []
    with pytest.raises(ValueError, match="undirected"):
        louvain_communities(nx.DiGraph([("a", "b")]))
    with pytest.raises(ValueError, match="parallel"):
        louvain_communities(nx.MultiGraph([("a", "b")]))


# --- Betweenness -----------------------------------------------------------------------------


@st.composite
def weighted_graphs(draw: st.DrawFn) -> nx.Graph:
    """Small graphs whose scores come from a short list, so equal-length paths are common."""
    n = draw(st.integers(min_value=1, max_value=12))
    nodes = [f"n{i:02d}" for i in range(n)]
    pairs = [(u, v) for i, u in enumerate(nodes) for v in nodes[i + 1 :]]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=30)) if pairs else []
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    for u, v in chosen:
        score = draw(st.sampled_from([0.25, 0.4, 0.5, 1.0]))
        graph.add_edge(u, v, distance=1.0 / score)
    return graph


#: `_SCIPY_WORK` values that send every graph to one way of finding distances.
DISTANCES = {"python": 10**18, "scipy": 0}


@settings(max_examples=60, deadline=None)
@given(graph=weighted_graphs(), data=st.data())
def test_betweenness_equals_networkx(graph: nx.Graph, data: st.DataObject) -> None:
    expected = nx.betweenness_centrality(graph, weight="distance", normalized=True)
    n = graph.number_of_nodes()
    k = data.draw(st.integers(min_value=2, max_value=n)) if n >= 3 else 0
    sampled = nx.betweenness_centrality(graph, k=k, weight="distance", seed=11) if k else {}
    for work in DISTANCES.values():
        with patch.object(algorithms, "_SCIPY_WORK", work):
            assert betweenness(graph) == pytest.approx(expected)
            if k:
                assert betweenness(graph, k=k, seed=11) == pytest.approx(sampled)


def test_small_graphs_do_not_import_scipy() -> None:
    # Importing scipy's graph routines costs more than a small catalogue's whole betweenness.
    code = (
        "import sys, networkx as nx\n"
        "from graph_builder.analysis.algorithms import betweenness\n"
        "g = nx.cycle_graph(30)\n"
        "nx.set_edge_attributes(g, 1.0, 'distance')\n"
        "betweenness(g)\n"
        "print('scipy.sparse.csgraph' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"


def test_betweenness_refuses_directed_graphs_bad_samples_and_bad_lengths() -> None:
    with pytest.raises(ValueError, match="undirected"):
        betweenness(nx.DiGraph())
    with pytest.raises(ValueError, match="k must be between 1 and 2"):
        betweenness(nx.path_graph(2), k=3)
    zero = nx.path_graph(3)
    nx.set_edge_attributes(zero, 0.0, "distance")
    with pytest.raises(ValueError, match="positive 'distance'"):
        betweenness(zero)


def test_betweenness_over_several_blocks_of_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    # The sources go to scipy's Dijkstra in blocks; the sums must not depend on the cut.
    graph = nx.connected_watts_strogatz_graph(40, 4, 0.3, seed=5)
    for u, v in graph.edges:
        graph.edges[u, v]["distance"] = 1.0 + (u * 7 + v * 3) % 4
    monkeypatch.setattr(algorithms, "_SCIPY_WORK", DISTANCES["scipy"])
    monkeypatch.setattr(algorithms, "_SOURCES_PER_BLOCK", 3)
    expected = nx.betweenness_centrality(graph, weight="distance")
    assert betweenness(graph) == pytest.approx(expected)
    sampled = nx.betweenness_centrality(graph, k=10, weight="distance", seed=4)
    assert betweenness(graph, k=10, seed=4) == pytest.approx(sampled)


def test_betweenness_of_a_multigraph_takes_the_shortest_parallel_edge() -> None:
    # a-b-c with a long direct a-c edge beside a short one: b is on no shortest path.
    multi = nx.MultiGraph()
    multi.add_edge("a", "b", distance=1.0)
    multi.add_edge("b", "c", distance=1.0)
    multi.add_edge("a", "c", distance=5.0)
    multi.add_edge("a", "c", distance=1.5)
    assert betweenness(multi) == {"a": 0.0, "b": 0.0, "c": 0.0}
    multi.remove_edge("a", "c", key=1)
    assert betweenness(multi) == {"a": 0.0, "b": 1.0, "c": 0.0}
