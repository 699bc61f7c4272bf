"""Unit tests of render.py and pages.py: escaping, entry pages and site pages, without MkDocs."""

from __future__ import annotations

import doctest
import functools
import html
import re
from html.parser import HTMLParser
from types import ModuleType

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_builder.analysis.neighbours import Neighbour, NeighbourLists
from graph_builder.analysis.similarity import Score
from graph_builder.core.model import Expression, Move, Reference, Section
from graph_builder.core.slugs import uri_slug
from graph_builder.core.vocabulary import default_vocabulary
from graph_builder.site import entry_page, escape, index, unsearched_runs, urls
from graph_builder.site.build import render_site
from graph_builder.site.entry_page import render_entry_page
from graph_builder.site.escape import front_matter, markdown_block, markdown_inline, script_json
from graph_builder.site.holdout import (
    HeldBlock,
    LostBlocksError,
    PageText,
    for_search,
    page_text,
    restore_blocks,
)
from graph_builder.site.index import SiteIndex, SiteOptions
from graph_builder.site.urls import facet_uri, link
from tests import entries

VOCAB = default_vocabulary()


def to_html(text: str) -> str:
    """Render Markdown the way the site does (attr_list on, raw HTML passed through)."""
    return markdown.markdown(text, extensions=["attr_list", "tables", "toc"])


class TagCollector(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(fragment: str) -> TagCollector:
    collector = TagCollector()
    collector.feed(fragment)
    collector.close()
    return collector


# --- escaping -------------------------------------------------------------------------------

HOSTILE = [
    '<script>alert("x")</script>',
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '[click](javascript:alert(1) "t")',
    "![pixel](https://tracker.invalid/p.png)",
    "<https://autolink.invalid>",
    'text{: onclick="alert(1)" }',
    "[ref]: javascript:alert(1)",
    "&lt;script&gt; already escaped",
    "```\nan unclosed fence <b>",
    "<!-- comment -->",
    "\"quotes\" & 'apostrophes'",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_inline_text_renders_as_the_same_text_with_no_tags(text: str) -> None:
    rendered = parse(to_html(markdown_inline(text)))
    # The only tag besides the paragraph is our own link for a web address (`![pixel](https…)`).
    others = [(tag, attrs) for tag, attrs in rendered.tags if tag != "p"]
    assert others in (
        [],
        [("a", {"href": "https://tracker.invalid/p.png", "rel": "nofollow"})],
        [("a", {"href": "https://autolink.invalid", "rel": "nofollow"})],
    )
    assert "".join(rendered.text) == " ".join(text.split())


@pytest.mark.parametrize(
    ("text", "tags", "shown"),
    [
        ("- a list?", ["p"], "- a list?"),
        ("1. a number?", ["p"], "1. a number?"),
        ("# a heading?", ["p"], "# a heading?"),
        ("> a quote?", ["p"], "> a quote?"),
        ("***", ["p"], "***"),
        ("~~~ a fence?", ["p"], "~~~ a fence?"),
        ("*emphasis* stays", ["p", "em"], "emphasis stays"),
        ("`a <b> code`", ["p", "code"], "a <b> code"),
    ],
)
def test_inline_text_cannot_open_a_block(text: str, tags: list[str], shown: str) -> None:
    rendered = parse(to_html(markdown_inline(text)))
    assert [tag for tag, _ in rendered.tags] == tags
    assert "".join(rendered.text) == shown


def test_web_addresses_become_our_links_and_other_schemes_stay_text() -> None:
    rendered = parse(to_html(markdown_inline("see https://example.org/a_b?x=1&y=2). or ftp://x")))
    links = [attrs for tag, attrs in rendered.tags if tag == "a"]
    assert links == [{"href": "https://example.org/a_b?x=1&y=2", "rel": "nofollow"}]
    assert "".join(rendered.text) == "see https://example.org/a_b?x=1&y=2). or ftp://x"


def test_block_text_keeps_paragraphs_and_lists_but_no_html() -> None:
    text = "First <b>para</b>.\n\n- one\n- two [x](javascript:y)\n\n### Sub\n\nLast\n---"
    rendered = to_html(markdown_block(text))
    assert [tag for tag, _ in parse(rendered).tags] == ["p", "ul", "li", "li", "h3", "p", "hr"]
    assert "First <b>para</b>." in html.unescape(rendered)


_ALLOWED = {"p", "em", "strong", "code", "a", "ul", "ol", "li", "blockquote", "h3", "h4", "h5"}
_ALLOWED |= {"h6", "hr", "br", "pre"}


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("<>&\"'[](){}#!*_`\\|:=-+~ \n/aeiou=js1.")) | st.characters(),
        max_size=60,
    )
)
def test_no_contributor_text_produces_an_attribute(text: str) -> None:
    """Whatever the text, the only attributes in the output are our own links' href/rel."""
    for rendered in (to_html(markdown_inline(text)), to_html(markdown_block(text))):
        for tag, attrs in parse(rendered).tags:
            assert tag in _ALLOWED, rendered
            if tag == "a":
                assert set(attrs) == {"href", "rel"}
                assert (attrs["href"] or "").startswith(("http://", "https://"))
            elif tag.startswith("h"):
                assert set(attrs) <= {"id"}
            else:
                assert attrs == {}, rendered


