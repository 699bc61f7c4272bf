"""networkx catalogue graph -> interactive graph data (built with pyvis), page snippets, graph JSON.

The site draws its graphs with vis-network. pyvis builds the node and edge lists and the network
options from the catalogue graph; we keep only that plain data and never use pyvis's HTML template
(it pulls files from a CDN, and its local mode copies a folder into the working directory). The
page code is ours: one vis-network script, one small script and one stylesheet, served from the
site's assets at the same URL on every page, plus a few KB of JSON data per page.

Three outputs per build:

- an entry page's neighbourhood graph: the entry, its neighbours and the related entries that
  exist, with fixed positions (:func:`entry_graph_data`, :func:`entry_graph_html`);
- the explorer of every entry at `/graph/`, positioned at build time and fetched as JSON
  (:func:`explorer_data`, :func:`explorer_html`);
- the whole graph as node-link JSON at `/graph.json` (`opendata.graph_json`).

pyvis is imported inside the functions that use it, because importing it loads IPython.
"""

from __future__ import annotations

import html
import importlib.util
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from graph_builder.core.vocabulary import Vocabulary, default_vocabulary, parent_of
from graph_builder.opendata.graph_json import GRAPH_JSON_URI, graph_json
from graph_builder.site.escape import script_json

__all__ = [
    "ASSET_DIR",
    "EDGE_STYLES",
    "EXPLORER_DATA_URI",
    "KIND_COLOURS",
    "LAYOUT_SEED",
    "OTHER_COLOUR",
    "SCRIPTS",
    "STYLESHEETS",
    "EdgeStyle",
    "GraphAsset",
    "GraphFamily",
    "entry_graph_block",
    "entry_graph_data",
    "entry_graph_html",
    "explorer_data",
    "explorer_html",
    "explorer_json",
    "graph_assets",
    "site_files",
    "vis_network_script",
]

#: Where the graph assets are published inside the site.
ASSET_DIR = "assets/graph"
#: The scripts every page loads, in order (vis-network first: graph.js needs it).
SCRIPTS = (f"{ASSET_DIR}/vis-network.min.js", f"{ASSET_DIR}/graph.js")
#: The stylesheet every page loads.
STYLESHEETS = (f"{ASSET_DIR}/graph.css",)
#: The explorer's data, fetched by `/graph/` and by an entry page that shows depth 2.
EXPLORER_DATA_URI = "graph/explorer.json"
#: The whole graph as node-link JSON.
#: The seed of the explorer's layout: the same catalogue gives the same picture on every build.
LAYOUT_SEED = 1

