"""The entry format's limits, in one place: the loader, the validator, the JSON Schema and the
scaffold read them here.

Tag counts are the format's own rules. The size limits sit far above any real entry (the
catalogue's largest file is under 10 KB) and exist so that a hostile or broken file is a
`check` error instead of a build whose cost grows without bound."""

from __future__ import annotations

__all__ = [
    "CATEGORY_COUNT",
    "MAX_CLAIMS",
    "MAX_FILE_BYTES",
    "MAX_LINE_CHARS",
    "MAX_LIST_ITEMS",
    "MAX_RELATED",
    "PATTERN_COUNT",
    "RELATION_COUNT",
    "RESERVED_PAGE_NAMES",
    "STRUCTURE_COUNT",
]

#: Least and most embodied patterns an entry carries.
PATTERN_COUNT: tuple[int, int] = (2, 4)
#: Least and most relation types an entry carries.
RELATION_COUNT: tuple[int, int] = (2, 4)
#: Least and most structures (a single string counts as one).
STRUCTURE_COUNT: tuple[int, int] = (1, 2)
#: Least and most categories.
CATEGORY_COUNT: tuple[int, int] = (1, 6)

#: Largest entry file, in bytes (UTF-8).
MAX_FILE_BYTES = 200_000
#: Longest line of an entry file, in characters.
MAX_LINE_CHARS = 2_000
#: Most `transfers` or `limits` claims in the frontmatter.
MAX_CLAIMS = 12
#: Most items in one list of the body (moves, expressions, references).
MAX_LIST_ITEMS = 40
#: Most `related` slugs.
MAX_RELATED = 24

#: Page names the site generates in every folder: a slug or facet value folding to one of them
#: would take the URL of a generated index page.
RESERVED_PAGE_NAMES: frozenset[str] = frozenset({"index"})
