"""The raw-block extension: a top-level raw HTML block skips the inline pass and the page comes
out the same, whatever surrounds it."""

from __future__ import annotations

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.inlinepatterns import InlineProcessor

from graph_builder.site import raw_blocks, text_runs
from graph_builder.site.escape import markdown_block

SITE = ["attr_list", "tables", "toc", "pymdownx.superfences", text_runs.NAME]
CONFIGS = {"toc": {"permalink": True}}

# Pieces of pages: our placeholders and raw blocks, and the Markdown around them.
PIECES = [
    "<!--gb-held-0-->",
    '<p class="gb-summary">A summary &amp; more.</p>',
    '<ul class="gb-tags" data-search-exclude>\n<li>x</li>\n</ul>',
    "## A heading",
    "Plain *prose*, with `code` and <b>inline</b> HTML.",
    "- an item\n- another item",
    "- an item\n\n    <!--gb-held-1-->\n\n- a loose item",
    "> a quote\n>\n> <!--gb-held-2-->",
    "1. first\n2. second",
    "```\n<!--gb-held-3-->\n```",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "<div>\nraw\n</div>\nand a line after it",
    "---",
    markdown_block("Escaped prose (with punctuation): a, b; c."),
]


def render(text: str, *, raw: bool) -> str:
    extensions = [*SITE, raw_blocks.NAME] if raw else SITE
    md = markdown.Markdown(extensions=extensions, extension_configs=CONFIGS)
    return md.convert(text_runs.marked(text))


@settings(deadline=None, max_examples=150)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8))
def test_a_page_comes_out_the_same(pieces: list[str]) -> None:
    text = "\n\n".join(pieces)
    assert render(text, raw=True) == render(text, raw=False)


class Counting(InlineProcessor):
    """Counts the texts made of nothing but a placeholder that the inline stage reads."""

    seen = 0

    def handleMatch(self, m, data):  # type: ignore[no-untyped-def]  # noqa: N802
        Counting.seen += 1
        return None, None, None


def inline_reads(text: str, *, raw: bool) -> int:
    extensions = ["toc", raw_blocks.NAME] if raw else ["toc"]
    md = markdown.Markdown(extensions=extensions)
    md.inlinePatterns.register(Counting(r"^\x02wzxhzdk:\d+\x03$", md), "counting", 500)
    Counting.seen = 0
    md.convert(text)
    return Counting.seen


def test_a_top_level_raw_block_skips_the_inline_pass() -> None:
    top = "# T\n\n<!--gb-held-0-->\n\n<div>x</div>\n\nprose"
    assert inline_reads(top, raw=False) == 2
    assert inline_reads(top, raw=True) == 0
