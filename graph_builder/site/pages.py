"""Catalogue + neighbours -> every generated file of the site: pages, stylesheet, graph data.

`build_site` is the one function behind both outputs: the MkDocs plugin adds its files in
memory, and `graph-builder generate` writes the same files to a folder for any other engine;
each just iterates `SiteBuild.outputs`. Entry pages come from `render.render_entry_page`; this
module adds the facet pages (one per kind, domain, category, pattern, relation, structure and
level, each with an index one level up), the A–Z index, the vocabulary, the home page and the
graph page, and gathers the files that are not pages: the stylesheet, the graph assets and
data (`graphs.site_files`) and the open data (`feeds.open_data_files`).
"""

from __future__ import annotations

import posixpath
import string
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import networkx as nx

from graph_builder.opendata.graph_json import GRAPH_JSON_URI
from graph_builder.site import browser_graphs as graphs
from graph_builder.site import guide
from graph_builder.site import shape
from graph_builder.opendata.feeds import open_data_files, open_data_uris
from graph_builder.analysis.catalogue import catalogue_graph, layout
from graph_builder.site.insight_pages import (
    LLMS_LINKS,
    NAV_URIS,
    SiteInsights,
    compute_site_insights,
    site_insights,
)
from graph_builder.analysis.insights import InsightSettings
from graph_builder.core.load import load_entries
from graph_builder.core.model import Diagnostic, Entry, Severity
from graph_builder.analysis.neighbours import NeighbourLists, NeighbourSettings, structural_neighbours
from graph_builder.site.render import (
    SEARCH_EXCLUDE,
    SiteIndex,
    SiteOptions,
    display_name,
    entry_link,
    entry_uri,
    facet_uri,
    front_matter,
    href,
    html_text,
    humanize,
    link,
    markdown_inline,
    name_key,
    name_markdown,
    render_entry_page,
    subtype_anchor,
)
from graph_builder.core.validate import validate_entries
from graph_builder.core.vocabulary import Term, Vocabulary, default_vocabulary, parent_of

__all__ = [
    "STYLESHEET_URI",
    "GeneratedFile",
    "GeneratedPage",
    "SiteBuild",
    "UriCollisionError",
    "build_site",
    "render_site",
    "stylesheet",
]

_DEFAULT_OPTIONS = SiteOptions()

#: Where the site's own stylesheet is published (added to `extra_css` by the plugin).
STYLESHEET_URI = "assets/graph-builder.css"


@dataclass(frozen=True, slots=True, kw_only=True)
class GeneratedPage:
    """One generated page.

    Attributes:
        uri: source path inside the docs tree, e.g. `entries/phoenix.md` (served at
            `/entries/phoenix/`).
        markdown: the page, front matter included.
        in_nav: True for the section index pages that mkdocs.yml's `nav` names; every other
            page is reachable by links only, which keeps Material's per-page navigation small.
        source: the entry file an entry page was made from, else None.
    """

    uri: str
    markdown: str
    in_nav: bool = False
    source: str | None = None

    @property
    def content(self) -> str:
        """The page's Markdown, under the name every generated output has."""
        return self.markdown


@dataclass(frozen=True, slots=True, kw_only=True)
class GeneratedFile:
    """One generated file that is not a page: the stylesheet, graph assets and data, open data.

    Attributes:
        uri: path inside the site, e.g. `graph.json`.
        content: the file's bytes, served as they are.
    """

    uri: str
    content: bytes


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


def stylesheet() -> str:
    """The site's own CSS (score bars, facts line, credits), shipped in the package."""
    return resources.files("graph_builder").joinpath("assets/graph-builder.css").read_text("utf-8")


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


def _count(n: int) -> str:
    return f"{n} entr{'y' if n == 1 else 'ies'}"


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


