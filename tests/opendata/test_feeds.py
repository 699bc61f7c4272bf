"""Open data: GraphML and GEXF read back by networkx, llms.txt, the Atom feed read by feedparser."""

from __future__ import annotations

import doctest
import functools
import io
import re
import types

import feedparser
import networkx as nx
import pytest

from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import default_vocabulary
from graph_builder.opendata import attributes, feeds, links
from graph_builder.opendata.atom import atom_feed
from graph_builder.opendata.attributes import export_graph
from graph_builder.opendata.gexf import gexf_bytes
from graph_builder.opendata.graphml import graphml_bytes
from graph_builder.opendata.links import entry_url, latest_date
from graph_builder.opendata.llms import llms_txt
from tests.entries import make_entry

VOCABULARY = default_vocabulary()

# Names from the slug as str.title makes them ("Rupture-And-Repair").
entry = functools.partial(make_entry, naming=str.title)


def catalogue_graph() -> nx.Graph:
    graph = nx.Graph()
    graph.add_node(
        "phoenix",
        name="Phoenix",
        kind="metaphor",
        source_frame="mythology",
        categories=("mythology-and-religion",),
        tags={"embodied_patterns": ["splitting", "path"], "structure": ["cycle"]},
        summary='Burns & rises: <"again">',
        dead=True,
    )
    graph.add_node(
        "hansei",
        name="Hansei",
        kind="pattern",
        source_frame=None,
        categories=("organizational-behavior", "psychology"),
        tags={"embodied_patterns": ["iteration"], "structure": ["cycle"]},
        summary="Reflection\x01 after work.",
        dead=False,
    )
    graph.add_node(
        "virus",
        name="Virus",
        kind="metaphor",
        source_frame="biology",
        categories=(),
        tags={},
        summary="",
        dead=False,
    )
    graph.add_edge("phoenix", "hansei", kind="cross", weight=0.607)
    graph.add_edge("virus", "phoenix", kind="related", weight=1.0)
    return graph


@pytest.mark.parametrize("module", [attributes, links], ids=lambda m: m.__name__)
def test_module_doctests(module: types.ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0


def test_export_graph_flattens_to_scalars_in_sorted_order() -> None:
    export = export_graph(catalogue_graph())
    assert list(export.nodes) == ["hansei", "phoenix", "virus"]
    assert list(export.edges) == [("hansei", "phoenix"), ("phoenix", "virus")]
    phoenix = export.nodes["phoenix"]
    assert phoenix["categories"] == "mythology-and-religion"
    assert phoenix["tags_embodied_patterns"] == "splitting; path"
    assert phoenix["tags_structure"] == "cycle"
    assert "source_frame" not in export.nodes["hansei"]  # None is dropped
    assert export.nodes["hansei"]["summary"] == "Reflection after work."  # no XML-invalid char
    assert export.nodes["hansei"]["categories"] == "organizational-behavior; psychology"


def test_graphml_reads_back_with_the_same_nodes_edges_and_attributes() -> None:
    graph = catalogue_graph()
    data = graphml_bytes(graph)
    back = nx.read_graphml(io.BytesIO(data))
    assert sorted(back.nodes) == sorted(graph.nodes)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in graph.edges}
    assert back.nodes["phoenix"]["summary"] == 'Burns & rises: <"again">'
    assert back.nodes["phoenix"]["dead"] is True
    assert back.nodes["phoenix"]["tags_embodied_patterns"] == "splitting; path"
    assert back.edges["hansei", "phoenix"]["weight"] == pytest.approx(0.607)
    assert back.edges["phoenix", "virus"]["kind"] == "related"
    assert data == graphml_bytes(graph)  # byte-stable


def test_gexf_reads_back_and_carries_no_clock() -> None:
    graph = catalogue_graph()
    data = gexf_bytes(graph, date="2026-11-29")
    back = nx.read_gexf(io.BytesIO(data))
    assert sorted(back.nodes) == sorted(graph.nodes)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in graph.edges}
    assert back.nodes["phoenix"]["label"] == "Phoenix"
    assert back.nodes["phoenix"]["kind"] == "metaphor"
    assert back.nodes["phoenix"]["summary"] == 'Burns & rises: <"again">'
    assert back.edges["hansei", "phoenix"]["weight"] == pytest.approx(0.607)
    assert back.edges["hansei", "phoenix"]["kind"] == "cross"
    assert re.findall(rb'lastmodifieddate="([^"]*)"', data) == [b"2026-11-29"]
    assert b"lastmodifieddate" not in gexf_bytes(graph)
    assert data == gexf_bytes(graph, date="2026-11-29")