def test_script_json_cannot_close_the_script_element() -> None:
    text = script_json({"b": "</script><!--", "a": "x & y\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert text.startswith('{"a"')


def test_front_matter_is_yaml_holding_escaped_ascii() -> None:
    name = 'Évite "<script>" & </title>'
    meta = yaml.safe_load(front_matter(title=name, description="a\nb").strip("-\n"))
    assert meta == {
        "title": "&#201;vite &quot;&lt;script&gt;&quot; &amp; &lt;/title&gt;",
        "description": "a b",
    }
    assert html.unescape(meta["title"]) == name


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("phoenix", "phoenix"),
        ("../../etc/passwd", "etc-passwd"),
        ("A B", "a-b"),
        ("///", "unnamed"),
    ],
)
def test_uri_slug_never_leaves_its_folder(value: str, expected: str) -> None:
    assert uri_slug(value) == expected


def test_links_are_relative_to_the_page() -> None:
    assert link("entries/a.md", "entries/b.md") == "b.md"
    assert link("entries/a.md", "patterns/link.md") == "../patterns/link.md"
    assert link("index.md", "entries/index.md") == "entries/index.md"
    assert facet_uri("relation_types", "transform/refinement") == "relations/transform.md"


# --- entry pages ----------------------------------------------------------------------------


# The entries of these pages: a mental model in psychology, by someone, from one day.
make_entry = functools.partial(
    entries.make_entry,
    kind="mental-model",
    categories=("psychology",),
    author="someone",
    created="2026-01-01",
    updated="2026-01-01",
)


def score(total: float, **fields: object) -> Score:
    base: dict[str, object] = {
        "total": total,
        "patterns": 0.0,
        "relations": 0.0,
        "structure": 0.0,
        "level": 0.0,
        "shared_patterns": (),
        "shared_relations": (),
        "sibling_relations": (),
        "shared_structures": (),
        "level_match": False,
    }
    base.update(fields)
    return Score(**base)  # type: ignore[arg-type]


SEED = make_entry(
    "seed",
    name="The Seed",
    summary="A seed summary.",
    source_frame="psychotherapy",
    grounding="established",
    related=("near", "missing-one"),
    embodied_patterns=("link", "iteration"),
    relation_types=("restore", "transform/refinement"),
    structure=("cycle",),
    abstraction_level="generic",
    transfers=("[model] Carries this.", "[source] And that."),
    limits=("[model] Breaks here.", "[law] And there."),
    contributors=("helper",),
    sections=(
        Section(
            title="Transfers",
            line=30,
            text="Intro.\n\n- **Move** -- does it",
            intro="Intro.",
            moves=(Move(label="Move", text="does it -- really", line=32),),
        ),
        Section(
            title="Expressions",
            line=40,
            text='- "say it" -- a gloss',
            expressions=(Expression(phrase="say it", gloss="a gloss", line=41),),
        ),
        Section(
            title="References",
            line=50,
            text="- A *Book* (2000)",
            references=(Reference(text="A *Book* (2000)", line=51),),
        ),
    ),
)
NEAR = make_entry(
    "near",
    name="Near One",
    source_frame="mythology",
    kind="metaphor",
    related=("seed",),
    embodied_patterns=("iteration",),
    relation_types=("transform",),
    structure=("cycle",),
    abstraction_level="generic",
)
SAME = make_entry(
    "same",
    name="Same Frame",
    source_frame="psychotherapy",
    embodied_patterns=("link",),
    relation_types=("restore",),
    structure=("cycle",),
    abstraction_level="specific",
)
PLAIN = make_entry("plain", name="Plain Entry")
NEIGHBOURS = {
    "seed": NeighbourLists(
        cross_domain=(
            Neighbour(
                slug="near",
                same_domain=False,
                score=score(
                    0.5,
                    shared_patterns=("iteration",),
                    sibling_relations=(("transform/refinement", "transform"),),
                    shared_structures=("cycle",),
                    level_match=True,
                ),
            ),
        ),
        same_domain=(
            Neighbour(
                slug="same",
                same_domain=True,
                score=score(0.4, shared_patterns=("link",), shared_relations=("restore",)),
            ),
        ),
    ),
    "near": NeighbourLists(
        cross_domain=(Neighbour(slug="seed", same_domain=False, score=score(0.5)),)
    ),
    "same": NeighbourLists(
        same_domain=(Neighbour(slug="seed", same_domain=True, score=score(0.4)),)
    ),
}


