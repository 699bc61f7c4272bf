"""The run extension: a page's unsearched run reaches the document tree without the parser and
comes out as the page written whole renders, table of contents included; nothing in a run's
heading is read as Markdown or HTML, and a lost run is an error, never a quiet gap."""

from __future__ import annotations

import html as html_module

import markdown
import pytest

from graph_builder.site import text_runs, unsearched_runs
from graph_builder.site.escape import markdown_block
from graph_builder.site.holdout import (
    HeldBlock,
    LostBlocksError,
    PageText,
    RunHeading,
    Unsearched,
    for_search,
    page_text,
    restore_blocks,
    set_apart,
)

SITE = ["attr_list", "tables", "toc", "pymdownx.superfences"]
CONFIGS = {"toc": {"permalink": True}}
URI = "entries/x.md"

LINKS = HeldBlock('<ul class="gb-related" data-search-exclude>\n<li>x</li>\n</ul>', False)
GRAPH = HeldBlock('<section class="mma-graph" data-search-exclude>g</section>', False)


def whole(text: PageText) -> tuple[str, object]:
    """The page as `graph-builder generate` writes it, through the engine (prose read in text
    runs, as the plugin has it read): HTML and contents."""
    md = markdown.Markdown(extensions=[*SITE, text_runs.NAME], extension_configs=CONFIGS)
    return md.convert(text_runs.marked(text.markdown)), md.toc_tokens  # type: ignore[attr-defined]


def in_runs(text: PageText, *, pages: dict[str, PageText] | None = None) -> tuple[str, object]:
    """The skeleton as the plugin hands it over, through the engine with both extensions."""
    md = markdown.Markdown(
        extensions=[*SITE, text_runs.NAME, unsearched_runs.NAME],
        extension_configs={**CONFIGS, unsearched_runs.NAME: {"pages": pages or {URI: text}}},
    )
    source = text_runs.marked(unsearched_runs.marked(text.skeleton, URI))
    return md.convert(source), md.toc_tokens  # type: ignore[attr-defined]


def page(*, heading: str = "Within Sea, Ships") -> PageText:
    prose = markdown_block("Some prose.\n\n### Referenced by\n\nA sub-heading of the prose.")
    run = Unsearched(
        (
            RunHeading(2, "Structural neighbours"),
            GRAPH,
            RunHeading(3, heading),
            LINKS,
            RunHeading(2, "Referenced by"),
            LINKS,
        )
    )
    return page_text(
        ["# T", "", HeldBlock('<p class="gb-facts">f</p>', True), "", "## Origin Story", ""],
        [prose, "", run, "## Structure", "", HeldBlock('<ul class="gb-tags">t</ul>', False)],
    )


def test_a_run_comes_out_as_the_page_written_whole_renders() -> None:
    text = page()
    # The skeleton holds one line for the run, none of its headings.
    assert "Structural neighbours" not in text.skeleton and text.skeleton.count("gb-run-0") == 1
    assert "## Structural neighbours { data-search-exclude }" in text.markdown
    html, contents = in_runs(text)
    expected_html, expected_contents = whole(text)
    # Byte for byte once the blocks are back: the same ids (the prose took "referenced-by"
    # first), permalinks, marks and line breaks, and the same table of contents.
    assert restore_blocks(html, text.blocks) == expected_html
    assert contents == expected_contents
    assert '<h2 data-search-exclude id="referenced-by_1">Referenced by<a class="headerlink"' in html
    assert expected_html.count("<li>x</li>") == 2
    # The plugin's next step finds the run's marks once each.
    apart, runs = set_apart(for_search(html, text.blocks), text.unsearched)
    assert "Structural neighbours" not in apart and "Structure" in apart and len(runs) == 1


@pytest.mark.parametrize(
    "heading",
    [
        "Within <script>alert(1)</script>",
        "Within *bold* [a](javascript:x) {: .x }",
        "Within &amp; & Sea",
    ],
)
def test_a_run_heading_is_only_ever_text(heading: str) -> None:
    html, contents = in_runs(page(heading=heading))
    assert "<script" not in html and "<em>" not in html and "<a href" not in html
    assert 'class="x"' not in html
    # What the reader sees is the text as given: the engine escaped it as element text.
    shown = html.split("<h3 data-search-exclude", 1)[1].split(">", 1)[1].split("<a ", 1)[0]
    assert html_module.unescape(shown) == heading
    # The table of contents has it as the page written whole does (the same characters,
    # written as other references), but for emphasis: the Markdown of a page written whole
    # keeps `*` live in a heading as in prose; a run's heading is never read.
    written_whole = _readable(whole(page(heading=heading))[1])
    assert (_readable(contents) == written_whole) is ("*" not in heading)


def _readable(tokens: object) -> list[tuple[object, ...]]:
    """Contents as the reader gets them: level, id, title text, and the same of the children."""
    return [
        (t["level"], t["id"], html_module.unescape(t["name"]), _readable(t["children"]))
        for t in tokens  # type: ignore[attr-defined]
    ]


def test_a_page_without_the_mark_is_left_alone() -> None:
    text = page()
    md = markdown.Markdown(
        extensions=[*SITE, unsearched_runs.NAME],
        extension_configs={unsearched_runs.NAME: {"pages": {URI: text}}},
    )
    html = md.convert(text.skeleton)
    assert "<!--gb-run-0-->" in html and "Structural neighbours" not in html


def test_a_lost_run_is_an_error_not_a_gap() -> None:
    # A page the plugin did not register: the run stays a bare line, its marks never appear.
    text = page()
    html, _ = in_runs(text, pages={"entries/other.md": text})
    assert "Structural neighbours" not in html
    with pytest.raises(LostBlocksError):
        set_apart(html, text.unsearched)


def test_contributor_text_cannot_forge_a_run_line() -> None:
    forged = markdown_block("<!--gb-run-0-->\n\nSome prose.")
    run = Unsearched((RunHeading(2, "Structural neighbours"), LINKS))
    text = page_text(["# T", "", forged, "", run])
    html, _ = in_runs(text)
    # The contributor's line stays text; the run comes out once, where the page put it.
    assert html.count("Structural neighbours") == 1
    assert html.index("gb-run-0") < html.index("<!--gb-unsearched-0-->")
    assert "<!--gb-run-0-->" not in html
