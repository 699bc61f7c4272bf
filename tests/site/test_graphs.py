"""site.browser_graphs: vis-network data from small hand-built graphs, escaping, graph JSON."""

from __future__ import annotations

import dataclasses
import doctest
import html.parser
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from graph_builder.analysis.catalogue import catalogue_graph
from graph_builder.analysis.neighbours import structural_neighbours
from graph_builder.core.labels import domain_label
from graph_builder.core.load import load_entries
from graph_builder.core.vocabulary import default_vocabulary
from graph_builder.opendata.graph_json import graph_json
from graph_builder.site import entry_graph, escape, explorer, graph_assets, graph_style

HOSTILE = [
    "</script><script>alert(1)</script>",
    "<!-- <script>",
    '<img src=x onerror=alert(1)> "quoted" & more',
    "line\u2028separator\u2029paragraph",
    "</SCRIPT >",
]

VOCABULARY = default_vocabulary()
ROOT = Path(__file__).resolve().parents[2]


def star() -> nx.Graph:
    """`a` with two cross-domain neighbours, one same-domain, one related; `f` hangs off `b`.

    Every value the tests expect below is worked out from these numbers by hand.
    """
    g = nx.Graph()
    g.add_node("a", name="A", kind="mental-model", source_frame="psychotherapy", summary="sa")
    g.add_node("b", name="B", kind="metaphor", source_frame="mythology", summary="sb")
    g.add_node("c", name="C", kind="pattern", source_frame="physics", summary="sc")
    g.add_node("d", name="D", kind="archetype", source_frame="psychotherapy", summary="sd")
    g.add_node("e", name="E", kind="paradigm", source_frame="", summary="se")
    g.add_node("f", name="F", kind="metaphor", source_frame="mythology", summary="sf")
    g.add_edge("a", "b", kind="cross", weight=0.6)
    g.add_edge("a", "c", kind="cross", weight=0.4)
    g.add_edge("a", "d", kind="same", weight=0.5)
    g.add_edge("a", "e", kind="related", weight=0.0)
    g.add_edge("b", "c", kind="cross", weight=0.7)
    g.add_edge("b", "f", kind="same", weight=0.9)
    return g


# ------------------------------------------------------------------------------------------
# script_json


@pytest.mark.parametrize("text", HOSTILE)
def test_script_json_cannot_end_the_script_element(text: str) -> None:
    encoded = escape.script_json({"name": text, "list": [text]})
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded
    assert "\u2028" not in encoded and "\u2029" not in encoded
    assert json.loads(encoded) == {"name": text, "list": [text]}


def test_script_json_is_stable_and_compact() -> None:
    assert escape.script_json({"b": 1, "a": [1.5, "x"]}) == '{"a":[1.5,"x"],"b":1}'


def test_script_json_refuses_nan() -> None:
    with pytest.raises(ValueError):
        escape.script_json({"x": math.nan})


# ------------------------------------------------------------------------------------------
# entry graph


def test_entry_graph_rings_the_members_in_list_order() -> None:
    data = entry_graph.entry_graph_data(star(), "a")
    # Four around the centre -> radii 1.5 x 190 by 190 (190 = max(190, 4 * 125 / 2π));
    # clockwise from the top: cross by score (b 0.6, c 0.4), then same (d), then related (e).
    placed = {n["id"]: (n["x"], n["y"], n["depth"]) for n in data["nodes"]}
    assert placed == {
        "a": (0.0, 0.0, 0),
        "b": (0.0, -190.0, 1),
        "c": (285.0, 0.0, 1),
        "d": (0.0, 190.0, 1),
        "e": (-285.0, 0.0, 1),
    }
    assert [n["id"] for n in data["nodes"]] == ["a", "b", "c", "d", "e"]
    assert data["focus"] == "a"
    assert data["kind"] == "entry"


def test_entry_graph_edges_are_styled_by_kind_and_score() -> None:
    data = entry_graph.entry_graph_data(star(), "a")
    edges = {(e["from"], e["to"]): e for e in data["edges"]}
    # f is a neighbour of b, not of a: the b-f edge is not drawn, the b-c edge is.
    assert sorted(edges) == [("a", "b"), ("a", "c"), ("a", "d"), ("a", "e"), ("b", "c")]
    # width = 1 + 5 (score - 0.25) / 0.75
    assert edges["a", "b"]["width"] == pytest.approx(1 + 5 * 0.35 / 0.75, abs=0.005)
    assert edges["a", "c"]["width"] == 2.0
    assert edges["b", "c"]["width"] == pytest.approx(1 + 5 * 0.45 / 0.75, abs=0.005)
    assert edges["a", "e"]["width"] == 2.0
    assert edges["a", "b"]["dashes"] is False
    assert edges["a", "d"]["dashes"] == [8, 5]
    assert edges["a", "e"]["dashes"] == [2, 4]
    assert {e["kind"] for e in edges.values()} == {"cross", "same", "related"}
    assert "score" not in edges["a", "e"]
    assert edges["a", "d"]["score"] == 0.5
    assert all("arrows" not in e for e in data["edges"])


