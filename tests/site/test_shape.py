"""The "find by shape" page without a browser: its query, link, data file and Markdown.

The browser side (the ranking in JavaScript against `similarity`) is in
tests/site/test_shape_browser.py.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest

from graph_builder.analysis.similarity import WEIGHT_UNIT, NeighbourSettings
from graph_builder.core.vocabulary import default_vocabulary
from graph_builder.site import shape
from graph_builder.site.build import build_site
from tests.entries import make_entry

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "site" / "entries"

# Entries at `<slug>.md`, named by their slug.
_entry = functools.partial(make_entry, naming=str)


SEED_SHAPE = (
    "?patterns=iteration,link,splitting"
    "&relations=cause/accumulate,restore,transform/refinement&structure=cycle&level=generic"
)


@pytest.fixture(scope="module")
def built() -> object:
    return build_site(FIXTURE)


def test_query_lists_each_facet_sorted_and_keeps_slashes() -> None:
    query = shape.shape_query(
        patterns=("splitting", "link", "iteration"),
        relations=("restore", "transform/refinement", "cause/accumulate"),
        structure=("cycle",),
        level="generic",
    )
    assert query == SEED_SHAPE


def test_empty_shape_has_no_query() -> None:
    assert shape.shape_query() == ""


def test_entry_link_carries_the_entrys_own_tags(built: object) -> None:
    page = next(p for p in built.pages if p.uri == "entries/rupture-and-repair.md")  # type: ignore[attr-defined]
    links = re.findall(
        r'<p class="gb-shape-link" data-search-exclude><a href="([^"]*)">', page.markdown
    )
    assert links == ["../../shape/" + SEED_SHAPE.replace("&", "&amp;")]


def test_entry_without_structural_tags_gets_no_link() -> None:
    assert shape.shape_link_html("entries/a.md", _entry("a")) is None


def test_data_holds_only_entries_with_structural_tags() -> None:
    entries = [
        _entry("b", embodied_patterns=("link",), kind="metaphor", source_frame="myth"),
        _entry("a", relation_types=("transform/refinement",), categories=("psychology",)),
        _entry("c"),
    ]
    data = shape.shape_data(entries, default_vocabulary())
    slugs = [row[0] for row in data["entries"]]
    assert slugs == ["a", "b"]
    a, b = data["entries"]
    assert data["relations"][a[6][0]] == "transform/refinement"
    assert data["categories"][a[4][0]] == "psychology"
    assert (a[2], a[3], a[8]) == (-1, -1, -1)
    assert data["kinds"][b[2]] == "metaphor" and data["domains"][b[3]] == "myth"


def test_data_weights_are_whole_millionths_of_the_parents_weight() -> None:
    vocabulary = default_vocabulary()
    data = shape.shape_data([_entry("a", embodied_patterns=("link",))], vocabulary)
    assert data["unit"] == WEIGHT_UNIT
    for tag, units in zip(data["relations"], data["relationWeights"], strict=True):
        parent = tag.split("/")[0]
        assert units == round(vocabulary.relation_types[parent].weight * WEIGHT_UNIT)
    for tag, units in zip(data["patterns"], data["patternWeights"], strict=True):
        assert units == round(vocabulary.embodied_patterns[tag].weight * WEIGHT_UNIT)
    assert data["factors"] == ["0.35", "0.35", "0.2", "0.1"]
    assert data["credit"] == 300_000


def test_data_follows_the_settings() -> None:
    settings = NeighbourSettings(pattern_factor=0.5, sibling_credit=0.25)
    data = shape.shape_data(
        [_entry("a", embodied_patterns=("link",))], default_vocabulary(), settings
    )
    assert data["factors"][0] == "0.5" and data["credit"] == 250_000


def test_data_file_is_escaped_json(built: object) -> None:
    files = {f.uri: f.content for f in built.files}  # type: ignore[attr-defined]
    raw = files[shape.SHAPE_DATA_URI].decode("utf-8")
    assert "<" not in raw and ">" not in raw and "&" not in raw
    data = json.loads(raw)
    names = {row[0]: row[1] for row in data["entries"]}
    assert names["hostile-entry"] == 'Evil <script>alert("name")</script> & "Co" </script>'
    assert shape.SCRIPTS[0] in files and shape.STYLESHEETS[0] in files


def test_page_offers_every_term_with_its_definition(built: object) -> None:
    page = next(p for p in built.pages if p.uri == shape.SHAPE_URI)  # type: ignore[attr-defined]
    assert page.in_nav
    vocabulary = default_vocabulary()
    for name, terms in (
        ("patterns", vocabulary.embodied_patterns),
        ("relations", vocabulary.relation_types),
        ("structure", vocabulary.structures),
        ("level", vocabulary.abstraction_levels),
    ):
        for slug, term in terms.items():
            kind = "radio" if name == "level" else "checkbox"
            assert f'<input type="{kind}" name="{name}" value="{slug}"' in page.markdown
            assert term.definition.replace("'", "&#x27;").replace('"', "&quot;") in page.markdown
    for facet in ("kind", "domain", "category"):
        assert f'<select name="{facet}">' in page.markdown


def test_page_without_javascript_points_to_the_facet_pages(built: object) -> None:
    page = next(p for p in built.pages if p.uri == shape.SHAPE_URI)  # type: ignore[attr-defined]
    noscript = re.search(r"<noscript>(.*)</noscript>", page.markdown)
    assert noscript is not None
    for folder in ("patterns", "relations", "structures", "levels"):
        assert f'href="../{folder}/"' in noscript.group(1)
    # The form is hidden until the script shows it, and search skips it.
    assert re.search(r'<section class="gb-shape" [^>]*data-search-exclude hidden>', page.markdown)
    # One block: Markdown passes it through only if no blank line splits it.
    block = page.markdown[page.markdown.index('<section class="gb-shape"') :]
    assert "\n\n" not in block.strip()
