"""Catalogue + vocabulary -> the "find by shape" page (`/shape/`), its data file and its assets.

The reader composes a shape (embodied patterns, relation types, structures, a level) and the
page ranks every entry with structural tags against it, in the browser, by the similarity the
neighbour lists use (the shape is entry A, each entry B). `shape.js` replicates
`neighbours.similarity` exactly: the data carries every tag's weight in whole millionths
(`WEIGHT_UNIT`), the sibling credit likewise, and the four factors as the decimals they are
written as, so the script does the same integer sums, the same float divisions and sum, and the
same exact rounding of a total that falls next to a 6-decimal boundary.

The page's form is HTML we write here (every term with its definition, so it reads without the
script's help); the script only reads and sets it, and lists the results. Without JavaScript
the page says so and points to the facet pages.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import Any

from graph_builder.analysis.similarity import (
    WEIGHT_UNIT,
    NeighbourSettings,
    pattern_weights,
    relation_weights,
    weight_units,
)
from graph_builder.core.labels import humanize
from graph_builder.core.model import Entry, first_by_slug
from graph_builder.core.slugs import uri_slug
from graph_builder.core.vocabulary import Term, Vocabulary
from graph_builder.site.escape import front_matter, html_text, script_json
from graph_builder.site.holdout import SEARCH_EXCLUDE, HeldBlock
from graph_builder.site.urls import href

__all__ = [
    "SCRIPTS",
    "SHAPE_DATA_URI",
    "SHAPE_URI",
    "STYLESHEETS",
    "shape_data",
    "shape_files",
    "shape_link_html",
    "shape_page_markdown",
    "shape_query",
]

#: The page's source URI (served at `/shape/`).
SHAPE_URI = "shape/index.md"
#: The catalogue's tags as the page's script reads them.
SHAPE_DATA_URI = "shape/entries.json"
#: The script and stylesheet every page loads (instant navigation may open /shape/ from anywhere).
SCRIPTS = ("assets/shape/shape.js",)
STYLESHEETS = ("assets/shape/shape.css",)

#: The URL parameters, in the order the page writes them; the first four are the shape.
PARAMETERS = ("patterns", "relations", "structure", "level", "kind", "domain", "category")


def shape_query(
    *,
    patterns: Iterable[str] = (),
    relations: Iterable[str] = (),
    structure: Iterable[str] = (),
    level: str | None = None,
) -> str:
    """The query string of a shape, as the page writes it (`?patterns=link,splitting&…`).

    Examples:
        >>> shape_query(patterns=("link", "splitting"), relations=("transform/refinement",),
        ...             structure=("cycle",), level="generic")
        '?patterns=link,splitting&relations=transform/refinement&structure=cycle&level=generic'
    """
    values = {
        "patterns": sorted(set(patterns)),
        "relations": sorted(set(relations)),
        "structure": sorted(set(structure)),
        "level": [level] if level else [],
    }
    parts = [
        f"{key}={','.join(urllib.parse.quote(v, safe='/') for v in tags)}"
        for key, tags in values.items()
        if tags
    ]
    return "?" + "&".join(parts) if parts else ""


def shape_link_html(here: str, entry: Entry) -> HeldBlock | None:
    """The entry page's "find entries shaped like this" link (None without structural tags).

    Left out of search: the same words on every entry page would only make every entry a hit.
    """
    if not entry.has_structure:
        return None
    query = shape_query(
        patterns=entry.embodied_patterns,
        relations=entry.relation_types,
        structure=entry.structure,
        level=entry.abstraction_level,
    )
    target = href(here, SHAPE_URI) + html_text(query)
    link = f'<a href="{target}">Find entries shaped like this</a>'
    return HeldBlock(f'<p class="gb-shape-link" {SEARCH_EXCLUDE}>{link}</p>', searchable=False)


# --------------------------------------------------------------------------------------------
# The data file
# --------------------------------------------------------------------------------------------


def _tags(terms: Iterable[str], used: Iterable[str]) -> list[str]:
    """Vocabulary order first, then any tag in use that the vocabulary lacks, sorted."""
    listed = list(dict.fromkeys(terms))
    known = set(listed)
    return listed + sorted({t for t in used if t not in known})


def shape_data(
    entries: Iterable[Entry],
    vocabulary: Vocabulary,
    settings: NeighbourSettings = NeighbourSettings(),
) -> dict[str, Any]:
    """What `shape.js` needs: the tag tables with their weights, the settings, and the entries.

    Only entries with structural tags take part, as in the neighbour lists (the first entry of
    a slug, by `first_by_slug`). Tags are indices into the tables, so an entry costs a few
    dozen bytes. An entry is `[slug, name, kind, domain, categories, patterns, relations,
    structures, level]` (-1 for a missing kind, domain or level), plus its URL segment when that
    differs from its slug.

    Weights are whole millionths as `similarity` counts them (a tag weighs its parent's weight);
    the factors are their `repr`, the decimals `similarity` reads them as when it rounds exactly.
    """
    participants = [e for e in first_by_slug(entries).values() if e.has_structure]
    pattern_weight = pattern_weights(vocabulary)
    relation_weight = relation_weights(vocabulary)
    patterns = _tags(
        vocabulary.embodied_patterns, (t for e in participants for t in e.embodied_patterns)
    )
    relations = _tags(
        vocabulary.relation_types, (t for e in participants for t in e.relation_types)
    )
    structures = _tags(vocabulary.structures, (t for e in participants for t in e.structure))
    levels = _tags(
        vocabulary.abstraction_levels,
        (e.abstraction_level for e in participants if e.abstraction_level),
    )
    kinds = _tags(vocabulary.kinds, (e.kind for e in participants if e.kind))
    domains = sorted({e.source_frame for e in participants if e.source_frame})
    categories = _tags(vocabulary.categories, (c for e in participants for c in e.categories))

    def index_of(values: Sequence[str]) -> dict[str, int]:
        return {v: i for i, v in enumerate(values)}

    p_index, r_index, s_index = index_of(patterns), index_of(relations), index_of(structures)
    l_index, k_index, d_index = index_of(levels), index_of(kinds), index_of(domains)
    c_index = index_of(categories)
    rows: list[list[Any]] = []
    for entry in participants:
        row: list[Any] = [
            entry.slug,
            entry.name or entry.slug,
            k_index[entry.kind] if entry.kind else -1,
            d_index[entry.source_frame] if entry.source_frame else -1,
            sorted({c_index[c] for c in entry.categories}),
            sorted({p_index[t] for t in entry.embodied_patterns}),
            sorted({r_index[t] for t in entry.relation_types}),
            sorted({s_index[t] for t in entry.structure}),
            l_index[entry.abstraction_level] if entry.abstraction_level else -1,
        ]
        if uri_slug(entry.slug) != entry.slug:
            row.append(uri_slug(entry.slug))
        rows.append(row)
    return {
        "unit": WEIGHT_UNIT,
        "factors": [
            repr(settings.pattern_factor),
            repr(settings.relation_factor),
            repr(settings.structure_factor),
            repr(settings.level_factor),
        ],
        "credit": weight_units(settings.sibling_credit, "sibling_credit"),
        "patterns": patterns,
        "patternWeights": [pattern_weight(t) for t in patterns],
        "relations": relations,
        "relationWeights": [relation_weight(t) for t in relations],
        "structures": structures,
        "levels": levels,
        "kinds": kinds,
        "kindTitles": [vocabulary.kinds[k].title if k in vocabulary.kinds else k for k in kinds],
        "domains": domains,
        "domainTitles": [humanize(d) for d in domains],
        "categories": categories,
        "entries": rows,
    }


def shape_json(data: Mapping[str, Any]) -> str:
    """The data as the file holds it: the project's escaped JSON, without needless spaces."""
    return script_json(data).replace(", ", ",").replace(": ", ":")


def _asset(name: str) -> bytes:
    return resources.files("graph_builder").joinpath(f"assets/{name}").read_bytes()


def shape_files(
    entries: Iterable[Entry],
    vocabulary: Vocabulary,
    settings: NeighbourSettings = NeighbourSettings(),
) -> tuple[tuple[str, bytes], ...]:
    """(uri, content) of the page's data file, script and stylesheet."""
    data = shape_json(shape_data(entries, vocabulary, settings)).encode("utf-8")
    return (
        (SHAPE_DATA_URI, data),
        (SCRIPTS[0], _asset("shape.js")),
        (STYLESHEETS[0], _asset("shape.css")),
    )


# --------------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------------

_INTRO = (
    "Pick the embodied patterns, relation types, structure and abstraction level of a shape, "
    "and every entry built that way is listed at once, best first, scored by the same "
    "structural similarity as the neighbour lists (the shape against each entry; ties in "
    "A–Z order of slugs). The address of the page holds the shape, so it can be shared or "
    "bookmarked."
)


def _choice(kind: str, name: str, value: str, label: str, definition: str, extra: str = "") -> str:
    """One checkbox or radio button with its label and its definition (read as its description)."""
    ident = f"gb-shape-{name}-{uri_slug(value) if value else 'any'}"
    described = f' aria-describedby="{ident}-def"' if definition else ""
    out = (
        f'<label class="gb-shape__choice"><input type="{kind}" name="{name}" '
        f'value="{html_text(value)}" id="{ident}"{described}> {html_text(label)}</label>'
    )
    if definition:
        out += f'<span class="gb-shape__def" id="{ident}-def">{html_text(definition)}</span>'
    return out + extra


def _fieldset(legend: str, items: Sequence[str], intro: str = "") -> list[str]:
    head = [f"<fieldset><legend>{html_text(legend)}</legend>"]
    if intro:
        head.append(f'<p class="gb-shape__hint">{html_text(intro)}</p>')
    return [
        *head,
        '<ul class="gb-shape__terms">',
        *(f"<li>{i}</li>" for i in items),
        "</ul>",
        "</fieldset>",
    ]


def _select(name: str, label: str, options: Sequence[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{html_text(v)}">{html_text(t)}</option>' for v, t in options)
    return (
        f'<label class="gb-shape__narrow">{html_text(label)} '
        f'<select name="{name}"><option value="">any</option>{opts}</select></label>'
    )


def _titles(terms: Mapping[str, Term], values: Iterable[str]) -> list[tuple[str, str]]:
    return [(v, terms[v].title if v in terms else v) for v in values]


def shape_page_markdown(entries: Iterable[Entry], vocabulary: Vocabulary) -> str:
    """The page: an introduction, a line for readers without JavaScript, and the form.

    The form is the vocabulary with every definition, HTML we write (values escaped); the
    results list is empty until `shape.js` fills it. The block is one `<section>` with no
    blank line and no nested section, so Markdown passes it through and search skips it.
    """
    here = SHAPE_URI
    in_use = [e for e in first_by_slug(entries).values() if e.has_structure]
    domains = sorted({e.source_frame for e in in_use if e.source_frame})
    facets = ", ".join(
        f'<a href="{href(here, f"{folder}/index.md")}">{label}</a>'
        for folder, label in (
            ("patterns", "embodied patterns"),
            ("relations", "relation types"),
            ("structures", "structures"),
            ("levels", "abstraction levels"),
        )
    )
    noscript = (
        f'<noscript><p class="gb-shape__noscript">This page ranks entries in your browser and '
        f"needs JavaScript. Without it, the entries carrying each tag are listed on the pages "
        f"of the {facets}, and every entry page lists its structural neighbours.</p></noscript>"
    )
    patterns = [
        _choice("checkbox", "patterns", slug, slug, term.definition)
        for slug, term in vocabulary.embodied_patterns.items()
    ]
    relations = []
    for parent in vocabulary.relation_parents():
        term = vocabulary.relation_types[parent]
        subtypes = [
            "<li>"
            + _choice("checkbox", "relations", tag, tag, vocabulary.relation_types[tag].definition)
            + "</li>"
            for tag in vocabulary.subtypes_of(parent)
        ]
        nested = f'<ul class="gb-shape__subtypes">{"".join(subtypes)}</ul>' if subtypes else ""
        relations.append(_choice("checkbox", "relations", parent, parent, term.definition, nested))
    structures = [
        _choice("checkbox", "structure", slug, term.title, term.definition)
        for slug, term in vocabulary.structures.items()
    ]
    levels = [_choice("radio", "level", "", "any level", "")]
    levels += [
        _choice("radio", "level", slug, term.title, term.definition)
        for slug, term in vocabulary.abstraction_levels.items()
    ]
    narrow = [
        "<fieldset><legend>Narrow the list (optional)</legend>",
        _select("kind", "Kind", _titles(vocabulary.kinds, vocabulary.kinds)),
        _select("domain", "Domain", [(d, humanize(d)) for d in domains]),
        _select("category", "Category", _titles(vocabulary.categories, vocabulary.categories)),
        "</fieldset>",
    ]
    block = [
        f'<section class="gb-shape" data-shape-src="{html_text(SHAPE_DATA_URI.split("/")[-1])}" '
        f"data-search-exclude hidden>",
        '<form class="gb-shape__form" aria-label="Shape" action="./" method="get">',
        '<p class="gb-shape__actions"><button type="button" class="gb-shape__skip md-button">'
        'Go to the results</button> <button type="reset" class="md-button">Clear the shape</button>'
        "</p>",
        *_fieldset(
            "Embodied patterns",
            patterns,
            "The bodily image schemas the model is built from; rarer ones weigh more.",
        ),
        *_fieldset(
            "Relation types",
            relations,
            "How the parts act on one another. A subtype counts as its parent, and two "
            "sibling subtypes earn partial credit.",
        ),
        *_fieldset("Structure", structures, "The overall shape."),
        *_fieldset("Abstraction level", levels),
        *narrow,
        "</form>",
        '<div class="gb-shape__out">',
        '<h2 id="gb-shape-results" tabindex="-1">Entries of this shape</h2>',
        '<p class="gb-shape__status" role="status" aria-live="polite">Loading the catalogue…</p>',
        '<ol class="gb-shape__results"></ol>',
        '<p><button type="button" class="gb-shape__more md-button" hidden>Show more</button></p>',
        "</div>",
        "</section>",
    ]
    description = "Find the entries built from a shape of embodied patterns and relations."
    out = [front_matter(title="Find by shape", description=description), "# Find by shape", ""]
    out += [_INTRO, "", noscript, "", "\n".join(block), ""]
    return "\n".join(out)
