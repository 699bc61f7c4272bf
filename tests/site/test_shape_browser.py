"""The "find by shape" page in headless Chromium: the ranking equals graph_builder's `similarity`.

The fixture catalogue is built with Material's instant navigation (the fixtures of
tests/site/test_browser.py) and served from 127.0.0.1; every page runs behind the same watch (no
request to another host, no console error, no dialog). Expected lists are computed here with the
Python `similarity`, the shape as entry A and each entry as B, as `graph-builder explain` does.
Screenshots on a desktop and a phone go to screenshots/.
"""

from __future__ import annotations

import random
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from graph_builder.analysis.similarity import (
    NeighbourSettings,
    _combine,
    near_rounding_boundary,
    similarity,
)
from graph_builder.core.load import load_entries
from graph_builder.core.model import Entry, first_by_slug
from graph_builder.core.vocabulary import default_vocabulary
from tests.seed import SEED
from tests.site.test_browser import (  # the module's fixtures, shared
    FIXTURE,
    Watch,
    base_url,
    browser,
    chromium,
    open_context,
    screenshot,
    served,
    session,
    site,
)

__all__ = ["base_url", "browser", "chromium", "served", "session", "site"]

pytestmark = [pytest.mark.browser, pytest.mark.slow]

READY = ".gb-shape[data-shape-ready]"
SEED_URL = (
    "shape/?patterns=link,splitting,iteration"
    "&relations=restore,transform/refinement,cause/accumulate&structure=cycle&level=generic"
)


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    entries = load_entries(FIXTURE / "entries").entries
    return [e for e in first_by_slug(entries).values() if e.has_structure]


def shape_entry(
    patterns: Sequence[str] = (),
    relations: Sequence[str] = (),
    structure: Sequence[str] = (),
    level: str | None = None,
) -> Entry:
    return Entry(
        path="shape",
        slug="~shape",
        name="shape",
        embodied_patterns=tuple(patterns),
        relation_types=tuple(relations),
        structure=tuple(structure),
        abstraction_level=level,
    )


def expected(catalogue: Sequence[Entry], shape: Entry) -> list[tuple[str, float]]:
    """Every entry scoring above 0 against the shape: score descending, then slug."""
    vocabulary = default_vocabulary()
    scored = [(e.slug, similarity(shape, e, vocabulary).total) for e in catalogue]
    return sorted(((s, t) for s, t in scored if t > 0), key=lambda st: (-st[1], st[0]))


def listed(page: Any) -> list[tuple[str, float]]:
    rows = page.locator(".gb-shape__results > li").evaluate_all(
        "items => items.map(li => [li.dataset.slug, li.dataset.score])"
    )
    return [(slug, float(score)) for slug, score in rows]


def query(page: Any) -> dict[str, list[str]]:
    parsed = urllib.parse.urlsplit(page.url)
    return {k: v.split(",") for k, v in urllib.parse.parse_qsl(parsed.query)}


def seed_shape(catalogue: Sequence[Entry]) -> Entry:
    seed = next(e for e in catalogue if e.slug == SEED)
    return shape_entry(
        seed.embodied_patterns, seed.relation_types, seed.structure, seed.abstraction_level
    )


def test_seed_shape_in_the_url_ranks_as_explain_does(
    session: tuple[Any, Watch], catalogue: list[Entry]
) -> None:
    page, _ = session
    page.goto(SEED_URL)
    page.wait_for_selector(READY)
    want = expected(catalogue, seed_shape(catalogue))
    got = listed(page)
    assert got[0] == (SEED, 1.0)
    assert got == want
    assert [slug for slug, _ in got[1:4]] == ["phoenix", "hansei", "nemesis"]
    # The form shows the shape it was given.
    for tag in ("link", "splitting", "iteration"):
        assert page.locator(f'input[name="patterns"][value="{tag}"]').is_checked()
    assert page.locator('input[name="relations"][value="transform/refinement"]').is_checked()
    assert page.locator('input[name="level"][value="generic"]').is_checked()


def test_changing_a_tag_changes_the_list_and_the_url(
    session: tuple[Any, Watch], catalogue: list[Entry]
) -> None:
    page, _ = session
    page.goto(SEED_URL)
    page.wait_for_selector(READY)
    before = listed(page)
    page.locator('input[name="patterns"][value="splitting"]').uncheck()
    page.wait_for_function("() => !location.search.includes('splitting')")
    after = listed(page)
    assert after != before
    seed = seed_shape(catalogue)
    want = expected(
        catalogue,
        shape_entry(("iteration", "link"), seed.relation_types, seed.structure, "generic"),
    )
    assert after == want
    assert query(page)["patterns"] == ["iteration", "link"]
    # A reload of the new address shows the same list.
    page.reload()
    page.wait_for_selector(READY)
    assert listed(page) == want


def test_narrowing_by_kind_keeps_the_order(
    session: tuple[Any, Watch], catalogue: list[Entry]
) -> None:
    page, _ = session
    page.goto(SEED_URL + "&kind=metaphor")
    page.wait_for_selector(READY)
    kinds = {e.slug: e.kind for e in catalogue}
    want = [(s, t) for s, t in expected(catalogue, seed_shape(catalogue)) if kinds[s] == "metaphor"]
    assert listed(page) == want and want
    page.select_option('select[name="kind"]', "")
    page.wait_for_function("() => !location.search.includes('kind=')")
    assert len(listed(page)) > len(want)


