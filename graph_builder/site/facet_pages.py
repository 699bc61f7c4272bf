"""SiteIndex -> the facet pages: one per kind, domain, category, pattern, relation, etc."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from graph_builder.core.labels import humanize
from graph_builder.core.vocabulary import Term, parent_of
from graph_builder.site.entry_links import entry_list
from graph_builder.site.escape import front_matter, html_text, markdown_inline
from graph_builder.site.holdout import HeldBlock, Part, page_text
from graph_builder.site.index import SiteIndex, count_words
from graph_builder.site.insight_sections import InsightParts
from graph_builder.site.outputs import GeneratedPage
from graph_builder.site.urls import facet_uri, href, subtype_anchor

__all__ = ["FACETS", "Facet", "facet_pages", "weight_text"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Facet:
    """One facet with pages: its frontmatter key, its folder, titles and its index's intro."""

    key: str
    folder: str
    title: str
    singular: str
    intro: str
    weighted: bool = False


FACETS: tuple[Facet, ...] = (
    Facet(
        key="kind",
        folder="kinds",
        title="Kinds",
        singular="Kind",
        intro="What sort of thing an entry is: a metaphor, a pattern, an archetype, a paradigm "
        "or a mental model.",
    ),
    Facet(
        key="source_frame",
        folder="domains",
        title="Domains",
        singular="Domain",
        intro="The field each model comes from. Two entries from the same domain are listed "
        "as same-domain neighbours; the cross-domain ones are where the surprises are.",
    ),
    Facet(
        key="categories",
        folder="categories",
        title="Categories",
        singular="Category",
        intro="The subjects the entries are about.",
    ),
    Facet(
        key="embodied_patterns",
        folder="patterns",
        title="Embodied patterns",
        singular="Embodied pattern",
        intro="The bodily image schemas a model is built from. Rarer patterns weigh more "
        "when two entries are compared.",
        weighted=True,
    ),
    Facet(
        key="relation_types",
        folder="relations",
        title="Relation types",
        singular="Relation type",
        intro="How the parts of a model act on one another. A subtype counts as its parent "
        "in comparisons, and two sibling subtypes earn partial credit.",
        weighted=True,
    ),
    Facet(
        key="structure",
        folder="structures",
        title="Structures",
        singular="Structure",
        intro="The overall shape of a model.",
    ),
    Facet(
        key="abstraction_level",
        folder="levels",
        title="Abstraction levels",
        singular="Abstraction level",
        intro="How general a model is, from bodily primitives to models tied to one practice.",
    ),
)


def _facet_terms(facet: Facet, index: SiteIndex) -> dict[str, Term]:
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


def weight_text(term: Term) -> str:
    return f"{term.weight:g}"


def _facet_page(
    facet: Facet, value: str, term: Term, index: SiteIndex, section: Sequence[Part] = ()
) -> GeneratedPage:
    here = facet_uri(facet.key, value)
    title = term.title
    out: list[Part] = [
        front_matter(title=title, description=term.definition),
        f"# {markdown_inline(title)}",
        "",
    ]
    index_link = f'<a href="{href(here, f"{facet.folder}/index.md")}">{facet.singular}</a>'
    weight = f" · similarity weight {weight_text(term)}" if facet.weighted else ""
    out += [HeldBlock(f'<p class="gb-facts">{index_link}{weight}</p>', searchable=True), ""]
    if term.definition:
        summary = f'<p class="gb-summary">{html_text(term.definition)}</p>'
        out += [HeldBlock(summary, searchable=True), ""]
    if facet.key == "relation_types":
        out += _relation_sections(here, value, index)
    else:
        members = index.by_name(index.tagged[facet.key].get(value, ()))
        out += [f"## {count_words(len(members))}", "", *entry_list(here, members)]
    return GeneratedPage(uri=here, text=page_text(out, section))


def _relation_sections(here: str, parent: str, index: SiteIndex) -> list[Part]:
    tagged = index.tagged["relation_types"]
    subtypes = list(index.vocabulary.subtypes_of(parent))
    subtypes += sorted(
        t for t in tagged if parent_of(t) == parent and t != parent and t not in subtypes
    )
    out: list[Part] = []
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
        out += entry_list(here, members)
    return out


def _facet_index(
    facet: Facet, terms: Mapping[str, Term], index: SiteIndex, section: Sequence[Part] = ()
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
            item += f" · weight {weight_text(term)}"
        if facet.key == "relation_types":
            item += _subtype_items(here, value, index)
        items.append(f"<li>{item}</li>")
    out += ['<ul class="gb-terms">', *items, "</ul>", ""]
    if facet.key == "source_frame":
        homeless = sum(1 for e in index.entries if not e.source_frame)
        if homeless:
            out += [f"{count_words(homeless)} name no source domain."]
    return GeneratedPage(uri=here, text=page_text(out, section), in_nav=True)


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


def facet_pages(index: SiteIndex, insights: InsightParts | None = None) -> list[GeneratedPage]:
    """Every facet's index and one page per value; with `insights`, the domain map on the
    domains index and each domain's shared shapes on its page."""
    pages = []
    for facet in FACETS:
        parts = insights if facet.key == "source_frame" else None
        terms = _facet_terms(facet, index)
        pages.append(_facet_index(facet, terms, index, parts.domain_map if parts else ()))
        pages += [
            _facet_page(facet, value, term, index, parts.domains.get(value, ()) if parts else ())
            for value, term in terms.items()
        ]
    return pages
