"""The catalogue graph -> `/graph.gexf` (GEXF 1.2, UTF-8 bytes), the site's and `export`'s."""

from __future__ import annotations

import io
from collections.abc import Mapping

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from graph_builder.opendata.attributes import (
    Records,
    Scalar,
    export_graph,
    graph_records,
    key_types,
    scalar_text,
)
from graph_builder.opendata.escape import xml_attr

__all__ = ["gexf_bytes", "gexf_from_records"]

_GEXF_TYPES: Mapping[type, str] = {str: "string", int: "long", float: "double", bool: "boolean"}


def gexf_bytes(graph: nx.Graph, *, date: str = "") -> bytes:
    """The graph as GEXF 1.2 (UTF-8), readable back with `networkx.read_gexf` and Gephi.

    Written as a stream of lines for the same reason as `graphml_bytes`. No clock is read: the
    `lastmodifieddate` is `date` (the latest entry date, say) or absent, so two builds of the same
    catalogue give the same bytes. A node's `name` becomes its GEXF label, which Gephi shows;
    an edge's `weight` is the GEXF weight.

    Args:
        graph: the catalogue graph (a multigraph goes through networkx's writer).
        date: `YYYY-MM-DD` for the `lastmodifieddate` attribute, or "" to leave it out.
    """
    if graph.is_multigraph():
        return _networkx_gexf(graph, date)
    return gexf_from_records(graph_records(graph), directed=graph.is_directed(), date=date)


def gexf_from_records(records: Records, *, directed: bool, date: str) -> bytes:
    """GEXF of nodes and edges already flattened by `attributes.graph_records`."""
    stamp = f' lastmodifieddate="{xml_attr(date)}"' if date else ""
    nodes, edges = records
    node_types = key_types((attrs for _, attrs in nodes), _GEXF_TYPES)
    edge_types = key_types(
        ({k: v for k, v in attrs.items() if k != "weight"} for _, _, attrs in edges), _GEXF_TYPES
    )
    node_ids = {name: str(i) for i, name in enumerate(node_types)}
    edge_ids = {name: str(i + len(node_ids)) for i, name in enumerate(edge_types)}
    default = "directed" if directed else "undirected"
    out = [
        "<?xml version='1.0' encoding='utf-8'?>",
        '<gexf xmlns="http://www.gexf.net/1.2draft" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" '
        'version="1.2">',
        f"  <meta{stamp}>",
        "    <creator>graph-builder</creator>",
        "  </meta>",
        f'  <graph defaultedgetype="{default}" mode="static">',
    ]
    for klass, types, ids in (("node", node_types, node_ids), ("edge", edge_types, edge_ids)):
        if not types:
            continue
        out.append(f'    <attributes mode="static" class="{klass}">')
        out += [
            f'      <attribute id="{ids[name]}" title="{xml_attr(name)}" type="{kind}" />'
            for name, kind in types.items()
        ]
        out.append("    </attributes>")

    def values(attrs: Mapping[str, Scalar], ids: Mapping[str, str], indent: str) -> list[str]:
        if not attrs:
            return []
        return [
            f"{indent}<attvalues>",
            *(
                f'{indent}  <attvalue for="{ids[k]}" value="{xml_attr(scalar_text(v))}" />'
                for k, v in attrs.items()
            ),
            f"{indent}</attvalues>",
        ]

    out.append("    <nodes>")
    for node, attrs in nodes:
        label = xml_attr(str(attrs.get("name") or node))
        out.append(f'      <node id="{xml_attr(node)}" label="{label}">')
        out += values(attrs, node_ids, "        ")
        out.append("      </node>")
    out += ["    </nodes>", "    <edges>"]
    for number, (a, b, attrs) in enumerate(edges):
        rest = {k: v for k, v in attrs.items() if k != "weight"}
        weight = attrs.get("weight")
        extra = (
            f' weight="{scalar_text(weight)}"'
            if isinstance(weight, int | float) and not isinstance(weight, bool)
            else ""
        )
        out.append(
            f'      <edge source="{xml_attr(a)}" target="{xml_attr(b)}" id="{number}"{extra}>'
        )
        out += values(rest, edge_ids, "        ")
        out.append("      </edge>")
    out += ["    </edges>", "  </graph>", "</gexf>"]
    return ("\n".join(out) + "\n").encode("utf-8")


def _networkx_gexf(graph: nx.Graph, date: str) -> bytes:
    export = export_graph(graph)
    for node, attrs in export.nodes(data=True):
        attrs.setdefault("label", str(attrs.get("name") or node))
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    if meta is not None:
        if date:
            meta.set("lastmodifieddate", date)
        else:
            meta.attrib.pop("lastmodifieddate", None)
    writer.add_graph(export)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
