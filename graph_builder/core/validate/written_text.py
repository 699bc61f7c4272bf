"""An entry's keys, values and body as written -> placeholders, raw HTML and hidden characters."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from graph_builder.core.characters import (
    character_name,
    hidden_characters,
    is_control,
)
from graph_builder.core.frontmatter import outside_tokens
from graph_builder.core.sections import FENCE
from graph_builder.core.validate.context import EntryContext
from graph_builder.core.validate.registry import Finding, check
from graph_builder.core.validate.rules import PLACEHOLDER_PATTERN
from graph_builder.core.validate.values import (
    all_printable,
    is_placeholder,
    may_report,
    nested_strings,
    plain_texts,
    strip_code_spans,
    worth_searching,
)
from graph_builder.core.validate.wording import html_message, quote

__all__ = ["body_text", "frontmatter_text", "hidden_text"]

_HTML_TAG = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>]|$)|!--)")
#: Bidirectional controls: they reorder the text around them rather than only hide.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@check("placeholder", "raw-html")
def frontmatter_text(ctx: EntryContext) -> Iterator[Finding]:
    """Placeholders and raw HTML in the frontmatter's values, once per value."""
    for key, value in ctx.entry.meta.items():
        if isinstance(value, list):
            if plain_texts(value):
                continue
            for index, item in enumerate(value):
                if worth_searching(item):
                    yield from _value_text(ctx, key, ctx.entry.line_of(key, index), item)
        elif worth_searching(value):
            yield from _value_text(ctx, key, ctx.entry.line_of(key), value)


def _value_text(ctx: EntryContext, key: str, line: int, item: object) -> Iterator[Finding]:
    """Placeholders and raw HTML in one value (one list item), each reported once."""
    html_reported = placeholder_reported = False
    for text in nested_strings(item):
        if not placeholder_reported and is_placeholder(text):
            placeholder_reported = True
            yield Finding(
                "placeholder",
                line,
                f"placeholder left in `{key}`: {quote(text, 80)}; "
                + ("replace it or delete the line" if ctx.optional(key) else "replace it"),
            )
        tag = _HTML_TAG.search(text)
        if tag and not html_reported:
            html_reported = True
            yield Finding("raw-html", line, html_message(tag.group(0)))


@check("control-character", "invisible-character")
def hidden_text(ctx: EntryContext) -> Iterator[Finding]:
    """Control and invisible characters in the keys, values, frontmatter comments and body, each
    at its line; one in a comment is not reported again when a value on its line has it too."""
    entry = ctx.entry
    in_values: set[tuple[int, str]] = set()
    if not all_printable(entry.meta):
        for key, value in entry.meta.items():
            yield from _hidden(key, entry.line_of(key), f"the key {quote(key)}", seen=in_values)
            if isinstance(value, list):
                for index, item in enumerate(value):
                    for text in nested_strings(item):
                        line = entry.line_of(key, index)
                        yield from _hidden(text, line, f"`{key}`", seen=in_values)
            else:
                for text in nested_strings(value):
                    yield from _hidden(text, entry.line_of(key), f"`{key}`", seen=in_values)
    yield from _hidden_outside_values(entry.frontmatter, entry.frontmatter_line, in_values)
    yield from _hidden(entry.body, entry.body_line, "the body", by_line=True)


def _hidden_outside_values(
    text: str, first_line: int, in_values: set[tuple[int, str]]
) -> Iterator[Finding]:
    """Hidden characters of the frontmatter that no value holds (in a comment, mostly), each at
    its line once, skipping those a value on the same line already reported."""
    # The YAML pass rejects every hidden ASCII character but a carriage return: the usual
    # frontmatter is settled without another look at its text.
    if (text.isascii() and "\r" not in text) or next(hidden_characters(text), None) is None:
        return
    stretches = outside_tokens(text)
    starts = [start for start, _ in stretches]
    line_starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
    reported = set(in_values)
    for hidden in hidden_characters(text):
        index = line_starts[hidden.line] + hidden.column
        place = bisect.bisect_right(starts, index) - 1
        if place < 0 or index >= stretches[place][1]:
            continue  # in a token: a value's report covers it
        at = first_line + hidden.line
        if (at, hidden.char) in reported:
            continue
        reported.add((at, hidden.char))
        before = text[max(stretches[place][0], line_starts[hidden.line]) : index]
        where = "a comment" if "#" in before else "the frontmatter, outside any value"
        yield _finding(hidden.char, at, where)


def _hidden(
    text: str,
    line: int,
    where: str,
    *,
    by_line: bool = False,
    seen: set[tuple[int, str]] | None = None,
) -> Iterator[Finding]:
    """Each distinct hidden character of `text` once per line; `by_line` counts the lines
    of `text` from `line`, else every one is reported at `line` (a frontmatter value).
    What is reported is added to `seen`."""
    if text.isprintable():
        return
    reported: set[tuple[int, str]] = set()
    for hidden in hidden_characters(text):
        at = line + hidden.line if by_line else line
        if (at, hidden.char) in reported:
            continue
        reported.add((at, hidden.char))
        if seen is not None:
            seen.add((at, hidden.char))
        yield _finding(hidden.char, at, where)


def _finding(char: str, at: int, where: str) -> Finding:
    """The report of one hidden character, saying why it is a problem."""
    name = character_name(char)
    if is_control(char):
        return Finding(
            "control-character",
            at,
            f"control character {name} in {where}; delete it (a terminal would run it "
            "as a command, and a page cannot show it)",
        )
    why = (
        "it reorders the text around it, so what is read differs from what is shown"
        if char in _BIDI
        else "no one can see it, yet it makes the text differ from what it looks like"
    )
    return Finding(
        "invisible-character", at, f"invisible character {name} in {where}; delete it ({why})"
    )


@check("placeholder", "raw-html")
def body_text(ctx: EntryContext) -> Iterator[Finding]:
    """Placeholders and raw HTML in the body, outside code fences and code spans."""
    if not may_report(ctx.entry.body):
        return
    in_fence = False
    for number, raw in enumerate(ctx.entry.body.split("\n"), start=ctx.entry.body_line):
        line = raw.rstrip("\r")
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if PLACEHOLDER_PATTERN.search(line):
            yield Finding(
                "placeholder",
                number,
                "placeholder left in the body; replace the `TODO:` text with your own "
                "(or delete the line)",
            )
        tag = _HTML_TAG.search(strip_code_spans(line))
        if tag:
            yield Finding("raw-html", number, html_message(tag.group(0)))
