"""Catalogue graph + one entry -> the neighbourhood graph block of its entry page."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import networkx as nx

from graph_builder.core.vocabulary import Vocabulary, default_vocabulary
from graph_builder.site.escape import script_json, script_json_text, script_safe
from graph_builder.site.graph_facts import degree, edge_pairs, graph_neighbours
from graph_builder.site.graph_style import (
    EDGE_ORDER,
    EDGE_STYLES,
    EXPLORER_DATA_URI,
    KIND_COLOURS,
    OTHER_COLOUR,
    kind_colour,
    kind_sort_key,
)
from graph_builder.site.index import kind_title
from graph_builder.site.vis_network import (
    add_edge,
    add_node,
    network_data_options,
    new_network,
    plain_edge,
    plain_node,
)

__all__ = [
    "EntryGraphs",
    "attr",
    "edge_legend",
    "entry_graph_block",
    "entry_graph_data",
    "entry_graph_html",
]


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
    return EntryGraphs(graph, vocabulary).data(
        slug, members=members, entry_url=entry_url, explorer_url=explorer_url
    )


class _Drawing(NamedTuple):
    """Where one page's neighbourhood graph puts what: the pieces both forms of its data share."""

    places: list[tuple[str, float, float, bool]]  # slug, x, y, is the focus
    pairs: list[tuple[str, str, str, float | None]]
    legend: dict[str, Any]


