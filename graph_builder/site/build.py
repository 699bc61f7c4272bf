"""Entries folder -> SiteBuild: every page and file of the site, from load to open data.

`build_site` is the one function behind both outputs: the MkDocs plugin adds its files in
memory, and `graph-builder generate` writes the same files to a folder for any other engine;
each just iterates `SiteBuild.outputs`. Entry pages come from `entry_page`, the catalogue's own
pages from `catalogue_pages`, the insight pages from `insight_pages`; the files that are not
pages are the stylesheet, the graph assets and data (`graph_assets.site_files`) and the open data
(`feeds.open_data_files`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import networkx as nx

from graph_builder.analysis.catalogue import catalogue_graph, layout
from graph_builder.analysis.insights import InsightSettings
from graph_builder.analysis.neighbours import NeighbourLists, structural_neighbours
from graph_builder.analysis.similarity import NeighbourSettings
from graph_builder.core.collector import young_collections_spaced
from graph_builder.core.load import load_entries
from graph_builder.core.model import Diagnostic, Entry, Severity
from graph_builder.core.validate import validate_entries
from graph_builder.core.vocabulary import Vocabulary, default_vocabulary
from graph_builder.opendata.feeds import open_data_files, open_data_uris
from graph_builder.opendata.graph_json import GRAPH_JSON_URI
from graph_builder.site import guide, shape
from graph_builder.site.catalogue_pages import catalogue_pages
from graph_builder.site.drafts import draft_pages
from graph_builder.site.entry_graph import EntryGraphs
from graph_builder.site.entry_page import render_entry_page
from graph_builder.site.family_pages import family_redirects
from graph_builder.site.graph_assets import site_files
from graph_builder.site.graph_style import LAYOUT_SEED, GraphFamily
from graph_builder.site.holdout import HeldBlock, PageText
from graph_builder.site.index import SiteIndex, SiteOptions, display_name
from graph_builder.site.insight_pages import LLMS_LINKS, NAV_URIS
from graph_builder.site.insight_sections import (
    InsightParts,
    SiteInsights,
    compute_site_insights,
    site_insight_pages,
)
from graph_builder.site.outputs import (
    GeneratedFile,
    GeneratedPage,
    check_unique,
)
from graph_builder.site.reuse import BuildMemo, SiteStructure, structure_key
from graph_builder.site.urls import entry_uri

__all__ = ["STYLESHEET_URI", "SiteBuild", "build_site", "render_site", "stylesheet"]


_DEFAULT_OPTIONS = SiteOptions()

#: Where the site's own stylesheet is published (added to `extra_css` by the plugin).
STYLESHEET_URI = "assets/graph-builder.css"


def stylesheet() -> str:
    """The site's own CSS (score bars, facts line, credits), shipped in the package."""
    return resources.files("graph_builder").joinpath("assets/graph-builder.css").read_text("utf-8")


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
            the graph page its explorer (explorer.py).
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
    pages, parts = _site_pages(index, options, graph, settings, computed)
    graphs = EntryGraphs(graph, vocabulary) if graph is not None else None
    pages += [_entry_page(entry, index, options, graphs, parts) for entry in index.entries]
    check_unique(pages)
    return tuple(sorted(pages, key=lambda p: p.uri))


def _site_pages(
    index: SiteIndex,
    options: SiteOptions,
    graph: nx.Graph | None,
    settings: NeighbourSettings,
    computed: SiteInsights | None,
) -> tuple[list[GeneratedPage], InsightParts | None]:
    """Every page but the entry pages, and the insights' parts of the entry pages.

    None of these pages shows an entry's prose: they depend on the front matter alone, which
    is what lets `build_site` keep them from one build to the next (`reuse.BuildMemo`).
    """
    vocabulary = index.vocabulary
    insight_pages: tuple[tuple[str, PageText], ...] = ()
    parts = None
    if computed is not None:
        # Structural insights: their own pages, and a part of the entry, domain and home pages.
        insight_pages, parts = site_insight_pages(computed, vocabulary)
    pages = catalogue_pages(index, options, graph=graph, insights=parts)
    pages.append(
        GeneratedPage(
            uri=shape.SHAPE_URI,
            text=PageText(shape.shape_page_markdown(index.entries, vocabulary)),
            in_nav=True,
        )
    )
    pages.append(
        GeneratedPage(
            uri=guide.TAGGING_URI,
            text=PageText(guide.tagging_guide_markdown(index, settings, featured=options.featured)),
            in_nav=True,
        )
    )
    if options.contributing:
        pages.append(
            GeneratedPage(
                uri=guide.CONTRIBUTE_URI,
                text=PageText(guide.contribute_markdown(options.contributing)),
                in_nav=True,
            )
        )
    pages += [GeneratedPage(uri=u, text=t, in_nav=u in NAV_URIS) for u, t in insight_pages]
    return pages, parts


