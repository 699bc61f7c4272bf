"""Entries -> `/feed.xml`: an Atom 1.0 feed of new and updated entries, dated by the entries."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import Vocabulary
from graph_builder.opendata.escape import one_line, xml_text
from graph_builder.opendata.links import entry_dates, entry_url, site_path

__all__ = ["FEED_LIMIT", "atom_feed"]

#: How many entries the Atom feed carries: the newest ones, as feed readers expect.
FEED_LIMIT = 50


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _entry_id(slug: str, site_url: str, site_name: str) -> str:
    """A permanent Atom id: the page URL when the site has one, else a name-based UUID URN.

    Atom ids must be absolute IRIs; a relative link is not one, so without `site_url` the id is
    derived from the site name and slug, which is as stable as the entry itself.
    """
    if site_url:
        return entry_url(slug, site_url)
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{site_name}/entries/{slug}").urn


def atom_feed(
    entries: Sequence[Entry],
    vocabulary: Vocabulary,
    *,
    site_name: str,
    site_url: str = "",
    limit: int = FEED_LIMIT,
) -> bytes:
    """An Atom 1.0 feed of new and updated entries, newest first.

    Entries are ordered by updated date descending, then slug; the first `limit` are kept. The
    feed's `<updated>` is the latest entry date, so the file depends on the catalogue alone.
    An entry whose dates do not parse is left out (it cannot be placed in time). Every text is
    XML-escaped. Links are absolute under `site_url` when set, else relative to the site root.

    Args:
        entries: the catalogue.
        vocabulary: display names of kinds and categories, for `<category label>`.
        site_name: the feed title and default author.
        site_url: the site's base URL, or "".
        limit: how many entries the feed keeps.

    Returns:
        The feed as UTF-8 bytes.
    """
    dated = [(pair, entry) for entry in entries if (pair := entry_dates(entry)) is not None]
    dated.sort(key=lambda item: (-item[0][1].toordinal(), item[1].slug))
    kept = dated[: max(0, limit)]
    latest = max((pair[1] for pair, _ in dated), default=dt.date(1970, 1, 1))
    feed_id = (
        site_path("", site_url)
        if site_url
        else uuid.uuid5(uuid.NAMESPACE_URL, f"{site_name}/feed").urn
    )
    home = site_path("", site_url) or "./"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{xml_text(one_line(site_name))}</title>",
        "  <subtitle>New and updated entries</subtitle>",
        f"  <id>{xml_text(feed_id)}</id>",
        f'  <link rel="alternate" type="text/html" href="{xml_text(home)}"/>',
        f'  <link rel="self" type="application/atom+xml" '
        f'href="{xml_text(site_path("feed.xml", site_url))}"/>',
        f"  <updated>{_timestamp(latest)}</updated>",
        f"  <author><name>{xml_text(one_line(site_name))}</name></author>",
    ]
    for (created, updated), entry in kept:
        lines += [
            "  <entry>",
            f"    <title>{xml_text(one_line(entry.name or entry.slug))}</title>",
            f"    <id>{xml_text(_entry_id(entry.slug, site_url, site_name))}</id>",
            f'    <link rel="alternate" type="text/html" '
            f'href="{xml_text(entry_url(entry.slug, site_url))}"/>',
            f"    <published>{_timestamp(created)}</published>",
            f"    <updated>{_timestamp(updated)}</updated>",
        ]
        if entry.author.strip():
            lines.append(f"    <author><name>{xml_text(one_line(entry.author))}</name></author>")
        lines += [
            f"    <contributor><name>{xml_text(one_line(name))}</name></contributor>"
            for name in entry.contributors
            if name.strip()
        ]
        if entry.kind:
            term = vocabulary.kinds.get(entry.kind)
            label = f' label="{xml_text(term.title)}"' if term else ""
            lines.append(f'    <category term="{xml_text(entry.kind)}"{label}/>')
        for category in dict.fromkeys(entry.categories):
            term = vocabulary.categories.get(category)
            label = f' label="{xml_text(term.title)}"' if term else ""
            lines.append(f'    <category term="{xml_text(category)}"{label}/>')
        if entry.summary.strip():
            lines.append(f"    <summary>{xml_text(one_line(entry.summary))}</summary>")
        lines.append("  </entry>")
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")
