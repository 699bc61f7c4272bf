"""load.py: entries with the line of every key, item, section and move, counted by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_builder.core.limits import MAX_FILE_BYTES, MAX_LINE_CHARS
from graph_builder.core.load import (
    ParsedFiles,
    entry_paths,
    load_entries,
    load_entry,
    parse_entry,
)
from graph_builder.core.model import Entry, Severity
from graph_builder.core.sections import _sections_by_line, parse_sections

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
    # Line 17 of TEXT is outside every section: the page does not show it, and `check` says so.
    lost = [(17, "text-before-sections")] if "Text before any section." in text else []
    assert [(p.line, p.rule) for p in problems] == lost
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
    # The code block and the sub-heading after the list are the section's outro, from line 38.
    assert expressions.outro_line == 38
    assert expressions.outro == (
        "```\n## Not a section (inside a fence)\n```\n\n### A sub-heading stays in its section"
    )
    assert [(s.outro, s.outro_line) for s in entry.sections if s is not expressions] == [
        ("", 0),
        ("", 0),
        ("", 0),
    ]


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
        ("---\nslug: x\n---\n## Transfers\n- not\n", 0, "", ""),
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


def test_a_load_with_the_last_load_s_files_parses_only_what_changed(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\nslug: a\nname: A\n---\nBefore a section.\n", "utf-8")
    (tmp_path / "b.md").write_text("---\nslug: b\nname: B\n---\n", encoding="utf-8")
    (tmp_path / "c.md").write_text("---\nname: C\n---\n", encoding="utf-8")
    memo = ParsedFiles()
    first = load_entries(tmp_path, memo=memo)
    assert memo.parsed == 3
    assert [d.rule for d in first.diagnostics] == ["text-before-sections"]

    (tmp_path / "b.md").write_text("---\nslug: b\nname: Bee\n---\n", encoding="utf-8")
    again = load_entries(tmp_path, memo=memo)
    assert memo.parsed == 1
    assert again == load_entries(tmp_path)
    assert [e.name for e in again.entries] == ["A", "Bee", "C"]
    # The unchanged files give the very entries and diagnostics they gave before.
    assert again.entries[0] is first.entries[0] and again.entries[2] is first.entries[2]
    assert again.diagnostics == first.diagnostics

    # The same bytes under another name give another slug: the name is part of what is kept.
    (tmp_path / "c.md").rename(tmp_path / "d.md")
    renamed = load_entries(tmp_path, memo=memo)
    assert memo.parsed == 1
    assert [e.slug for e in renamed.entries] == ["a", "b", "d"]
    # A file the last load did not see is parsed again when it comes back.
    (tmp_path / "d.md").rename(tmp_path / "c.md")
    load_entries(tmp_path, memo=memo)
    assert memo.parsed == 1
    load_entries(tmp_path, memo=memo)
    assert memo.parsed == 0


def test_a_kept_file_s_diagnostics_are_a_list_of_the_caller_s_own(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\nslug: a\n---\nBefore a section.\n", encoding="utf-8")
    memo = ParsedFiles()
    memo.start()
    _, problems = load_entry(path, memo)
    problems.clear()
    memo.start()
    _, kept = load_entry(path, memo)
    assert memo.parsed == 0
    assert [d.rule for d in kept] == ["text-before-sections"]


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
        "> a quote",
        "1. numbered",
        "***",
        "---",
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


# --- Nothing a contributor writes is lost without a word -----------------------------------------


def test_text_before_the_first_section_is_a_warning_at_its_line() -> None:
    _, problems = parse_entry(TEXT, "entries/sample.md", default_slug="sample")
    assert [(p.line, p.rule, p.severity) for p in problems] == [
        (17, "text-before-sections", Severity.WARNING)
    ]
    assert "move it under `## Transfers`" in problems[0].message


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("\n\nA stray paragraph.\n\n## Transfers\n\n- a\n", 5),
        ("\nA first line right after the fence.\n## Transfers\n", 4),
        ("\n### A sub-heading\n## Transfers\n", 4),
        ("\n```\n## fenced, not a section\n```\n## Transfers\n", 4),
        ("\nNo section at all.\n", 4),
        ("\n\n## Transfers\n\n- a\n", 0),
        ("\n  \n\t\n## Transfers\n", 0),
    ],
)
def test_text_before_sections_is_reported_at_its_first_line(body: str, line: int) -> None:
    _, problems = parse_entry("---\nslug: x\n---" + body, "entries/x.md", default_slug="x")
    found = [(p.line, p.rule) for p in problems]
    assert found == ([(line, "text-before-sections")] if line else [])


# Every part of a list section, counted by hand:
#  4 ## <title>        9 - second item           14 ### A sub-heading
#  5                  10                         15
#  6 Intro paragraph. 11 A closing paragraph     16 - a further item
#  7                  12 on two lines.
#  8 - first item     13
LIST_SECTION = """\
---
slug: x
---
## {title}

Intro paragraph.

- first item
- second item

A closing paragraph
on two lines.

### A sub-heading