def test_entry_graph_sizes_follow_the_whole_graph_degree() -> None:
    data = entry_graph.entry_graph_data(star(), "a")
    sizes = {n["id"]: n["size"] for n in data["nodes"]}
    # size = 6 + 2 √degree, degree in the whole graph (b has a, c, f).
    assert sizes["a"] == 10.0
    assert sizes["b"] == pytest.approx(6 + 2 * math.sqrt(3), abs=0.05)
    assert sizes["e"] == 8.0


def test_entry_graph_members_limit_the_nodes() -> None:
    data = entry_graph.entry_graph_data(star(), "b", members=["a", "f", "not-written-yet"])
    # Cross-domain first (a, 0.6), then same-domain (f, 0.9); an unwritten slug is skipped.
    assert [n["id"] for n in data["nodes"]] == ["b", "a", "f"]
    assert sorted((e["from"], e["to"]) for e in data["edges"]) == [("a", "b"), ("b", "f")]


def test_entry_graph_of_a_directed_graph_prefers_the_entrys_own_edge() -> None:
    g = nx.DiGraph()
    g.add_node("a", name="A", kind="metaphor")
    g.add_node("b", name="B", kind="pattern")
    g.add_edge("a", "b", kind="related")
    g.add_edge("b", "a", kind="cross", weight=0.8)
    data = entry_graph.entry_graph_data(g, "a")
    assert [(e["from"], e["to"], e["kind"]) for e in data["edges"]] == [("a", "b", "related")]
    data = entry_graph.entry_graph_data(g, "b")
    assert [(e["from"], e["to"], e["kind"]) for e in data["edges"]] == [("a", "b", "cross")]


def test_entry_graph_of_an_unknown_entry_fails() -> None:
    with pytest.raises(KeyError, match="nope"):
        entry_graph.entry_graph_data(star(), "nope")


def test_entry_graph_options_keep_the_graph_still() -> None:
    options = entry_graph.entry_graph_data(star(), "a")["options"]
    assert options["physics"]["enabled"] is False
    assert options["edges"]["smooth"]["enabled"] is False
    assert options["layout"]["improvedLayout"] is False
    assert options["interaction"]["hover"] is True
    assert options["interaction"]["dragNodes"] is False


def test_entry_graph_legend_lists_the_kinds_present() -> None:
    legend = entry_graph.entry_graph_data(star(), "a")["legend"]["kind"]
    assert [item["key"] for item in legend] == [
        "metaphor",
        "pattern",
        "archetype",
        "paradigm",
        "mental-model",
    ]
    assert legend[-1]["label"] == "Mental model"


