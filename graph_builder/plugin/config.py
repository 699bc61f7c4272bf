"""mkdocs.yml (`- graph-builder:` options and the site's own) -> the arguments of `build_site`.

The plugin and the commands both go through `build_options`, so they read the same file the
same way: every command that computes neighbours or insights takes its settings from
`site_build_options`, and lists the neighbours the site shows.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config import base
from mkdocs.config import config_options as c

from graph_builder.analysis.insights import InsightSettings
from graph_builder.analysis.similarity import NeighbourSettings
from graph_builder.site.index import SiteOptions

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

__all__ = [
    "BuildOptions",
    "GraphBuilderConfig",
    "build_options",
    "entries_path",
    "insight_settings",
    "neighbour_settings",
    "options_from_mkdocs_yml",
    "site_build_options",
    "site_options",
]

#: The site's configuration a command reads when it is not given one.
MKDOCS_YML = Path("mkdocs.yml")

_DEFAULTS = NeighbourSettings()
_INSIGHTS = InsightSettings()


# MkDocs leaves Config.__init_subclass__ unannotated, which strict mypy reports at every subclass.
class GraphBuilderConfig(base.Config):  # type: ignore[no-untyped-call]
    """The options of the `graph-builder` plugin; every one has a working default."""

    entries_dir = c.Type(str, default="entries")
    """The catalogue folder, relative to mkdocs.yml (or absolute)."""

    edit_url = c.Type(str, default="")
    """Base URL an entry's file name is appended to for its "Edit this entry" link, e.g.
    `https://example.org/atlas/edit/main/entries/`. Empty: no link. Independent of `repo_url`,
    because the entries live outside `docs/`."""

    featured = c.Type(str, default="")
    """Slug of the entry the home page features. Empty: none. A slug with no entry is a
    warning (the home page would silently lose its featured section)."""

    pattern_factor = c.Type((int, float), default=_DEFAULTS.pattern_factor)
    """Share of the score given to shared embodied patterns."""

    relation_factor = c.Type((int, float), default=_DEFAULTS.relation_factor)
    """Share of the score given to shared relation types."""

    structure_factor = c.Type((int, float), default=_DEFAULTS.structure_factor)
    """Share of the score given to shared structures."""

    level_factor = c.Type((int, float), default=_DEFAULTS.level_factor)
    """Share of the score given to an equal abstraction level."""

    sibling_credit = c.Type((int, float), default=_DEFAULTS.sibling_credit)
    """Partial credit, times the parent's weight, for two sibling relation subtypes."""

    threshold = c.Type((int, float), default=_DEFAULTS.threshold)
    """Lowest rounded score that makes two entries neighbours."""

    cross_domain_k = c.Type(int, default=_DEFAULTS.cross_domain_k)
    """How many cross-domain neighbours an entry page lists."""

    same_domain_k = c.Type(int, default=_DEFAULTS.same_domain_k)
    """How many same-domain neighbours an entry page lists."""

    insights = c.Type(bool, default=True)
    """Publish the structural insights: families, bridges, surprising pairs, gaps, domain map."""

    family_resolution = c.Type((int, float), default=_INSIGHTS.resolution)
    """Louvain resolution of the structural families: higher gives more, smaller families."""

    open_data = c.Type(bool, default=True)
    """Publish the open data files: `/feed.xml` (Atom), `/llms.txt`, `/graph.graphml` and
    `/graph.gexf`."""


def neighbour_settings(config: GraphBuilderConfig) -> NeighbourSettings:
    """The similarity numbers of a validated plugin config."""
    return NeighbourSettings(
        pattern_factor=float(config.pattern_factor),
        relation_factor=float(config.relation_factor),
        structure_factor=float(config.structure_factor),
        level_factor=float(config.level_factor),
        sibling_credit=float(config.sibling_credit),
        threshold=float(config.threshold),
        cross_domain_k=int(config.cross_domain_k),
        same_domain_k=int(config.same_domain_k),
    )


def insight_settings(config: GraphBuilderConfig) -> InsightSettings | None:
    """The insight settings of a validated plugin config; None when insights are switched off.

    Which open data files the insights page links to is settled by `build_site`, from
    `SiteOptions.open_data`.
    """
    if not config.insights:
        return None
    return InsightSettings(resolution=float(config.family_resolution))


