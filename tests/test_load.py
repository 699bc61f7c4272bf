"""load.py: entries with the line of every key, item, section and move, counted by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_builder.load import (
    _sections_by_line,
    entry_paths,
    load_entries,
    load_entry,
    parse_entry,
    parse_sections,
)
from graph_builder.model import Entry, Severity

# Line numbers are written beside each line; every assertion below was counted from them.
TEXT = """\
---
slug: sample
name: Sample Entry
categories:
  - psychology
  - social-dynamics
related: [alpha, beta]
created: 2026-03-23
transfers:
  - '[model] First claim.'
  - >-
    [model] A folded
    second claim.
structure: cycle
---

Text before any section.

## Transfers

An opening paragraph
on two lines.

- **Break as data** -- A first move
  that continues here.
- **Second** -- Another move.
- A move without a label.

## Limits

- **Edge** — an em dash also separates.

## Expressions

- "mend fences" -- to restore a relation.
- “curly quotes” -- also read.

```
## Not a section (inside a fence)
```

### A sub-heading stays in its section

## References

- Author. *Title* (2000) -- why it matters.
"""
#    1 ---                          24 - **Break as data**
#    2 slug                         25   that continues here.
#    3 name                         26 - **Second**
#    4 categories                   27 - A move without a label.
#    5   - psychology               28
#    6   - social-dynamics          29 ## Limits
#    7 related                      30
#    8 created                      31 - **Edge**
#    9 transfers                    32
#   10   - first claim              33 ## Expressions
#   11   - >- (folded)              34
#   12     [model] A folded         35 - "mend fences"
#   13     second claim.            36 - “curly quotes”
#   14 structure                    37
#   15 ---                          38 ```
#   16                              39 ## Not a section
#   17 Text before any section.    40 ```
#   18                              41
#   19 ## Transfers                 42 ### A sub-heading
#   20                              43
#   21 An opening paragraph         44 ## References
#   22 on two lines.                45
#   23                              46 - Author.


def _parse(text: str) -> Entry:
    entry, problems = parse_entry(text, "entries/sample.md", default_slug="sample")
    assert problems == []
    assert entry is not None
    return entry


def test_key_lines() -> None:
    entry = _parse(TEXT)
    assert dict(entry.lines) == {
        "slug": 2,
        "name": 3,
        "categories": 4,
        "related": 7,
        "created": 8,
        "transfers": 9,
        "structure": 14,
    }


def test_item_lines_of_block_and_flow_lists() -> None:
    entry = _parse(TEXT)
    assert entry.item_lines["categories"] == (5, 6)
    assert entry.item_lines["related"] == (7, 7)
    assert entry.item_lines["transfers"] == (10, 11)
    assert entry.line_of("categories", 1) == 6
    assert entry.line_of("categories", 9) == 4  # out of range: the key's line
    assert entry.line_of("structure", 0) == 14  # a scalar has no items
    assert entry.line_of("missing") == 1


def test_values_and_raw_meta() -> None:
    entry = _parse(TEXT)
    assert entry.transfers == ("[model] First claim.", "[model] A folded second claim.")
    assert entry.structure == ("cycle",)
    assert entry.created == "2026-03-23"
    assert entry.meta["created"] == dt.date(2026, 3, 23)


def test_sections_and_body_line() -> None:
    entry = _parse(TEXT)
    assert entry.body_line == 16  # the body text starts with the blank line after `---`
    assert [(s.title, s.line) for s in entry.sections] == [
        ("Transfers", 19),
        ("Limits", 29),
        ("Expressions", 33),
        ("References", 44),
    ]
    transfers = entry.section("Transfers")
    assert transfers is not None
    assert transfers.intro == "An opening paragraph\non two lines."
    expressions = entry.section("Expressions")
    assert expressions is not None
    assert "## Not a section" in expressions.text
    assert "### A sub-heading" in expressions.text


def test_move_lines_and_labels() -> None:
    entry = _parse(TEXT)
    transfers = entry.section("Transfers")
    limits = entry.section("Limits")
    assert transfers is not None and limits is not None
    assert [(m.line, m.label, m.text) for m in transfers.moves] == [
        (24, "Break as data", "A first move that continues here."),
        (26, "Second", "Another move."),
        (27, "", "A move without a label."),
    ]
    assert [(m.line, m.label, m.text) for m in limits.moves] == [
        (31, "Edge", "an em dash also separates.")
    ]


def test_expressions_and_references() -> None:
    entry = _parse(TEXT)
    expressions = entry.section("Expressions")
    references = entry.section("References")
    assert expressions is not None and references is not None
    assert [(e.line, e.phrase, e.gloss) for e in expressions.expressions] == [
        (35, "mend fences", "to restore a relation."),
        (36, "curly quotes", "also read."),
    ]
    assert [(r.line, r.text) for r in references.references] == [
        (46, "Author. *Title* (2000) -- why it matters.")
    ]


def test_byte_order_mark_keeps_the_lines() -> None:
    entry = _parse("\ufeff" + TEXT)
    assert entry.slug == "sample"
    assert entry.lines["structure"] == 14
    assert [s.line for s in entry.sections] == [19, 29, 33, 44]


def test_crlf_line_endings_keep_the_lines_and_strip_the_cr() -> None:
    entry = _parse(TEXT.replace("\n", "\r\n"))
    assert entry.lines["structure"] == 14
    assert entry.item_lines["categories"] == (5, 6)
    assert [(s.title, s.line) for s in entry.sections] == [
        ("Transfers", 19),
        ("Limits", 29),
        ("Expressions", 33),
        ("References", 44),
    ]
    transfers = entry.section("Transfers")
    assert transfers is not None
    assert transfers.moves[0].text == "A first move that continues here."


def test_blank_line_after_the_opening_fence_and_no_blank_before_a_heading() -> None:
    text = "---\n\nslug: x\nname: X\n---\n## Transfers\n- **A** -- b\n"
    entry = _parse(text)
    assert entry.lines == {"slug": 3, "name": 4}
    assert [(s.title, s.line) for s in entry.sections] == [("Transfers", 6)]
    assert entry.sections[0].moves[0].line == 7


@pytest.mark.parametrize(
    ("text", "line", "rule", "words"),
    [
        ("---\nslug: x\nname: [unclosed\nkind: pattern\n---\n", 4, "yaml-syntax", "close the"),
        ("---\nslug: x\nname: A: B\n---\n", 3, "yaml-syntax", "put in quotes"),
        ("---\nslug: x\n\nname: \x07bell\n---\n", 4, "yaml-syntax", "U+0007"),
        ("---\nslug: x\nkind: !!int abc\n---\n", 3, "yaml-value", "`!!` tag"),
        ("---\nslug: x\ndead: !!bool maybe\n---\n", 3, "yaml-value", "`!!` tag"),
        ("---\nslug: x\ncreated: !!timestamp [1]\n---\n", 3, "yaml-syntax", "plain value"),
        ("---\nslug: x\n---\n- not\n", 0, "", ""),
        ("---\n- a\n- b\n---\n", 2, "frontmatter-not-mapping", "a list"),
        ("---\n---\nbody\n", 1, "frontmatter-not-mapping", "empty"),
        ("---\nslug: x\n", 1, "unclosed-frontmatter", "closing"),
        ("no frontmatter\n", 1, "no-frontmatter", "`---`"),
        ("  \n\n", 1, "empty-file", "empty"),
        ("---\nslug: x\nslug: y\n---\n", 3, "duplicate-key", "first on line 2"),
        ("---\nslug: x\n[a]: b\n---\n", 3, "yaml-syntax", "unhashable"),
        ("---\nslug: x\n12: b\n---\n", 3, "invalid-key", "not a plain word"),
    ],
)
def test_problems_carry_the_real_line(text: str, line: int, rule: str, words: str) -> None:
    _, problems = parse_entry(text, "entries/x.md", default_slug="x")
    if not rule:
        assert problems == []
        return
    assert [(p.line, p.rule, p.severity) for p in problems] == [(line, rule, Severity.ERROR)]
    assert words in problems[0].message


def test_an_impossible_date_is_kept_as_text_for_the_validator() -> None:
    entry = _parse("---\nslug: x\ncreated: 2026-02-30\n---\n")
    assert entry.meta["created"] == "2026-02-30"


def test_yaml_error_line_counts_the_offset_of_a_bom_and_crlf() -> None:
    text = "\ufeff---\r\nslug: x\r\nname: A: B\r\n---\r\n"
    _, problems = parse_entry(text, "entries/x.md")
    assert [(p.line, p.rule) for p in problems] == [(3, "yaml-syntax")]


def test_load_entries_sorts_by_slug_and_reports_unreadable_files(tmp_path: Path) -> None:
    (tmp_path / "b.md").write_text("---\nslug: b\n---\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("---\nslug: a\n---\n", encoding="utf-8")
    (tmp_path / "bad.md").write_bytes(b"---\nslug: bad\nname: Caf\xe9\n---\n")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    (tmp_path / "folder.md").mkdir()
    result = load_entries(tmp_path)
    assert [e.slug for e in result.entries] == ["a", "b"]
    assert [(Path(d.path).name, d.line, d.rule) for d in result.diagnostics] == [
        ("bad.md", 3, "not-utf8")
    ]
    assert [p.name for p in entry_paths(tmp_path)] == ["a.md", "b.md", "bad.md"]


def test_missing_folder_and_missing_file(tmp_path: Path) -> None:
    result = load_entries(tmp_path / "nowhere")
    assert [(d.line, d.rule) for d in result.diagnostics] == [(1, "missing-entries-dir")]
    entry, problems = load_entry(tmp_path / "gone.md")
    assert entry is None
    assert [(d.line, d.rule) for d in problems] == [(1, "unreadable")]


# The one-pass section parser (bodies without fences or carriage returns) is a fast path of the
# line-by-line parser: on any such body the two must agree, part for part and line for line.
_BODY_LINES = st.sampled_from(
    [
        "## Transfers",
        "## Limits",
        "## Expressions ##",
        "##  Origin Story  ",
        "### Not a section",
        "#Not a heading",
        "Some prose.",
        "- **Label** -- text",
        "- **Label**: text",
        '- "phrase" -- gloss',
        "* star item",
        "  continued line",
        "\tindented",
        "",
        "   ",
        "- ",
        "-item without space",
        "## ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(_BODY_LINES | st.text(alphabet='#-*+ ab"*:', max_size=12), max_size=25),
    offset=st.integers(min_value=0, max_value=40),
)
def test_one_pass_sections_equal_line_by_line_sections(lines: list[str], offset: int) -> None:
    body = "\n".join(lines)
    assert "```" not in body and "~~~" not in body and "\r" not in body
    assert parse_sections(body, offset) == _sections_by_line(body, offset + 1)
