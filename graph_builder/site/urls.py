"""Source URIs of generated pages -> relative links and served URLs (directory URLs)."""

from __future__ import annotations

import functools
import html
import posixpath

from graph_builder.core.slugs import FACET_FOLDERS, uri_slug
from graph_builder.core.vocabulary import parent_of

__all__ = ["entry_uri", "facet_uri", "href", "link", "page_url", "subtype_anchor"]


def entry_uri(slug: str) -> str:
    """The source URI of an entry page (served at `/entries/<slug>/`)."""
    return f"entries/{uri_slug(slug)}.md"


def facet_uri(facet: str, value: str) -> str:
    """The source URI of a facet page; a relation subtype lives on its parent's page."""
    if facet == "relation_types":
        value = parent_of(value)
    return f"{FACET_FOLDERS[facet]}/{uri_slug(value)}.md"


def link(from_uri: str, to_uri: str, anchor: str = "") -> str:
    """A relative Markdown link target from one generated page to another (MkDocs checks it)."""
    target = posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")
    return f"{target}#{anchor}" if anchor else target


def page_url(uri: str) -> str:
    """Where MkDocs serves a source URI with directory URLs: `entries/x.md` -> `entries/x/`."""
    stem = uri.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/" if stem.endswith("/index") else stem + "/"


def href(from_uri: str, to_uri: str, anchor: str = "") -> str:
    """A relative URL from one generated page to another, for HTML we write (escaped).

    MkDocs rewrites Markdown links but not raw HTML, so these are the final URLs, as MkDocs
    would write them with `use_directory_urls` (`entries/a.md` -> `../b/` for `entries/b.md`).

    Examples:
        >>> href("entries/a.md", "patterns/link.md", "x")
        '../../patterns/link/#x'
        >>> href("entries/a.md", "entries/b.md")
        '../b/'
    """
    here = page_url(from_uri)
    target = page_url(to_uri)
    if not here.endswith("/") or target.startswith(here):
        return _relative_url(here, target, anchor)
    # Every link of a page below its own folder starts with "../": one cached computation per
    # folder and target, instead of one per page.
    folder = here[: here.rstrip("/").rfind("/") + 1]
    return "../" + _relative_url(folder, target, anchor)


@functools.lru_cache(maxsize=65536)
def _relative_url(here: str, target: str, anchor: str) -> str:
    source = here.split("/")[:-1]
    parts = target.split("/")[:-1]
    common = 0
    while common < min(len(source), len(parts)) and source[common] == parts[common]:
        common += 1
    url = "../" * (len(source) - common) + "".join(f"{part}/" for part in parts[common:])
    if anchor:
        url += f"#{anchor}"
    return html.escape(url or "./", quote=True)


def subtype_anchor(tag: str) -> str:
    """A relation tag's anchor on its parent's page: `transform/refinement` -> `refinement`."""
    return uri_slug(tag.split("/", 1)[1]) if "/" in tag else uri_slug(tag)