def test_the_keyboard_composes_a_shape(session: tuple[Any, Watch]) -> None:
    page, _ = session
    page.goto("shape/")
    page.wait_for_selector(READY)
    assert listed(page) == []
    assert "Pick" in (page.locator(".gb-shape__status").text_content() or "")
    page.locator('input[name="patterns"][value="force"]').focus()
    page.keyboard.press("Space")
    page.wait_for_function("() => location.search === '?patterns=force'")
    results = listed(page)
    assert results and all(score > 0 for _, score in results)
    # Each result is a link with its name as text, its score beside it.
    first = page.locator(".gb-shape__results > li").first
    assert first.locator("a").get_attribute("href")
    assert first.locator(".gb-score").text_content() == f"{results[0][1]:.3f}"
    assert page.locator(".gb-shape__status").get_attribute("role") == "status"
    # Clearing the shape empties the list and the address.
    page.get_by_role("button", name="Clear the shape").click()
    page.wait_for_function("() => location.search === ''")
    assert listed(page) == []


def test_the_entry_page_opens_its_own_shape(
    session: tuple[Any, Watch], catalogue: list[Entry]
) -> None:
    page, _ = session
    page.goto(f"entries/{SEED}/")
    page.get_by_role("link", name="Find entries shaped like this").click()
    # Instant navigation swaps the page without a load event.
    page.wait_for_function("() => location.pathname.endsWith('/shape/')")
    page.wait_for_selector(READY)
    assert listed(page) == expected(catalogue, seed_shape(catalogue))


def test_names_are_text(session: tuple[Any, Watch]) -> None:
    page, _ = session
    page.goto("shape/?patterns=container,boundary")
    page.wait_for_selector(READY)
    item = page.locator('.gb-shape__results > li[data-slug="hostile-entry"]')
    assert item.locator("bdi").text_content() == (
        'Evil <script>alert("name")</script> & "Co" </script>'
    )
    assert item.locator("script, img").count() == 0


def test_without_javascript_the_page_says_so(browser: Any, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto(SEED_URL)
    assert page.locator(".gb-shape").is_hidden()
    text = page.locator("article").inner_text()
    assert "needs JavaScript" in text
    assert page.locator('article a[href="../patterns/"]').count() == 1
    context.close()


def _random_tags(rng: random.Random) -> dict[str, Any]:
    vocabulary = default_vocabulary()
    patterns = list(vocabulary.embodied_patterns)
    relations = list(vocabulary.relation_types)
    structures = list(vocabulary.structures)
    levels = [*vocabulary.abstraction_levels, None]
    return {
        "patterns": rng.sample(patterns, rng.randint(0, 5)),
        "relations": rng.sample(relations, rng.randint(0, 5)),
        "structure": rng.sample(structures, rng.randint(0, 2)),
        "level": rng.choice(levels),
    }


def _as_entry(tags: dict[str, Any]) -> Entry:
    return shape_entry(tags["patterns"], tags["relations"], tags["structure"], tags["level"])


def test_javascript_scores_equal_python_on_random_shapes(
    session: tuple[Any, Watch], catalogue: list[Entry]
) -> None:
    """400 random pairs plus every (random shape, catalogue entry) pair of 40 shapes."""
    page, _ = session
    page.goto("shape/")
    page.wait_for_selector(READY)
    rng = random.Random(20261204)
    cases = [(_random_tags(rng), _random_tags(rng)) for _ in range(400)]
    for _ in range(40):
        a = _random_tags(rng)
        cases += [
            (
                a,
                {
                    "patterns": list(e.embodied_patterns),
                    "relations": list(e.relation_types),
                    "structure": list(e.structure),
                    "level": e.abstraction_level,
                },
            )
            for e in catalogue
        ]
    got = page.evaluate(
        """(cases) => {
            const model = window.mmaShape.page.model;
            return cases.map(([a, b]) => window.mmaShape.similarity(model, a, b));
        }""",
        cases,
    )
    vocabulary = default_vocabulary()
    settings = NeighbourSettings()
    want = []
    boundary = 0
    for a, b in cases:
        score = similarity(_as_entry(a), _as_entry(b), vocabulary)
        want.append(score.total)
        parts = (score.patterns, score.relations, score.structure, score.level)
        boundary += near_rounding_boundary(_combine(settings, *parts))
    mismatches = [(c, g, w) for c, g, w in zip(cases, got, want, strict=True) if g != w]
    assert mismatches == []
    # Some cases went through the exact rounding of a half-way total.
    assert boundary > 0


def test_screenshots_desktop_and_phone(browser: Any, base_url: str) -> None:
    for name, options in (
        ("desktop", {"viewport": {"width": 1280, "height": 900}}),
        (
            "phone",
            {
                "viewport": {"width": 390, "height": 844},
                "device_scale_factor": 2,
                "is_mobile": True,
                "has_touch": True,
            },
        ),
    ):
        context, watch = open_context(browser, base_url, reduced_motion="reduce", **options)
        page = context.new_page()
        page.goto(SEED_URL)
        page.wait_for_selector(READY)
        screenshot(page, f"shape-{name}.png")
        if name == "phone":
            page.locator(".gb-shape__skip").click()
            assert page.evaluate("document.activeElement.id") == "gb-shape-results"
            assert page.locator(".gb-shape__results > li").first.is_visible()
            screenshot(page, "shape-phone-results.png")
        # Nothing sticks out sideways on a phone.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= options["viewport"]["width"]  # type: ignore[index]
        watch.check(page)
        context.close()


def test_data_stays_small(site: Path) -> None:
    size = (site / "shape" / "entries.json").stat().st_size
    assert size < 200 * 16  # 16 entries at most in the fixture, well under 200 bytes each