@pytest.fixture(scope="module")
def seed_html() -> str:
    index = SiteIndex.build([SEED, NEAR, SAME, PLAIN], VOCAB, NEIGHBOURS)
    options = SiteOptions(edit_url="https://example.org/edit/main/entries/")
    return to_html(render_entry_page(SEED, index, options).markdown.split("---\n", 2)[2])


def test_entry_page_lists_neighbours_with_their_reasons(seed_html: str) -> None:
    across = seed_html.split('id="across-domains"')[1].split('id="within-psychotherapy"')[0]
    assert re.findall(r'<a href="([^"]+)">', across) == [
        "../near/",
        "../../patterns/iteration/",
        "../../relations/transform/#refinement",
        "../../relations/transform/",
    ]
    assert "(siblings) · cycle · same level (generic)</li>" in across
    assert "Mythology · Metaphor" in across
    bar = '<span class="gb-score" style="--score: 50.0%" title="structural similarity 0.500">'
    assert f"{bar}0.500</span>" in across
    assert "(siblings)" in across
    within = seed_html.split('id="within-psychotherapy"')[1].split('id="related-entries"')[0]
    assert re.findall(r'<a href="([^"]+)">', within) == [
        "../same/",
        "../../patterns/link/",
        "../../relations/restore/",
    ]


def test_entry_page_related_and_referenced_by(seed_html: str) -> None:
    related = seed_html.split('id="related-entries"')[1].split('id="referenced-by"')[0]
    assert '<a href="../near/"><bdi>Near One</bdi></a>' in related
    assert 'missing-one <span class="gb-missing">not yet written</span>' in related
    referenced = seed_html.split('id="referenced-by"')[1].split('id="structure"')[0]
    assert 'Listed as related by: <a href="../near/"><bdi>Near One</bdi></a>' in referenced
    assert (
        'A structural neighbour of: <a href="../near/"><bdi>Near One</bdi></a>, '
        '<a href="../same/"><bdi>Same Frame</bdi></a>' in referenced
    )


def test_entry_page_facts_sections_and_credits(seed_html: str) -> None:
    assert '<p class="gb-facts"><a href="../../kinds/mental-model/">Mental model</a>' in seed_html
    assert '<a href="../../domains/psychotherapy/">Psychotherapy</a>' in seed_html
    assert '<p class="gb-summary">A seed summary.</p>' in seed_html
    assert '<br>\n<span class="gb-claim">source</span> And that.</p>' in seed_html
    assert "<strong>Move</strong> — does it — really" in seed_html
    assert "“say it” — a gloss" in seed_html
    assert "A <em>Book</em> &#40;2000&#41;" in seed_html
    assert 'href="https://example.org/edit/main/entries/seed.md">Edit this entry</a>' in seed_html
    assert "<br>\nWritten by someone.<br>\nContributors: helper.<br>\n" in seed_html
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", seed_html)
    assert headings == [
        "Transfers",
        "Limits",
        "Expressions",
        "References",
        "Structural neighbours",
        "Related entries",
        "Referenced by",
        "Structure",
    ]


def test_entry_without_tags_says_so_and_has_no_edit_link_by_default() -> None:
    index = SiteIndex.build([PLAIN], VOCAB, {})
    page = render_entry_page(PLAIN, index, SiteOptions()).markdown
    assert "has no structural tags yet" in page
    assert "Edit this entry" not in page


# --- site pages -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site() -> dict[str, str]:
    pages = render_site([PLAIN, SAME, NEAR, SEED], VOCAB, NEIGHBOURS, SiteOptions(featured="seed"))
    return {page.uri: page.markdown for page in pages}


