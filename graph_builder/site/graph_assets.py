"""Catalogue graph -> the files the graphs need: vis-network, our script and CSS, their data."""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from graph_builder.core.vocabulary import Vocabulary
from graph_builder.opendata.graph_json import GRAPH_JSON_URI, graph_json
from graph_builder.site.explorer import explorer_data, explorer_json
from graph_builder.site.graph_style import (
    EXPLORER_DATA_URI,
    SCRIPTS,
    STYLESHEETS,
    VIS_NETWORK_URI,
    GraphFamily,
)

__all__ = ["GraphAsset", "graph_assets", "site_files", "vis_network_script"]


#: The vis-network build that pyvis ships, relative to the installed pyvis package.
_VIS_NETWORK = ("lib", "vis-9.1.2", "vis-network.min.js")


@dataclass(frozen=True, slots=True, kw_only=True)
class GraphAsset:
    """A file the site serves for the graphs: its URI inside the site and its bytes."""

    uri: str
    content: bytes


def vis_network_script() -> Path:
    """The vis-network script inside the installed pyvis package (found without importing pyvis).

    Raises:
        FileNotFoundError: pyvis is not installed, or its wheel no longer ships this build.
    """
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("pyvis is not installed; it ships the vis-network script")
    for location in spec.submodule_search_locations:
        path = Path(location).joinpath(*_VIS_NETWORK)
        if path.is_file():
            return path
    raise FileNotFoundError(f"pyvis does not ship {'/'.join(_VIS_NETWORK)}")


def graph_assets() -> tuple[GraphAsset, ...]:
    """The three files every graph needs: vis-network (which graph.js fetches where a page
    draws a graph), graph.js (on every page) and its stylesheet.

    The vis-network script loses its trailing source-map comment: the map is not shipped, and a
    browser with developer tools open would otherwise ask the site for it.
    """
    vis = vis_network_script().read_bytes()
    marker = vis.rfind(b"//# sourceMappingURL=")
    if marker != -1:
        vis = vis[:marker].rstrip() + b"\n"
    own = Path(__file__).parent.parent / "assets"
    return (
        GraphAsset(uri=VIS_NETWORK_URI, content=vis),
        GraphAsset(uri=SCRIPTS[0], content=(own / "graph.js").read_bytes()),
        GraphAsset(uri=STYLESHEETS[0], content=(own / "graph.css").read_bytes()),
    )


def site_files(
    graph: nx.Graph,
    positions: Mapping[str, Sequence[float]],
    families: Sequence[GraphFamily] = (),
    *,
    vocabulary: Vocabulary,
) -> tuple[GraphAsset, ...]:
    """Every non-page file the graphs need: the assets, the explorer data and `/graph.json`.

    Args:
        graph: the catalogue graph.
        positions: its layout (`graph.layout` with the fixed seed).
        families: the structural families, for the explorer's colouring by family.
        vocabulary: the build's vocabulary, for the legends' and filters' titles.
    """
    data = explorer_data(graph, positions, vocabulary=vocabulary, families=families)
    explorer = explorer_json(data).encode("utf-8")
    return (
        *graph_assets(),
        GraphAsset(uri=EXPLORER_DATA_URI, content=explorer),
        GraphAsset(uri=GRAPH_JSON_URI, content=graph_json(graph).encode("utf-8")),
    )