- a further item
"""


@pytest.mark.parametrize("title", ["Transfers", "Limits", "Expressions", "References"])
@pytest.mark.parametrize("fence", ["", "\n```\ncode\n```\n"])
def test_text_after_a_list_is_kept_with_its_line(title: str, fence: str) -> None:
    entry, problems = parse_entry(LIST_SECTION.format(title=title) + fence, "entries/x.md")
    assert problems == [] and entry is not None
    (section,) = entry.sections
    assert section.intro == "Intro paragraph."
    parts = (*section.moves, *section.expressions, *section.references)
    assert [part.line for part in parts] == [8, 9]
    assert section.outro_line == 11
    assert section.outro == (
        "A closing paragraph\non two lines.\n\n### A sub-heading\n\n- a further item\n" + fence
    ).rstrip("\n")


@pytest.mark.parametrize(
    ("chunk", "items", "outro"),
    [
        # A line right after an item continues it, as Markdown reads it ("lazy" continuation).
        ("- **A** -- one\ngoes on\n- b", ["**A** -- one goes on", "b"], ""),
        ("- a\n\n  indented after a blank\n- b", ["a indented after a blank", "b"], ""),
        # Lines that start a block of their own end the list even with no blank line.
        ("- a\n### Sub", ["a"], "### Sub"),
        ("- a\n> quoted", ["a"], "> quoted"),
        ("- a\n---", ["a"], "---"),
        ("- a\n1. numbered", ["a"], "1. numbered"),
        ("- a\n```\ncode\n```", ["a"], "```\ncode\n```"),
        # After a blank line, any line that is not indented ends it.
        ("- a\n\nafter\n\n- b", ["a"], "after\n\n- b"),
        ("- a\n\n\n- b\n\n", ["a", "b"], ""),
    ],
)
def test_where_a_list_ends(chunk: str, items: list[str], outro: str) -> None:
    (section,) = parse_sections("## References\n" + chunk)
    assert [r.text for r in section.references] == items
    assert section.outro == outro
    assert (section.outro_line > 0) == bool(outro)


@pytest.mark.parametrize(
    ("text", "line", "keys"),
    [
        # Right after the first block.
        ("---\nslug: x\n---\n---\nauthor: me\n---\n## Transfers\n", 4, "`author`"),
        # Further down, before the sections, with a list and a comment in it.
        (
            "---\nslug: x\n---\n\n---\n# more\ncategories:\n  - a\n- b\nname: X\n---\n",
            5,
            "`categories`, `name`",
        ),
        # Inside a section, it names a key of the format.
        ("---\nslug: x\n---\n## Transfers\n\n---\nrelated: [a]\n---\n", 6, "`related`"),
    ],
)
def test_a_second_frontmatter_block_is_an_error_at_its_line(
    text: str, line: int, keys: str
) -> None:
    _, problems = parse_entry(text, "entries/x.md", default_slug="x")
    assert [(p.line, p.rule, p.severity) for p in problems] == [
        (line, "second-frontmatter", Severity.ERROR)
    ]
    assert keys in problems[0].message
    assert "move its keys into the first block" in problems[0].message


@pytest.mark.parametrize(
    "body",
    [
        # Rules around prose are Markdown, not frontmatter.
        "## Transfers\n\n---\n\nSome prose: with a colon.\n\n---\n",
        "## Transfers\n\n---\nNote: not a key of the format\n---\n",
        "## Transfers\n\n```\n---\nslug: y\n---\n```\n",
    ],
)
def test_rules_and_fenced_yaml_in_a_section_are_not_a_second_frontmatter(body: str) -> None:
    _, problems = parse_entry("---\nslug: x\n---\n" + body, "entries/x.md", default_slug="x")
    assert problems == []


# --- Sizes ----------------------------------------------------------------------------------------


def _entry_with_body(body: str) -> str:
    return "---\nslug: x\nname: X\n---\n## Transfers\n\n" + body


def test_a_line_over_the_limit_is_an_error_at_its_line_and_nothing_is_parsed() -> None:
    long = "word " * (MAX_LINE_CHARS // 5) + "end"
    text = _entry_with_body(f"fine\n{long}\nfine\n{long}\r\n")
    entry, problems = parse_entry(text, "entries/x.md", default_slug="x")
    assert entry is None
    assert [(p.line, p.rule) for p in problems] == [(8, "line-too-long"), (10, "line-too-long")]
    assert f"{len(long):,} characters" in problems[0].message


def test_a_line_at_the_limit_is_fine() -> None:
    entry, problems = parse_entry(_entry_with_body("x" * MAX_LINE_CHARS + "\r\n"), "e/x.md")
    assert entry is not None and problems == []


def test_a_file_over_the_limit_is_an_error_at_the_line_that_passes_it(tmp_path: Path) -> None:
    line = "é" * 500 + "\n"  # 1,001 bytes
    lines = MAX_FILE_BYTES // len(line.encode()) + 1
    text = _entry_with_body(line * lines)
    path = tmp_path / "x.md"
    path.write_text(text, encoding="utf-8")
    expected = text.encode()[:MAX_FILE_BYTES].count(b"\n") + 1
    for entry, problems in (load_entry(path), parse_entry(text, str(path))):
        assert entry is None
        assert [(p.line, p.rule) for p in problems] == [(expected, "file-too-large")]
        assert f"{len(text.encode()):,} bytes" in problems[0].message


def test_a_huge_file_is_reported_without_being_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.md"
    with path.open("wb") as handle:
        handle.write(b"---\nslug: huge\n---\n")
        handle.truncate(50_000_000)  # sparse: 50 MB of NUL bytes, no line breaks
    read_sizes: list[int] = []
    real_open = Path.open

    def spy_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        handle = real_open(self, *args, **kwargs)
        real_read = handle.read
        handle.read = lambda size=-1: read_sizes.append(size) or real_read(size)
        return handle

    monkeypatch.setattr(Path, "open", spy_open)
    entry, problems = load_entry(path)
    assert entry is None
    assert [(p.line, p.rule) for p in problems] == [(4, "file-too-large")]
    assert "50,000,000 bytes" in problems[0].message
    assert read_sizes == [MAX_FILE_BYTES + 1]