def test_site_has_every_page_family(site: dict[str, str]) -> None:
    for uri in (
        "index.md",
        "entries/index.md",
        "entries/seed.md",
        "kinds/index.md",
        "kinds/metaphor.md",
        "domains/index.md",
        "domains/mythology.md",
        "categories/psychology.md",
        "patterns/index.md",
        "patterns/attraction.md",
        "relations/transform.md",
        "structures/cycle.md",
        "levels/generic.md",
        "vocabulary/index.md",
        "graph/index.md",
    ):
        assert uri in site
    assert "relations/transform/refinement.md" not in site
    assert sorted(u for u in site if u.startswith("domains/")) == [
        "domains/index.md",
        "domains/mythology.md",
        "domains/psychotherapy.md",
    ]


def test_facet_pages_list_exactly_their_entries(site: dict[str, str]) -> None:
    iteration = re.findall(r'href="\.\./\.\./entries/([a-z-]+)/"', site["patterns/iteration.md"])
    assert iteration == ["near", "seed"]
    assert "## 2 entries" in site["patterns/iteration.md"]
    transform = site["relations/transform.md"]
    bare = transform.split("{#transform}")[1].split("{#metamorphosis}")[0]
    assert re.findall(r"entries/([a-z-]+)/", bare) == ["near"]
    refinement = transform.split("{#refinement}")[1].split("{#synthesis}")[0]
    assert re.findall(r"entries/([a-z-]+)/", refinement) == ["seed"]
    relations = site["relations/index.md"]
    assert '<li><a href="transform/">Transform</a> (2) — One thing becomes another.' in relations
    assert '<a href="transform/#refinement">transform/refinement</a> (1) — ' in relations
    patterns = site["patterns/index.md"]
    assert '<li><a href="iteration/">Iteration</a> (2) — The same step repeated' in patterns
    assert '<li><a href="attraction/">Attraction</a> (0) — ' in patterns


def test_a_to_z_groups_by_first_letter(site: dict[str, str]) -> None:
    page = site["entries/index.md"]
    assert re.findall(r"^## (\w+)", page, re.M) == ["N", "P", "S", "T"]
    assert page.index("Same Frame") < page.index("The Seed")


def test_home_features_the_seed_and_its_neighbours(site: dict[str, str]) -> None:
    home = site["index.md"]
    assert "## Featured: <bdi>The Seed</bdi>" in home
    assert "from other domains: [<bdi>Near One</bdi>](entries/near.md)." in home


def test_vocabulary_lists_every_term_with_weight(site: dict[str, str]) -> None:
    page = site["vocabulary/index.md"]
    for slug, term in VOCAB.embodied_patterns.items():
        assert f"| [{markdown_inline(slug)}](../patterns/{slug}.md) | " in page
        assert f" {term.weight:g} |" in page
    assert "[transform&#47;refinement](../relations/transform.md#refinement)" in page


def test_render_site_is_deterministic_and_order_independent() -> None:
    a = render_site([SEED, NEAR, SAME, PLAIN], VOCAB, NEIGHBOURS)
    b = render_site([PLAIN, SAME, NEAR, SEED], VOCAB, NEIGHBOURS)
    assert a == b
    assert [p.uri for p in a] == sorted(p.uri for p in a)
    assert {p.uri for p in a if p.in_nav} == {
        "index.md",
        "entries/index.md",
        "vocabulary/index.md",
        "contribute/tagging.md",
        "graph/index.md",
        "shape/index.md",
        *(f"{folder}/index.md" for folder in ("kinds", "domains", "categories", "patterns")),
        *(f"{folder}/index.md" for folder in ("relations", "structures", "levels")),
    }


def skeleton_html(text: PageText) -> str:
    """A page's skeleton rendered as the plugin has it rendered: its runs in the tree."""
    md = markdown.Markdown(
        extensions=["attr_list", "tables", "toc", unsearched_runs.NAME],
        extension_configs={unsearched_runs.NAME: {"pages": {"p.md": text}}},
    )
    return md.convert(unsearched_runs.marked(text.skeleton.split("---\n", 2)[2], "p.md"))