def _facet_page(facet: _Facet, value: str, term: Term, index: SiteIndex) -> GeneratedPage:
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
        out += [f"## {_count(len(members))}", "", *_entry_list(here, members)]
    return GeneratedPage(uri=here, markdown="\n".join(out).rstrip("\n") + "\n")


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


def _facet_index(facet: _Facet, terms: Mapping[str, Term], index: SiteIndex) -> GeneratedPage:
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
            out += [f"{_count(homeless)} name no source domain."]
    return GeneratedPage(uri=here, markdown="\n".join(out).rstrip("\n") + "\n", in_nav=True)


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
        out += [f"{_count(len(index.entries))}.", "", jump, ""]
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


def _home_page(index: SiteIndex, options: SiteOptions) -> GeneratedPage:
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
    return GeneratedPage(uri=here, markdown=body.rstrip("\n") + "\n", in_nav=True)


_EXPLORER_INTRO = (
    "Every entry is a dot, joined to its structural neighbours and to the entries it lists as "
    "related. Show only some kinds, domains or tags, colour the dots by {colours}, find an "
    "entry by name, and click a dot to open its page. The same facts are in the "
    "[A to Z index]({entries}) and, for programs, in [graph.json]({data}).\n\n"
)


def _graph_page(graph: nx.Graph | None = None, *, families: bool = False) -> GeneratedPage:
    here = "graph/index.md"
    if graph is None:
        text = _template("graph.md").substitute(entries_link=link(here, "entries/index.md"))
    else:
        # The explorer (graphs.py): its controls as HTML, its data fetched from explorer.json.
        intro = _EXPLORER_INTRO.format(
            entries=link(here, "entries/index.md"),
            data=link(here, GRAPH_JSON_URI),
            colours="kind, by domain or by structural family" if families else "kind or by domain",
        )
        data_url = posixpath.basename(graphs.EXPLORER_DATA_URI)
        text = intro + graphs.explorer_html(graph, data_url=data_url, families=families) + "\n"
    description = "The catalogue as a network of structural neighbours."
    body = front_matter(title="Graph", description=description) + "\n# Graph\n\n" + text
    return GeneratedPage(uri=here, markdown=body.rstrip("\n") + "\n", in_nav=True)


def _graph_members(index: SiteIndex, entry: Entry) -> list[str]:
    """Who an entry page's graph shows around it: neighbours, then written related entries."""
    lists = index.neighbours.get(entry.slug, NeighbourLists())
    neighbours = [n.slug for n in (*lists.cross_domain, *lists.same_domain)]
    return [*neighbours, *(slug for slug in entry.related if slug in index.by_slug)]


