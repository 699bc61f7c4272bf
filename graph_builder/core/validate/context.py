"""An entry, the vocabulary and the catalogue's slugs -> the context every per-entry check
reads: the entry's well-formed values with their lines, worked out once and shared."""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Iterable

from graph_builder.core.model import Entry
from graph_builder.core.validate.rules import (
    PLACEHOLDER,
    PLACEHOLDER_PATTERN,
    RECOMMENDED_KEYS,
    REQUIRED_KEYS,
    STRUCTURAL_KEYS,
)
from graph_builder.core.validate.value_types import malformed_keys, unsettled_keys
from graph_builder.core.validate.values import is_placeholder, nested_strings
from graph_builder.core.validate.wording import or_words
from graph_builder.core.vocabulary import Vocabulary

__all__ = ["CatalogueSlugs", "EntryContext", "Item", "Terms"]

#: One string value of a key, with its line: a list item, or the lone scalar.
Item = tuple[int, str]


class Terms:
    """The vocabulary, and what the rules derive from it, worked out once per validation run."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.relation_parents = vocabulary.relation_parents()
        parents = frozenset(self.relation_parents)
        #: The relation tags that pass both relation rules: a known parent, a known tag.
        self.valid_relations = frozenset(
            tag for tag in vocabulary.relation_types if tag.partition("/")[0] in parents
        )
        self.claims_written = or_words([f"[{p}]" for p in vocabulary.claim_prefixes])


class CatalogueSlugs:
    """The catalogue's slugs, with a cheap search for the one a dangling slug may be a typo of."""

    #: How many slugs on each side of a dangling slug's place in sorted order are compared with
    #: it. Typos late in a slug (`antifragility` for `antifragile`) sort next to the right one;
    #: the window keeps the search a constant cost per slug however large the catalogue is.
    WINDOW = 6

    def __init__(self, slugs: Iterable[str]) -> None:
        self.all = frozenset(slugs)
        self.ordered = sorted(self.all)
        self.found: dict[tuple[str, str], str | None] = {}

    def __contains__(self, slug: object) -> bool:
        return slug in self.all

    def close_to(self, slug: str, *, besides: str = "") -> str | None:
        """An existing slug close to `slug` (`antifragility` -> `antifragile`), or None.

        The cutoff is stricter than elsewhere, since most dangling slugs are entries still to
        come; `besides` (the entry's own slug) is never suggested.
        """
        key = (slug, besides)
        if key not in self.found:
            place = bisect.bisect_left(self.ordered, slug)
            nearby = self.ordered[max(0, place - self.WINDOW) : place + self.WINDOW]
            candidates = [s for s in nearby if s != besides]
            match = difflib.get_close_matches(slug, candidates, n=1, cutoff=0.8)
            self.found[key] = match[0] if match else None
        return self.found[key]


class EntryContext:
    """What the per-entry checks read: the entry, the vocabulary's terms, the catalogue's slugs,
    the keys whose value the type rules must look at (`unsettled`), and those whose value has the
    wrong type (`malformed`, which later rules skip)."""

    def __init__(self, entry: Entry, terms: Terms, slugs: CatalogueSlugs) -> None:
        self.entry = entry
        self.terms = terms
        self.vocabulary = terms.vocabulary
        self.slugs = slugs
        #: The known keys whose value is not the usual filled-in text or list of texts.
        self.unsettled = unsettled_keys(entry)
        self.malformed = malformed_keys(entry, self.unsettled)
        # `items` of each key, asked for by several rules.
        self.cached_items: dict[str, list[Item]] = {}

    def present(self, key: str) -> bool:
        """The key has a value that says something (not null, not blank, not an empty list)."""
        value = self.entry.meta.get(key)
        if value is None:
            return False
        if isinstance(value, str | list | dict):
            return bool(value.strip() if isinstance(value, str) else value)
        return True

    def scalar(self, key: str) -> str | None:
        """The key's text when it is well-formed, filled in and not a placeholder."""
        value = self.entry.meta.get(key)
        if key in self.malformed or not isinstance(value, str) or is_placeholder(value):
            return None
        return value.strip() or None

    def items(self, key: str) -> list[Item]:
        """The string values of a key with their lines, placeholders and non-strings left out."""
        found = self.cached_items.get(key)
        if found is None:
            found = self.cached_items[key] = self._items(key)
        return found

    def _items(self, key: str) -> list[Item]:
        if key in self.malformed:
            return []
        entry = self.entry
        value = entry.meta.get(key)
        if isinstance(value, str):
            values: Iterable[tuple[int, object]] = ((entry.line_of(key), value),)
        elif isinstance(value, list):
            lines = entry.item_lines.get(key, ())
            if len(lines) < len(value):
                lines = tuple(entry.line_of(key, i) for i in range(len(value)))
            values = zip(lines, value, strict=False)
        else:
            return []
        found: list[Item] = []
        for line, item in values:
            if isinstance(item, str):
                text = item.strip()
                if text and (PLACEHOLDER not in item or not PLACEHOLDER_PATTERN.search(item)):
                    found.append((line, text))
        return found

    def optional(self, key: str) -> bool:
        """The key may simply be deleted: not required, recommended or a structural tag."""
        if key in REQUIRED_KEYS or key in STRUCTURAL_KEYS or key in RECOMMENDED_KEYS:
            return False
        return not (key == "source_frame" and self.entry.meta.get("kind") == "metaphor")

    def has_placeholder(self, key: str) -> bool:
        """Some string in the key's value holds the `TODO:` placeholder."""
        return any(is_placeholder(s) for s in nested_strings(self.entry.meta.get(key)))
