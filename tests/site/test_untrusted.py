"""Contributor text becomes a closed set of elements, whatever it nests: property tests.

The strategies build text from the pieces of every Markdown, HTML and attribute-list construct
(code spans, emphasis, links and images, raw tags, attribute lists, autolinks, list markers,
quotes, headings, indentation), nested inside each other, and put it into every field an entry
page shows. The page is rendered the way the site renders it (the plugin's hold-out, Python-
Markdown with the site's extensions, the restore) and every element of it is checked: the ones
we lay out ourselves, with their fixed attributes, and the few contributor prose may become.

More examples:
`HYPOTHESIS_PROFILE=thorough .venv/bin/python -m pytest tests/site/test_untrusted.py`.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config

from graph_builder.analysis.neighbours import NeighbourLists
from graph_builder.core.model import Entry, Expression, Move, Reference, Section
from graph_builder.core.text import strip_invisible
from graph_builder.core.vocabulary import default_vocabulary
from graph_builder.site import text_runs, unsearched_runs
from graph_builder.site.entry_page import render_entry_page
from graph_builder.site.escape import markdown_block, markdown_inline
from graph_builder.site.holdout import (
    HeldBlock,
    LostBlocksError,
    PageText,
    RunHeading,
    Unsearched,
    for_search,
    page_text,
    put_back,
    restore_blocks,
    set_apart,
)
from graph_builder.site.index import SiteIndex, SiteOptions

ROOT = Path(__file__).resolve().parent.parent.parent
VOCAB = default_vocabulary()

# What contributor prose may become (the site's Markdown adds an `id` to headings).
PROSE_ELEMENTS = {"p", "em", "strong", "code", "a", "ul", "ol", "li", "blockquote", "hr"}
PROSE_ELEMENTS |= {"h3", "h4", "h5", "h6"}
# What an entry page holds besides: the elements we write, each with the attributes we give it.
OUR_ELEMENTS: dict[str, set[str]] = {
    "h1": {"id"},
    "h2": {"id", "data-search-exclude"},
    "h3": {"id", "data-search-exclude"},
    "p": {"class", "data-search-exclude"},
    "span": {"class", "style", "title"},
    "a": {"href", "class", "rel", "title"},
    "bdi": set(),
    "br": set(),
    "ol": {"class", "data-search-exclude"},
    "ul": {"class", "data-search-exclude"},
    "li": set(),
    "hr": set(),
}


def site_markdown() -> tuple[markdown.Markdown, dict[str, PageText]]:
    """Python-Markdown with the extensions (and their options) of the repository's mkdocs.yml,
    as MkDocs reads them, and those its plugins add (graph-builder's text and unsearched runs),
    with the plugin's pages by URI, which the unsearched runs read."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    assert text_runs.NAME in config.markdown_extensions
    assert unsearched_runs.NAME in config.markdown_extensions
    md = markdown.Markdown(
        extensions=config.markdown_extensions, extension_configs=config.mdx_configs
    )
    return md, config.mdx_configs[unsearched_runs.NAME]["pages"]


MD, PAGES = site_markdown()


def to_html(text: str) -> str:
    MD.reset()
    return MD.convert(text)


class Elements(HTMLParser):
    """Every start tag with its attributes, and the elements found inside a `<code>`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.in_code = 0
        self.inside_code: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.in_code:
            self.inside_code.append(tag)
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag == "code":
            self.in_code += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "code":
            self.in_code -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "code":
            self.in_code -= 1


def elements(html_text: str) -> Elements:
    found = Elements()
    found.feed(html_text)
    found.close()
    return found


# --- the strategies -------------------------------------------------------------------------

_ATOMS = st.sampled_from(
    [
        "word",
        " ",
        "x y",
        "javascript:alert(1)",
        "https://tracker.invalid/p.gif",
        "http://a.invalid/x_(y)_z",
        "//cdn.invalid/x.js",
        "data:text/html,<b>",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<b onmouseover=alert(1)>",
        "</code>",
        "<!--gb-held-0-->",
        "&lt;",
        "&#60;",
        "\\",
        '"',
        "'",
        "|",
        ":smile:",
        "==m==",
        "^^i^^",
        "~~d~~",
        "\u202e",
        "\x1b[31m",
    ]
)


def _wrap(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """One construct around text: code spans, emphasis, links, images, tags, attribute lists."""
    return st.one_of(
        inner.map(lambda t: f"`{t}`"),
        inner.map(lambda t: f"``{t}``"),
        inner.map(lambda t: f"*{t}*"),
        inner.map(lambda t: f"__{t}__"),
        st.tuples(inner, inner).map(lambda p: f"[{p[0]}]({p[1]})"),
        st.tuples(inner, inner).map(lambda p: f"![{p[0]}]({p[1]})"),
        st.tuples(inner, inner).map(lambda p: f'[{p[0]}]({p[1]} "title")'),
        inner.map(lambda t: f"[{t}][ref]\n\n[ref]: javascript:alert(1)"),
        inner.map(lambda t: f'{t}{{: onclick="alert(1)" }}'),
        inner.map(lambda t: f"{t}{{#id .cls data-x=1}}"),
        inner.map(lambda t: f"<{t}>"),
        inner.map(lambda t: f'<a href="javascript:{t}">{t}</a>'),
        inner.map(lambda t: f"<span>{t}</span>"),
        st.tuples(inner, inner).map(lambda p: f"{p[0]} {p[1]}"),
    )


INLINE = st.recursive(_ATOMS, _wrap, max_leaves=8)

_LINE_STARTS = st.sampled_from(
    ["", "- ", "* ", "+ ", "1. ", "2) ", "> ", ">     ", "    ", "\t", "        ", "### ", "## ",
     "# ", "```", "~~~", "---", "***", "===", "| a | b |\n|---|---|\n| ", "<div>", "[x]: "]
)  # fmt: skip
BLOCK = st.lists(st.tuples(_LINE_STARTS, INLINE, st.sampled_from(["\n", "\n\n"])), max_size=6).map(
    lambda lines: "".join(start + text + end for start, text, end in lines)
)


# --- the escaping functions -----------------------------------------------------------------


def _check_prose(rendered: str) -> None:
    found = elements(rendered)
    assert found.inside_code == [], rendered
    for tag, attrs in found.tags:
        assert tag in PROSE_ELEMENTS, rendered
        if tag == "a" and attrs.get("class") == "headerlink":
            # The site's own permalink on a sub-heading (toc's `permalink: true`).
            assert attrs["href"].startswith("#") and set(attrs) == {"class", "href", "title"}
        elif tag == "a":
            assert set(attrs) == {"href", "rel"}, rendered
            assert re.match(r"https?://[^/]", attrs["href"]), rendered
        elif tag in {"h3", "h4", "h5", "h6"}:
            assert set(attrs) <= {"id"}, rendered
        else:
            assert attrs == {}, rendered


@settings(deadline=None)
@given(INLINE)
def test_a_line_of_contributor_text_becomes_only_allowed_elements(text: str) -> None:
    _check_prose(to_html(markdown_inline(text)))


@settings(deadline=None)
@given(BLOCK)
# Python-Markdown can pair an emphasis marker with a lone tag here, cutting a code span in two;
# on an entry page the span is kept whole (text_runs).
@example(text='***__word__\n* `word`\n<a href="javascript:*word*">*word*</a>\n')
def test_contributor_prose_becomes_only_allowed_elements(text: str) -> None:
    # As the site renders it: on an entry page, read in runs (text_runs).
    _check_prose(to_html(text_runs.marked(markdown_block(text))))


@settings(deadline=None)
@given(INLINE)
def test_inside_a_code_span_nothing_is_parsed(text: str) -> None:
    code = strip_invisible(text.replace("`", ""))
    rendered = to_html(markdown_inline(f"before `{code}` after"))
    found = elements(rendered)
    tags = [tag for tag, _ in found.tags]
    assert tags in (["p", "code"], ["p"]) and (tags == ["p", "code"] or not code.strip())
    assert found.inside_code == []


# --- whole entry pages ----------------------------------------------------------------------


def _entry(texts: list[str], prose: str) -> Entry:
    one, two, three, four, five, six = texts
    return Entry(
        path="entries/hostile.md",
        slug="hostile",
        name=one,
        summary=two,
        kind="mental-model",
        source_frame="security",
        categories=("security",),
        related=("missing-one",),
        author=three,
        contributors=(four,),
        created="2026-01-01",
        updated="2026-01-02",
        transfers=(f"[model] {five}", six),
        limits=(f"[source] {six}",),
        embodied_patterns=("container", "boundary"),
        relation_types=("prevent",),
        structure=("boundary",),
        abstraction_level="specific",
        sections=(
            Section(
                title="Transfers",
                line=1,
                text=prose,
                intro=prose,
                moves=(Move(label=one, text=two, line=2), Move(label="", text=five, line=3)),
            ),
            Section(
                title="Limits", line=4, text=prose, moves=(Move(label=six, text=four, line=5),)
            ),
            Section(
                title="Expressions",
                line=6,
                text="",
                intro=prose,
                expressions=(Expression(phrase=three, gloss=one, line=7),),
            ),
            Section(title="Origin Story", line=8, text=prose),
            Section(
                title="References",
                line=9,
                text="",
                references=(Reference(text=five, line=10), Reference(text=prose, line=11)),
            ),
        ),
    )


def _rendered_page(entry: Entry) -> str:
    index = SiteIndex.build([entry], VOCAB, {entry.slug: NeighbourLists()})
    page = render_entry_page(entry, index, SiteOptions(edit_url="https://edit.invalid/"))
    # The front matter is checked by the site tests.
    held = page.skeleton.split("\n---\n", 1)[1]
    # As the plugin renders an entry page: its text read in runs (text_runs), its link sections
    # put in the tree (unsearched_runs), our blocks apart.
    PAGES["entries/hostile.md"] = page
    marked = text_runs.marked(unsearched_runs.marked(held, "entries/hostile.md"))
    return restore_blocks(to_html(marked), page.blocks)


@settings(deadline=None)
@given(st.lists(INLINE, min_size=6, max_size=6), BLOCK)
def test_an_entry_page_holds_only_our_elements_and_the_allowed_ones(
    texts: list[str], prose: str
) -> None:
    page = _rendered_page(_entry(texts, prose))
    found = elements(page)
    assert found.inside_code == []
    for tag, attrs in found.tags:
        allowed = OUR_ELEMENTS.get(tag, set()) | ({"id"} if tag in {"h4", "h5", "h6"} else set())
        assert tag in OUR_ELEMENTS or tag in PROSE_ELEMENTS, (tag, page)
        assert set(attrs) <= allowed | ({"href", "rel"} if tag == "a" else set()), (tag, attrs)
        if "href" in attrs:
            href = attrs["href"]
            assert re.match(r"(https?://[^/]|\.\./|#|[a-z0-9-]+/)", href), href
        if "style" in attrs:
            assert re.fullmatch(r"--score: [0-9.]+%", attrs["style"]), attrs
    assert "\u202e" not in page and "\x1b" not in page


# --- names, URIs and held blocks ------------------------------------------------------------


def test_a_name_is_isolated_and_loses_its_direction_and_control_characters() -> None:
    spoof = Entry(
        path="entries/spoof.md",
        slug="spoof",
        name="click \u202etnemyap\u202c to\x00 \x1b[31m",
        kind="mental-model",
    )
    page = _rendered_page(spoof)
    assert "<h1" in page and "<bdi>click tnemyap to [31m</bdi>" in page
    for char in ("\u202e", "\u202c", "\x00", "\x1b"):
        assert char not in page


def test_a_generated_uri_taken_twice_is_an_error_not_a_quiet_choice() -> None:
    from graph_builder.site.build import render_site
    from graph_builder.site.outputs import UriCollisionError

    index_entry = Entry(path="entries/index.md", slug="index", name="Index", kind="mental-model")
    try:
        render_site([index_entry], VOCAB, {})
    except UriCollisionError as exc:
        assert "entries/index.md" in str(exc)
    else:
        raise AssertionError("slug 'index' replaced the A-Z page without an error")


def test_held_blocks_must_come_back_exactly_once() -> None:
    from graph_builder.site.holdout import LostBlocksError

    page = '<ul class="gb-related" data-search-exclude>\n<li>x</li>\n</ul>'
    text = page_text(["# T", "", HeldBlock(page, searchable=False), ""])
    held, blocks = text.skeleton, text.blocks
    assert held == "# T\n\n<!--gb-held-0-->\n" and text.markdown == f"# T\n\n{page}\n"
    assert restore_blocks(to_html(held), blocks).count(page) == 1
    for broken in (to_html(held).replace("<!--gb-held-0-->", ""), to_html(held) * 2):
        try:
            restore_blocks(broken, blocks)
        except LostBlocksError as exc:
            assert "gb-related" in str(exc)
        else:
            raise AssertionError("a lost or doubled block passed silently")
    # In the plugin's two steps, search reads the searchable block in its search form, and the
    # finished page gets every block whole, once.
    summary = '<p class="gb-summary"><a href="x/">s</a><br>\nt</p>'
    text = page_text(["# T", "", HeldBlock(summary, True), "", HeldBlock(page, False)])
    held, blocks = text.skeleton, text.blocks
    searched = for_search(to_html(held), blocks)
    assert '<p class="gb-summary">s\nt</p>' in searched and "<!--gb-held-1-->" in searched
    assert summary not in searched
    assert restore_blocks(searched, blocks) == restore_blocks(to_html(held), blocks)
    assert restore_blocks(searched, blocks).count(summary) == 1
    for lost in (
        searched + "<!--gb-held-1-->",
        searched.replace("<!--gb-search-end-0-->", ""),
        searched.replace("<!--gb-held-1-->", ""),
        searched * 2,
    ):
        with pytest.raises(LostBlocksError):
            restore_blocks(lost, blocks)
    for lost in (to_html(held).replace("<!--gb-held-0-->", ""), to_html(held) * 2):
        with pytest.raises(LostBlocksError):
            for_search(lost, blocks)


def test_unsearched_runs_are_set_apart_and_put_back_exactly_once() -> None:
    links = HeldBlock('<ul class="gb-related" data-search-exclude>\n<li>x</li>\n</ul>', False)
    text = page_text(["# T", "", Unsearched((RunHeading(2, "Links"), links)), "## After", ""])
    assert text.unsearched == 1
    PAGES["runs.md"] = text
    html = to_html(unsearched_runs.marked(text.skeleton, "runs.md"))
    apart, runs = set_apart(html, text.unsearched)
    assert "Links" not in apart and "After" in apart and len(runs) == 1
    assert put_back(apart, runs) == html
    # The marks stay in the page as written, so a build without the plugin has them too.
    assert "<!--gb-unsearched-0-->" in text.markdown
    for broken in (html.replace("<!--gb-unsearched-end-0-->", ""), f"{html}<!--gb-unsearched-0-->"):
        with pytest.raises(LostBlocksError):
            set_apart(broken, 1)
    for lost in (apart.replace("<!--gb-apart-0-->", ""), apart * 2):
        with pytest.raises(LostBlocksError):
            put_back(lost, runs)