def render_site(
    entries: Iterable[Entry],
    vocabulary: Vocabulary,
    neighbours: Mapping[str, NeighbourLists],
    options: SiteOptions = _DEFAULT_OPTIONS,
    insights: InsightSettings | None = None,
    graph: nx.Graph | None = None,
    settings: NeighbourSettings = NeighbourSettings(),
    computed: SiteInsights | None = None,
) -> tuple[GeneratedPage, ...]:
    """Every generated page of the site, sorted by URI.

    Args:
        entries: the catalogue (validated: errors should stop a build before this stage).
        vocabulary: the controlled vocabulary, for titles, definitions and weights.
        neighbours: each slug's structural neighbour lists.
        options: the edit link and the featured entry.
        insights: the settings of the structural insights (families, bridges…); None, the
            default here, leaves them out (`build_site` turns them on).
        graph: the catalogue graph; with it, entry pages get their neighbourhood graph and
            the graph page its explorer (graphs.py).
        settings: the neighbour settings the lists were computed with, quoted by the
            tagging guide.
        computed: the insights, when the caller has computed them already (`build_site` does,
            for the explorer's colouring by family); else computed here from `insights`.

    Returns:
        The pages. Site-wide lookups are built once, so the cost grows linearly with the
        number of entries and tags; the output depends on nothing but the arguments.
    """
    index = SiteIndex.build(entries, vocabulary, neighbours)
    if computed is None and insights is not None:
        computed = compute_site_insights(index.entries, vocabulary, neighbours, insights)
    pages = [
        _home_page(index, options),
        _a_to_z(index),
        _vocabulary_page(index),
        _graph_page(graph, families=computed is not None),
        GeneratedPage(
            uri=shape.SHAPE_URI,
            markdown=shape.shape_page_markdown(index.entries, vocabulary),
            in_nav=True,
        ),
        GeneratedPage(
            uri=guide.TAGGING_URI,
            markdown=guide.tagging_guide_markdown(index, settings, featured=options.featured),
            in_nav=True,
        ),
    ]
    if options.contributing:
        pages.append(
            GeneratedPage(
                uri=guide.CONTRIBUTE_URI,
                markdown=guide.contribute_markdown(options.contributing),
                in_nav=True,
            )
        )
    pages += [
        GeneratedPage(
            uri=entry_uri(entry.slug),
            markdown=render_entry_page(
                entry,
                index,
                options,
                graph_block=graphs.entry_graph_block(
                    graph,
                    entry.slug,
                    members=_graph_members(index, entry),
                    name=display_name(entry),
                )
                if graph is not None
                else "",
            ),
            source=entry.path,
        )
        for entry in index.entries
    ]
    for facet in _FACETS:
        terms = _facet_terms(facet, index)
        pages.append(_facet_index(facet, terms, index))
        pages += [_facet_page(facet, value, term, index) for value, term in terms.items()]
    if computed is not None:
        # Structural insights (insight_pages.py): their own pages, plus a section on the entry,
        # domain and home pages above.
        extra = site_insights({p.uri: p.markdown for p in pages}, computed, vocabulary)
        pages = [replace(p, markdown=extra.pop(p.uri)) if p.uri in extra else p for p in pages]
        pages += [GeneratedPage(uri=u, markdown=m, in_nav=u in NAV_URIS) for u, m in extra.items()]
    _check_unique(pages)
    return tuple(sorted(pages, key=lambda p: p.uri))


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteBuild:
    """The outcome of building a catalogue's site: every generated file, once.

    Attributes:
        pages: every generated page, sorted by URI; empty when an entry has an error.
        files: every other generated file, sorted by URI: the stylesheet, the graph assets and
            data (`graphs.site_files`), and the open data files when `SiteOptions.open_data`
            is on (`feeds.open_data_files`); likewise empty on an error.
        diagnostics: what loading and validation found, sorted by file and line.
        entries: the catalogue the pages were made from (empty when an entry has an error).
        neighbours: each slug's neighbour lists, likewise.
    """

    pages: tuple[GeneratedPage, ...]
    diagnostics: tuple[Diagnostic, ...]
    files: tuple[GeneratedFile, ...] = ()
    entries: tuple[Entry, ...] = ()
    neighbours: Mapping[str, NeighbourLists] = field(default_factory=dict)

    @property
    def outputs(self) -> tuple[GeneratedPage | GeneratedFile, ...]:
        """Pages and files together, sorted by URI: what the plugin adds and `generate` writes."""
        return tuple(sorted((*self.pages, *self.files), key=lambda output: output.uri))

    def of(self, severity: Severity) -> tuple[Diagnostic, ...]:
        """The diagnostics of one severity, in order."""
        return tuple(d for d in self.diagnostics if d.severity is severity)


class UriCollisionError(Exception):
    """Two generated pages or files at one URI: one would silently replace the other.

    `graph-builder check` rejects the entry values that could cause it (a slug or domain named
    after a generated index page), so this is a defect of the build itself, reported loudly.
    """


