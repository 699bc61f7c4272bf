"""The catalogue graph -> `/graph.json`: node-link JSON, one node or edge a line, byte-stable."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import networkx as nx

__all__ = ["GRAPH_JSON_URI", "graph_json"]

GRAPH_JSON_URI = "graph.json"


def _json_default(value: Any) -> Any:
    """What the json module cannot write by itself: sets sorted, dataclasses as dicts, else str."""
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return str(value)


# What `json.dumps(value, **these options)` builds on every call, built once: the graph file
# encodes every node and edge on its own, about 11,000 calls at 1,000 entries.
_ENCODER = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_json_default
)


def _compact(value: Any) -> str:
    return _ENCODER.encode(value)


def graph_json(graph: nx.Graph) -> str:
    """The whole catalogue graph as node-link JSON (`networkx.node_link_data`), byte-stable.

    Nodes are sorted by id and edges by (source, target); an undirected edge is written with its
    smaller endpoint as source, so two builds of the same catalogue give the same bytes. Each
    node and each edge is one line: a change to the catalogue is a readable diff, and the
    compact lines go through the json module's C encoder (an indented dump does not).
    """
    data = nx.node_link_data(graph, edges="edges")
    nodes = sorted(data["nodes"], key=lambda node: str(node["id"]))
    edges = []
    for edge in data["edges"]:
        if not graph.is_directed() and str(edge["source"]) > str(edge["target"]):
            edge = {**edge, "source": edge["target"], "target": edge["source"]}
        edges.append(edge)
    edges.sort(key=lambda edge: (str(edge["source"]), str(edge["target"]), str(edge.get("key"))))
    data = {**data, "nodes": nodes, "edges": edges}
    fields = []
    for key in sorted(data):
        if key in ("nodes", "edges"):
            items = ",\n".join(_compact(item) for item in data[key])
            fields.append(f"{_compact(key)}:[\n{items}\n]" if items else f"{_compact(key)}:[]")
        else:
            fields.append(f"{_compact(key)}:{_compact(data[key])}")
    return "{" + ",\n".join(fields) + "}\n"
