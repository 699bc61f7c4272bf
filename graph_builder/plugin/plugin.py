"""MkDocs build events -> the generated pages and files added in memory. Glue: see site/build.py.

Logging policy (see docs/architecture.md): an entry error fails the build with the same
`path:line: error: …` lines as `graph-builder check`; entry warnings and notes are logged at
info level, because `graph-builder check --strict` is their gate and they never break the site;
MkDocs warnings (which `--strict` turns into failures) are kept for a broken site: a docs file
hiding a generated one, or a featured entry that does not exist.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from graph_builder.core.collector import HeapSetAside
from graph_builder.core.model import Severity
from graph_builder.plugin import nav_once
from graph_builder.plugin.config import GraphBuilderConfig, build_options, entries_path
from graph_builder.plugin.dirty import (
    DirtyBuild,
    GeneratedOutput,
    OutputChanges,
    read_kept_nav_pages,
)
from graph_builder.site import graph_style as graphs
from graph_builder.site import raw_blocks, shape, text_runs, unsearched_runs
from graph_builder.site.build import STYLESHEET_URI, build_site
from graph_builder.site.holdout import (
    LostBlocksError,
    PageText,
    for_search,
    put_back,
    restore_blocks,
    set_apart,
)
from graph_builder.site.outputs import GeneratedPage, UriCollisionError
from graph_builder.site.reuse import BuildMemo

if TYPE_CHECKING:
    from mkdocs.livereload import LiveReloadServer

__all__ = ["GraphBuilderPlugin"]

log = get_plugin_logger(__name__)


# MkDocs leaves BasePlugin.__init_subclass__ unannotated (strict mypy reports every subclass).
class GraphBuilderPlugin(BasePlugin[GraphBuilderConfig]):  # type: ignore[no-untyped-call]
    """Publish the catalogue: every entry, facet and index page, generated on each build."""

    def __init__(self) -> None:
        self._serving = False
        self._dirty = False
        # The last build's outputs, for a `--dirty` build to render only what changed.
        self._changes = OutputChanges()
        self._entries_dir = Path("entries")
        self._text_runs: set[str] = set()
        # Each generated page's text, for its blocks and unsearched runs; the runs taken out
        # while search reads a page.
        self._texts: dict[str, PageText] = {}
        self._apart: dict[str, list[str]] = {}
        # Kept across the rebuilds of `mkdocs serve` (a plugin with on_startup lives as long as
        # the server): what an edit to an entry's prose cannot change is not computed again.
        self._memo = BuildMemo()
        self._heap = HeapSetAside()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Under `mkdocs serve` a broken entry must not stop the server (`build_site(preview=)`).
        self._serving = command == "serve"
        self._dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        # `mkdocs serve` calls this before every rebuild: nothing from the last build survives.
        self._entries_dir = _display_path(entries_path(self.config, config.config_file_path))
        self._text_runs = set()
        self._texts = {}
        self._apart = {}
        # An entry page's escaped prose is read in runs, not one reference at a time; its
        # unsearched sections go into the document tree whole, not through the parser; no
        # page's raw HTML blocks go through the inline patterns.
        for name in (text_runs.NAME, unsearched_runs.NAME, raw_blocks.NAME):
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        config.mdx_configs[unsearched_runs.NAME] = {"pages": self._texts}
        if STYLESHEET_URI not in config.extra_css:
            config.extra_css.append(STYLESHEET_URI)
        # The graph scripts and stylesheet: the same URLs on every page, so browsers cache them.
        for uri in (*graphs.STYLESHEETS, *shape.STYLESHEETS):
            if uri not in config.extra_css:
                config.extra_css.append(uri)
        for uri in (*graphs.SCRIPTS, *shape.SCRIPTS):
            if uri not in config.extra_javascript:
                config.extra_javascript.append(uri)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        built = build_options(self.config, config)
        try:
            result = build_site(
                self._entries_dir,
                settings=built.settings,
                options=built.options,
                insights=built.insights,
                preview=self._serving,
                memo=self._memo,
            )
        except UriCollisionError as exc:
            raise PluginError(str(exc)) from None
        if self._memo.structure_reused:
            log.info(
                f"front matter unchanged: neighbours, insights and layout kept; "
                f"{self._memo.files.parsed} entry files parsed and "
                f"{self._memo.pages_rendered} entry pages rendered again"
            )
        for diagnostic in result.of(Severity.WARNING):
            log.info(diagnostic.format())
        notes = result.of(Severity.NOTE)
        for diagnostic in notes:
            log.debug(diagnostic.format())
        if notes:
            log.info(f"{len(notes)} notes about entries (run `graph-builder check` to list them)")
        errors = result.of(Severity.ERROR)
        if errors:
            lines = [d.format() for d in errors]
            count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
            if not self._serving:
                raise PluginError("\n".join([*lines, f"{count} in {self._entries_dir}/"]))
            # The preview goes on: each broken entry's page shows its lines instead.
            for line in lines:
                log.warning(line)
            log.warning(f"{count} in {self._entries_dir}/: those entries show their problems")
        featured = self.config.featured
        if featured and not any(p.uri == f"entries/{featured}.md" for p in result.pages):
            log.warning(f"featured entry '{featured}' does not exist in {self._entries_dir}/")

        # A dirty build renders and writes again only what changed since the last (`dirty`).
        dirty = DirtyBuild(self._changes, files, result.outputs, config) if self._dirty else None
        # Every page and file once, as `graph-builder generate` writes them (pages.build_site).
        for output in result.outputs:
            if files.get_file_from_path(output.uri) is not None:
                log.warning(
                    f"docs/{output.uri} hides the file the plugin generates there; remove one"
                )
                continue
            inclusion = InclusionLevel.UNDEFINED
            content: str | bytes
            if isinstance(output, GeneratedPage):
                # Only the nav's pages are listed; the rest are reached by links.
                if not output.in_nav:
                    inclusion = InclusionLevel.NOT_IN_NAV
                # Markdown only for what is Markdown: MkDocs gets the page with a placeholder for
                # each of our HTML blocks, which come back in on_page_content (what search
                # indexes) and on_post_page (the rest). The page as written (`content`) is
                # never put together here.
                content = output.text.skeleton
                self._texts[output.uri] = output.text
                if output.text_runs:
                    self._text_runs.add(output.uri)
            else:
                content = output.content
            file = GeneratedOutput.of(config, output.uri, content=content, inclusion=inclusion)
            if dirty is not None:
                dirty.mark(file, output)
            files.append(file)
        if dirty is not None:
            files, lines = dirty.finish(files)
            for line in lines:
                log.info(line)
        # What the site is built from stays alive while MkDocs renders it: out of the
        # collector's way until the build ends (`collector.HeapSetAside`).
        self._heap.set_aside()
        return files

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment | None:
        # Material draws the whole nav into every page: each page the nav does not list gets
        # the nav's HTML as the theme gave it for the first page whose links point the same way.
        nav_once.install(env)
        return env

    def on_nav(
        self, nav: Navigation, /, *, config: MkDocsConfig, files: Files
    ) -> Navigation | None:
        # A dirty build's rendered pages show the titles of the nav's pages it does not render.
        if self._dirty:
            read_kept_nav_pages(nav, config)
        return nav

    # Last among every plugin's Markdown hooks: a page's marks must be its first lines when the
    # engine reads it, whatever another plugin adds to the page.
    @event_priority(-100)
    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        # After MkDocs has read the front matter: the marks must not stand before it. The
        # text runs' mark goes first: its preprocessor runs first and takes it off.
        uri = page.file.src_uri
        text = self._texts.get(uri)
        if text is None:
            return None
        if text.runs:
            markdown = unsearched_runs.marked(markdown, uri)
        if uri in self._text_runs:
            markdown = text_runs.marked(markdown)
        return markdown

    # First among every plugin's page-content hooks: the search plugin (which reads the page in
    # on_page_context, later) and any other plugin see the page with its searchable parts in
    # their search form, and without its unsearched runs.
    @event_priority(100)
    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        uri = page.file.src_uri
        text = self._texts.get(uri)
        if text is None:
            return None
        try:
            html = for_search(html, text.blocks)
            html, self._apart[uri] = set_apart(html, text.unsearched)
        except LostBlocksError as exc:
            raise PluginError(f"{uri}: {exc}") from None
        return html

    # First among every plugin's post-page hooks: another plugin's (a minifier that drops HTML
    # comments, say) must see the finished page, not our placeholders.
    @event_priority(100)
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        uri = page.file.src_uri
        text = self._texts.pop(uri, None)
        if text is None:
            return None
        try:
            output = put_back(output, self._apart.pop(uri, ()))
            return restore_blocks(output, text.blocks)
        except LostBlocksError as exc:
            raise PluginError(f"{uri}: {exc}") from None

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._heap.put_back()

    def on_build_error(self, *, error: Exception) -> None:
        self._heap.put_back()

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        server.watch(str(self._entries_dir))
        return server


def _display_path(path: Path) -> Path:
    """The path as `graph-builder check` prints it: relative to the working folder when inside."""
    try:
        relative = Path(os.path.relpath(path.resolve(), Path.cwd()))
    except ValueError:  # another drive on Windows
        return path
    return path if relative.parts[:1] == ("..",) else relative