def test_directed_graphs_export_as_directed() -> None:
    graph = nx.DiGraph()
    graph.add_edge("b", "a", kind="cross", weight=0.5)
    back = nx.read_graphml(io.BytesIO(graphml_bytes(graph)))
    assert back.is_directed()
    assert list(back.edges) == [("b", "a")]


ENTRIES = (
    entry(
        "phoenix",
        kind="metaphor",
        summary="Rebirth from the ashes.",
        created="2026-01-02",
        updated="2026-03-01",
        author="ana",
        contributors=("bo",),
        categories=("mythology-and-religion",),
    ),
    entry(
        "hansei",
        kind="pattern",
        summary="Reflect <honestly> & [often].",
        created="2026-02-01",
        updated="2026-03-01",
        author="cy",
    ),
    entry("kaizen", kind="pattern", summary="", created="2026-02-10", updated="2026-02-10"),
    entry("nemesis", name="Nemesis [goddess]", kind="archetype", created="2026-01-05"),
    entry("undated", kind="paradigm", summary="No dates.", created="soon", updated=""),
    entry("odd", kind="", summary="No kind."),
)


def test_llms_txt_lists_every_entry_once() -> None:
    text = llms_txt(
        ENTRIES,
        VOCABULARY,
        site_name="Mental Model Atlas",
        description="Mental models and their structural neighbours.",
        pages=(("Structural families", "families/", "Groups that share a shape."),),
    )
    lines = text.splitlines()
    assert lines[0] == "# Mental Model Atlas"
    assert lines[2] == "> Mental models and their structural neighbours."
    items = [line for line in lines if line.startswith("- [")]
    links = re.findall(r"^- \[.*?\]\((entries/[a-z0-9-]+/)\)", text, flags=re.M)
    assert sorted(links) == sorted(f"entries/{e.slug}/" for e in ENTRIES)
    assert len(items) == len(ENTRIES) + 1
    # Sections follow the vocabulary's order of kinds; entries without a known kind come last.
    headings = [line for line in lines if line.startswith("## ")]
    assert headings == [
        "## Metaphors",
        "## Patterns",
        "## Archetypes",
        "## Paradigms",
        "## Other entries",
        "## Site pages",
    ]
    assert "- [Hansei](entries/hansei/): Reflect \\<honestly\\> & \\[often\\]." in lines
    assert "- [Nemesis \\[goddess\\]](entries/nemesis/)" in lines
    assert "- [Kaizen](entries/kaizen/)" in lines
    assert "- [Structural families](families/): Groups that share a shape." in lines


def test_llms_txt_links_are_absolute_with_a_site_url() -> None:
    text = llms_txt(
        ENTRIES[:1], VOCABULARY, site_name="A", description="B", site_url="https://x.org/atlas/"
    )
    assert "- [Phoenix](https://x.org/atlas/entries/phoenix/): Rebirth from the ashes." in text


def test_atom_feed_is_read_back_by_feedparser() -> None:
    data = atom_feed(ENTRIES, VOCABULARY, site_name="Mental Model Atlas & co")
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0
    assert parsed.feed.title == "Mental Model Atlas & co"
    # The feed's date is the latest entry date, never the clock.
    assert parsed.feed.updated == "2026-03-01T00:00:00Z"
    # Updated descending, then slug; `undated` has no date that parses and is left out;
    # `nemesis` has only a created date, used for both; `odd` has none.
    assert [e.link for e in parsed.entries] == [
        "entries/hansei/",
        "entries/phoenix/",
        "entries/kaizen/",
        "entries/nemesis/",
    ]
    hansei, phoenix = parsed.entries[0], parsed.entries[1]
    assert hansei.summary == "Reflect <honestly> & [often]."
    assert hansei.author == "cy"
    assert phoenix.published == "2026-01-02T00:00:00Z"
    assert phoenix.updated == "2026-03-01T00:00:00Z"
    assert [c.name for c in phoenix.contributors] == ["bo"]
    assert [t.term for t in phoenix.tags] == ["metaphor", "mythology-and-religion"]
    assert len({e.id for e in parsed.entries}) == 4
    assert all(e.id.startswith("urn:uuid:") for e in parsed.entries)
    assert data == atom_feed(ENTRIES, VOCABULARY, site_name="Mental Model Atlas & co")


