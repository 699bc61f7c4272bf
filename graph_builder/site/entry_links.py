"""Links from generated pages to entry and facet pages, each written once per build.

An entry page links to its kind, domain, categories and tags, and to dozens of other entries; a
catalogue's pages repeat the same few thousand links tens of thousands of times. A link's HTML
depends only on the folder it is written from (`_folder_of`), so it is kept in
`SiteIndex.fragments` and reused by every page of that folder. Labels are escaped and URLs
computed here: no contributor text chooses a target.
"""

from __future__ import annotations

from collections.abc import Sequence

from graph_builder.core.labels import humanize
from graph_builder.core.model import Entry
from graph_builder.site.escape import html_text, name_html
from graph_builder.site.holdout import SEARCH_EXCLUDE, HeldBlock, Part
from graph_builder.site.index import SiteIndex, display_name, term_title
from graph_builder.site.urls import entry_uri, facet_uri, href, page_url, subtype_anchor

__all__ = ["a", "entry_folder", "entry_link", "entry_list", "term_link"]


# Structural tags are shown as the tags contributors write, so the reasons read like the data.
_TAG_FACETS = frozenset({"embodied_patterns", "relation_types", "structure", "abstraction_level"})


def a(here: str, to_uri: str, label: str, anchor: str = "") -> str:
    """Our own link: escaped label, a relative URL we computed, no contributor-chosen target."""
    return f'<a href="{href(here, to_uri, anchor)}">{html_text(label)}</a>'


def _term_label(index: SiteIndex, facet: str, value: str) -> str:
    if facet == "source_frame":
        return humanize(value)
    if facet in _TAG_FACETS:
        return value
    return term_title(index.vocabulary.facet(facet), value)


def _served(index: SiteIndex, kind: str, value: str, uri: str) -> str:
    """Where a link target is served (`page_url`), worked out once per build: the same few
    thousand targets are linked tens of thousands of times."""
    key = ("served", kind, value)
    url = index.fragments.get(key)
    if url is None:
        url = index.fragments[key] = page_url(uri)
    return url


def _folder_of(here_url: str, target_url: str) -> str | None:
    """What a relative link between two served URLs depends on: the folder above here's URL,
    unless the target is here or below it (then None: the link is this page's own)."""
    if target_url.startswith(here_url):
        return None
    return here_url.rstrip("/").rpartition("/")[0]


def term_link(index: SiteIndex, here: str, facet: str, value: str) -> str:
    target_url = index.fragments.get(("served", facet, value))
    if target_url is None:
        target_url = _served(index, facet, value, facet_uri(facet, value))
    key = ("term", _folder_of(_served(index, "", here, here), target_url) or here, facet, value)
    link = index.fragments.get(key)
    if link is None:
        target = facet_uri(facet, value)
        anchor = subtype_anchor(value) if facet == "relation_types" and "/" in value else ""
        link = a(here, target, _term_label(index, facet, value), anchor)
        index.fragments[key] = link
    return link


def entry_link(here: str, entry: Entry, index: SiteIndex | None = None) -> str:
    """An HTML link to an entry page, its name as the text; with an `index`, written once for
    all the pages of a folder (`_folder_of`)."""
    if index is None:
        return _entry_anchor(here, entry)
    folder = entry_folder(index, here, entry.slug)
    if folder is None:
        return _entry_anchor(here, entry)
    key = ("entry", folder, entry.slug)
    link = index.fragments.get(key)
    if link is None:
        link = index.fragments[key] = _entry_anchor(here, entry)
    return link


def entry_folder(index: SiteIndex, here: str, slug: str) -> str | None:
    """What a link from `here` to an entry's page depends on (`_folder_of`): pages of the same
    folder can share it; None when the link is `here`'s own."""
    return _folder_of(_served(index, "", here, here), _entry_url(index, slug))


def _entry_anchor(here: str, entry: Entry) -> str:
    return f'<a href="{href(here, entry_uri(entry.slug))}">{name_html(display_name(entry))}</a>'


def _entry_url(index: SiteIndex, slug: str) -> str:
    """Where an entry's page is served, once per build."""
    url = index.fragments.get(("served", "entry", slug))
    return url if url is not None else _served(index, "entry", slug, entry_uri(slug))


def _entry_item(here: str, entry: Entry) -> str:
    item = entry_link(here, entry)
    return f"<li>{item} — {html_text(entry.summary)}</li>" if entry.summary else f"<li>{item}</li>"


def entry_list(here: str, entries: Sequence[Entry]) -> list[Part]:
    """Entries as an HTML list held out of Markdown and search: long lists cost the engine
    nothing this way."""
    if not entries:
        return ["<p>No entries yet.</p>", ""]
    items = "\n".join(_entry_item(here, e) for e in entries)
    return [HeldBlock(f'<ul class="gb-entries" {SEARCH_EXCLUDE}>\n{items}\n</ul>', False), ""]
