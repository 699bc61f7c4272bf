"""Catalogue -> SiteIndex (the lookups every page needs) and display names of entries, terms."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from graph_builder.analysis.neighbours import NeighbourLists
from graph_builder.core.model import Entry, first_by_slug
from graph_builder.core.slugs import FACET_FOLDERS
from graph_builder.core.vocabulary import Term, Vocabulary

__all__ = [
    "FRONTMATTER_KEYS",
    "SiteIndex",
    "SiteOptions",
    "count_words",
    "display_name",
    "kind_title",
    "name_key",
    "term_title",
]


#: What pages, drawings and graphs show for an entry that names no source domain.
@dataclass(frozen=True, slots=True, kw_only=True)
class SiteOptions:
    """What a site build may vary besides the entries: from the plugin config or the CLI.

    Attributes:
        edit_url: base URL an entry's file name is appended to for its "Edit this entry" link,
            e.g. `https://example.org/atlas/edit/main/entries/`; empty means no link.
        featured: slug of the entry the home page features (skipped when it does not exist).
        contributing: the Markdown of CONTRIBUTING.md, published as the Contribute page
            (empty: no such page).
        site_name: the site's name (MkDocs' `site_name`), the title of the open data files.
        description: the site's one-line summary (`site_description`), quoted by llms.txt.
        site_url: the site's address (`site_url`); the open data files link absolutely under
            it, and relative to the site root without it.
        open_data: publish the open data files (`feeds.open_data_files`: the Atom feed,
            llms.txt, GraphML and GEXF) beside the pages.
    """

    edit_url: str = ""
    featured: str = "rupture-and-repair"
    contributing: str = ""
    site_name: str = "Mental Model Atlas"
    description: str = (
        "A catalogue of mental models and their structural neighbours across domains."
    )
    site_url: str = ""
    open_data: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteIndex:
    """Every site-wide lookup the pages need, computed once from the catalogue.

    Attributes:
        entries: the catalogue sorted by slug.
        by_slug: entry of each slug.
        neighbours: neighbour lists of each slug.
        related_by: slugs of the entries that list a slug under `related`, sorted.
        neighbour_of: slugs of the entries that have a slug among their neighbours, sorted.
        tagged: facet key -> tag -> slugs carrying it (relation subtypes under their full tag).
        fragments: HTML written once per build and reused by every page that needs it, keyed
            by everything it depends on (see `entry_links`): the entry pages of a
            catalogue repeat the same few thousand links tens of thousands of times.
    """

    entries: tuple[Entry, ...]
    vocabulary: Vocabulary
    by_slug: Mapping[str, Entry]
    neighbours: Mapping[str, NeighbourLists]
    related_by: Mapping[str, tuple[str, ...]]
    neighbour_of: Mapping[str, tuple[str, ...]]
    tagged: Mapping[str, Mapping[str, tuple[str, ...]]]
    fragments: dict[tuple[str, ...], str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(
        cls,
        entries: Iterable[Entry],
        vocabulary: Vocabulary,
        neighbours: Mapping[str, NeighbourLists],
    ) -> SiteIndex:
        """Index a catalogue in one pass over its entries and one over its neighbour lists."""
        by_slug = first_by_slug(entries)
        related_by: defaultdict[str, set[str]] = defaultdict(set)
        tagged: dict[str, defaultdict[str, set[str]]] = {
            facet: defaultdict(set) for facet in FACET_FOLDERS
        }
        for entry in by_slug.values():
            for other in entry.related:
                if other != entry.slug:
                    related_by[other].add(entry.slug)
            for facet, values in _facet_values(entry).items():
                for value in values:
                    tagged[facet][value].add(entry.slug)
        neighbour_of: defaultdict[str, set[str]] = defaultdict(set)
        for slug, lists in neighbours.items():
            for item in (*lists.cross_domain, *lists.same_domain):
                neighbour_of[item.slug].add(slug)
        return cls(
            entries=tuple(by_slug.values()),
            vocabulary=vocabulary,
            by_slug=by_slug,
            neighbours=neighbours,
            related_by={k: tuple(sorted(v)) for k, v in related_by.items()},
            neighbour_of={k: tuple(sorted(v)) for k, v in neighbour_of.items()},
            tagged={
                facet: {k: tuple(sorted(v)) for k, v in values.items()}
                for facet, values in tagged.items()
            },
        )

    def name_of(self, slug: str) -> str:
        entry = self.by_slug.get(slug)
        return display_name(entry) if entry else slug

    def by_name(self, slugs: Iterable[str]) -> list[Entry]:
        """The entries of these slugs (unknown ones skipped), in A–Z order of their names."""
        found = [self.by_slug[s] for s in slugs if s in self.by_slug]
        return sorted(found, key=name_key)


def _facet_values(entry: Entry) -> dict[str, tuple[str, ...]]:
    return {
        "kind": (entry.kind,) if entry.kind else (),
        "source_frame": (entry.source_frame,) if entry.source_frame else (),
        "categories": tuple(dict.fromkeys(entry.categories)),
        "embodied_patterns": tuple(dict.fromkeys(entry.embodied_patterns)),
        "relation_types": tuple(dict.fromkeys(entry.relation_types)),
        "structure": tuple(dict.fromkeys(entry.structure)),
        "abstraction_level": (entry.abstraction_level,) if entry.abstraction_level else (),
    }


def display_name(entry: Entry) -> str:
    """The name to show for an entry (its slug when the name is missing)."""
    return entry.name or entry.slug


def name_key(entry: Entry) -> tuple[str, str]:
    """A–Z order: by name ignoring case and leading punctuation, then by slug."""
    name = display_name(entry).casefold()
    return (name.lstrip("\"'“‘([*_ ") or name, entry.slug)


def term_title(terms: Mapping[str, Term], value: str) -> str:
    term = terms.get(value)
    return term.title if term else value


def count_words(n: int, word: str = "entry", plural: str = "entries") -> str:
    return f"{n} {word if n == 1 else plural}"


def kind_title(kind: str | None, vocabulary: Vocabulary) -> str:
    """A kind as the vocabulary names it ("Mental model"), for legends and lists."""
    return term_title(vocabulary.kinds, kind) if kind else "no kind"


#: The structural tag facets as pages and graphs name them -> their frontmatter keys.
FRONTMATTER_KEYS = {
    "pattern": "embodied_patterns",
    "relation": "relation_types",
    "structure": "structure",
}
