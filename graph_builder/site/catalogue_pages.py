"""SiteIndex -> the catalogue's own pages: home, A–Z, vocabulary, graph, facet indexes and pages.

One page per kind, domain, category, pattern, relation, structure and level, each with an index
one level up; the A–Z index, the vocabulary, the home page and the graph page.
"""

from __future__ import annotations

import posixpath
import string
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

import networkx as nx

from graph_builder.analysis.neighbours import (
    NeighbourLists,
)
from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import Term, Vocabulary, parent_of
from graph_builder.opendata.graph_json import GRAPH_JSON_URI
from graph_builder.site.entry_page import entry_link
from graph_builder.site.escape import front_matter, html_text, markdown_inline, name_markdown
from graph_builder.site.explorer import explorer_html
from graph_builder.site.graph_style import EXPLORER_DATA_URI
from graph_builder.site.holdout import SEARCH_EXCLUDE
from graph_builder.site.index import (
    SiteIndex,
    SiteOptions,
    count_words,
    display_name,
    humanize,
    name_key,
)
from graph_builder.site.insight_sections import InsightParts
from graph_builder.site.outputs import (
    GeneratedPage,
)
from graph_builder.site.urls import entry_uri, facet_uri, href, link, subtype_anchor

__all__ = ["catalogue_pages"]


@dataclass(frozen=True, slots=True, kw_only=True)
class _Facet:
    key: str
    folder: str
    title: str
    singular: str
    intro: str
    weighted: bool = False


_FACETS: tuple[_Facet, ...] = (
    _Facet(
        key="kind",
        folder="kinds",
        title="Kinds",
        singular="Kind",
        intro="What sort of thing an entry is: a metaphor, a pattern, an archetype, a paradigm "
        "or a mental model.",
    ),
    _Facet(
        key="source_frame",
        folder="domains",
        title="Domains",
        singular="Domain",
        intro="The field each model comes from. Two entries from the same domain are listed "
        "as same-domain neighbours; the cross-domain ones are where the surprises are.",
    ),
    _Facet(
        key="categories",
        folder="categories",
        title="Categories",
        singular="Category",
        intro="The subjects the entries are about.",
    ),
    _Facet(
        key="embodied_patterns",
        folder="patterns",
        title="Embodied patterns",
        singular="Embodied pattern",
        intro="The bodily image schemas a model is built from. Rarer patterns weigh more "
        "when two entries are compared.",
        weighted=True,
    ),
    _Facet(
        key="relation_types",
        folder="relations",
        title="Relation types",
        singular="Relation type",
        intro="How the parts of a model act on one another. A subtype counts as its parent "
        "in comparisons, and two sibling subtypes earn partial credit.",
        weighted=True,
    ),
    _Facet(
        key="structure",
        folder="structures",
        title="Structures",
        singular="Structure",
        intro="The overall shape of a model.",
    ),
    _Facet(
        key="abstraction_level",
        folder="levels",
        title="Abstraction levels",
        singular="Abstraction level",
        intro="How general a model is, from bodily primitives to models tied to one practice.",
    ),
)


def _ending(markdown: str, section: Sequence[str]) -> str:
    """A page's Markdown ended by one newline, with `section` (its insight part) last."""
    text = markdown.rstrip("\n")
    if section:
        text += "\n\n" + "\n".join(section).rstrip("\n")
    return text + "\n"


def _template(name: str) -> string.Template:
    text = resources.files("graph_builder").joinpath(f"templates/{name}").read_text("utf-8")
    return string.Template(text)


def _entry_item(here: str, entry: Entry) -> str:
    item = entry_link(here, entry)
    return f"<li>{item} — {html_text(entry.summary)}</li>" if entry.summary else f"<li>{item}</li>"


def _entry_list(here: str, entries: Sequence[Entry]) -> list[str]:
    """Entries as an HTML list: long lists cost the Markdown engine nothing this way."""
    if not entries:
        return ["<p>No entries yet.</p>", ""]
    items = "\n".join(_entry_item(here, e) for e in entries)
    return [f'<ul class="gb-entries" {SEARCH_EXCLUDE}>\n{items}\n</ul>', ""]


