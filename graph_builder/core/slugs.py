"""Names -> slugs, and any value -> the URL segment of its page: the one folding of text into
addresses that the validator, the site, the open data and the insights share.

The site gives a page to every entry and to every value of the facets below; two values that
fold to one segment would share a page, and a value folding to a reserved name
(`limits.RESERVED_PAGE_NAMES`) would take an index page's place, which `check` reports."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

__all__ = ["FACET_FOLDERS", "slugify", "uri_slug"]

#: Folder of the pages of each frontmatter key that has pages of its own.
FACET_FOLDERS: Mapping[str, str] = {
    "kind": "kinds",
    "source_frame": "domains",
    "categories": "categories",
    "embodied_patterns": "patterns",
    "relation_types": "relations",
    "structure": "structures",
    "abstraction_level": "levels",
}

_JUNK = re.compile(r"[^a-z0-9]+")


def uri_slug(value: str) -> str:
    """A value as a safe URL segment: kebab-case slugs pass unchanged, anything else is folded.

    The validator rejects malformed slugs, but a page path must be safe even for input it has
    not seen (`../../x` must not escape the site).

    Examples:
        >>> uri_slug("transform/refinement"), uri_slug("../../x"), uri_slug("///")
        ('transform-refinement', 'x', 'unnamed')
    """
    folded = _JUNK.sub("-", value.lower()).strip("-")
    return folded or "unnamed"


def slugify(name: str) -> str:
    """A display name as a slug: lowercase ASCII words joined by hyphens.

    Accents are dropped and apostrophes removed, so the slug reads like the name.

    >>> slugify("Zeno's Paradox")
    'zenos-paradox'
    >>> slugify("Mise en Place — à la française")
    'mise-en-place-a-la-francaise'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r"['`]", "", ascii_name.lower())
    return _JUNK.sub("-", ascii_name).strip("-")