def test_an_entry_page_s_blocks_come_back_where_they_were() -> None:
    index = SiteIndex.build([SEED, NEAR, SAME, PLAIN], VOCAB, NEIGHBOURS)
    text = render_entry_page(SEED, index, SiteOptions())
    page = text.markdown.split("---\n", 2)[2]
    held, blocks = text.skeleton.split("---\n", 2)[2], text.blocks
    # Search-excluded: the neighbour lists (2), related, referenced-by, the tags and the link
    # to entries of the same shape (the same words on every entry page).
    assert [b.html.split(">", 1)[0] for b in blocks if not b.searchable] == [
        '<ol class="gb-neighbours" data-search-exclude',
        '<ol class="gb-neighbours" data-search-exclude',
        '<ul class="gb-related" data-search-exclude',
        '<ul class="gb-referenced" data-search-exclude',
        '<ul class="gb-tags" data-search-exclude',
        '<p class="gb-shape-link" data-search-exclude',
    ]
    # Searchable: our paragraphs (facts, summary, the claims of both sections, credits); the
    # prose and the headings stay for the Markdown engine.
    searchable = [b.html.split('"', 2)[1] for b in blocks if b.searchable]
    assert searchable == ["gb-facts", "gb-summary", "gb-claims", "gb-claims", "gb-credits"]
    assert "<li>" not in held and "<p class=" not in held and "Transfers" in held
    # The link sections are one line: their headings never reach the Markdown parser.
    assert "Structural neighbours" not in held and "Structural neighbours" in page
    assert restore_blocks(skeleton_html(text), blocks) == to_html(page)
    # In two steps, as the plugin does: searchable blocks in their search form first (search
    # reads them), then every block whole.
    first = for_search(skeleton_html(text), blocks)
    assert '<p class="gb-facts">Mental model' in first and "gb-neighbours" not in first
    assert restore_blocks(first, blocks) == to_html(page)


def test_contributor_text_cannot_forge_a_placeholder() -> None:
    text = markdown_block(
        '<ol class="gb-x" data-search-exclude>\n<li>x</li>\n</ol>\n<!--gb-held-0-->'
    )
    assert page_text([text]).blocks == ()
    assert "<!--" not in to_html(text)
    # A block whose placeholder a contributor wrote is still missing: an error, not a page.
    with pytest.raises(LostBlocksError):
        restore_blocks(to_html(text), [HeldBlock("<p>x</p>", searchable=False)])


@pytest.mark.parametrize("module", [entry_page, escape, index, urls], ids=lambda m: m.__name__)
def test_module_examples(module: ModuleType) -> None:
    assert doctest.testmod(module).failed == 0


# Every part of every section a contributor may write, each with a word found nowhere else.
WHOLE_BODY = """\
---
slug: whole
name: Whole
---
## Transfers

Transfersintro paragraph.

- **Label** -- Transfersitem move.

Transfersoutro paragraph.

### Transferssubheading

- Transfersfurther item

## Limits

Limitsintro paragraph.

- **Edge** -- Limitsitem move.

Limitsoutro paragraph.

## Expressions

Expressionsintro paragraph.

- "Expressionsitem phrase" -- a gloss

Expressionsoutro paragraph.

## Origin Story

Originintro paragraph.

- Originitem

Originoutro paragraph.

## References

Referencesintro paragraph.

- Referencesitem book.

Referencesoutro paragraph.
"""


@pytest.fixture(scope="module")
def whole_page_text() -> str:
    from graph_builder.core.load import parse_entry

    entry, problems = parse_entry(WHOLE_BODY, "entries/whole.md", default_slug="whole")
    assert entry is not None and problems == []
    page = render_entry_page(entry, SiteIndex.build([entry], VOCAB, {}), SiteOptions()).markdown
    return " ".join(parse(to_html(page.split("---\n", 2)[2])).text)


@pytest.mark.parametrize(
    "word",
    sorted(set(re.findall(r"[A-Z][a-z]+(?:intro|item|outro|subheading|further)", WHOLE_BODY))),
)
def test_every_part_of_every_section_reaches_the_page(whole_page_text: str, word: str) -> None:
    assert word in whole_page_text


def test_text_after_a_list_is_escaped_like_the_intro() -> None:
    section = Section(
        title="References",
        line=1,
        text="",
        references=(Reference(text="a", line=3),),
        outro='<img src=x onerror="alert(1)"> [link](javascript:x)\n\n### Sub',
        outro_line=5,
    )
    entry = make_entry("outro", name="Outro", sections=(section,))
    page = render_entry_page(entry, SiteIndex.build([entry], VOCAB, {}), SiteOptions()).markdown
    assert markdown_block(section.outro) in page
    tags = [tag for tag, _ in parse(to_html(page.split("---\n", 2)[2])).tags]
    assert "img" not in tags and "h3" in tags
    body = page.split("## References", 1)[1]
    assert body.index("- a") < body.index("### Sub")
