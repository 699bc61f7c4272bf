"""The catalogue graph -> nodes and edges with scalar attributes, as GraphML and GEXF hold them.

GraphML and GEXF keep only strings, numbers and booleans, so both writers start from the same
flattening (`graph_records`): one schema for the two formats, whichever command writes them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from graph_builder.core.text import strip_invisible

__all__ = [
    "LIST_SEPARATOR",
    "Records",
    "Scalar",
    "export_graph",
    "graph_records",
    "key_types",
    "scalar_attributes",
    "scalar_text",
]

#: How list-valued attributes are joined in GraphML and GEXF, which hold only scalars.
LIST_SEPARATOR = "; "


def scalar_attributes(attrs: Mapping[str, Any]) -> dict[str, str | int | float | bool]:
    """Node or edge attributes reduced to what GraphML and GEXF can hold.

    Strings, numbers and booleans pass; None is dropped; a list, tuple or set becomes one string
    joined by `LIST_SEPARATOR` (sets sorted); a mapping or dataclass is flattened one level into
    `key_subkey` attributes; anything else becomes its `str`.
    """
    flat: dict[str, str | int | float | bool] = {}
    for key in sorted(attrs, key=str):
        value = attrs[key]
        kind = type(value)
        # The common cases first, by exact type: this runs for every node and edge.
        if kind is str:
            flat[str(key)] = strip_invisible(value)
            continue
        if kind is float or kind is int or kind is bool:
            flat[str(key)] = value
            continue
        if value is None:
            continue
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            value = dataclasses.asdict(value)
        if isinstance(value, Mapping):
            for sub_key, sub_value in scalar_attributes(value).items():
                flat[f"{key}_{sub_key}"] = sub_value
        elif isinstance(value, bool | int | float):
            flat[str(key)] = value
        elif isinstance(value, str):
            flat[str(key)] = strip_invisible(value)
        elif isinstance(value, set | frozenset):
            flat[str(key)] = LIST_SEPARATOR.join(sorted(strip_invisible(str(v)) for v in value))
        elif isinstance(value, Iterable):
            flat[str(key)] = LIST_SEPARATOR.join(strip_invisible(str(v)) for v in value)
        else:
            flat[str(key)] = strip_invisible(str(value))
    return flat


Scalar = str | int | float | bool
Records = tuple[
    list[tuple[str, dict[str, Scalar]]],
    list[tuple[str, str, dict[str, Scalar]]],
]


def graph_records(graph: nx.Graph) -> Records:
    """Nodes and edges with scalar attributes, sorted; an undirected edge as (smaller, larger)."""
    nodes = [(str(n), scalar_attributes(graph.nodes[n])) for n in sorted(graph.nodes, key=str)]
    edges = []
    for u, v, data in graph.edges(data=True):
        a, b = str(u), str(v)
        if not graph.is_directed() and b < a:
            a, b = b, a
        edges.append((a, b, scalar_attributes(data)))
    edges.sort(key=lambda e: (e[0], e[1]))
    return nodes, edges


def export_graph(graph: nx.Graph) -> nx.Graph:
    """A copy of the graph ready for GraphML/GEXF: scalar attributes, sorted nodes and edges.

    The copy has the same class (directed, multi) as the input; node ids become strings. Graph
    level attributes are dropped: the catalogue graph keeps nothing there a reader needs.

    Example:
        >>> g = nx.Graph()
        >>> g.add_node("a", tags=["x", "y"], source_frame=None)
        >>> export_graph(g).nodes["a"]
        {'tags': 'x; y'}
    """
    copy = graph.__class__()
    if graph.is_multigraph():
        copy.add_nodes_from(
            (str(n), scalar_attributes(graph.nodes[n])) for n in sorted(graph, key=str)
        )
        edges = sorted(
            graph.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))
        )
        for u, v, key, data in edges:
            copy.add_edge(str(u), str(v), key=key, **scalar_attributes(data))
        return copy
    nodes, edge_list = graph_records(graph)
    copy.add_nodes_from(nodes)
    copy.add_edges_from(edge_list)
    return copy


def scalar_text(value: Scalar) -> str:
    """A scalar as the text GraphML and GEXF write: booleans lower case, floats by `repr`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def key_types(items: Iterable[Mapping[str, Scalar]], names: Mapping[type, str]) -> dict[str, str]:
    """Attribute name -> the format's type name: one Python type throughout, else string."""
    seen: dict[str, set[type]] = {}
    for attrs in items:
        for key, value in attrs.items():
            seen.setdefault(key, set()).add(type(value))
    types = {}
    for key in sorted(seen):
        kinds = seen[key]
        only = next(iter(kinds)) if len(kinds) == 1 else str
        types[key] = names.get(only, names[str])
    return types