def _check_unique(outputs: Iterable[GeneratedPage | GeneratedFile]) -> None:
    owners: dict[str, str] = {}
    clashes: list[str] = []
    for output in outputs:
        owner = (output.source if isinstance(output, GeneratedPage) else None) or "generated"
        if output.uri in owners:
            clashes.append(f"{output.uri} (from {owners[output.uri]} and from {owner})")
        else:
            owners[output.uri] = owner
    if clashes:
        raise UriCollisionError("two generated files at one URI: " + "; ".join(sorted(clashes)))


def build_site(
    entries_dir: Path | str,
    *,
    vocabulary: Vocabulary | None = None,
    settings: NeighbourSettings = NeighbourSettings(),
    options: SiteOptions = _DEFAULT_OPTIONS,
    insights: InsightSettings | None = InsightSettings(),
) -> SiteBuild:
    """load -> validate -> neighbours -> graph -> every page and file of the site.

    The MkDocs plugin and `graph-builder generate` both call this and publish `outputs` as they
    are, so the files an engine gets from the folder are the files the plugin publishes. The
    catalogue graph and its layout are computed once here, for the entry graphs, the explorer,
    the graph exports and the open data. Bad input never raises: it comes back as diagnostics,
    and any error means no pages and no files.

    Args:
        entries_dir: the catalogue folder.
        vocabulary: the controlled vocabulary (the packaged one by default).
        settings: the neighbour settings.
        options: the edit link, featured entry, Contribute page, the site's name, summary and
            address, and whether the open data files are published.
        insights: the insight settings; None leaves the insight pages and sections out. The
            open data files the insights page links to follow `options.open_data`.
    """
    vocabulary = vocabulary or default_vocabulary()
    loaded = load_entries(entries_dir)
    diagnostics = [*loaded.diagnostics, *validate_entries(loaded.entries, vocabulary)]
    diagnostics.sort(key=Diagnostic.sort_key)
    if any(d.severity is Severity.ERROR for d in diagnostics):
        return SiteBuild(pages=(), diagnostics=tuple(diagnostics))
    neighbours = structural_neighbours(loaded.entries, vocabulary, settings)
    graph = catalogue_graph(loaded.entries, neighbours)
    if insights is not None:
        # graph.json is always published (graphs.site_files); the other files with open data.
        more = open_data_uris(with_graph=True) if options.open_data else ()
        insights = replace(insights, published=(GRAPH_JSON_URI, *more))
    computed = None
    if insights is not None:
        computed = compute_site_insights(loaded.entries, vocabulary, neighbours, insights)
    pages = render_site(
        loaded.entries,
        vocabulary,
        neighbours,
        options,
        insights,
        graph=graph,
        settings=settings,
        computed=computed,
    )
    files = [GeneratedFile(uri=STYLESHEET_URI, content=stylesheet().encode("utf-8"))]
    positions = layout(graph, seed=graphs.LAYOUT_SEED)
    families = (
        tuple(
            graphs.GraphFamily(slug=f.slug, name=f.name, members=f.members)
            for f in computed.insights.families.families
        )
        if computed is not None
        else ()
    )
    files += [
        GeneratedFile(uri=a.uri, content=a.content)
        for a in graphs.site_files(graph, positions, families)
    ]
    files += [
        GeneratedFile(uri=u, content=c)
        for u, c in shape.shape_files(loaded.entries, vocabulary, settings)
    ]
    if options.open_data:
        # The Atom feed, llms.txt (listing the insight pages when there are some), GraphML, GEXF.
        files += [
            GeneratedFile(uri=uri, content=data)
            for uri, data in open_data_files(
                graph,
                loaded.entries,
                vocabulary,
                site_name=options.site_name,
                description=options.description,
                site_url=options.site_url,
                pages=LLMS_LINKS if insights is not None else (),
            )
        ]
    _check_unique((*pages, *files))
    return SiteBuild(
        pages=pages,
        files=tuple(sorted(files, key=lambda f: f.uri)),
        diagnostics=tuple(diagnostics),
        entries=tuple(loaded.entries),
        neighbours=neighbours,
    )