class EntryGraphs:
    """The catalogue graph -> the neighbourhood graphs of one build's entry pages.

    A node is drawn on the page of each of its neighbours and an edge on the pages of both its
    ends, so pyvis makes each node's and each edge's data once here, with the network options;
    a page copies the data of its nodes and places them on the ring. Make one per build (it
    holds the graph); the edge dicts and the options mapping are shared by every page's data,
    which is only ever serialised. The page blocks (`block`) go further and keep each node's,
    edge's and the options' JSON text, so a page's data is joined from pieces encoded once.
    """

    def __init__(self, graph: nx.Graph, vocabulary: Vocabulary | None = None) -> None:
        self.graph = graph
        self.vocabulary = vocabulary or default_vocabulary()
        self._net = new_network(explorer=False)
        self._options = network_data_options(self._net, explorer=False)
        self._options_json = script_json_text(self._options)
        self._nodes: dict[str, dict[str, Any]] = {}
        self._edges: dict[tuple[str, str, str, float | None], dict[str, Any]] = {}
        self._node_heads: dict[tuple[str, bool], str] = {}
        self._edge_json: dict[tuple[str, str, str, float | None], str] = {}

    def _made(self, slug: str) -> dict[str, Any]:
        made = self._nodes.get(slug)
        if made is None:
            attrs = self.graph.nodes[slug]
            add_node(
                self._net,
                slug,
                attrs,
                degree=degree(self.graph, slug),
                x=0.0,
                y=0.0,
                colour=KIND_COLOURS.get(str(attrs.get("kind")), OTHER_COLOUR),
                extra={},
            )
            made = self._nodes[slug] = plain_node(self._net.nodes[-1])
        return made

    def _node(self, slug: str, x: float, y: float, focus: bool) -> dict[str, Any]:
        return {**self._made(slug), **(_FOCUS if focus else _RING), "x": x, "y": y}

    def _node_json(self, slug: str, x: float, y: float, focus: bool) -> str:
        """`script_json_text(self._node(...))`, from the node's text up to its coordinates."""
        head = self._node_heads.get((slug, focus))
        if head is None:
            node = self._node(slug, 0.0, 0.0, focus)
            fixed = {k: v for k, v in node.items() if k not in ("x", "y")}
            if any(key > "x" for key in fixed):
                # Sorted keys put "x" and "y" last only while no other key sorts after them.
                raise ValueError(f"a node key sorts after 'x' in {sorted(fixed)}")
            text = script_json_text(fixed)
            head = self._node_heads[(slug, focus)] = f"{text[:-1]}{',' if fixed else ''}"
        return f'{head}"x":{x!r},"y":{y!r}}}'

    def _edge(self, a: str, b: str, kind: str, score: float | None) -> dict[str, Any]:
        key = (a, b, kind, score)
        made = self._edges.get(key)
        if made is None:
            add_edge(self._net, a, b, kind, score)
            made = self._edges[key] = plain_edge(self._net.edges[-1])
        return made

    def _edge_text(self, a: str, b: str, kind: str, score: float | None) -> str:
        key = (a, b, kind, score)
        text = self._edge_json.get(key)
        if text is None:
            text = self._edge_json[key] = script_json_text(self._edge(*key))
        return text

    def _drawing(self, slug: str, members: Iterable[str] | None) -> _Drawing:
        graph = self.graph
        if slug not in graph:
            raise KeyError(f"entry {slug!r} is not in the graph")
        around = graph_neighbours(graph, slug) if members is None else set(members)
        around = {m for m in around if m in graph and m != slug}
        pairs = edge_pairs(graph, around | {slug}, first=slug)
        to_focus: dict[str, tuple[int, float]] = {}
        for a, b, kind, score in pairs:
            if slug in (a, b):
                other = b if a == slug else a
                to_focus[other] = (EDGE_ORDER.get(kind, len(EDGE_ORDER)), -(score or 0.0))
        ring = sorted(around, key=lambda m: (*to_focus.get(m, (len(EDGE_ORDER) + 1, 0.0)), m))
        radius = _ring(len(ring))
        places = [(slug, 0.0, 0.0, True)]
        for index, member in enumerate(ring):
            angle = -math.pi / 2 + 2 * math.pi * index / len(ring)
            x = _RING_ASPECT * radius * math.cos(angle) + 0.0
            y = radius * math.sin(angle) + 0.0
            # Rounded as `add_node` rounds, then without "-0.0" in the JSON.
            places.append((member, round(round(x, 1), 1) + 0.0, round(round(y, 1), 1) + 0.0, False))
        kinds = {str(self._made(s)["kind"]) for s, *_ in places}
        legend = {
            "kind": [
                {"key": k, "label": kind_title(k, self.vocabulary), "color": kind_colour(k)}
                for k in sorted(kinds, key=kind_sort_key)
            ]
        }
        return _Drawing(places=places, pairs=pairs, legend=legend)

    def data(
        self,
        slug: str,
        *,
        members: Iterable[str] | None = None,
        entry_url: str = "../{slug}/",
        explorer_url: str = "../../graph/explorer.json",
    ) -> dict[str, Any]:
        """`entry_graph_data` of one entry, from this build's node and edge data."""
        drawing = self._drawing(slug, members)
        return {
            "kind": "entry",
            "ringAspect": _RING_ASPECT,
            "focus": slug,
            "entryUrl": entry_url,
            "explorerUrl": explorer_url,
            "nodes": [self._node(*place) for place in drawing.places],
            "edges": [self._edge(*pair) for pair in drawing.pairs],
            "options": self._options,
            "legend": drawing.legend,
        }

    def data_json(
        self,
        slug: str,
        *,
        members: Iterable[str] | None = None,
        entry_url: str = "../{slug}/",
        explorer_url: str = "../../graph/explorer.json",
    ) -> tuple[str, _Drawing]:
        """`script_json_text(self.data(...))`, joined from the text of each node and edge, with
        the drawing it shows. The top-level keys go in sorted order, as `sort_keys` puts them."""
        drawing = self._drawing(slug, members)
        fields = {
            "kind": script_json_text("entry"),
            "ringAspect": script_json_text(_RING_ASPECT),
            "focus": script_json_text(slug),
            "entryUrl": script_json_text(entry_url),
            "explorerUrl": script_json_text(explorer_url),
            "nodes": f"[{','.join(self._node_json(*place) for place in drawing.places)}]",
            "edges": f"[{','.join(self._edge_text(*pair) for pair in drawing.pairs)}]",
            "options": self._options_json,
            "legend": script_json_text(drawing.legend),
        }
        members_text = ",".join(f"{script_json_text(k)}:{fields[k]}" for k in sorted(fields))
        return f"{{{members_text}}}", drawing

    def block(self, slug: str, *, members: Iterable[str], name: str) -> str:
        """`entry_graph_block` of one entry, from this build's node and edge data."""
        members = [m for m in members if m in self.graph and m != slug]
        if slug not in self.graph or not members:
            return ""
        text, drawing = self.data_json(
            slug,
            members=members,
            entry_url="../{slug}/",
            explorer_url=f"../../{EXPLORER_DATA_URI}",
        )
        return _graph_html(
            slug,
            count=len(drawing.places) - 1,
            legend=drawing.legend["kind"],
            data_json=script_safe(f"[{text}]"),
            name=name,
        )


