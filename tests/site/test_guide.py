"""The Contribute section: the page made from CONTRIBUTING.md and the generated tagging guide."""

from __future__ import annotations

import functools

from graph_builder.analysis.neighbours import structural_neighbours
from graph_builder.analysis.similarity import NeighbourSettings
from graph_builder.core.vocabulary import default_vocabulary
from graph_builder.site.escape import markdown_inline
from graph_builder.site.guide import contribute_markdown, tagging_guide_markdown
from graph_builder.site.index import SiteIndex
from tests.entries import make_entry

VOCABULARY = default_vocabulary()

# Generic cycles among metaphors: only the domain, patterns and relations vary.
_entry = functools.partial(
    make_entry, kind="metaphor", structure=("cycle",), level="generic", naming=str.title
)


ENTRIES = [
    _entry(
        "alpha",
        frame="myth",
        patterns=("link", "splitting"),
        relations=("restore", "transform/refinement"),
    ),
    _entry("beta", frame="myth", patterns=("link", "force"), relations=("restore", "cause")),
    _entry(
        "gamma", frame="physics", patterns=("link", "splitting"), relations=("transform", "prevent")
    ),
]


def _guide(featured: str = "") -> str:
    index = SiteIndex.build(ENTRIES, VOCABULARY, structural_neighbours(ENTRIES, VOCABULARY))
    return tagging_guide_markdown(index, NeighbourSettings(), featured=featured)


def _row(page: str, term: str) -> str:
    start = f"| [{markdown_inline(term)}]("
    return next(line for line in page.splitlines() if line.startswith(start))


def test_every_structural_term_has_a_row_linking_to_its_facet_page() -> None:
    page = _guide()
    targets = [
        *(f"[{markdown_inline(t)}](../patterns/{t}.md)" for t in VOCABULARY.embodied_patterns),
        *(f"[{markdown_inline(t)}](../structures/{t}.md)" for t in VOCABULARY.structures),
        *(f"[{markdown_inline(t)}](../levels/{t}.md)" for t in VOCABULARY.abstraction_levels),
        *(f"[{markdown_inline(t)}](../relations/{t}.md)" for t in VOCABULARY.relation_parents()),
    ]
    for target in targets:
        assert page.count(f"| {target} |") == 1, target
    definition = VOCABULARY.embodied_patterns["splitting"].definition
    assert markdown_inline(definition) in _row(page, "splitting")


def test_counts_and_examples_prefer_different_domains() -> None:
    page = _guide()
    # link: all three entries; the examples are alpha (myth) then gamma (physics), not beta (myth).
    row = _row(page, "link")
    assert "| 0.9 | 3 |" in row
    assert "[<bdi>Alpha</bdi>](../entries/alpha.md), [<bdi>Gamma</bdi>](../entries/gamma.md)" in row
    # force: beta only.
    assert "| 0.5 | 1 | [<bdi>Beta</bdi>](../entries/beta.md) |" in _row(page, "force")
    assert "none yet: be the first" in _row(page, "attraction")


def test_a_relation_parent_counts_its_subtypes_and_links_to_their_anchor() -> None:
    page = _guide()
    # transform: gamma (bare) and alpha (transform/refinement).
    assert "| 0.3 | 2 |" in _row(page, "transform")
    assert "(../relations/transform.md#refinement)" in _row(page, "transform/refinement")


def test_the_worked_example_takes_the_featured_entrys_best_neighbour_apart() -> None:
    page = _guide(featured="alpha")
    # alpha-gamma: patterns equal (1.0); relations transform/refinement ~ transform is a sibling
    # pair: (0 + 0.3 * 0.3) / (1.3 + 0.3 + 0.3 + 0.8) = 0.0333; total 0.35 + 0.011667 + 0.3.
    assert "score **0.662**" in page
    row = (
        f"| relation types | 0.35 | 0.033 | {markdown_inline('transform/refinement ~ transform')} |"
    )
    assert row in page
    assert "graph-builder explain alpha gamma" in page


def test_contribute_page_keeps_the_guide_and_makes_its_links_valid_on_the_site() -> None:
    text = (
        "# Contributing to X\n\nRead [the guide](docs/neighbours.md) and"
        " [the architecture](docs/architecture.md#stages); code is [MIT](LICENSE);"
        " see <http://127.0.0.1:8000> and [a site](https://example.org).\n"
    )
    page = contribute_markdown(text)
    assert page.startswith('---\ntitle: "Contribute"')
    assert "# Contribute\n" in page and "Contributing to X" not in page
    assert "[the guide](../neighbours.md)" in page
    assert "[tagging guide](tagging.md)" in page
    assert "[the architecture](../architecture.md#stages)" in page
    assert "code is MIT;" in page
    assert "[a site](https://example.org)" in page
