"""Catalogue graph and entries -> every open data file of the site: Atom, llms.txt, GraphML, GEXF.

Each writer has its own module (`atom`, `llms`, `graphml`, `gexf`; `graph_json` for the
node-link `/graph.json`); this one gathers the files `build_site` publishes. Every output is
byte-stable: nodes, edges and entries are sorted, and no clock is read (GEXF's last-modified
date and the feed's `<updated>` come from the entries' own dates).
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx

from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import Vocabulary
from graph_builder.opendata.atom import atom_feed
from graph_builder.opendata.attributes import graph_records
from graph_builder.opendata.gexf import gexf_bytes, gexf_from_records
from graph_builder.opendata.graphml import graphml_bytes, graphml_from_records
from graph_builder.opendata.links import latest_date
from graph_builder.opendata.llms import llms_txt

__all__ = ["open_data_files", "open_data_uris"]


def open_data_uris(*, with_graph: bool) -> tuple[str, ...]:
    """The URIs `open_data_files` produces, known before it runs (pages link to them)."""
    graph_files = ("graph.gexf", "graph.graphml") if with_graph else ()
    return tuple(sorted(("feed.xml", "llms.txt", *graph_files)))


def open_data_files(
    graph: nx.Graph | None,
    entries: Sequence[Entry],
    vocabulary: Vocabulary,
    *,
    site_name: str,
    description: str,
    site_url: str = "",
    pages: Sequence[tuple[str, str, str]] = (),
) -> tuple[tuple[str, bytes], ...]:
    """Every open data file of the site as (URI, content), sorted by URI.

    `feed.xml` and `llms.txt`, and with a graph `graph.graphml` and `graph.gexf`; the node-link
    `graph.json` comes from `opendata.graph_json`. Arguments as for `llms_txt` and `atom_feed`.
    """
    ordered = sorted(entries, key=lambda e: e.slug)
    files = {
        "feed.xml": atom_feed(ordered, vocabulary, site_name=site_name, site_url=site_url),
        "llms.txt": llms_txt(
            ordered,
            vocabulary,
            site_name=site_name,
            description=description,
            site_url=site_url,
            pages=pages,
        ).encode("utf-8"),
    }
    if graph is not None and graph.is_multigraph():
        files["graph.gexf"] = gexf_bytes(graph, date=latest_date(ordered))
        files["graph.graphml"] = graphml_bytes(graph)
    elif graph is not None:
        # Both formats from one pass over the attributes, the costly part at scale.
        records = graph_records(graph)
        directed = graph.is_directed()
        files["graph.gexf"] = gexf_from_records(
            records, directed=directed, date=latest_date(ordered)
        )
        files["graph.graphml"] = graphml_from_records(records, directed=directed)
    return tuple(sorted(files.items()))
