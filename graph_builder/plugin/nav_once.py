"""The theme's primary nav, rendered once for the pages it does not list: glue for MkDocs' Jinja.

Material draws the whole nav into every page, and at a thousand entries that is a large share
of the theme's time. The nav marks the page it lists as active; on a page it does not list (an
entry, a facet value, a family) nothing is marked, so its HTML is set by its links alone: where
each of them points from that page. Pages whose links point the same way share one rendering.

The theme's own nav template is kept, whichever it is (Material's, or a `custom_dir` override):
the loader hands it out under another name, and `partials/nav.html` becomes a small template
that includes it once per key and repeats the text after.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import jinja2
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

__all__ = ["NAV_TEMPLATE", "NavOnce", "install"]

NAV_TEMPLATE = "partials/nav.html"
# Where the theme's own nav template is found once ours takes its name.
_THEME_NAV = "graph-builder/theme-nav.html"
_GLOBAL = "graph_builder_nav"

# Byte for byte what the theme's template gives: only its output is reused, nothing is added.
_WRAPPER = (
    "{%- set graph_builder_key = " + _GLOBAL + ".key(page, nav, config) -%}"
    "{%- set graph_builder_html = " + _GLOBAL + ".get(graph_builder_key) -%}"
    "{%- if graph_builder_html is none -%}"
    '{%- set graph_builder_html -%}{% include "' + _THEME_NAV + '" %}{%- endset -%}'
    "{%- set graph_builder_html = " + _GLOBAL + ".keep(graph_builder_key, graph_builder_html) -%}"
    "{%- endif -%}"
    "{{- graph_builder_html -}}"
)

Key = tuple[str, ...]


class NavOnce:
    """The nav's HTML by where its links point from a page. A page the nav lists has no key:
    its nav marks it as the page open, so the theme renders that nav for it alone."""

    def __init__(self) -> None:
        self._html: dict[Key, str] = {}
        self._nav: Navigation | None = None
        self._listed: frozenset[int] = frozenset()
        self._targets: tuple[str, ...] = ()
        #: How many times the theme's own nav template ran in this build.
        self.theme_renders = 0

    def key(self, page: Page | None, nav: Navigation | None, config: MkDocsConfig) -> Key | None:
        """Each address the nav links to, as the theme writes it on `page` (MkDocs' `url`
        filter makes each relative to the page); None for a page the nav lists, or no page."""
        if page is None or nav is None:
            return None
        if nav is not self._nav:
            self._learn(nav, config)
        if id(page) in self._listed:
            return None
        return tuple(get_relative_url(target, page.url) for target in self._targets)

    def get(self, key: Key | None) -> str | None:
        return None if key is None else self._html.get(key)

    def keep(self, key: Key | None, html: str) -> str:
        self.theme_renders += 1
        if key is not None:
            self._html[key] = html
        return html

    def _learn(self, nav: Navigation, config: MkDocsConfig) -> None:
        """The pages the nav lists, and every address its links and its logo point to."""
        self._nav = nav
        self._html = {}
        self._listed = frozenset(id(page) for page in nav.pages)
        urls: list[object] = [config.extra.get("homepage"), config.theme.get("logo")]
        urls += [item.url for item in _walk(nav.items) if not isinstance(item, Section)]
        if nav.homepage is not None:
            urls.append(nav.homepage.url)
        self._targets = tuple(url for url in urls if isinstance(url, str))


def _walk(items: list[Any]) -> list[Page | Section | Link]:
    found: list[Page | Section | Link] = []
    for item in items:
        found.append(item)
        if isinstance(item, Section):
            found.extend(_walk(item.children))
    return found


class _Loader(jinja2.BaseLoader):
    """The theme's loader, with `partials/nav.html` reusing what the theme's template gave."""

    def __init__(self, inner: jinja2.BaseLoader) -> None:
        self._inner = inner

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        if template == NAV_TEMPLATE:
            return _WRAPPER, None, lambda: True
        if template == _THEME_NAV:
            return self._inner.get_source(environment, NAV_TEMPLATE)
        return self._inner.get_source(environment, template)

    def list_templates(self) -> list[str]:
        return self._inner.list_templates()


def install(env: jinja2.Environment) -> NavOnce:
    """Route the theme's nav through a fresh NavOnce (one per build: MkDocs makes one env each)."""
    if env.loader is None:
        raise ValueError("the theme's Jinja environment has no loader")
    nav_once = NavOnce()
    env.loader = _Loader(env.loader)
    env.globals[_GLOBAL] = nav_once
    return nav_once