def test_atom_feed_with_a_site_url_and_a_limit() -> None:
    data = atom_feed(
        ENTRIES, VOCABULARY, site_name="Atlas", site_url="https://x.org/atlas", limit=2
    )
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0
    assert [e.id for e in parsed.entries] == [
        "https://x.org/atlas/entries/hansei/",
        "https://x.org/atlas/entries/phoenix/",
    ]
    assert parsed.feed.updated == "2026-03-01T00:00:00Z"
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links == {"alternate": "https://x.org/atlas/", "self": "https://x.org/atlas/feed.xml"}


def test_latest_date_and_entry_url() -> None:
    assert latest_date(ENTRIES) == "2026-03-01"
    assert latest_date(()) == ""
    assert entry_url("../x") == "entries/x/"


@pytest.mark.parametrize("with_graph", [True, False])
def test_open_data_files_are_the_announced_ones(with_graph: bool) -> None:
    graph = catalogue_graph() if with_graph else None
    files = feeds.open_data_files(
        graph, ENTRIES, VOCABULARY, site_name="Atlas", description="Models."
    )
    assert tuple(uri for uri, _ in files) == feeds.open_data_uris(with_graph=with_graph)
    contents = dict(files)
    assert feedparser.parse(contents["feed.xml"]).bozo == 0
    assert contents["llms.txt"].decode("utf-8").startswith("# Atlas\n")
    if with_graph:
        # The GEXF carries the date of the newest entry, not of the build.
        assert b'lastmodifieddate="2026-03-01"' in contents["graph.gexf"]


def test_the_catalogue_graph_round_trips_through_both_formats() -> None:
    from graph_builder.analysis.catalogue import catalogue_graph as build_graph
    from graph_builder.analysis.neighbours import structural_neighbours

    entries = [
        Entry(
            path=f"{slug}.md",
            slug=slug,
            name=slug.title(),
            source_frame=frame,
            embodied_patterns=("flow", "link"),
            relation_types=("enable", "restore"),
            structure=("cycle",),
            abstraction_level="generic",
            related=related,
        )
        for slug, frame, related in (
            ("a", "sea", ("c",)),
            ("b", "war", ()),
            ("c", None, ()),
            ("d", "sea", ()),
        )
    ]
    graph = build_graph(entries, structural_neighbours(entries, VOCABULARY))
    readers = ((graphml_bytes, nx.read_graphml), (gexf_bytes, nx.read_gexf))
    for write, read in readers:
        back = read(io.BytesIO(write(graph)))
        assert sorted(back.nodes) == sorted(graph.nodes)
        assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in graph.edges}
        for u, v, kind in graph.edges(data="kind"):
            assert back.edges[u, v]["kind"] == kind
        assert back.nodes["a"]["tags_embodied_patterns"] == "flow; link"


def test_exports_keep_odd_values_and_mixed_types() -> None:
    graph = nx.DiGraph()
    graph.add_node("a", note="line one\nline\ttwo & <three>", size=3, mixed=1)
    graph.add_node("b", note='"quoted"', size=4, mixed="one")
    graph.add_edge("b", "a", kind="cross", weight=0.25, seen=True)
    for write, read in ((graphml_bytes, nx.read_graphml), (gexf_bytes, nx.read_gexf)):
        back = read(io.BytesIO(write(graph)))
        assert back.is_directed()
        assert list(back.edges) == [("b", "a")]
        assert back.nodes["a"]["note"] == "line one\nline\ttwo & <three>"
        assert back.nodes["b"]["note"] == '"quoted"'
        assert back.nodes["a"]["size"] == 3
        # An attribute holding an int on one node and a string on another is written as text.
        assert (back.nodes["a"]["mixed"], back.nodes["b"]["mixed"]) == ("1", "one")
        assert back.edges["b", "a"]["weight"] == 0.25
        assert back.edges["b", "a"]["seen"] is True
