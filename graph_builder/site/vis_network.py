"""Graph nodes and edges -> vis-network's plain node, edge and option data, built with pyvis.

pyvis is imported inside the functions that use it, because importing it loads IPython."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from graph_builder.site.graph_facts import edge_width, node_domain, node_size
from graph_builder.site.graph_style import EDGE_STYLES

__all__ = [
    "add_edge",
    "add_node",
    "network_data_options",
    "new_network",
    "plain_edge",
    "plain_lists",
    "plain_node",
]


class _NodeIds(list[str]):
    """pyvis's list of node ids with a set beside it, so membership tests take O(1).

    pyvis checks `id in node_ids` on every node and on both ends of every edge; with a plain
    list that makes the explorer O(nodes x edges), minutes at 20,000 entries.
    """

    def __init__(self) -> None:
        super().__init__()
        self._members: set[str] = set()

    def append(self, item: str) -> None:
        super().append(item)
        self._members.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def new_network(*, explorer: bool) -> Any:
    """A pyvis network with our options: physics off, straight edges, no node dragging.

    Positions are computed at build time, so the graph is still from the first frame and the
    same on every visit. `directed=True` only switches off pyvis's duplicate-edge search, which
    scans every edge on each insertion (quadratic at explorer scale); our pairs are already
    unique and no arrows are drawn.
    """
    from pyvis.network import Network

    net = Network(directed=True)
    net.node_ids = _NodeIds()
    net.toggle_physics(False)
    net.toggle_drag_nodes(False)
    net.toggle_hide_edges_on_drag(explorer)
    net.inherit_edge_colors(False)
    net.options.edges.smooth.enabled = False
    return net


def network_data_options(net: Any, *, explorer: bool) -> dict[str, Any]:
    """pyvis's options as plain data, with the vis-network settings pyvis has no method for.

    `new_network` sets the same options on every network of a kind, so they are worked out once
    per kind (`_options_text`) and each caller gets its own copy.
    """
    options: dict[str, Any] = json.loads(_options_text(net, explorer=explorer))
    return options


def _options_text(net: Any, *, explorer: bool) -> str:
    text = _OPTIONS_TEXT.get(explorer)
    if text is None:
        text = _OPTIONS_TEXT[explorer] = json.dumps(_network_options(net, explorer=explorer))
    return text


#: `_options_text`'s cache: explorer or not -> the options as JSON.
_OPTIONS_TEXT: dict[bool, str] = {}


def _network_options(net: Any, *, explorer: bool) -> dict[str, Any]:
    options: dict[str, Any] = json.loads(net.options.to_json())
    options["physics"]["stabilization"]["enabled"] = False
    options["edges"].update(
        arrows={"to": {"enabled": False}},
        selectionWidth=1.5,
        hoverWidth=0.5,
    )
    options["nodes"] = {
        "shape": "dot",
        "borderWidth": 1.5,
        "font": {"size": 13 if explorer else 15, "strokeWidth": 3},
    }
    options["layout"] = {"improvedLayout": False, "randomSeed": 1}
    options["interaction"].update(
        hover=True,
        keyboard=False,
        multiselect=False,
        navigationButtons=False,
        selectConnectedEdges=False,
        tooltipDelay=120,
        zoomView=True,
        dragView=True,
        hideEdgesOnZoom=explorer,
    )
    return options


def add_node(
    net: Any,
    slug: str,
    attrs: Mapping[str, Any],
    *,
    degree: int,
    x: float,
    y: float,
    colour: str,
    extra: Mapping[str, Any],
) -> None:
    net.add_node(
        slug,
        label=str(attrs.get("name") or slug),
        shape="dot",
        color=colour,
        size=node_size(degree),
        x=round(x, 1),
        y=round(y, 1),
        kind=str(attrs.get("kind") or ""),
        domain=node_domain(attrs),
        summary=str(attrs.get("summary") or ""),
        **extra,
    )


def add_edge(net: Any, a: str, b: str, kind: str, score: float | None) -> None:
    style = EDGE_STYLES.get(kind, EDGE_STYLES["related"])
    options: dict[str, Any] = {
        "kind": kind,
        "width": edge_width(score),
        "color": style.colour,
        "dashes": list(style.dashes) if style.dashes else False,
    }
    if score is not None:
        options["score"] = round(score, 3)
    net.add_edge(a, b, **options)


def plain_node(node: Mapping[str, Any]) -> dict[str, Any]:
    """One of pyvis's node dicts, minus what the global options already say."""
    return {k: v for k, v in node.items() if k != "shape"}


def plain_edge(edge: Mapping[str, Any]) -> dict[str, Any]:
    """One of pyvis's edge dicts, minus what the global options already say."""
    return {k: v for k, v in edge.items() if k != "arrows"}


def plain_lists(net: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """pyvis's node and edge dicts, minus what the global options already say."""
    return [plain_node(node) for node in net.nodes], [plain_edge(edge) for edge in net.edges]
