"""What every graph widget shares: asset URIs, colours, edge styles, the layout seed.

The site draws its graphs with vis-network. pyvis builds the node and edge lists and the network
options from the catalogue graph (`vis_network`); we keep only that plain data and never use
pyvis's HTML template (it pulls files from a CDN, and its local mode copies a folder into the
working directory). The page code is ours: one vis-network script, one small script and one
stylesheet, served from the site's assets at the same URL on every page (`graph_assets`), plus a
few KB of JSON data per page.

Three outputs per build:

- an entry page's neighbourhood graph: the entry, its neighbours and the related entries that
  exist, with fixed positions (`entry_graph`);
- the explorer of every entry at `/graph/`, positioned at build time and fetched as JSON
  (`explorer`);
- the whole graph as node-link JSON at `/graph.json` (`opendata.graph_json`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "ASSET_DIR",
    "DOMAIN_PALETTE",
    "EDGE_ORDER",
    "EDGE_STYLES",
    "EXPLORER_DATA_URI",
    "KIND_COLOURS",
    "LAYOUT_SEED",
    "OTHER_COLOUR",
    "SCRIPTS",
    "STYLESHEETS",
    "VIS_NETWORK_URI",
    "EdgeStyle",
    "GraphFamily",
    "kind_colour",
    "kind_sort_key",
]

#: Where the graph assets are published inside the site.
ASSET_DIR = "assets/graph"
#: The scripts every page loads, in order (vis-network first: graph.js needs it).
# Only graph.js is on every page; it fetches vis-network (beside it) where a page draws a graph.
SCRIPTS = (f"{ASSET_DIR}/graph.js",)
VIS_NETWORK_URI = f"{ASSET_DIR}/vis-network.min.js"
#: The stylesheet every page loads.
STYLESHEETS = (f"{ASSET_DIR}/graph.css",)
#: The explorer's data, fetched by `/graph/` and by an entry page that shows depth 2.
EXPLORER_DATA_URI = "graph/explorer.json"
#: The whole graph as node-link JSON.
#: The seed of the explorer's layout: the same catalogue gives the same picture on every build.
LAYOUT_SEED = 1


#: Node fill colour per kind (Okabe-Ito, readable on light and dark backgrounds alike).
KIND_COLOURS: Mapping[str, str] = {
    "metaphor": "#e69f00",
    "pattern": "#56b4e9",
    "archetype": "#cc79a7",
    "paradigm": "#009e73",
    "mental-model": "#0072b2",
}
#: The colour of anything a legend does not name (no kind, a domain past the palette).
OTHER_COLOUR = "#999999"

#: Colours for the most frequent domains in the explorer; the rest share `OTHER_COLOUR`.
DOMAIN_PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class EdgeStyle:
    """How one kind of edge is drawn: its legend label, colour and dash pattern (empty: solid)."""

    label: str
    colour: str
    dashes: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class GraphFamily:
    """A structural family as the explorer colours it: its slug, name and members' slugs."""

    slug: str
    name: str
    members: tuple[str, ...]


#: Edge kinds of the catalogue graph, in the order the legend and the entry graph list them.
EDGE_STYLES: Mapping[str, EdgeStyle] = {
    "cross": EdgeStyle(label="cross-domain neighbour", colour="#0072b2", dashes=()),
    "same": EdgeStyle(label="same-domain neighbour", colour="#009e73", dashes=(8, 5)),
    "related": EdgeStyle(label="related entry", colour="#8a6d9e", dashes=(2, 4)),
}
EDGE_ORDER = {kind: index for index, kind in enumerate(EDGE_STYLES)}


def kind_sort_key(kind: str) -> tuple[int, str]:
    order = list(KIND_COLOURS)
    return (order.index(kind) if kind in order else len(order), kind)


def kind_colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, OTHER_COLOUR)