def _facet_terms(facet: _Facet, index: SiteIndex) -> dict[str, Term]:
    """The values of a facet that get a page: every vocabulary term plus any value in use."""
    used = index.tagged[facet.key]
    if facet.key == "source_frame":
        return {v: Term(slug=v, title=humanize(v), definition="") for v in sorted(used)}
    vocab = index.vocabulary.facet(facet.key)
    if facet.key == "relation_types":
        parents = {slug: t for slug, t in vocab.items() if t.parent is None}
        for tag in sorted(used):
            parents.setdefault(
                parent_of(tag), Term(slug=parent_of(tag), title=parent_of(tag), definition="")
            )
        return parents
    terms = dict(vocab)
    for value in sorted(used):
        terms.setdefault(value, Term(slug=value, title=value, definition=""))
    return terms


def _relation_members(index: SiteIndex, parent: str) -> list[str]:
    """Slugs tagged with a relation parent or any of its subtypes."""
    members: set[str] = set()
    for tag, slugs in index.tagged["relation_types"].items():
        if parent_of(tag) == parent:
            members.update(slugs)
    return sorted(members)


def _weight(term: Term) -> str:
    return f"{term.weight:g}"


def _facet_page(
    facet: _Facet, value: str, term: Term, index: SiteIndex, section: Sequence[str] = ()
) -> GeneratedPage:
    here = facet_uri(facet.key, value)
    title = term.title
    out = [
        front_matter(title=title, description=term.definition),
        f"# {markdown_inline(title)}",
        "",
    ]
    index_link = f'<a href="{href(here, f"{facet.folder}/index.md")}">{facet.singular}</a>'
    weight = f" · similarity weight {_weight(term)}" if facet.weighted else ""
    out += [f'<p class="gb-facts">{index_link}{weight}</p>', ""]
    if term.definition:
        out += [f'<p class="gb-summary">{html_text(term.definition)}</p>', ""]
    if facet.key == "relation_types":
        out += _relation_sections(here, value, index)
    else:
        members = index.by_name(index.tagged[facet.key].get(value, ()))
        out += [f"## {count_words(len(members))}", "", *_entry_list(here, members)]
    return GeneratedPage(uri=here, markdown=_ending("\n".join(out), section))


def _relation_sections(here: str, parent: str, index: SiteIndex) -> list[str]:
    tagged = index.tagged["relation_types"]
    subtypes = list(index.vocabulary.subtypes_of(parent))
    subtypes += sorted(
        t for t in tagged if parent_of(t) == parent and t != parent and t not in subtypes
    )
    out: list[str] = []
    if subtypes:
        names = ", ".join(
            f"[{markdown_inline(t.split('/', 1)[1])}](#{subtype_anchor(t)})" for t in subtypes
        )
        out += [f"Subtypes: {names}.", ""]
    for tag in (parent, *subtypes):
        members = index.by_name(tagged.get(tag, ()))
        out += [f"## {markdown_inline(tag)} {{#{subtype_anchor(tag)}}}", ""]
        term = index.vocabulary.relation_types.get(tag)
        if tag != parent and term is not None:
            out += [f"<p>{html_text(term.definition)}</p>", ""]
        out += _entry_list(here, members)
    return out


def _facet_index(
    facet: _Facet, terms: Mapping[str, Term], index: SiteIndex, section: Sequence[str] = ()
) -> GeneratedPage:
    here = f"{facet.folder}/index.md"
    out = [front_matter(title=facet.title, description=facet.intro), f"# {facet.title}", ""]
    out += [facet.intro, ""]
    items = []
    for value, term in sorted(terms.items(), key=lambda kv: kv[1].title.casefold()):
        if facet.key == "relation_types":
            count = len(_relation_members(index, value))
        else:
            count = len(index.tagged[facet.key].get(value, ()))
        target = href(here, facet_uri(facet.key, value))
        item = f'<a href="{target}">{html_text(term.title)}</a> ({count})'
        if term.definition:
            item += f" — {html_text(term.definition)}"
        if facet.weighted:
            item += f" · weight {_weight(term)}"
        if facet.key == "relation_types":
            item += _subtype_items(here, value, index)
        items.append(f"<li>{item}</li>")
    out += ['<ul class="gb-terms">', *items, "</ul>", ""]
    if facet.key == "source_frame":
        homeless = sum(1 for e in index.entries if not e.source_frame)
        if homeless:
            out += [f"{count_words(homeless)} name no source domain."]
    return GeneratedPage(uri=here, markdown=_ending("\n".join(out), section), in_nav=True)


