"""The catalogue graph -> `/graph.graphml` (GraphML, UTF-8 bytes), the site's and `export`'s."""

from __future__ import annotations

import io
from collections.abc import Mapping

import networkx as nx

from graph_builder.opendata.attributes import (
    Records,
    export_graph,
    graph_records,
    key_types,
    scalar_text,
)
from graph_builder.opendata.escape import xml_attr, xml_text

__all__ = ["graphml_bytes", "graphml_from_records"]

_GRAPHML_TYPES: Mapping[type, str] = {str: "string", int: "long", float: "double", bool: "boolean"}


def graphml_bytes(graph: nx.Graph) -> bytes:
    """The graph as GraphML (UTF-8), readable back with `networkx.read_graphml`.

    Written as a stream of lines rather than through networkx's writer, which builds an element
    tree first and takes over a second for the catalogue at 2,000 entries; the round trip
    through `networkx.read_graphml` is what the tests check. A multigraph goes through
    networkx's writer. List attributes arrive joined by `LIST_SEPARATOR` (see `export_graph`).
    """
    if graph.is_multigraph():
        buffer = io.BytesIO()
        nx.write_graphml_xml(export_graph(graph), buffer, encoding="utf-8")
        return buffer.getvalue()
    return graphml_from_records(graph_records(graph), directed=graph.is_directed())


def graphml_from_records(records: Records, *, directed: bool) -> bytes:
    """GraphML of nodes and edges already flattened by `attributes.graph_records`."""
    nodes, edges = records
    node_types = key_types((attrs for _, attrs in nodes), _GRAPHML_TYPES)
    edge_types = key_types((attrs for _, _, attrs in edges), _GRAPHML_TYPES)
    node_keys = {name: f"n{i}" for i, name in enumerate(node_types)}
    edge_keys = {name: f"e{i}" for i, name in enumerate(edge_types)}
    out = [
        "<?xml version='1.0' encoding='utf-8'?>",
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    for domain, types, keys in (("node", node_types, node_keys), ("edge", edge_types, edge_keys)):
        out += [
            f'  <key id="{keys[name]}" for="{domain}" attr.name="{xml_attr(name)}" '
            f'attr.type="{kind}" />'
            for name, kind in types.items()
        ]
    default = "directed" if directed else "undirected"
    out.append(f'  <graph edgedefault="{default}">')
    for node, attrs in nodes:
        out.append(f'    <node id="{xml_attr(node)}">')
        out += [
            f'      <data key="{node_keys[k]}">{xml_text(scalar_text(v))}</data>'
            for k, v in attrs.items()
        ]
        out.append("    </node>")
    for a, b, attrs in edges:
        out.append(f'    <edge source="{xml_attr(a)}" target="{xml_attr(b)}">')
        out += [
            f'      <data key="{edge_keys[k]}">{xml_text(scalar_text(v))}</data>'
            for k, v in attrs.items()
        ]
        out.append("    </edge>")
    out += ["  </graph>", "</graphml>"]
    return ("\n".join(out) + "\n").encode("utf-8")
