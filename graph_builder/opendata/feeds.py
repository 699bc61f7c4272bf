"""Catalogue graph and entries -> open data files: GraphML, GEXF, llms.txt and an Atom feed.

Each function returns the file's content (bytes for XML, str for text) and writes nothing, so the
plugin can publish them as generated files and the tests can read them back. Every output is
byte-stable: nodes, edges and entries are sorted, and no clock is read (GEXF's last-modified date
and the feed's `<updated>` come from the entries' own dates).

The node-link JSON (`/graph.json`) is `opendata.graph_json`; it is not repeated here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from graph_builder.core.model import Entry
from graph_builder.core.slugs import uri_slug
from graph_builder.core.text import strip_invisible
from graph_builder.core.vocabulary import Vocabulary

__all__ = [
    "FEED_LIMIT",
    "LIST_SEPARATOR",
    "atom_feed",
    "entry_url",
    "export_graph",
    "gexf_bytes",
    "graphml_bytes",
    "latest_date",
    "llms_txt",
    "open_data_files",
    "open_data_uris",
]

#: How list-valued attributes are joined in GraphML and GEXF, which hold only scalars.
LIST_SEPARATOR = "; "

#: How many entries the Atom feed carries: the newest ones, as feed readers expect.
FEED_LIMIT = 50

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --------------------------------------------------------------------------------------------
# Graph exports


def _scalar_attrs(attrs: Mapping[str, Any]) -> dict[str, str | int | float | bool]:
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
            for sub_key, sub_value in _scalar_attrs(value).items():
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


def _records(graph: nx.Graph) -> Records:
    """Nodes and edges with scalar attributes, sorted; an undirected edge as (smaller, larger)."""
    nodes = [(str(n), _scalar_attrs(graph.nodes[n])) for n in sorted(graph.nodes, key=str)]
    edges = []
    for u, v, data in graph.edges(data=True):
        a, b = str(u), str(v)
        if not graph.is_directed() and b < a:
            a, b = b, a
        edges.append((a, b, _scalar_attrs(data)))
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
        copy.add_nodes_from((str(n), _scalar_attrs(graph.nodes[n])) for n in sorted(graph, key=str))
        edges = sorted(
            graph.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))
        )
        for u, v, key, data in edges:
            copy.add_edge(str(u), str(v), key=key, **_scalar_attrs(data))
        return copy
    nodes, edge_list = _records(graph)
    copy.add_nodes_from(nodes)
    copy.add_edges_from(edge_list)
    return copy


def _xml_attr(value: str) -> str:
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def _text(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _key_types(items: Iterable[Mapping[str, Scalar]], names: Mapping[type, str]) -> dict[str, str]:
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


_GRAPHML_TYPES: Mapping[type, str] = {str: "string", int: "long", float: "double", bool: "boolean"}
_GEXF_TYPES: Mapping[type, str] = {str: "string", int: "long", float: "double", bool: "boolean"}


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
    return _graphml(_records(graph), directed=graph.is_directed())


def _graphml(records: Records, *, directed: bool) -> bytes:
    nodes, edges = records
    node_types = _key_types((attrs for _, attrs in nodes), _GRAPHML_TYPES)
    edge_types = _key_types((attrs for _, _, attrs in edges), _GRAPHML_TYPES)
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
            f'  <key id="{keys[name]}" for="{domain}" attr.name="{_xml_attr(name)}" '
            f'attr.type="{kind}" />'
            for name, kind in types.items()
        ]
    default = "directed" if directed else "undirected"
    out.append(f'  <graph edgedefault="{default}">')
    for node, attrs in nodes:
        out.append(f'    <node id="{_xml_attr(node)}">')
        out += [
            f'      <data key="{node_keys[k]}">{_xml(_text(v))}</data>' for k, v in attrs.items()
        ]
        out.append("    </node>")
    for a, b, attrs in edges:
        out.append(f'    <edge source="{_xml_attr(a)}" target="{_xml_attr(b)}">')
        out += [
            f'      <data key="{edge_keys[k]}">{_xml(_text(v))}</data>' for k, v in attrs.items()
        ]
        out.append("    </edge>")
    out += ["  </graph>", "</graphml>"]
    return ("\n".join(out) + "\n").encode("utf-8")


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
    return _gexf(_records(graph), directed=graph.is_directed(), date=date)


def _gexf(records: Records, *, directed: bool, date: str) -> bytes:
    stamp = f' lastmodifieddate="{_xml_attr(date)}"' if date else ""
    nodes, edges = records
    node_types = _key_types((attrs for _, attrs in nodes), _GEXF_TYPES)
    edge_types = _key_types(
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
            f'      <attribute id="{ids[name]}" title="{_xml_attr(name)}" type="{kind}" />'
            for name, kind in types.items()
        ]
        out.append("    </attributes>")

    def values(attrs: Mapping[str, Scalar], ids: Mapping[str, str], indent: str) -> list[str]:
        if not attrs:
            return []
        return [
            f"{indent}<attvalues>",
            *(
                f'{indent}  <attvalue for="{ids[k]}" value="{_xml_attr(_text(v))}" />'
                for k, v in attrs.items()
            ),
            f"{indent}</attvalues>",
        ]

    out.append("    <nodes>")
    for node, attrs in nodes:
        label = _xml_attr(str(attrs.get("name") or node))
        out.append(f'      <node id="{_xml_attr(node)}" label="{label}">')
        out += values(attrs, node_ids, "        ")
        out.append("      </node>")
    out += ["    </nodes>", "    <edges>"]
    for number, (a, b, attrs) in enumerate(edges):
        rest = {k: v for k, v in attrs.items() if k != "weight"}
        weight = attrs.get("weight")
        extra = (
            f' weight="{_text(weight)}"'
            if isinstance(weight, int | float) and not isinstance(weight, bool)
            else ""
        )
        out.append(
            f'      <edge source="{_xml_attr(a)}" target="{_xml_attr(b)}" id="{number}"{extra}>'
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


# --------------------------------------------------------------------------------------------
# Links and dates


def entry_url(slug: str, site_url: str = "") -> str:
    """An entry's page URL: absolute under `site_url` when one is set, else relative to the root.

    >>> entry_url("phoenix", "https://example.org/atlas")
    'https://example.org/atlas/entries/phoenix/'
    >>> entry_url("phoenix")
    'entries/phoenix/'
    """
    path = f"entries/{uri_slug(slug)}/"
    return _absolute(path, site_url)


def _absolute(path: str, site_url: str) -> str:
    if not site_url:
        return path
    return site_url.rstrip("/") + "/" + path


def _date(text: str) -> dt.date | None:
    if not _DATE.match(text.strip()):
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _dates(entry: Entry) -> tuple[dt.date, dt.date] | None:
    """(created, updated) of an entry, each falling back on the other; None when neither parses."""
    created, updated = _date(entry.created), _date(entry.updated)
    if created is None and updated is None:
        return None
    created = created or updated
    updated = updated or created
    assert created is not None and updated is not None
    return created, max(created, updated)


def latest_date(entries: Iterable[Entry]) -> str:
    """The latest created/updated date of the catalogue as `YYYY-MM-DD`, or "" if none parses."""
    dates = [pair[1] for entry in entries if (pair := _dates(entry)) is not None]
    return max(dates).isoformat() if dates else ""


# --------------------------------------------------------------------------------------------
# llms.txt


def _md_text(text: str) -> str:
    """One line of Markdown that shows `text` literally (brackets and backslashes escaped)."""
    collapsed = " ".join(strip_invisible(text).split())
    return re.sub(r"([\\\[\]()<>*_`])", r"\\\1", collapsed)


def _title(text: str) -> str:
    return " ".join(text.split())


def llms_txt(
    entries: Sequence[Entry],
    vocabulary: Vocabulary,
    *,
    site_name: str,
    description: str,
    site_url: str = "",
    pages: Sequence[tuple[str, str, str]] = (),
) -> str:
    """An index of the site for language models, in the llms.txt convention.

    The file is `# Title`, a `> summary` line, then `## ` sections of `- [Name](url): summary`
    lines: one section per kind (in the vocabulary's order, entries by name), then the site's
    other pages. Every entry appears exactly once.

    Args:
        entries: the catalogue.
        vocabulary: gives the kinds' order and display names.
        site_name: the title.
        description: the one-line summary.
        site_url: makes links absolute when set; otherwise they are relative to the site root.
        pages: further links as (title, path from the site root, description) for a
            "Site pages" section: insight pages, data files.

    Returns:
        The file's text, ending in a newline.
    """
    kinds = list(vocabulary.kinds)
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        key = entry.kind if entry.kind in vocabulary.kinds else ""
        groups.setdefault(key, []).append(entry)
    lines = [f"# {_title(site_name)}", "", f"> {_title(description)}", ""]
    lines += [
        f"Each entry below is one page of the atlas: what the model carries over from its source "
        f"domain, where it breaks, and its structural neighbours. {len(entries)} entries.",
        "",
    ]
    for key in sorted(groups, key=lambda k: (k == "", kinds.index(k) if k in kinds else 0, k)):
        term = vocabulary.kinds.get(key)
        heading = (f"{term.title}s" if term else "Other entries") if key else "Other entries"
        lines += [f"## {heading}", ""]
        for entry in sorted(groups[key], key=lambda e: ((e.name or e.slug).casefold(), e.slug)):
            line = f"- [{_md_text(entry.name or entry.slug)}]({entry_url(entry.slug, site_url)})"
            if entry.summary.strip():
                line += f": {_md_text(entry.summary)}"
            lines.append(line)
        lines.append("")
    if pages:
        lines += ["## Site pages", ""]
        for title, path, text in pages:
            line = f"- [{_md_text(title)}]({_absolute(path, site_url)})"
            lines.append(f"{line}: {_md_text(text)}" if text else line)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# --------------------------------------------------------------------------------------------
# Atom


def _xml(text: str) -> str:
    escaped = strip_invisible(text)
    return (
        escaped.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _entry_id(slug: str, site_url: str, site_name: str) -> str:
    """A permanent Atom id: the page URL when the site has one, else a name-based UUID URN.

    Atom ids must be absolute IRIs; a relative link is not one, so without `site_url` the id is
    derived from the site name and slug, which is as stable as the entry itself.
    """
    if site_url:
        return entry_url(slug, site_url)
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{site_name}/entries/{slug}").urn


def atom_feed(
    entries: Sequence[Entry],
    vocabulary: Vocabulary,
    *,
    site_name: str,
    site_url: str = "",
    limit: int = FEED_LIMIT,
) -> bytes:
    """An Atom 1.0 feed of new and updated entries, newest first.

    Entries are ordered by updated date descending, then slug; the first `limit` are kept. The
    feed's `<updated>` is the latest entry date, so the file depends on the catalogue alone.
    An entry whose dates do not parse is left out (it cannot be placed in time). Every text is
    XML-escaped. Links are absolute under `site_url` when set, else relative to the site root.

    Args:
        entries: the catalogue.
        vocabulary: display names of kinds and categories, for `<category label>`.
        site_name: the feed title and default author.
        site_url: the site's base URL, or "".
        limit: how many entries the feed keeps.

    Returns:
        The feed as UTF-8 bytes.
    """
    dated = [(pair, entry) for entry in entries if (pair := _dates(entry)) is not None]
    dated.sort(key=lambda item: (-item[0][1].toordinal(), item[1].slug))
    kept = dated[: max(0, limit)]
    latest = max((pair[1] for pair, _ in dated), default=dt.date(1970, 1, 1))
    feed_id = (
        _absolute("", site_url)
        if site_url
        else uuid.uuid5(uuid.NAMESPACE_URL, f"{site_name}/feed").urn
    )
    home = _absolute("", site_url) or "./"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{_xml(_title(site_name))}</title>",
        "  <subtitle>New and updated entries</subtitle>",
        f"  <id>{_xml(feed_id)}</id>",
        f'  <link rel="alternate" type="text/html" href="{_xml(home)}"/>',
        f'  <link rel="self" type="application/atom+xml" '
        f'href="{_xml(_absolute("feed.xml", site_url))}"/>',
        f"  <updated>{_timestamp(latest)}</updated>",
        f"  <author><name>{_xml(_title(site_name))}</name></author>",
    ]
    for (created, updated), entry in kept:
        lines += [
            "  <entry>",
            f"    <title>{_xml(_title(entry.name or entry.slug))}</title>",
            f"    <id>{_xml(_entry_id(entry.slug, site_url, site_name))}</id>",
            f'    <link rel="alternate" type="text/html" '
            f'href="{_xml(entry_url(entry.slug, site_url))}"/>',
            f"    <published>{_timestamp(created)}</published>",
            f"    <updated>{_timestamp(updated)}</updated>",
        ]
        if entry.author.strip():
            lines.append(f"    <author><name>{_xml(_title(entry.author))}</name></author>")
        lines += [
            f"    <contributor><name>{_xml(_title(name))}</name></contributor>"
            for name in entry.contributors
            if name.strip()
        ]
        if entry.kind:
            term = vocabulary.kinds.get(entry.kind)
            label = f' label="{_xml(term.title)}"' if term else ""
            lines.append(f'    <category term="{_xml(entry.kind)}"{label}/>')
        for category in dict.fromkeys(entry.categories):
            term = vocabulary.categories.get(category)
            label = f' label="{_xml(term.title)}"' if term else ""
            lines.append(f'    <category term="{_xml(category)}"{label}/>')
        if entry.summary.strip():
            lines.append(f"    <summary>{_xml(_title(entry.summary))}</summary>")
        lines.append("  </entry>")
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


# --------------------------------------------------------------------------------------------
# All at once


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
    `graph.json` comes from `site.browser_graphs`. Arguments as for `llms_txt` and `atom_feed`.
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
        records = _records(graph)
        directed = graph.is_directed()
        files["graph.gexf"] = _gexf(records, directed=directed, date=latest_date(ordered))
        files["graph.graphml"] = _graphml(records, directed=directed)
    return tuple(sorted(files.items()))
