"""Escaping made faster must escape exactly as before, for every input.

The tables map common characters to themselves so `str.translate` runs faster, plain text is
split at the characters it escapes instead of translated, and a line with no backtick and no
"http" skips the search for code spans and web addresses. The original tables, plain-text
escaping and `_inline_tokens` are kept here as the reference."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph_builder.site import escape

PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

REFERENCE_TABLES: dict[str, dict[int, str]] = {
    "_INLINE_TABLE": {ord(c): f"&#{ord(c)};" for c in PUNCTUATION if c not in "*_"},
    "_LITERAL_TABLE": {ord(c): f"&#{ord(c)};" for c in PUNCTUATION},
    "_HTML_TABLE": str.maketrans({"[": "&#91;", "]": "&#93;"}),
    "_SCRIPT_ESCAPES": str.maketrans(
        {
            "<": "\\u003c",
            ">": "\\u003e",
            "&": "\\u0026",
            "\u2028": "\\u2028",
            "\u2029": "\\u2029",
        }
    ),
}


# Any characters, with the ones the tables and the tokenizer care about made frequent.
TEXT = st.lists(
    st.one_of(
        st.characters(),
        st.sampled_from([*PUNCTUATION, " ", "\n", "\t", "\u2028", "\u2029", "—", "é", "http://"]),
    ),
    max_size=200,
).map("".join)


@pytest.mark.parametrize("name", sorted(REFERENCE_TABLES))
def test_each_table_replaces_what_the_reference_replaces_and_keeps_the_rest(name: str) -> None:
    table = getattr(escape, name)
    reference = REFERENCE_TABLES[name]
    assert reference.items() <= table.items()
    assert all(value == chr(code) for code, value in table.items() if code not in reference)


def reference_escape_plain(text: str) -> str:
    """`escape._escape_plain` as first written."""
    return text.translate(REFERENCE_TABLES["_INLINE_TABLE"])


@contextmanager
def reference_tables() -> Iterator[None]:
    """The escape module with its original tables and plain-text escaping, for the block."""
    originals = {**REFERENCE_TABLES, "_escape_plain": reference_escape_plain}
    kept = {name: getattr(escape, name) for name in originals}
    try:
        for name, value in originals.items():
            setattr(escape, name, value)
        yield
    finally:
        for name, value in kept.items():
            setattr(escape, name, value)


@given(text=TEXT)
def test_plain_escaping_split_at_punctuation_equals_the_original_translate(text: str) -> None:
    assert escape._escape_plain(text) == reference_escape_plain(text)


def _script(text: str) -> str:
    return escape.script_json({"text": text, "list": [text, html.unescape(text)]})


FUNCTIONS: dict[str, Callable[[str], str]] = {
    "markdown_inline": escape.markdown_inline,
    "markdown_block": escape.markdown_block,
    "html_text": escape.html_text,
    "name_markdown": escape.name_markdown,
    "script_json": _script,
}


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
@given(text=TEXT)
def test_escaping_is_the_same_as_with_the_reference_tables(function: str, text: str) -> None:
    escaped = FUNCTIONS[function](text)
    with reference_tables():
        assert escaped == FUNCTIONS[function](text)


def reference_inline_tokens(text: str) -> str:
    """`escape._inline_tokens` as first written: the token search on every line."""
    out: list[str] = []
    pos = 0
    for match in escape._INLINE_TOKENS.finditer(text):
        if match["code"] is not None:
            out.append(escape._escape_plain(text[pos : match.start()]))
            out.append(
                f"<code>{match['code_text'].strip().translate(escape._LITERAL_TABLE)}</code>"
            )
            pos = match.end()
            continue
        url = match["url"]
        stripped = url.rstrip(escape._URL_TRAILING)
        while (
            len(stripped) < len(url)
            and url[len(stripped)] == ")"
            and (stripped.count("(") > stripped.count(")"))
        ):
            stripped += ")"
        if len(stripped) <= len("https://"):
            continue
        out.append(escape._escape_plain(text[pos : match.start()]))
        href = html.escape(stripped, quote=True)
        out.append(
            f'<a href="{href}" rel="nofollow">{stripped.translate(escape._LITERAL_TABLE)}</a>'
        )
        pos = match.start() + len(stripped)
    out.append(escape._escape_plain(text[pos:]))
    return "".join(out)


@given(text=TEXT)
def test_lines_without_a_backtick_or_http_skip_the_token_search_with_the_same_result(
    text: str,
) -> None:
    assert escape._inline_tokens(text) == reference_inline_tokens(text)


@pytest.mark.parametrize(
    "text",
    [
        "plain words, (brackets) & <tags>",
        "a `code` span",
        "see https://example.org/a_(b).",
        "HTTP://x",
    ],
)
def test_inline_tokens_matches_the_reference_on_each_path(text: str) -> None:
    assert escape._inline_tokens(text) == reference_inline_tokens(text)
