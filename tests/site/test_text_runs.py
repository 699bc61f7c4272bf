"""The text-run extension: an entry page's escaped text reaches Python-Markdown in runs, renders
to the same HTML, can form nothing, and a page without the mark is left alone."""

from __future__ import annotations

import re

import markdown
from hypothesis import example, given, settings
from hypothesis import strategies as st

from graph_builder.site import text_runs
from graph_builder.site.escape import markdown_block, markdown_inline
from tests.site.references import same_text

SITE = ["attr_list", "tables", "toc", "pymdownx.superfences"]


def render(text: str, *, runs: bool) -> str:
    if not runs:
        return markdown.Markdown(extensions=SITE).convert(text)
    return markdown.Markdown(extensions=[*SITE, text_runs.NAME]).convert(text_runs.marked(text))


class Counting(markdown.inlinepatterns.InlineProcessor):
    """Counts the references the engine's own entity pattern still has to handle."""

    seen = 0

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown's name)
        Counting.seen += 1
        return self.md.htmlStash.store(m.group(0)), m.start(0), m.end(0)


PROSE = markdown_block(
    "A (small) test: *emphasis*, commas; 'quotes' and 1.5 numbers.\n\n"
    "- a list item -- with a dash\n- another, with `code`\n"
    "  continued: indented two spaces.\n\n> a quote, too.\n\n### A heading, with a comma"
)


def test_escaped_prose_renders_the_same_with_few_references_left_to_match() -> None:
    with_runs = render(PROSE, runs=True)
    assert same_text(with_runs) == same_text(render(PROSE, runs=False))
    # The runs' references are written as characters; one beside an emphasis marker is not in
    # a run (`*x*,`) and stays the engine's.
    assert "A (small) test: <em>emphasis</em>&#44; commas; 'quotes' and 1.5" in with_runs
    assert with_runs.count("&#") == 1

    def entity_matches(runs: bool) -> int:
        md = markdown.Markdown(extensions=[*SITE, text_runs.NAME] if runs else SITE)
        entity = md.inlinePatterns["entity"]
        md.inlinePatterns.register(Counting(entity.pattern, md), "entity", 70)
        Counting.seen = 0
        md.convert(text_runs.marked(PROSE) if runs else PROSE)
        return Counting.seen

    # Only a reference right beside an emphasis marker is left for the engine (`*x*,`).
    assert entity_matches(runs=False) >= 12
    assert entity_matches(runs=True) <= 1


def test_a_run_hides_what_its_references_stand_for_from_later_stages() -> None:
    # An attribute list spelled with references stays text: attr_list never sees the braces.
    html = render(markdown_inline("__word__{#id .cls data-x=1}"), runs=True)
    assert "<strong>word</strong>" in html
    assert 'id="id"' not in html and "class=" not in html
    without = render(markdown_inline("__word__{#id .cls data-x=1}"), runs=False)
    assert same_text(html) == same_text(without)


def test_a_run_keeps_what_means_something_in_html_as_references() -> None:
    html = render(markdown_block('Say <b title="x">bold</b> & more, it\'s fine.'), runs=True)
    kept = "&#60;b title=&#34;x&#34;&#62;bold&#60;/b&#62; &#38;"
    assert html == f"<p>Say {kept} more, it's fine.</p>"


def test_a_page_without_the_mark_is_left_to_the_engine() -> None:
    # A hand-written page may show a reference as code: it must stay "&#123;", not become "{".
    handwritten = "Write `&#123;` for a brace, and two  \nspaces for a break.\n\n    &#123; too\n"
    with_extension = markdown.Markdown(extensions=[*SITE, text_runs.NAME]).convert(handwritten)
    assert with_extension == render(handwritten, runs=False)
    assert "<code>&amp;#123;</code>" in with_extension


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300))
# The engine strips any Unicode space from the ends of a paragraph: a run must not keep one.
@example("\xa0:")
@example(":\u3000")
@example("- item:\xa0\n\xa0 more")
@example("b_[]`_,")
@example("}!/!:_:é.1+b.  >__*é<_<)")
def test_any_escaped_prose_renders_as_it_would_without_runs(text: str) -> None:
    prose = markdown_block(text)
    with_runs, without = render(prose, runs=True), render(prose, runs=False)
    assert _numbers_unseen(same_text(with_runs)) == _numbers_unseen(same_text(without))


def _numbers_unseen(html: str) -> str:
    """The HTML with the number of any placeholder Python-Markdown failed to put back blanked.

    Emphasis markers around an inline tag (`__*x<_`) can make the engine leave one of its own
    placeholders in the page, with or without runs; the runs stash text too, so its number
    differs. Everything else must be the same."""
    return re.sub(r"klzzwxh:[0-9]+", "klzzwxh:N", html)


# The runs as one pattern, with backtracking: what `_SPAN` and `_run_end` find without it.
_PLAIN = r"[A-Za-z0-9 \u0080-\U0010ffff]"
_REFERENCE = r"&#[0-9]{1,7};"
RUN = re.compile(
    rf"(?<![*_])(?:(?!\s)[A-Za-z0-9\u0080-\U0010ffff]|{_REFERENCE})(?:{_PLAIN}|{_REFERENCE})*"
    r"(?<!\s)(?![*_])"
)


def runs_found(line: str) -> list[tuple[int, int]]:
    """The runs holding a reference, as the extension finds them: (start, end)."""
    found = []
    for span in text_runs._SPAN.finditer(line):
        end = text_runs._run_end(line, span.start(), span.end())
        if "&#" in line[span.start() : end]:
            found.append((span.start(), end))
    return found


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *("a", "Z", "7", "é", " ", "\xa0", "\u3000", "\t", "*", "_", ";", "&", "#", "."),
                *("&#44;", "&#59;", "&#38;", "&#1234567;", "&#;", "&#12"),
            ]
        ),
        max_size=40,
    ).map("".join)
)
@example("ab_")
@example("a &#44; _x")
@example("&#44;&#46;_")
@example("x&#44; \xa0*")
def test_the_runs_are_the_one_pattern_s_matches(line: str) -> None:
    expected = [(m.start(), m.end()) for m in RUN.finditer(line) if "&#" in m.group(0)]
    assert runs_found(line) == expected