class _Collector(html.parser.HTMLParser):
    """Records start tags and the text of script elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


@pytest.mark.parametrize("text", HOSTILE)
def test_entry_graph_html_keeps_hostile_text_inside_the_data(text: str) -> None:
    g = star()
    g.nodes["b"]["name"] = text
    g.nodes["b"]["summary"] = text
    data = entry_graph.entry_graph_data(g, "a")
    block = entry_graph.entry_graph_html(data, name=text)
    parser = _Collector()
    parser.feed(block)
    parser.close()
    # One script element, of JSON, whose parsed value is exactly the data.
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    assert scripts == [{"type": "application/json", "class": "mma-graph__data"}]
    assert json.loads(parser.scripts[0]) == [json.loads(json.dumps(data))]
    assert {tag for tag, _ in parser.tags} <= {
        "section",
        "div",
        "a",
        "button",
        "p",
        "ul",
        "li",
        "span",
        "script",
    }
    canvas = next(a for t, a in parser.tags if a.get("class") == "mma-graph__canvas")
    assert canvas["aria-label"] is not None and text in canvas["aria-label"]
    assert canvas["tabindex"] == "0"


def test_entry_graph_html_has_a_skip_link_to_its_end() -> None:
    block = entry_graph.entry_graph_html(entry_graph.entry_graph_data(star(), "a"), name="A")
    parser = _Collector()
    parser.feed(block)
    skip = next(a for t, a in parser.tags if a.get("class") == "mma-graph__skip")
    assert skip["href"] == "#mma-graph-end-a"
    assert ("span", {"id": "mma-graph-end-a", "tabindex": "-1"}) in parser.tags
    assert "Skip graph" in block
    assert "4 connected entries" in block
    # Nothing that needs another host, and no inline script that runs.
    assert "http" not in block


# ------------------------------------------------------------------------------------------
# explorer


def test_explorer_stretches_positions_around_the_origin() -> None:
    g = star()
    positions = {"a": (0, 0), "b": (1, 0), "c": (1, 1), "d": (0, 1), "e": (0.5, 0.5), "f": (2, 1)}
    data = explorer.explorer_data(g, positions)
    # centre (1, 0.5), half extent max(2, 1) / 2 = 1, target 120 + 40 √6 = 217.98
    target = 120 + 40 * math.sqrt(6)
    placed = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    assert placed["a"] == (pytest.approx(-target, abs=0.05), pytest.approx(-target / 2, abs=0.05))
    assert placed["f"] == (pytest.approx(target, abs=0.05), pytest.approx(target / 2, abs=0.05))
    assert placed["e"] == (pytest.approx(-target / 2, abs=0.05), 0.0)
    assert [n["id"] for n in data["nodes"]] == sorted("abcdef")


def test_explorer_has_every_node_and_edge_once() -> None:
    g = star()
    data = explorer.explorer_data(g, nx.circular_layout(g))
    assert len(data["nodes"]) == 6
    assert sorted((e["from"], e["to"]) for e in data["edges"]) == sorted(
        tuple(sorted(edge)) for edge in g.edges
    )
    # The page script styles explorer edges from their kind alone: no colour, no dashes.
    keys = {(e["from"], e["to"]): sorted(e) for e in data["edges"]}
    assert keys["a", "b"] == ["from", "kind", "score", "to", "width"]
    assert keys["a", "e"] == ["from", "kind", "to", "width"]


def test_explorer_colours_by_family_when_there_are_families() -> None:
    g = star()
    families = (
        graph_style.GraphFamily(slug="cycle", name="Cycle <i>", members=("a", "b", "f")),
        graph_style.GraphFamily(slug="pipe", name="Pipe", members=("c", "d")),
    )
    data = explorer.explorer_data(g, nx.circular_layout(g), families=families)
    assert {n["id"]: n["family"] for n in data["nodes"]} == {
        "a": "cycle",
        "b": "cycle",
        "c": "pipe",
        "d": "pipe",
        "e": "",
        "f": "cycle",
    }
    assert [(i["key"], i["label"], i["count"]) for i in data["legend"]["family"]] == [
        ("cycle", "Cycle <i>", 3),
        ("pipe", "Pipe", 2),
        ("*", "in no family", 1),
    ]
    colours = [i["color"] for i in data["legend"]["family"]]
    assert len(set(colours)) == 3
    # The name stays data: the file escapes it like every other string.
    assert "Cycle \\u003ci\\u003e" in explorer.explorer_json(data)
    assert 'value="family"' in explorer.explorer_html(g, families=True, vocabulary=VOCABULARY)
    # Without families: no attribute, no legend, no choice.
    plain = explorer.explorer_data(g, nx.circular_layout(g))
    assert "family" not in plain["legend"] and all("family" not in n for n in plain["nodes"])
    assert 'value="family"' not in explorer.explorer_html(g, vocabulary=VOCABULARY)


def test_explorer_legend_counts_kinds_and_top_domains() -> None:
    data = explorer.explorer_data(star(), nx.circular_layout(star()))
    kinds = {item["key"]: item["count"] for item in data["legend"]["kind"]}
    assert kinds == {"metaphor": 2, "pattern": 1, "archetype": 1, "paradigm": 1, "mental-model": 1}
    domains = [(item["key"], item["count"]) for item in data["legend"]["domain"]]
    # Most frequent first, ties by name; the entry with no domain falls under "other".
    assert domains == [("mythology", 2), ("psychotherapy", 2), ("physics", 1), ("*", 1)]
    # A domain is labelled as every page labels it (index.domain_label).
    labels = [item["label"] for item in data["legend"]["domain"]][:3]
    assert labels == ["Mythology", "Psychotherapy", "Physics"]
    assert labels == [domain_label(key) for key, _ in domains[:3]]


def test_explorer_keeps_the_filter_facets() -> None:
    g = star()
    g.nodes["a"]["tags"] = {
        "embodied_patterns": ("link", "splitting"),
        "relation_types": ("restore", "transform/refinement"),
        "structure": "cycle",
    }
    g.nodes["b"]["embodied_patterns"] = ["path"]
    node = {n["id"]: n for n in explorer.explorer_data(g, nx.circular_layout(g))["nodes"]}
    assert node["a"]["patterns"] == ["link", "splitting"]
    assert node["a"]["relations"] == ["restore", "transform/refinement"]
    assert node["a"]["structure"] == ["cycle"]
    assert node["b"]["patterns"] == ["path"]
    assert node["c"]["patterns"] == []


def test_explorer_without_a_position_fails_with_the_names() -> None:
    with pytest.raises(ValueError, match=r"2 node\(s\): e, f"):
        explorer.explorer_data(star(), {"a": (0, 0), "b": (1, 1), "c": (0, 1), "d": (1, 0)})


def test_explorer_html_lists_filter_values_with_counts() -> None:
    g = star()
    g.nodes["a"]["relation_types"] = ["transform/refinement", "restore"]
    g.nodes["c"]["relation_types"] = ["transform"]
    g.nodes["d"]["structure"] = ["<b>odd</b>"]
    block = explorer.explorer_html(g, vocabulary=VOCABULARY)
    assert '<option value="transform">Transform (2)</option>' in block
    assert '<option value="transform/refinement">Transform / Refinement (1)</option>' in block
    assert '<option value="mythology">Mythology (2)</option>' in block
    assert '<option value="&lt;b&gt;odd&lt;/b&gt;">&lt;b&gt;odd&lt;/b&gt; (1)</option>' in block
    assert 'data-graph-src="explorer.json"' in block
    assert 'data-graph-total="6"' in block
    for name in ("kind", "domain", "pattern", "relation", "structure"):
        assert f'data-graph-filter="{name}"' in block


def test_explorer_json_is_the_data() -> None:
    data = explorer.explorer_data(star(), nx.circular_layout(star()))
    assert json.loads(explorer.explorer_json(data)) == json.loads(json.dumps(data))


# ------------------------------------------------------------------------------------------
# graph JSON, assets, imports


def test_graph_json_is_sorted_and_round_trips() -> None:
    g = nx.Graph()
    g.add_node("z", name="Z", tags={"structure": ("cycle",), "patterns": frozenset({"b", "a"})})
    g.add_node("a", name="A")
    g.add_edge("z", "a", kind="cross", weight=0.5)
    text = graph_json(g)
    data = json.loads(text)
    assert [n["id"] for n in data["nodes"]] == ["a", "z"]
    assert data["edges"] == [{"kind": "cross", "source": "a", "target": "z", "weight": 0.5}]
    assert data["nodes"][1]["tags"] == {"patterns": ["a", "b"], "structure": ["cycle"]}
    back = nx.node_link_graph(data, edges="edges")
    assert set(back.edges) == {("a", "z")} and back.edges["a", "z"]["weight"] == 0.5
    # Insertion order does not change the bytes.
    h = nx.Graph()
    h.add_node("a", name="A")
    h.add_node("z", name="Z", tags={"patterns": frozenset({"a", "b"}), "structure": ("cycle",)})
    h.add_edge("a", "z", weight=0.5, kind="cross")
    assert graph_json(h) == text


def test_assets_ship_one_vis_network_script_without_a_source_map() -> None:
    assets = {a.uri: a.content for a in graph_assets.graph_assets()}
    assert list(assets) == [
        "assets/graph/vis-network.min.js",
        "assets/graph/graph.js",
        "assets/graph/graph.css",
    ]
    vis = assets["assets/graph/vis-network.min.js"]
    assert b"@version 9.1.2" in vis[:400]
    assert b"sourceMappingURL" not in vis
    assert len(vis) > 400_000
    # Our own files reach for nothing outside the site.
    assert b"http" not in assets["assets/graph/graph.js"]
    assert b"http" not in assets["assets/graph/graph.css"]
    assert b"document$" in assets["assets/graph/graph.js"]


def test_importing_graphs_does_not_import_pyvis() -> None:
    code = (
        "import sys, graph_builder.site.vis_network, graph_builder.site.graph_assets, "
        "graph_builder.site.build; "
        "print('pyvis' in sys.modules, 'IPython' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_site_files_hold_assets_explorer_data_and_graph_json() -> None:
    g = star()
    files = {
        f.uri: f.content
        for f in graph_assets.site_files(g, nx.circular_layout(g), vocabulary=VOCABULARY)
    }
    assert list(files) == [
        graph_style.VIS_NETWORK_URI,
        *graph_style.SCRIPTS,
        *graph_style.STYLESHEETS,
        "graph/explorer.json",
        "graph.json",
    ]
    assert len(json.loads(files["graph/explorer.json"])["nodes"]) == 6
    assert files["graph.json"].decode("utf-8") == graph_json(g)


def test_entry_graph_block_links_within_the_site() -> None:
    block = entry_graph.entry_graph_block(
        star(), "a", members=["b", "e", "gone"], name="A", vocabulary=VOCABULARY
    )
    parser = _Collector()
    parser.feed(block)
    [data] = json.loads(parser.scripts[0])
    assert [n["id"] for n in data["nodes"]] == ["a", "b", "e"]
    assert data["entryUrl"] == "../{slug}/"
    assert data["explorerUrl"] == "../../graph/explorer.json"


@pytest.mark.parametrize(("slug", "members"), [("a", []), ("a", ["gone"]), ("gone", ["a"])])
def test_entry_graph_block_is_empty_with_nothing_to_draw(slug: str, members: list[str]) -> None:
    assert (
        entry_graph.entry_graph_block(
            star(), slug, members=members, name="x", vocabulary=VOCABULARY
        )
        == ""
    )


@pytest.mark.parametrize(
    "sink", ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "title:"]
)
def test_page_script_never_turns_data_into_html(sink: str) -> None:
    """Names and summaries reach the page only through textContent (and never a vis `title`,
    which vis-network renders as HTML)."""
    script = (graph_assets.graph_assets()[1].content).decode("utf-8")
    assert sink not in script
    assert "textContent" in script


def test_a_build_shows_its_own_vocabulary_in_every_graph_legend() -> None:
    from graph_builder.site.build import build_site

    base = default_vocabulary()
    custom = dataclasses.replace(
        base,
        kinds={k: dataclasses.replace(t, title=f"Zork {t.title}") for k, t in base.kinds.items()},
        embodied_patterns={
            k: dataclasses.replace(t, title=f"Zork {t.title}")
            for k, t in base.embodied_patterns.items()
        },
    )
    site = build_site(
        Path(__file__).parent.parent / "fixtures" / "site" / "entries", vocabulary=custom
    )
    assert site.pages
    pages = {page.uri: page.markdown for page in site.pages}
    files = {file.uri: file.content.decode("utf-8", "replace") for file in site.files}
    blocks = [m for m in pages.values() if "mma-graph__data" in m]
    assert blocks
    # Entry graphs: the kinds legend in each block's data.
    assert all('"label":"Zork ' in block for block in blocks)
    # The explorer's data (its kinds legend) and its page (the kind and pattern filters).
    assert '"label":"Zork Metaphor"' in files[graph_style.EXPLORER_DATA_URI]
    graph_page = pages["graph/index.md"]
    assert '<option value="metaphor">Zork Metaphor (' in graph_page
    assert re.search(r'<option value="[a-z-]+">Zork [^<]+ \(\d+\)</option>', graph_page)
    assert ">Metaphor (" not in graph_page


def test_module_examples() -> None:
    result = doctest.testmod(entry_graph)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize("text", HOSTILE)
def test_a_block_joined_from_encoded_pieces_is_the_block_of_its_data(text: str) -> None:
    g = star()
    g.nodes["b"]["name"] = text
    g.nodes["b"]["summary"] = text
    members = ["b", "c", "e"]
    data = entry_graph.entry_graph_data(g, "a", members=members, vocabulary=VOCABULARY)
    graphs = entry_graph.EntryGraphs(g, VOCABULARY)
    assert graphs.block("a", members=members, name=text) == entry_graph.entry_graph_html(
        data, name=text
    )


def test_every_catalogue_block_is_the_block_of_its_data() -> None:
    # The blocks join each node's and edge's JSON, encoded once per build; the whole data
    # encoded at once must give the same bytes, for every entry of the real catalogue.
    entries = load_entries(ROOT / "entries").entries
    graph = catalogue_graph(entries, structural_neighbours(entries, VOCABULARY))
    graphs = entry_graph.EntryGraphs(graph, VOCABULARY)
    drawn = 0
    for entry in entries:
        members = sorted(graph.adj[entry.slug])
        block = graphs.block(entry.slug, members=members, name=entry.name)
        if not members:
            assert block == ""
            continue
        data = graphs.data(entry.slug, members=members)
        assert block == entry_graph.entry_graph_html(data, name=entry.name), entry.slug
        drawn += 1
    assert drawn >= 100