#: The extra fields of the focus node and of a node on the ring.
_FOCUS: Mapping[str, Any] = {"depth": 0, "borderWidth": 4}
_RING: Mapping[str, Any] = {"depth": 1}


def attr(value: str) -> str:
    return html.escape(value, quote=True)


def edge_legend(*, dashed: bool) -> str:
    """The legend of edge kinds; the explorer draws every kind solid, told apart by colour."""
    modifier = "" if dashed else " mma-graph__legend--solid"
    items = "".join(
        f'<li><span class="mma-graph__line mma-graph__line--{attr(kind)}" aria-hidden="true">'
        f"</span>{attr(style.label)}</li>"
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
    return _graph_html(
        str(data["focus"]),
        count=len(data["nodes"]) - 1,
        legend=data.get("legend", {}).get("kind", []),
        data_json=script_json([data]),
        name=name,
    )


def _graph_html(
    slug: str, *, count: int, legend: Iterable[Mapping[str, Any]], data_json: str, name: str
) -> str:
    """`entry_graph_html` from its parts: the data already as script-safe JSON text."""
    end = f"mma-graph-end-{slug}"
    label = (
        f"Neighbourhood graph of {name}: {count} connected "
        f"{'entry' if count == 1 else 'entries'}. Arrow keys move between entries, "
        "Enter opens the focused one."
    )
    kinds = "".join(
        f'<li><span class="mma-graph__dot" style="--mma-dot:{attr(str(item["color"]))}" '
        f'aria-hidden="true"></span>{attr(str(item["label"]))}</li>'
        for item in legend
    )
    return (
        # data-search-exclude: Material's search skips the block (the list beside it has the
        # same names as links, and the data script would otherwise be indexed as text). The
        # block is a <section> with no <section> inside: the indexer ends an exclusion at the
        # first closing tag of the excluded element's name, so a <div> would end at the toolbar.
        '<section class="mma-graph mma-graph--entry" data-search-exclude data-graph="entry" '
        f'data-graph-focus="{attr(slug)}">'
        '<p class="mma-graph__nojs">The neighbourhood graph needs JavaScript; the lists below '
        "carry the same links.</p>"
        f'<a class="mma-graph__skip" href="#{attr(end)}">Skip graph</a>'
        '<div class="mma-graph__toolbar">'
        '<button type="button" class="mma-graph__depth md-button" aria-pressed="false">'
        "Show depth 2</button>"
        '<button type="button" class="mma-graph__fit md-button">Re-centre</button>'
        "</div>"
        '<div class="mma-graph__canvas" tabindex="0" role="application" '
        f'aria-label="{attr(label)}">'
        "</div>"
        '<p class="mma-graph__status" aria-live="polite"></p>'
        f'<ul class="mma-graph__legend mma-graph__legend--kinds">{kinds}</ul>'
        f"{edge_legend(dashed=True)}"
        # A one-element array, not a bare object: Material's instant navigation re-creates the
        # scripts of a new page without their type, so the browser runs this text as JavaScript.
        # An array literal is a harmless expression there; an object would be a syntax error.
        f'<script type="application/json" class="mma-graph__data">{data_json}</script>'
        f'<span id="{attr(end)}" tabindex="-1"></span>'
        "</section>"
    )


def entry_graph_block(
    graph: nx.Graph, slug: str, *, members: Iterable[str], name: str, vocabulary: Vocabulary
) -> str:
    """The graph block of the entry page `entries/<slug>/` (directory URLs), or "" when the
    entry is not in the graph or has nothing around it to draw.

    Args:
        graph: the catalogue graph.
        slug: the entry.
        members: its neighbours and the related entries that exist.
        name: its display name, for the canvas's label.
        vocabulary: the build's vocabulary, for the legend's titles.
    """
    return EntryGraphs(graph, vocabulary).block(slug, members=members, name=name)
