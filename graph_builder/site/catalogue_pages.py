"""SiteIndex -> the catalogue's own pages: home, A–Z, vocabulary, graph, and the facet pages.

The facet pages themselves (one per kind, domain, category, pattern, relation, structure and
level, each with an index) are `facet_pages`."""

from __future__ import annotations

import posixpath
import string
import unicodedata
from collections.abc import Mapping, Sequence
from importlib import resources

import networkx as nx

from graph_builder.analysis.neighbours import (
    NeighbourLists,
)
from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import Term, Vocabulary
from graph_builder.opendata.graph_json import GRAPH_JSON_URI
from graph_builder.site.entry_links import entry_list
from graph_builder.site.escape import front_matter, html_text, markdown_inline, name_markdown
from graph_builder.site.explorer import explorer_html
from graph_builder.site.facet_pages import FACETS, facet_pages, weight_text
from graph_builder.site.graph_style import EXPLORER_DATA_URI
from graph_builder.site.holdout import HeldBlock, Part, page_text
from graph_builder.site.index import (
    SiteIndex,
    SiteOptions,
    count_words,
    display_name,
    name_key,
)
from graph_builder.site.insight_sections import InsightParts
from graph_builder.site.outputs import GeneratedPage
from graph_builder.site.urls import entry_uri, facet_uri, link, subtype_anchor

__all__ = ["catalogue_pages"]


def _template(name: str) -> string.Template:
    text = resources.files("graph_builder").joinpath(f"templates/{name}").read_text("utf-8")
    return string.Template(text)


def _letter(entry: Entry) -> str:
    first = name_key(entry)[0][:1]
    base = unicodedata.normalize("NFKD", first)[:1].upper()
    return base if "A" <= base <= "Z" else "#"


def _a_to_z(index: SiteIndex) -> GeneratedPage:
    here = "entries/index.md"
    description = "Every entry of the atlas in alphabetical order."
    out: list[Part] = [
        front_matter(title="Entries A–Z", description=description),
        "# Entries A–Z",
        "",
    ]
    groups: dict[str, list[Entry]] = {}
    for entry in sorted(index.entries, key=name_key):
        groups.setdefault(_letter(entry), []).append(entry)
    letters = sorted(groups, key=lambda k: (k == "#", k))
    jump = " · ".join(f"[{_letter_label(k)}](#{_letter_anchor(k)})" for k in letters)
    if letters:
        out += [f"{count_words(len(index.entries))}.", "", jump, ""]
    else:
        out += ["No entries yet.", ""]
    for key in letters:
        out += [
            f"## {_letter_label(key)} {{#{_letter_anchor(key)}}}",
            "",
            *entry_list(here, groups[key]),
        ]
    return GeneratedPage(uri=here, text=page_text(out), in_nav=True)


def _letter_label(key: str) -> str:
    return "Other" if key == "#" else key


def _letter_anchor(key: str) -> str:
    return "other" if key == "#" else key.lower()


def _vocabulary_page(index: SiteIndex) -> GeneratedPage:
    here = "vocabulary/index.md"
    vocab = index.vocabulary
    description = "Every term of the atlas's controlled vocabulary, with its definition and weight."
    out = [front_matter(title="Vocabulary", description=description), "# Vocabulary", ""]
    out += [description, ""]
    sections: list[tuple[str, str, str | None, Mapping[str, Term], bool]] = [
        ("Kinds", "kinds", "kind", vocab.kinds, False),
        ("Groundings", "groundings", None, vocab.groundings, False),
        (
            "Abstraction levels",
            "abstraction-levels",
            "abstraction_level",
            vocab.abstraction_levels,
            False,
        ),
        (
            "Embodied patterns",
            "embodied-patterns",
            "embodied_patterns",
            vocab.embodied_patterns,
            True,
        ),
        ("Relation types", "relation-types", "relation_types", vocab.relation_types, True),
        ("Structures", "structures", "structure", vocab.structures, False),
        ("Categories", "categories", "categories", vocab.categories, False),
    ]
    for title, anchor, facet, terms, weighted in sections:
        out += [f"## {title} {{#{anchor}}}", ""]
        out += ["| Term | Definition | Weight |" if weighted else "| Term | Definition |"]
        out += ["| --- | --- | ---: |" if weighted else "| --- | --- |"]
        for slug, term in terms.items():
            label = markdown_inline(
                slug if facet in ("embodied_patterns", "relation_types") else term.title
            )
            if facet is not None:
                target_anchor = subtype_anchor(slug) if term.parent else ""
                label = f"[{label}]({link(here, facet_uri(facet, slug), target_anchor)})"
            row = f"| {label} | {markdown_inline(term.definition)} |"
            out.append(f"{row} {weight_text(term)} |" if weighted else row)
        out.append("")
    out += ["## Claim prefixes {#claim-prefixes}", "", "| Prefix | Meaning |", "| --- | --- |"]
    out += [
        f"| {markdown_inline(k)} | {markdown_inline(v)} |" for k, v in vocab.claim_prefixes.items()
    ]
    return GeneratedPage(uri=here, text=page_text(out), in_nav=True)