def _subtype_items(here: str, parent: str, index: SiteIndex) -> str:
    tagged = index.tagged["relation_types"]
    items = []
    for tag in index.vocabulary.subtypes_of(parent):
        target = href(here, facet_uri("relation_types", tag), subtype_anchor(tag))
        term = index.vocabulary.relation_types[tag]
        count = len(tagged.get(tag, ()))
        link_html = f'<a href="{target}">{html_text(tag)}</a>'
        items.append(f"<li>{link_html} ({count}) — {html_text(term.definition)}</li>")
    return f"<ul>{''.join(items)}</ul>" if items else ""


def _letter(entry: Entry) -> str:
    first = name_key(entry)[0][:1]
    base = unicodedata.normalize("NFKD", first)[:1].upper()
    return base if "A" <= base <= "Z" else "#"


def _a_to_z(index: SiteIndex) -> GeneratedPage:
    here = "entries/index.md"
    description = "Every entry of the atlas in alphabetical order."
    out = [front_matter(title="Entries A–Z", description=description), "# Entries A–Z", ""]
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
            *_entry_list(here, groups[key]),
        ]
    return GeneratedPage(uri=here, markdown="\n".join(out).rstrip("\n") + "\n", in_nav=True)


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
            out.append(f"{row} {_weight(term)} |" if weighted else row)
        out.append("")
    out += ["## Claim prefixes {#claim-prefixes}", "", "| Prefix | Meaning |", "| --- | --- |"]
    out += [
        f"| {markdown_inline(k)} | {markdown_inline(v)} |" for k, v in vocab.claim_prefixes.items()
    ]
    return GeneratedPage(uri=here, markdown="\n".join(out).rstrip("\n") + "\n", in_nav=True)


def _home_page(
    index: SiteIndex, options: SiteOptions, section: Sequence[str] = ()
) -> GeneratedPage:
    here = "index.md"
    featured = ""
    seed = index.by_slug.get(options.featured)
    if seed is not None:
        lines = [f"## Featured: {name_markdown(display_name(seed))}", ""]
        if seed.summary:
            lines += [f'<p class="gb-summary">{html_text(seed.summary)}</p>', ""]
        lists = index.neighbours.get(seed.slug, NeighbourLists())
        names = [
            f"[{name_markdown(index.name_of(n.slug))}]({link(here, entry_uri(n.slug))})"
            for n in lists.cross_domain
            if n.slug in index.by_slug
        ]
        if names:
            lines += [f"Its structural neighbours from other domains: {', '.join(names)}.", ""]
        lines += [f"[Read the entry]({link(here, entry_uri(seed.slug))})", ""]
        featured = "\n".join(lines) + "\n"
    links = {f"{f.folder}_link": f"{f.folder}/index.md" for f in _FACETS}
    text = _template("home.md").substitute(
        featured=featured,
        entry_count=str(len(index.entries)),
        entries_link="entries/index.md",
        vocabulary_link="vocabulary/index.md",
        graph_link="graph/index.md",
        **links,
    )
    description = "A catalogue of mental models and their structural neighbours across domains."
    body = front_matter(title="Mental Model Atlas", description=description)
    body += "\n# Mental Model Atlas\n\n" + text
    return GeneratedPage(uri=here, markdown=_ending(body, section), in_nav=True)


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
    if graph is None:
        text = _template("graph.md").substitute(entries_link=link(here, "entries/index.md"))
    else:
        # The explorer (explorer.py): its controls as HTML, its data from explorer.json.
        intro = _EXPLORER_INTRO.format(
            entries=link(here, "entries/index.md"),
            data=link(here, GRAPH_JSON_URI),
            colours="kind, by domain or by structural family" if families else "kind or by domain",
        )
        data_url = posixpath.basename(EXPLORER_DATA_URI)
        html = explorer_html(graph, data_url=data_url, vocabulary=vocabulary, families=families)
        text = intro + html + "\n"
    description = "The catalogue as a network of structural neighbours."
    body = front_matter(title="Graph", description=description) + "\n# Graph\n\n" + text
    return GeneratedPage(uri=here, markdown=body.rstrip("\n") + "\n", in_nav=True)


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
    for facet in _FACETS:
        parts = insights if facet.key == "source_frame" else None
        terms = _facet_terms(facet, index)
        pages.append(_facet_index(facet, terms, index, parts.domain_map if parts else ()))
        pages += [
            _facet_page(facet, value, term, index, parts.domains.get(value, ()) if parts else ())
            for value, term in terms.items()
        ]
    return pages
