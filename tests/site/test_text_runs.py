"""The text-run extension: escaped contributor text costs the Markdown engine one match per run
and renders to the same HTML; it can form nothing, and text without references is untouched."""

from __future__ import annotations

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_builder.site import text_runs
from graph_builder.site.escape import markdown_block

SITE = ["attr_list", "tables", "toc", "pymdownx.superfences"]


def render(text: str, *, runs: bool) -> str:
    extensions = [*SITE, text_runs.NAME] if runs else SITE
    return markdown.Markdown(extensions=extensions).convert(text)


class Counting(markdown.inlinepatterns.InlineProcessor):
    """Counts the references the engine's own entity pattern still has to handle."""

    seen = 0

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown's name)
        Counting.seen += 1
        return self.md.htmlStash.store(m.group(0)), m.start(0), m.end(0)


def test_escaped_prose_renders_the_same_with_far_fewer_matches() -> None:
    prose = markdown_block(
        "A (small) test: *emphasis*, commas; 'quotes' and 1.5 numbers.\n\n"
        "- a list item -- with a dash\n- another, with `code`\n\n> a quote, too."
    )
    assert render(prose, runs=True) == render(prose, runs=False)

    def entity_matches(runs: bool) -> int:
        md = markdown.Markdown(extensions=[*SITE, text_runs.NAME] if runs else SITE)
        entity = md.inlinePatterns["entity"]
        md.inlinePatterns.register(Counting(entity.pattern, md), "entity", 70)
        Counting.seen = 0
        md.convert(prose)
        return Counting.seen

    assert entity_matches(runs=False) >= 12
    assert entity_matches(runs=True) == 0


def test_a_run_hides_what_its_references_stand_for_from_later_stages() -> None:
    # An attribute list spelled with references stays text: attr_list never sees the braces.
    prose = markdown_block("__word__{#id .cls data-x=1}")
    html = render(prose, runs=True)
    assert "<strong>word</strong>" in html
    assert 'id="id"' not in html and "class=" not in html


def test_text_without_references_is_left_to_the_engine() -> None:
    handwritten = "# Title\n\nSome *text* with a [link](page.md), a hard  \nbreak and `code`.\n"
    assert render(handwritten, runs=True) == render(handwritten, runs=False)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200))
def test_any_escaped_prose_renders_as_it_would_without_runs(text: str) -> None:
    prose = markdown_block(text)
    assert render(prose, runs=True) == render(prose, runs=False)