def _home_page(
    index: SiteIndex, options: SiteOptions, section: Sequence[Part] = ()
) -> GeneratedPage:
    here = "index.md"
    featured: list[Part] = []
    seed = index.by_slug.get(options.featured)
    if seed is not None:
        lines: list[Part] = [f"## Featured: {name_markdown(display_name(seed))}", ""]
        if seed.summary:
            summary = f'<p class="gb-summary">{html_text(seed.summary)}</p>'
            lines += [HeldBlock(summary, searchable=True), ""]
        lists = index.neighbours.get(seed.slug, NeighbourLists())
        names = [
            f"[{name_markdown(index.name_of(n.slug))}]({link(here, entry_uri(n.slug))})"
            for n in lists.cross_domain
            if n.slug in index.by_slug
        ]
        if names:
            lines += [f"Its structural neighbours from other domains: {', '.join(names)}.", ""]
        lines += [f"[Read the entry]({link(here, entry_uri(seed.slug))})", ""]
        featured = lines
    links = {f"{f.folder}_link": f"{f.folder}/index.md" for f in FACETS}
    values = {
        "entry_count": str(len(index.entries)),
        "entries_link": "entries/index.md",
        "vocabulary_link": "vocabulary/index.md",
        "graph_link": "graph/index.md",
        **links,
    }
    # The featured entry may hold our blocks, so it goes between the template's two halves.
    top, rest = _template("home.md").template.split("$featured", 1)
    out: list[Part] = [
        front_matter(title=None, description=options.description).removesuffix("\n"),
        "",
        f"# {markdown_inline(options.site_name)}",
        "",
        string.Template(top).substitute(values).removesuffix("\n"),
        *featured,
        string.Template(rest).substitute(values),
    ]
    return GeneratedPage(uri=here, text=page_text(out, section), in_nav=True)


_EXPLORER_INTRO = (
    "Every entry is a dot, joined to its structural neighbours and to the entries it lists as "
    "related. Show only some kinds, domains or tags, colour the dots by {colours}, find an "
    "entry by name, and click a dot to open its page. The same facts are in the "
    "[A to Z index]({entries}) and, for programs, in [graph.json]({data}).\n\n"
)


def _graph_page(
    vocabulary: Vocabulary, graph: nx.Graph | None = None, *, families: bool = False
) -> GeneratedPage:
    here = "graph/index.md"
    text: list[Part]
    if graph is None:
        text = [_template("graph.md").substitute(entries_link=link(here, "entries/index.md"))]
    else:
        # The explorer (explorer.py): its controls as HTML, its data from explorer.json.
        intro = _EXPLORER_INTRO.format(
            entries=link(here, "entries/index.md"),
            data=link(here, GRAPH_JSON_URI),
            colours="kind, by domain or by structural family" if families else "kind or by domain",
        )
        data_url = posixpath.basename(EXPLORER_DATA_URI)
        html = explorer_html(graph, data_url=data_url, vocabulary=vocabulary, families=families)
        text = [intro.removesuffix("\n"), HeldBlock(html, searchable=False)]
    description = "The catalogue as a network of structural neighbours."
    head = front_matter(title="Graph", description=description).removesuffix("\n")
    return GeneratedPage(uri=here, text=page_text([head, "", "# Graph", "", *text]), in_nav=True)


def catalogue_pages(
    index: SiteIndex,
    options: SiteOptions,
    *,
    graph: nx.Graph | None = None,
    insights: InsightParts | None = None,
) -> list[GeneratedPage]:
    """The catalogue's own pages: home, A–Z, vocabulary, graph, and every facet index and page.

    Args:
        index: the site-wide lookups.
        options: the featured entry of the home page.
        graph: the catalogue graph; with it, the graph page holds the explorer.
        insights: the insight parts of the home page, the domains index and the domain pages
            (and the explorer colours by family); None leaves them out.
    """
    pages = [
        _home_page(index, options, insights.home if insights else ()),
        _a_to_z(index),
        _vocabulary_page(index),
        _graph_page(index.vocabulary, graph, families=insights is not None),
    ]
    pages += facet_pages(index, insights)
    return pages