#: The vis-network build that pyvis ships, relative to the installed pyvis package.
_VIS_NETWORK = ("lib", "vis-9.1.2", "vis-network.min.js")

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
_DOMAIN_PALETTE = (
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
_EDGE_ORDER = {kind: index for index, kind in enumerate(EDGE_STYLES)}

#: Facets the explorer filters by: (control name, node attribute, frontmatter key).
_FACETS = (
    ("kind", "kind", "kind"),
    ("domain", "domain", ""),
    ("pattern", "patterns", "embodied_patterns"),
    ("relation", "relations", "relation_types"),
    ("structure", "structure", "structure"),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class GraphAsset:
    """A file the site serves for the graphs: its URI inside the site and its bytes."""

    uri: str
    content: bytes


# --------------------------------------------------------------------------------------------
# Assets


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
    """The three files every graph needs, in the order the pages must load them.

    The vis-network script loses its trailing source-map comment: the map is not shipped, and a
    browser with developer tools open would otherwise ask the site for it.
    """
    vis = vis_network_script().read_bytes()
    marker = vis.rfind(b"//# sourceMappingURL=")
    if marker != -1:
        vis = vis[:marker].rstrip() + b"\n"
    own = Path(__file__).parent.parent / "assets"
    return (
        GraphAsset(uri=SCRIPTS[0], content=vis),
        GraphAsset(uri=SCRIPTS[1], content=(own / "graph.js").read_bytes()),
        GraphAsset(uri=STYLESHEETS[0], content=(own / "graph.css").read_bytes()),
    )


def site_files(
    graph: nx.Graph,
    positions: Mapping[str, Sequence[float]],
    families: Sequence[GraphFamily] = (),
) -> tuple[GraphAsset, ...]:
    """Every non-page file the graphs need: the assets, the explorer data and `/graph.json`.

    Args:
        graph: the catalogue graph.
        positions: its layout (`graph.layout` with the fixed seed).
        families: the structural families, for the explorer's colouring by family.
    """
    data = explorer_data(graph, positions, families=families)
    explorer = explorer_json(data).encode("utf-8")
    return (
        *graph_assets(),
        GraphAsset(uri=EXPLORER_DATA_URI, content=explorer),
        GraphAsset(uri=GRAPH_JSON_URI, content=graph_json(graph).encode("utf-8")),
    )


# --------------------------------------------------------------------------------------------
# Node and edge facts


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, Iterable):
        return tuple(str(item) for item in value if item)
    return (str(value),)


def _tags(attrs: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """A structural tag list of a node, whether stored flat or under a `tags` mapping."""
    if key in attrs:
        return _strings(attrs[key])
    tags = attrs.get("tags")
    if isinstance(tags, Mapping):
        return _strings(tags.get(key))
    return ()


def _domain(attrs: Mapping[str, Any]) -> str:
    return str(attrs.get("source_frame") or "")


def _neighbours(graph: nx.Graph, slug: str) -> set[str]:
    """The slugs joined to `slug` by an edge in either direction."""
    if graph.is_directed():
        return set(graph.successors(slug)) | set(graph.predecessors(slug))
    return set(graph.neighbors(slug))


def _degree(graph: nx.Graph, slug: str) -> int:
    """How many slugs are joined to `slug` (`len(_neighbours(...))` without building the set)."""
    if graph.is_directed():
        return len(_neighbours(graph, slug))
    return len(graph.adj[slug])


def _score(data: Mapping[str, Any]) -> float | None:
    weight = data.get("weight")
    if isinstance(weight, int | float) and not isinstance(weight, bool) and weight > 0:
        return float(weight)
    return None


def _pairs(
    graph: nx.Graph, members: set[str], first: str | None = None
) -> list[tuple[str, str, str, float | None]]:
    """The edges among `members`, one per unordered pair: (a, b, kind, score), sorted.

    In a directed graph a pair may be joined both ways. The edge leaving `first` wins (it is that
    entry's own list), then the higher score, then the kind order cross, same, related.
    """
    whole = len(members) == graph.number_of_nodes() and all(m in graph for m in members)
    if not whole and not graph.is_directed() and not graph.is_multigraph():
        # One edge per pair, so nothing to choose between: test each pair of the few members, in
        # sorted order (a subgraph view costs far more, and this runs once per entry page).
        ordered = sorted(m for m in members if m in graph)
        simple = []
        for i, u in enumerate(ordered):
            for v in ordered[i + 1 :]:
                data = graph.get_edge_data(u, v)
                if data is not None:
                    simple.append((u, v, str(data.get("kind") or "related"), _score(data)))
        return simple
    best: dict[tuple[str, str], tuple[tuple[int, float, int], str, float | None]] = {}
    edges = graph.edges(data=True) if whole else graph.subgraph(members).edges(data=True)
    for u, v, data in edges:
        if u == v:
            continue
        kind = str(data.get("kind") or "related")
        score = _score(data)
        rank = (0 if u == first else 1, -(score or 0.0), _EDGE_ORDER.get(kind, len(_EDGE_ORDER)))
        key = (u, v) if u < v else (v, u)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, kind, score)
    return [(a, b, kind, score) for (a, b), (_, kind, score) in sorted(best.items())]


def _edge_width(score: float | None) -> float:
    """Line width from the similarity score: 1 px at the 0.25 threshold, 6 px at 1.0; 2 px for
    a related link that is no neighbour (it has no score)."""
    if score is None:
        return 2.0
    return round(1.0 + 5.0 * max(0.0, min(1.0, (score - 0.25) / 0.75)), 2)


def _node_size(degree: int) -> float:
    """Dot radius from the degree in the whole graph, so a hub looks the same on every page."""
    return round(6.0 + 2.0 * math.sqrt(degree), 1)


def _domain_colours(graph: nx.Graph) -> dict[str, str]:
    """The most frequent domains, each with its own colour (ties broken by name)."""
    counts = Counter(_domain(attrs) for _, attrs in graph.nodes(data=True))
    counts.pop("", None)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return {domain: colour for (domain, _), colour in zip(ranked, _DOMAIN_PALETTE, strict=False)}


def _kind_title(kind: str, vocabulary: Vocabulary) -> str:
    term = vocabulary.kinds.get(kind)
    return term.title if term else (kind or "no kind")


def _domain_title(domain: str) -> str:
    return domain.replace("-", " ") if domain else "no domain"


# --------------------------------------------------------------------------------------------
# pyvis


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


def _network(*, explorer: bool) -> Any:
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


def _options(net: Any, *, explorer: bool) -> dict[str, Any]:
    """pyvis's options as plain data, with the vis-network settings pyvis has no method for.

    `_network` sets the same options on every network of a kind, so they are worked out once
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


def _add_node(
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
        size=_node_size(degree),
        x=round(x, 1),
        y=round(y, 1),
        kind=str(attrs.get("kind") or ""),
        domain=_domain(attrs),
        summary=str(attrs.get("summary") or ""),
        **extra,
    )


def _add_edge(net: Any, a: str, b: str, kind: str, score: float | None) -> None:
    style = EDGE_STYLES.get(kind, EDGE_STYLES["related"])
    options: dict[str, Any] = {
        "kind": kind,
        "width": _edge_width(score),
        "color": style.colour,
        "dashes": list(style.dashes) if style.dashes else False,
    }
    if score is not None:
        options["score"] = round(score, 3)
    net.add_edge(a, b, **options)


def _plain_lists(net: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """pyvis's node and edge dicts, minus what the global options already say."""
    nodes = [{k: v for k, v in node.items() if k != "shape"} for node in net.nodes]
    edges = [{k: v for k, v in edge.items() if k != "arrows"} for edge in net.edges]
    return nodes, edges


# --------------------------------------------------------------------------------------------
# Entry page graph


#: The ring of neighbours is an ellipse this much wider than tall: labels run sideways, and the
#: block is wider than tall on every screen but a phone's.
_RING_ASPECT = 1.5


def _ring(count: int) -> float:
    """Vertical radius of the ring of neighbours; grows with their number so labels rarely meet."""
    return max(190.0, count * 125.0 / (2 * math.pi))


def entry_graph_data(
    graph: nx.Graph,
    slug: str,
    *,
    members: Iterable[str] | None = None,
    entry_url: str = "../{slug}/",
    explorer_url: str = "../../graph/explorer.json",
    vocabulary: Vocabulary | None = None,
) -> dict[str, Any]:
    """The neighbourhood graph of one entry as vis-network data.

    The entry sits at the centre; around it, on one elliptic ring, its cross-domain neighbours,
    then its same-domain neighbours, then its related entries, each group by score descending
    and slug ascending, clockwise from the top. Every edge among these nodes is drawn, styled by
    kind (:data:`EDGE_STYLES`) with a width that grows with the score.

    Args:
        graph: the catalogue graph (node attributes `name`, `kind`, `source_frame`, `summary`;
            edge attributes `kind` and `weight`).
        slug: the entry.
        members: the entries to show around it (its neighbour lists and the related entries that
            exist); by default every node joined to it. Slugs not in the graph are skipped.
        entry_url: the link to an entry relative to this page, `{slug}` standing for its slug.
        explorer_url: the whole graph's explorer data relative to this page; the page fetches it
            only when a reader asks for depth 2.
        vocabulary: display names of kinds (the packaged vocabulary by default).

    Returns:
        A JSON-ready mapping: `nodes`, `edges`, `options` (vis-network), `focus`, `entryUrl`,
        `explorerUrl`, `ringAspect` (the page script makes the ring round in a portrait
        canvas), `kind` = "entry".

    Raises:
        KeyError: `slug` is not a node of the graph.

    Example:
        >>> import networkx as nx
        >>> g = nx.Graph()
        >>> g.add_node("a", name="A", kind="metaphor")
        >>> g.add_node("b", name="B", kind="pattern")
        >>> g.add_edge("a", "b", kind="cross", weight=0.4)
        >>> data = entry_graph_data(g, "a")
        >>> [(n["id"], n["x"], n["y"], n["depth"]) for n in data["nodes"]]
        [('a', 0.0, 0.0, 0), ('b', 0.0, -190.0, 1)]
        >>> data["edges"][0]["width"]
        2.0
    """
    if slug not in graph:
        raise KeyError(f"entry {slug!r} is not in the graph")
    vocabulary = vocabulary or default_vocabulary()
    around = _neighbours(graph, slug) if members is None else set(members)
    around = {m for m in around if m in graph and m != slug}
    pairs = _pairs(graph, around | {slug}, first=slug)
    to_focus: dict[str, tuple[int, float]] = {}
    for a, b, kind, score in pairs:
        if slug in (a, b):
            other = b if a == slug else a
            to_focus[other] = (_EDGE_ORDER.get(kind, len(_EDGE_ORDER)), -(score or 0.0))
    ring = sorted(around, key=lambda m: (*to_focus.get(m, (len(_EDGE_ORDER) + 1, 0.0)), m))
    radius = _ring(len(ring))

    net = _network(explorer=False)
    _add_node(
        net,
        slug,
        graph.nodes[slug],
        degree=_degree(graph, slug),
        x=0.0,
        y=0.0,
        colour=KIND_COLOURS.get(str(graph.nodes[slug].get("kind")), OTHER_COLOUR),
        extra={"depth": 0, "borderWidth": 4},
    )
    for index, member in enumerate(ring):
        angle = -math.pi / 2 + 2 * math.pi * index / len(ring)
        attrs = graph.nodes[member]
        _add_node(
            net,
            member,
            attrs,
            degree=_degree(graph, member),
            x=_RING_ASPECT * radius * math.cos(angle) + 0.0,
            y=radius * math.sin(angle) + 0.0,
            colour=KIND_COLOURS.get(str(attrs.get("kind")), OTHER_COLOUR),
            extra={"depth": 1},
        )
    for a, b, kind, score in pairs:
        _add_edge(net, a, b, kind, score)
    nodes, edges = _plain_lists(net)
    for node in nodes:
        node["x"] = round(node["x"], 1) + 0.0  # no "-0.0" in the JSON
        node["y"] = round(node["y"], 1) + 0.0
    kinds_present = sorted({str(n["kind"]) for n in nodes}, key=_kind_sort)
    return {
        "kind": "entry",
        "ringAspect": _RING_ASPECT,
        "focus": slug,
        "entryUrl": entry_url,
        "explorerUrl": explorer_url,
        "nodes": nodes,
        "edges": edges,
        "options": _options(net, explorer=False),
        "legend": {
            "kind": [
                {"key": k, "label": _kind_title(k, vocabulary), "color": _kind_colour(k)}
                for k in kinds_present
            ]
        },
    }


def _kind_sort(kind: str) -> tuple[int, str]:
    order = list(KIND_COLOURS)
    return (order.index(kind) if kind in order else len(order), kind)


def _kind_colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, OTHER_COLOUR)


