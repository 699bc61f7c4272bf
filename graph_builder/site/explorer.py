"""Catalogue graph + layout -> the /graph/ explorer: its JSON data and its HTML controls."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from graph_builder.core.labels import domain_label
from graph_builder.core.vocabulary import Vocabulary, default_vocabulary, parent_of
from graph_builder.site.entry_graph import (
    attr,
    edge_legend,
)
from graph_builder.site.escape import script_json
from graph_builder.site.graph_facts import (
    degree,
    domain_colours,
    edge_pairs,
    node_domain,
    node_tags,
)
from graph_builder.site.graph_style import (
    DOMAIN_PALETTE,
    OTHER_COLOUR,
    GraphFamily,
    kind_colour,
    kind_sort_key,
)
from graph_builder.site.index import FRONTMATTER_KEYS, kind_title, term_title
from graph_builder.site.vis_network import (
    add_edge,
    add_node,
    network_data_options,
    new_network,
    plain_lists,
)

__all__ = ["explorer_data", "explorer_html", "explorer_json"]


#: Facets the explorer filters by: (control name, node attribute, frontmatter key).
_FILTER_FACETS = (
    ("kind", "kind", "kind"),
    ("domain", "domain", ""),
    ("pattern", "patterns", "embodied_patterns"),
    ("relation", "relations", "relation_types"),
    ("structure", "structure", "structure"),
)


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
    colours = domain_colours(graph)
    family_of = {member: family.slug for family in families for member in family.members}

    net = new_network(explorer=True)
    for slug in sorted(graph, key=str):
        attrs = graph.nodes[slug]
        x, y = placed[str(slug)]
        add_node(
            net,
            str(slug),
            attrs,
            degree=degree(graph, slug),
            x=x,
            y=y,
            colour=kind_colour(str(attrs.get("kind") or "")),
            extra={
                "patterns": list(node_tags(attrs, "embodied_patterns")),
                "relations": list(node_tags(attrs, "relation_types")),
                "structure": list(node_tags(attrs, "structure")),
                **({"family": family_of.get(str(slug), "")} if families else {}),
            },
        )
    for a, b, kind, score in edge_pairs(graph, set(graph)):
        add_edge(net, str(a), str(b), kind, score)
    nodes, edges = plain_lists(net)
    # The page script styles every edge from its kind (colours follow the light/dark scheme), so
    # the explorer file drops the per-edge colour and dashes: a third of its size at 2,000 entries.
    edges = [{k: v for k, v in edge.items() if k not in ("color", "dashes")} for edge in edges]

    kind_counts = Counter(str(n["kind"]) for n in nodes)
    domain_counts = Counter(str(n["domain"]) for n in nodes)
    other = sum(c for d, c in domain_counts.items() if d not in colours)
    domain_legend = [
        {"key": d, "label": domain_label(d), "color": c, "count": domain_counts[d]}
        for d, c in colours.items()
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
        "options": network_data_options(net, explorer=True),
        "legend": {
            "kind": [
                {
                    "key": k,
                    "label": kind_title(k, vocabulary),
                    "color": kind_colour(k),
                    "count": kind_counts[k],
                }
                for k in sorted(kind_counts, key=kind_sort_key)
            ],
            **legend,
        },
    }


def _family_legend(families: Sequence[GraphFamily], total: int) -> list[dict[str, Any]]:
    """One colour for each of the largest families (their order), the rest and the entries in
    no family grey, like the domains past the palette."""
    legend: list[dict[str, Any]] = [
        {"key": family.slug, "label": family.name, "color": colour, "count": len(family.members)}
        for family, colour in zip(families, DOMAIN_PALETTE, strict=False)
    ]
    rest = total - sum(item["count"] for item in legend)
    if rest:
        label = "other families, or none" if len(families) > len(legend) else "in no family"
        legend.append({"key": "*", "label": label, "color": OTHER_COLOUR, "count": rest})
    return legend


def explorer_json(data: Mapping[str, Any]) -> str:
    """The explorer data as the text of `graph/explorer.json` (compact, sorted keys)."""
    return script_json(data) + "\n"


def _filter_values(graph: nx.Graph) -> dict[str, list[tuple[str, int]]]:
    """For each explorer filter, the values present with how many entries carry each.

    Relation subtypes also count towards their parent, so choosing `transform` finds entries
    tagged `transform/refinement` too.
    """
    counters: dict[str, Counter[str]] = {name: Counter() for name, _, _ in _FILTER_FACETS}
    for _, attrs in graph.nodes(data=True):
        counters["kind"][str(attrs.get("kind") or "")] += 1
        counters["domain"][node_domain(attrs)] += 1
        counters["pattern"].update(set(node_tags(attrs, "embodied_patterns")))
        relations = set(node_tags(attrs, "relation_types"))
        counters["relation"].update(relations | {parent_of(r) for r in relations})
        counters["structure"].update(set(node_tags(attrs, "structure")))
    return {
        name: sorted(((v, c) for v, c in counter.items() if v), key=lambda vc: vc[0])
        for name, counter in counters.items()
    }


def _filter_label(name: str, value: str, vocabulary: Vocabulary) -> str:
    if name == "kind":
        return kind_title(value, vocabulary)
    if name == "domain":
        return domain_label(value)
    return term_title(vocabulary.facet(FRONTMATTER_KEYS[name]), value)


def explorer_html(
    graph: nx.Graph,
    *,
    data_url: str = "explorer.json",
    vocabulary: Vocabulary,
    families: bool = False,
) -> str:
    """The `/graph/` explorer: filters, colour switch, search box, canvas, legend, details.

    The controls are plain HTML rendered here, so they are labelled and usable before the data
    arrives; the script fetches `data_url` (relative to the page) and draws the graph. With
    `families`, the colour switch offers the structural families too (the data then has them).
    """
    family_choice = (
        ' <label><input type="radio" name="mma-graph-colour" value="family"> family</label>'
        if families
        else ""
    )
    facets = _filter_values(graph)
    titles = {
        "kind": "Kind",
        "domain": "Domain",
        "pattern": "Pattern",
        "relation": "Relation",
        "structure": "Structure",
    }
    selects = []
    for name, _, _ in _FILTER_FACETS:
        options = "".join(
            f'<option value="{attr(value)}">{attr(_filter_label(name, value, vocabulary))} '
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
        f'data-graph-src="{attr(data_url)}" data-graph-total="{total}">'
        '<p class="mma-graph__nojs">The map needs JavaScript; the A to Z index and every '
        "entry's neighbour lists carry the same links.</p>"
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
        f'aria-label="{attr(label)}">'
        "</div>"
        '<p class="mma-graph__status" aria-live="polite">Loading the graph…</p>'
        '<ul class="mma-graph__legend mma-graph__legend--kinds"></ul>'
        f"{edge_legend(dashed=False)}"
        '<div class="mma-graph__details" hidden></div>'
        '<span id="mma-graph-end-explorer" tabindex="-1"></span>'
        "<noscript><p>The explorer needs JavaScript; every entry is also listed in the "
        "catalogue pages.</p></noscript>"
        "</section>"
    )