def _entry_page(
    entry: Entry,
    index: SiteIndex,
    options: SiteOptions,
    graphs: EntryGraphs | None,
    parts: InsightParts | None,
) -> GeneratedPage:
    """One entry's page, with its neighbourhood graph and family line when there are some."""
    graph_block = None
    if graphs is not None:
        drawn = graphs.block(
            entry.slug, members=_graph_members(index, entry), name=display_name(entry)
        )
        graph_block = HeldBlock(drawn, searchable=False) if drawn else None
    family_line = parts.family_lines.get(entry.slug) if parts else None
    text = render_entry_page(
        entry, index, options, graph_block=graph_block, family_line=family_line
    )
    return GeneratedPage(uri=entry_uri(entry.slug), text=text, source=entry.path, text_runs=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteBuild:
    """The outcome of building a catalogue's site: every generated file, once.

    Attributes:
        pages: every generated page, sorted by URI; empty when an entry has an error.
        files: every other generated file, sorted by URI: the stylesheet, the graph assets and
            data (`graph_assets.site_files`), and the open data files when `SiteOptions.open_data`
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


def _structure(
    entries: Sequence[Entry],
    vocabulary: Vocabulary,
    settings: NeighbourSettings,
    options: SiteOptions,
    insights: InsightSettings | None,
) -> SiteStructure:
    """neighbours -> graph -> layout, insights, every page but the entry pages, every file."""
    neighbours = structural_neighbours(entries, vocabulary, settings)
    graph = catalogue_graph(entries, neighbours)
    computed = None
    if insights is not None:
        computed = compute_site_insights(entries, vocabulary, neighbours, insights)
    index = SiteIndex.build(entries, vocabulary, neighbours)
    pages, parts = _site_pages(index, options, graph, settings, computed)
    files = [GeneratedFile(uri=STYLESHEET_URI, content=stylesheet().encode("utf-8"))]
    positions = layout(graph, seed=LAYOUT_SEED)
    families = (
        tuple(
            GraphFamily(slug=f.slug, name=f.name, members=f.members)
            for f in computed.insights.families.families
        )
        if computed is not None
        else ()
    )
    files += [
        GeneratedFile(uri=uri, content=content)
        for uri, content in shape.shape_files(entries, vocabulary, settings)
    ]
    files += [
        GeneratedFile(uri=a.uri, content=a.content)
        for a in site_files(graph, positions, families, vocabulary=vocabulary)
    ]
    if options.open_data:
        # The Atom feed, llms.txt (listing the insight pages when there are some), GraphML, GEXF.
        files += [
            GeneratedFile(uri=uri, content=data)
            for uri, data in open_data_files(
                graph,
                entries,
                vocabulary,
                site_name=options.site_name,
                description=options.description,
                site_url=options.site_url,
                pages=LLMS_LINKS if insights is not None else (),
            )
        ]
    if computed is not None:
        # Old family addresses lead on to the family that holds them now.
        taken = (*(p.uri for p in pages), *(entry_uri(e.slug) for e in index.entries))
        files += family_redirects(computed.insights.families.families, taken=taken)
    return SiteStructure(
        neighbours=neighbours, graph=graph, parts=parts, pages=tuple(pages), files=tuple(files)
    )


def build_site(
    entries_dir: Path | str,
    *,
    vocabulary: Vocabulary | None = None,
    settings: NeighbourSettings = NeighbourSettings(),
    options: SiteOptions = _DEFAULT_OPTIONS,
    insights: InsightSettings | None = InsightSettings(),
    preview: bool = False,
    memo: BuildMemo | None = None,
) -> SiteBuild:
    """load -> validate -> neighbours -> graph -> every page and file of the site.

    The MkDocs plugin and `graph-builder generate` both call this and publish `outputs` as they
    are, so the files an engine gets from the folder are the files the plugin publishes. The
    catalogue graph and its layout are computed once here, for the entry graphs, the explorer,
    the graph exports and the open data. Bad input never raises: it comes back as diagnostics,
    and any error means no pages and no files, unless `preview`.

    Args:
        entries_dir: the catalogue folder.
        vocabulary: the controlled vocabulary (the packaged one by default).
        settings: the neighbour settings.
        options: the edit link, featured entry, Contribute page, the site's name, summary and
            address, and whether the open data files are published.
        insights: the insight settings; None leaves the insight pages and sections out. The
            open data files the insights page links to follow `options.open_data`.
        preview: for `mkdocs serve`: an entry with errors is left out of the site, and its
            address shows its diagnostics instead (`drafts.draft_pages`), so the rest of the
            site keeps answering while a contributor works on a draft.
        memo: the last build's results, kept by a caller that builds again and again (the
            plugin under `mkdocs serve`): an unchanged entry file is not parsed again, what
            the entries' front matter decides is taken from it when that has not changed, and
            so is every unchanged entry's page (`reuse.BuildMemo`). The outputs are the same
            with or without it.
    """
    with young_collections_spaced():
        return _build_site(entries_dir, vocabulary, settings, options, insights, preview, memo)


def _build_site(
    entries_dir: Path | str,
    vocabulary: Vocabulary | None,
    settings: NeighbourSettings,
    options: SiteOptions,
    insights: InsightSettings | None,
    preview: bool,
    memo: BuildMemo | None,
) -> SiteBuild:
    """`build_site`, run inside `collector.young_collections_spaced`."""
    vocabulary = vocabulary or default_vocabulary()
    memo = memo if memo is not None else BuildMemo()
    loaded = load_entries(entries_dir, memo=memo.files)
    diagnostics = [*loaded.diagnostics, *validate_entries(loaded.entries, vocabulary)]
    diagnostics.sort(key=Diagnostic.sort_key)
    broken = {d.path for d in diagnostics if d.severity is Severity.ERROR}
    if broken and not preview:
        return SiteBuild(pages=(), diagnostics=tuple(diagnostics))
    entries = tuple(e for e in loaded.entries if e.path not in broken)
    if insights is not None:
        # graph.json is always published (graph_assets.site_files); the other files with open data.
        more = open_data_uris(with_graph=True) if options.open_data else ()
        insights = replace(insights, published=(GRAPH_JSON_URI, *more))
    key = structure_key(entries, vocabulary, settings, options, insights)
    structure = memo.structure_for(key)
    if structure is None:
        structure = _structure(entries, vocabulary, settings, options, insights)
        memo.keep(key, structure)
    index = SiteIndex.build(entries, vocabulary, structure.neighbours)
    # One per build: the pages share the graph data pyvis makes for each node and edge.
    graphs = EntryGraphs(structure.graph, vocabulary)
    pages: tuple[GeneratedPage, ...] = (
        *structure.pages,
        *(
            memo.entry_page(
                entry,
                lambda e: _entry_page(e, index, options, graphs, structure.parts),
            )
            for entry in index.entries
        ),
    )
    files = structure.files
    if broken:
        pages = (*pages, *draft_pages(broken, diagnostics, taken=(p.uri for p in pages)))
    check_unique((*pages, *files))
    return SiteBuild(
        pages=tuple(sorted(pages, key=lambda p: p.uri)),
        files=tuple(sorted(files, key=lambda f: f.uri)),
        diagnostics=tuple(diagnostics),
        entries=tuple(entries),
        neighbours=structure.neighbours,
    )
