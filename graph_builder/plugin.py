"""MkDocs build events -> the generated pages added in memory. Glue only: the work is in pages.py.

Logging policy (see docs/architecture.md): an entry error fails the build with the same
`path:line: error: …` lines as `graph-builder check`; entry warnings and notes are logged at
info level, because `graph-builder check --strict` is their gate and they never break the site;
MkDocs warnings (which `--strict` turns into failures) are kept for a broken site: a docs page
hiding a generated one, or a featured entry that does not exist.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from graph_builder import graphs
from graph_builder.config import (
    GraphBuilderConfig,
    entries_path,
    insight_settings,
    neighbour_settings,
    site_options,
)
from graph_builder.feeds import open_data_files
from graph_builder.graph import catalogue_graph
from graph_builder.insight_pages import LLMS_LINKS
from graph_builder.model import Severity
from graph_builder.pages import STYLESHEET_URI, build_site, stylesheet
from graph_builder.render import hold_out_blocks, restore_blocks
from graph_builder.vocabulary import default_vocabulary

__all__ = ["GraphBuilderPlugin"]

log = get_plugin_logger(__name__)


# MkDocs leaves BasePlugin.__init_subclass__ unannotated (strict mypy reports every subclass).
class GraphBuilderPlugin(BasePlugin[GraphBuilderConfig]):  # type: ignore[no-untyped-call]
    """Publish the catalogue: every entry, facet and index page, generated on each build."""

    def __init__(self) -> None:
        self._entries_dir = Path("entries")
        self._generated: set[str] = set()
        self._held: dict[str, list[str]] = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        # `mkdocs serve` calls this before every rebuild: nothing from the last build survives.
        self._entries_dir = _display_path(entries_path(self.config, config.config_file_path))
        self._generated = set()
        self._held = {}
        if STYLESHEET_URI not in config.extra_css:
            config.extra_css.append(STYLESHEET_URI)
        # The graph scripts and stylesheet: the same URLs on every page, so browsers cache them.
        for uri in graphs.STYLESHEETS:
            if uri not in config.extra_css:
                config.extra_css.append(uri)
        for uri in graphs.SCRIPTS:
            if uri not in config.extra_javascript:
                config.extra_javascript.append(uri)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        # CONTRIBUTING.md beside mkdocs.yml is published as the Contribute page (guide.py).
        contributing = Path(config.config_file_path or "mkdocs.yml").parent / "CONTRIBUTING.md"
        options = site_options(self.config)
        if contributing.is_file():
            options = replace(options, contributing=contributing.read_text(encoding="utf-8"))
        result = build_site(
            self._entries_dir,
            settings=neighbour_settings(self.config),
            options=options,
            insights=insight_settings(self.config),
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
            raise PluginError("\n".join([*lines, f"{count} in {self._entries_dir}/"]))
        featured = self.config.featured
        if featured and not any(p.uri == f"entries/{featured}.md" for p in result.pages):
            log.warning(f"featured entry '{featured}' does not exist in {self._entries_dir}/")

        generated = [(page.uri, page.markdown, page.in_nav) for page in result.pages]
        generated.append((STYLESHEET_URI, stylesheet(), True))
        for uri, content, in_nav in generated:
            if files.get_file_from_path(uri) is not None:
                log.warning(f"docs/{uri} hides the page the plugin generates there; remove one")
                continue
            inclusion = InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, uri, content=content, inclusion=inclusion))
            self._generated.add(uri)
        for asset in result.files:  # graph assets and data (graphs.site_files)
            if files.get_file_from_path(asset.uri) is not None:
                log.warning(f"docs/{asset.uri} hides a file the plugin generates; remove one")
                continue
            files.append(File.generated(config, asset.uri, content=asset.content))
        if self.config.open_data:
            # Open data beside the pages (feeds.py): the Atom feed, llms.txt, GraphML and GEXF.
            links = LLMS_LINKS if self.config.insights else ()
            for uri, data in open_data_files(
                catalogue_graph(result.entries, result.neighbours),
                result.entries,
                default_vocabulary(),
                site_name=config.site_name,
                description=config.site_description or "",
                site_url=config.site_url or "",
                pages=links,
            ):
                if files.get_file_from_path(uri) is None:
                    files.append(File.generated(config, uri, content=data))
        return files

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        # Speed only: the long link lists skip Markdown and search, and return in on_post_page.
        if page.file.src_uri not in self._generated:
            return None
        markdown, self._held[page.file.src_uri] = hold_out_blocks(markdown)
        return markdown

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        return restore_blocks(output, self._held.pop(page.file.src_uri, ()))

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