def site_options(config: GraphBuilderConfig, site: MkDocsConfig | None = None) -> SiteOptions:
    """The rendering options of a validated plugin config, and of the site's own settings.

    Args:
        config: the plugin's options.
        site: the whole MkDocs config, for `site_name`, `site_description` and `site_url`,
            and the folder of mkdocs.yml, whose CONTRIBUTING.md becomes the Contribute page.
            Without it those keep `SiteOptions`' defaults.
    """
    options = SiteOptions(
        edit_url=str(config.edit_url),
        featured=str(config.featured),
        open_data=bool(config.open_data),
    )
    if site is None:
        return options
    contributing = Path(site.config_file_path or "mkdocs.yml").parent / "CONTRIBUTING.md"
    return replace(
        options,
        site_name=str(site.site_name),
        description=str(site.site_description or ""),
        site_url=str(site.site_url or ""),
        contributing=(contributing.read_text(encoding="utf-8") if contributing.is_file() else ""),
    )


def entries_path(config: GraphBuilderConfig, config_file: str | None) -> Path:
    """`entries_dir` resolved against the folder of mkdocs.yml (the working folder without one)."""
    path = Path(str(config.entries_dir))
    if path.is_absolute() or not config_file:
        return path
    return Path(config_file).parent / path


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildOptions:
    """Everything `pages.build_site` takes from a site's mkdocs.yml besides the vocabulary.

    Attributes:
        entries_dir: the catalogue folder, resolved against the folder of mkdocs.yml.
        settings: the neighbour settings.
        options: the rendering and publishing options.
        insights: the insight settings; None when `insights: false`.
    """

    entries_dir: Path
    settings: NeighbourSettings
    options: SiteOptions
    insights: InsightSettings | None


def build_options(config: GraphBuilderConfig, site: MkDocsConfig) -> BuildOptions:
    """The arguments of `build_site` for a site: the plugin's options and the site's own."""
    return BuildOptions(
        entries_dir=entries_path(config, site.config_file_path),
        settings=neighbour_settings(config),
        options=site_options(config, site),
        insights=insight_settings(config),
    )


def options_from_mkdocs_yml(config_file: Path) -> BuildOptions:
    """The build options a site's mkdocs.yml sets, for `graph-builder generate` and the others.

    The file is read and validated by MkDocs itself, so `!ENV` values, `INHERIT` and defaults
    mean what they mean in a build, and the result is what the plugin would build from.

    Raises:
        ValueError: the file cannot be loaded, or its site does not use the plugin.
    """
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        # The path MkDocs would take from the file it opens (its own os.path.abspath, not
        # resolve); given, it also keeps MkDocs from reading sys.stdin.buffer, which a
        # replaced stdin (a test's, a pipe wrapper's) may not have.
        path = os.path.abspath(config_file)  # noqa: PTH100
        site = load_config(config_file=str(config_file), config_file_path=path)
    except (MkDocsException, OSError) as exc:
        raise ValueError(f"{config_file}: cannot load the MkDocs config: {exc}") from exc
    for name, plugin in site.plugins.items():
        if name.split(" #", 1)[0] == "graph-builder":
            config = plugin.config
            assert isinstance(config, GraphBuilderConfig)
            # MkDocs makes the config path absolute; diagnostics show the path as given.
            entries_dir = entries_path(config, str(config_file))
            return replace(build_options(config, site), entries_dir=entries_dir)
    raise ValueError(f"{config_file}: the site does not use the graph-builder plugin")


def site_build_options(config_file: Path | None = None) -> BuildOptions | None:
    """The build options a command runs with: `config_file`'s, else `./mkdocs.yml`'s if any.

    Returns None when no file is given and the working folder has no mkdocs.yml: the command
    then uses the defaults (`NeighbourSettings()`, the `entries/` folder), as the plugin would.

    Raises:
        ValueError: the file cannot be loaded, or its site does not use the plugin.
    """
    if config_file is None:
        if not MKDOCS_YML.is_file():
            return None
        config_file = MKDOCS_YML
    return options_from_mkdocs_yml(config_file)