# --------------------------------------------------------------------------------------------
# Explorer


def _scale_positions(
    positions: Mapping[str, Sequence[float]], count: int
) -> dict[str, tuple[float, float]]:
    """Layout coordinates (any range) stretched to canvas pixels, centred on the origin.

    The half-width grows with the square root of the node count, so the density of dots stays
    about the same from 40 entries to 2,000.
    """
    if not positions:
        return {}
    xs = [float(p[0]) for p in positions.values()]
    ys = [float(p[1]) for p in positions.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    extent = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    target = 120.0 + 40.0 * math.sqrt(count)
    return {
        slug: (
            round((float(p[0]) - cx) / extent * target, 1) + 0.0,
            round((float(p[1]) - cy) / extent * target, 1) + 0.0,
        )
        for slug, p in positions.items()
    }


def explorer_data(
    graph: nx.Graph,
    positions: Mapping[str, Sequence[float]],
    *,
    entry_url: str = "../entries/{slug}/",
    vocabulary: Vocabulary | None = None,
    families: Sequence[GraphFamily] = (),
) -> dict[str, Any]:
    """Every entry and edge of the catalogue graph as vis-network data, at fixed positions.

    Args:
        graph: the catalogue graph.
        positions: a position for every node (`graph.layout` with its fixed seed); any scale,
            stretched here to canvas pixels.
        entry_url: the link to an entry relative to the JSON file, `{slug}` standing for its slug.
        vocabulary: display names of kinds and tags (the packaged vocabulary by default).
        families: the structural families, in their order (none: no colouring by family).

    Returns:
        A JSON-ready mapping: `nodes` (with `kind`, `domain`, `family`, `patterns`,
        `relations`, `structure` for the filters), `edges`, `options`, `legend` (colour by
        kind, by domain and, with families, by family) and `entryUrl`, `kind` = "explorer".

    Raises:
        ValueError: a node has no position.
    """
    missing = sorted(str(n) for n in graph if n not in positions)
    if missing:
        raise ValueError(f"no layout position for {len(missing)} node(s): {', '.join(missing[:5])}")
    vocabulary = vocabulary or default_vocabulary()
    placed = _scale_positions({str(n): positions[n] for n in graph}, graph.number_of_nodes())
    domain_colours = _domain_colours(graph)
    family_of = {member: family.slug for family in families for member in family.members}

    net = _network(explorer=True)
    for slug in sorted(graph, key=str):
        attrs = graph.nodes[slug]
        x, y = placed[str(slug)]
        _add_node(
            net,
            str(slug),
            attrs,
            degree=_degree(graph, slug),
            x=x,
            y=y,
            colour=_kind_colour(str(attrs.get("kind") or "")),
            extra={
                "patterns": list(_tags(attrs, "embodied_patterns")),
                "relations": list(_tags(attrs, "relation_types")),
                "structure": list(_tags(attrs, "structure")),
                **({"family": family_of.get(str(slug), "")} if families else {}),
            },
        )
    for a, b, kind, score in _pairs(graph, set(graph)):
        _add_edge(net, str(a), str(b), kind, score)
    nodes, edges = _plain_lists(net)
    # The page script styles every edge from its kind (colours follow the light/dark scheme), so
    # the explorer file drops the per-edge colour and dashes: a third of its size at 2,000 entries.
    edges = [{k: v for k, v in edge.items() if k not in ("color", "dashes")} for edge in edges]

    kind_counts = Counter(str(n["kind"]) for n in nodes)
    domain_counts = Counter(str(n["domain"]) for n in nodes)
    other = sum(c for d, c in domain_counts.items() if d not in domain_colours)
    domain_legend = [
        {"key": d, "label": _domain_title(d), "color": c, "count": domain_counts[d]}
        for d, c in domain_colours.items()
    ]
    if other:
        domain_legend.append(
            {"key": "*", "label": "other domains", "color": OTHER_COLOUR, "count": other}
        )
    legend: dict[str, list[dict[str, Any]]] = {"domain": domain_legend}
    if families:
        legend["family"] = _family_legend(families, graph.number_of_nodes())
    return {
        "kind": "explorer",
        "entryUrl": entry_url,
        "nodes": nodes,
        "edges": edges,
        "options": _options(net, explorer=True),
        "legend": {
            "kind": [
                {
                    "key": k,
                    "label": _kind_title(k, vocabulary),
                    "color": _kind_colour(k),
                    "count": kind_counts[k],
                }
                for k in sorted(kind_counts, key=_kind_sort)
            ],
            **legend,
        },
    }


def _family_legend(families: Sequence[GraphFamily], total: int) -> list[dict[str, Any]]:
    """One colour for each of the largest families (their order), the rest and the entries in
    no family grey, like the domains past the palette."""
    legend: list[dict[str, Any]] = [
        {"key": family.slug, "label": family.name, "color": colour, "count": len(family.members)}
        for family, colour in zip(families, _DOMAIN_PALETTE, strict=False)
    ]
    rest = total - sum(item["count"] for item in legend)
    if rest:
        label = "other families, or none" if len(families) > len(legend) else "in no family"
        legend.append({"key": "*", "label": label, "color": OTHER_COLOUR, "count": rest})
    return legend


def explorer_json(data: Mapping[str, Any]) -> str:
    """The explorer data as the text of `graph/explorer.json` (compact, sorted keys)."""
    return script_json(data) + "\n"


def _facet_values(graph: nx.Graph) -> dict[str, list[tuple[str, int]]]:
    """For each explorer filter, the values present with how many entries carry each.

    Relation subtypes also count towards their parent, so choosing `transform` finds entries
    tagged `transform/refinement` too.
    """
    counters: dict[str, Counter[str]] = {name: Counter() for name, _, _ in _FACETS}
    for _, attrs in graph.nodes(data=True):
        counters["kind"][str(attrs.get("kind") or "")] += 1
        counters["domain"][_domain(attrs)] += 1
        counters["pattern"].update(set(_tags(attrs, "embodied_patterns")))
        relations = set(_tags(attrs, "relation_types"))
        counters["relation"].update(relations | {parent_of(r) for r in relations})
        counters["structure"].update(set(_tags(attrs, "structure")))
    return {
        name: sorted(((v, c) for v, c in counter.items() if v), key=lambda vc: vc[0])
        for name, counter in counters.items()
    }


def _facet_label(name: str, value: str, vocabulary: Vocabulary) -> str:
    if name == "kind":
        return _kind_title(value, vocabulary)
    if name == "domain":
        return _domain_title(value)
    key = {"pattern": "embodied_patterns", "relation": "relation_types", "structure": "structure"}
    term = vocabulary.facet(key[name]).get(value)
    return term.title if term else value


# --------------------------------------------------------------------------------------------
# HTML


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _edge_legend(*, dashed: bool) -> str:
    """The legend of edge kinds; the explorer draws every kind solid, told apart by colour."""
    modifier = "" if dashed else " mma-graph__legend--solid"
    items = "".join(
        f'<li><span class="mma-graph__line mma-graph__line--{_attr(kind)}" aria-hidden="true">'
        f"</span>{_attr(style.label)}</li>"
        for kind, style in EDGE_STYLES.items()
    )
    return f'<ul class="mma-graph__legend mma-graph__legend--edges{modifier}">{items}</ul>'


def entry_graph_html(data: Mapping[str, Any], *, name: str) -> str:
    """The neighbourhood graph block of an entry page, its data inline as escaped JSON.

    The block carries its own text alternative: a skip link past the canvas, an aria-label on
    the canvas, keyboard help, and a live region that reads the focused node; the neighbour list
    beside it remains the searchable text version of the same facts. The data travels as
    `[data]` in a `<script type="application/json">`, escaped by :func:`script_json`.
    """
    slug = str(data["focus"])
    end = f"mma-graph-end-{slug}"
    count = len(data["nodes"]) - 1
    label = (
        f"Neighbourhood graph of {name}: {count} connected "
        f"{'entry' if count == 1 else 'entries'}. Arrow keys move between entries, "
        "Enter opens the focused one."
    )
    kinds = "".join(
        f'<li><span class="mma-graph__dot" style="--mma-dot:{_attr(str(item["color"]))}" '
        f'aria-hidden="true"></span>{_attr(str(item["label"]))}</li>'
        for item in data.get("legend", {}).get("kind", [])
    )
    return (
        # data-search-exclude: Material's search skips the block (the list beside it has the
        # same names as links, and the data script would otherwise be indexed as text). The
        # block is a <section> with no <section> inside: the indexer ends an exclusion at the
        # first closing tag of the excluded element's name, so a <div> would end at the toolbar.
        '<section class="mma-graph mma-graph--entry" data-search-exclude data-graph="entry" '
        f'data-graph-focus="{_attr(slug)}">'
        f'<a class="mma-graph__skip" href="#{_attr(end)}">Skip graph</a>'
        '<div class="mma-graph__toolbar">'
        '<button type="button" class="mma-graph__depth md-button" aria-pressed="false">'
        "Show depth 2</button>"
        '<button type="button" class="mma-graph__fit md-button">Re-centre</button>'
        "</div>"
        '<div class="mma-graph__canvas" tabindex="0" role="application" '
        f'aria-label="{_attr(label)}">'
        "</div>"
        '<p class="mma-graph__status" aria-live="polite"></p>'
        f'<ul class="mma-graph__legend mma-graph__legend--kinds">{kinds}</ul>'
        f"{_edge_legend(dashed=True)}"
        # A one-element array, not a bare object: Material's instant navigation re-creates the
        # scripts of a new page without their type, so the browser runs this text as JavaScript.
        # An array literal is a harmless expression there; an object would be a syntax error.
        f'<script type="application/json" class="mma-graph__data">{script_json([data])}</script>'
        f'<span id="{_attr(end)}" tabindex="-1"></span>'
        "</section>"
    )


def entry_graph_block(graph: nx.Graph, slug: str, *, members: Iterable[str], name: str) -> str:
    """The graph block of the entry page `entries/<slug>/` (directory URLs), or "" when the
    entry is not in the graph or has nothing around it to draw.

    Args:
        graph: the catalogue graph.
        slug: the entry.
        members: its neighbours and the related entries that exist.
        name: its display name, for the canvas's label.
    """
    members = [m for m in members if m in graph and m != slug]
    if slug not in graph or not members:
        return ""
    data = entry_graph_data(
        graph,
        slug,
        members=members,
        entry_url="../{slug}/",
        explorer_url=f"../../{EXPLORER_DATA_URI}",
    )
    return entry_graph_html(data, name=name)


def explorer_html(
    graph: nx.Graph,
    *,
    data_url: str = "explorer.json",
    vocabulary: Vocabulary | None = None,
    families: bool = False,
) -> str:
    """The `/graph/` explorer: filters, colour switch, search box, canvas, legend, details.

    The controls are plain HTML rendered here, so they are labelled and usable before the data
    arrives; the script fetches `data_url` (relative to the page) and draws the graph. With
    `families`, the colour switch offers the structural families too (the data then has them).
    """
    vocabulary = vocabulary or default_vocabulary()
    family_choice = (
        ' <label><input type="radio" name="mma-graph-colour" value="family"> family</label>'
        if families
        else ""
    )
    facets = _facet_values(graph)
    titles = {
        "kind": "Kind",
        "domain": "Domain",
        "pattern": "Pattern",
        "relation": "Relation",
        "structure": "Structure",
    }
    selects = []
    for name, _, _ in _FACETS:
        options = "".join(
            f'<option value="{_attr(value)}">{_attr(_facet_label(name, value, vocabulary))} '
            f"({count})</option>"
            for value, count in facets[name]
        )
        selects.append(
            f'<label class="mma-graph__filter">{titles[name]} '
            f'<select name="{name}" data-graph-filter="{name}">'
            f'<option value="">any</option>{options}</select></label>'
        )
    total = graph.number_of_nodes()
    label = (
        f"Graph of all {total} entries. Arrow keys move between the entries shown, "
        "Enter opens the focused one; the search box finds an entry by name."
    )
    return (
        # A <section>, for the same reason as the entry graph block's (entry_graph_html).
        '<section class="mma-graph mma-graph--explorer" data-search-exclude data-graph="explorer" '
        f'data-graph-src="{_attr(data_url)}" data-graph-total="{total}">'
        '<form class="mma-graph__search" role="search">'
        '<label for="mma-graph-search">Find an entry</label> '
        '<input id="mma-graph-search" type="search" name="q" autocomplete="off" '
        'list="mma-graph-names" placeholder="Name of an entry">'
        '<datalist id="mma-graph-names"></datalist> '
        '<button type="submit" class="md-button">Find</button>'
        "</form>"
        '<fieldset class="mma-graph__filters"><legend>Show only</legend>'
        f"{''.join(selects)}"
        '<button type="button" class="mma-graph__reset md-button">Clear filters</button>'
        "</fieldset>"
        '<fieldset class="mma-graph__colour"><legend>Colour by</legend>'
        '<label><input type="radio" name="mma-graph-colour" value="kind" checked> kind</label> '
        '<label><input type="radio" name="mma-graph-colour" value="domain"> domain</label>'
        f"{family_choice}"
        "</fieldset>"
        '<a class="mma-graph__skip" href="#mma-graph-end-explorer">Skip graph</a>'
        '<div class="mma-graph__canvas" tabindex="0" role="application" '
        f'aria-label="{_attr(label)}">'
        "</div>"
        '<p class="mma-graph__status" aria-live="polite">Loading the graph…</p>'
        '<ul class="mma-graph__legend mma-graph__legend--kinds"></ul>'
        f"{_edge_legend(dashed=False)}"
        '<div class="mma-graph__details" hidden></div>'
        '<span id="mma-graph-end-explorer" tabindex="-1"></span>'
        "<noscript><p>The explorer needs JavaScript; every entry is also listed in the "
        "catalogue pages.</p></noscript>"
        "</section>"
    )
