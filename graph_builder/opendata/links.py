"""An entry -> its page URL and its dates, as llms.txt, the Atom feed and GEXF give them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from graph_builder.core.model import Entry
from graph_builder.core.slugs import uri_slug

__all__ = ["entry_dates", "entry_url", "latest_date", "site_path"]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def entry_url(slug: str, site_url: str = "") -> str:
    """An entry's page URL: absolute under `site_url` when one is set, else relative to the root.

    >>> entry_url("phoenix", "https://example.org/atlas")
    'https://example.org/atlas/entries/phoenix/'
    >>> entry_url("phoenix")
    'entries/phoenix/'
    """
    path = f"entries/{uri_slug(slug)}/"
    return site_path(path, site_url)


def site_path(path: str, site_url: str) -> str:
    """A path from the site root, made absolute under `site_url` when one is set."""
    if not site_url:
        return path
    return site_url.rstrip("/") + "/" + path


def _date(text: str) -> dt.date | None:
    if not _DATE.match(text.strip()):
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def entry_dates(entry: Entry) -> tuple[dt.date, dt.date] | None:
    """(created, updated) of an entry, each falling back on the other; None when neither parses."""
    created, updated = _date(entry.created), _date(entry.updated)
    if created is None and updated is None:
        return None
    created = created or updated
    updated = updated or created
    assert created is not None and updated is not None
    return created, max(created, updated)


def latest_date(entries: Iterable[Entry]) -> str:
    """The latest created/updated date of the catalogue as `YYYY-MM-DD`, or "" if none parses."""
    dates = [pair[1] for entry in entries if (pair := entry_dates(entry)) is not None]
    return max(dates).isoformat() if dates else ""
