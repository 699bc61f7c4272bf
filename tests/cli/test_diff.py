"""`graph-builder diff`: neighbour changes between a git ref and the working tree.

The catalogue is four entries in four domains; the expected scores are worked out by hand from
the definition (see the comments), not taken from the code.
"""

from __future__ import annotations

import json
import re
import subprocess
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from graph_builder.cli.diff import ListChange, NeighbourDiff, format_diff, markdown_text
from graph_builder.cli.main import main

ENTRY = """---
slug: {slug}
name: {slug}
kind: mental-model
source_frame: {frame}
categories: [psychology]
author: tester
created: '2026-01-01'
updated: '2026-01-01'
embodied_patterns: [{patterns}]
relation_types: [{relations}]
structure: {structure}
abstraction_level: generic
---

## Transfers

- **Move** -- text.
"""

CATALOGUE = {
    "a": ("x", "link, splitting", "restore, enable", "cycle"),
    "b": ("y", "link, splitting", "restore, enable", "cycle"),
    "c": ("z", "link, force", "restore, prevent", "cycle"),
    "d": ("w", "link, merging", "compete, select", "network"),
}


def _write(entries: Path, slug: str, structure: str | None = None) -> None:
    frame, patterns, relations, default_structure = CATALOGUE[slug]
    text = ENTRY.format(
        slug=slug,
        frame=frame,
        patterns=patterns,
        relations=relations,
        structure=structure or default_structure,
    )
    (entries / f"{slug}.md").write_text(text, encoding="utf-8")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    entries = tmp_path / "entries"
    entries.mkdir()
    for slug in CATALOGUE:
        _write(entries, slug)
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "four entries")
    _write(entries, "d", structure="cycle")  # the one changed tag
    _git(tmp_path, "commit", "-qam", "d is a cycle")
    return tmp_path


def test_diff_reports_exact_neighbour_changes(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["diff", "HEAD~1", "--entries", str(repo / "entries"), "--format", "json"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["added"] == [] and report["removed"] == []
    changes = {(c["slug"], c["list"]): c for c in report["changes"]}
    # Every change is in the cross-domain lists (four different frames).
    assert set(changes) == {(s, "cross-domain") for s in "abcd"}
    # sim(a, d) after: patterns 0.9/(0.9+1.2+1.3) = 0.264706 -> 0.35 * 0.264706 = 0.092647;
    # relations share nothing; structure 1 -> 0.2; level 1 -> 0.1; total 0.392647.
    # Before, the structure differed: 0.192647 < 0.25, so d was no neighbour.
    assert changes["a", "cross-domain"]["gained"] == ["d"]
    assert changes["a", "cross-domain"]["after"] == [["b", 1.0], ["c", 0.57805], ["d", 0.392647]]
    assert changes["b", "cross-domain"]["gained"] == ["d"]
    # sim(c, d) after: patterns 0.9/(0.9+0.5+1.3) = 1/3 -> 0.116667; + 0.2 + 0.1 = 0.416667.
    assert changes["c", "cross-domain"]["after"][-1] == ["d", 0.416667]
    # d had no neighbour before; now c first, then the tie a = b broken by slug.
    assert changes["d", "cross-domain"]["before"] == []
    assert changes["d", "cross-domain"]["after"] == [
        ["c", 0.416667],
        ["a", 0.392647],
        ["b", 0.392647],
    ]
    assert all(not c["lost"] for c in report["changes"])


def test_diff_takes_the_threshold_of_the_site_s_mkdocs_yml(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "docs").mkdir()
    (repo / "mkdocs.yml").write_text(
        "site_name: T\nplugins:\n  - graph-builder:\n      threshold: 0.4\n", encoding="utf-8"
    )
    monkeypatch.chdir(repo)  # ./mkdocs.yml, and its entries_dir (entries/ by default)
    assert main(["diff", "HEAD~1", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    # At 0.4, a and b keep [b or a, c]: d's 0.392647 is below it; only c-d (0.416667) passes.
    changes = {(c["slug"], c["list"]): c for c in report["changes"]}
    assert set(changes) == {("c", "cross-domain"), ("d", "cross-domain")}
    assert changes["d", "cross-domain"]["after"] == [["c", 0.416667]]


def test_diff_markdown_is_a_table_for_the_pr_summary(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", "HEAD~1", "--entries", str(repo / "entries"), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "4 neighbour lists changed against <code>HEAD&#126;1</code>." in out
    assert "| <code>d</code> | cross-domain | c (0.417), a (0.393), b (0.393) | - | - |" in out


def test_diff_against_the_same_tree_reports_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", "HEAD", "--entries", str(repo / "entries")]) == 0
    assert capsys.readouterr().out == "No neighbour list changes against HEAD.\n"


def test_diff_with_an_unknown_ref_is_a_usage_error(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", "no-such-ref", "--entries", str(repo / "entries")]) == 2
    err = capsys.readouterr().err
    assert "cannot read 'no-such-ref' from git" in err
    assert "Traceback" not in err


# --- hostile slugs ------------------------------------------------------------------------------

HOSTILE = (
    "back`tick",
    "pipe|cell",
    "<img src=x onerror=alert(1)>",
    "*bold*",
    "[x](https://evil.example)",
    "line\nbreak | x |",
    "esc\x1b[31mred",
    "rtl\u202eevil",
    "www.evil.example",
    "<!-- open",
    "# heading",
    "@someone",
)


def _hostile_diff() -> NeighbourDiff:
    changes = tuple(
        ListChange(
            slug=slug,
            which="cross-domain",
            before=((HOSTILE[i - 1], 0.5), (HOSTILE[i - 2], 0.4)),
            after=((HOSTILE[i - 2], 0.45), (HOSTILE[i - 3], 0.3)),
        )
        for i, slug in enumerate(HOSTILE)
    )
    return NeighbourDiff(added=HOSTILE, removed=HOSTILE[:3], changes=changes)


class _Elements(HTMLParser):
    """Every element of an HTML fragment, and the text of its table cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def test_diff_markdown_shows_hostile_slugs_as_text_only() -> None:
    text = format_diff(_hostile_diff(), "markdown", base="<b>main</b>")
    html = markdown.markdown(text, extensions=["tables"])
    found = _Elements()
    found.feed(html)
    # Only what format_diff writes: paragraphs, the bold labels, the table, our <code> elements.
    assert set(found.tags) <= {"p", "strong", "table", "thead", "tbody", "tr", "th", "td", "code"}
    assert found.attributes == [] and found.comments == []
    assert found.tags.count("strong") == 2
    # One <code> per added, removed and changed slug, and the base.
    assert found.tags.count("code") == len(HOSTILE) * 2 + 3 + 1
    # Header plus one row per change, five cells each: no `|` of a slug split a cell.
    assert found.tags.count("tr") == len(HOSTILE) + 1
    assert found.tags.count("td") == 5 * len(HOSTILE)
    # The text reads as written (control and bidi characters escaped).
    shown = unescape(re.sub(r"<[^>]+>", "", html))
    for slug in ("back`tick", "pipe|cell", "<img src=x onerror=alert(1)>", "[x](https://evil"):
        assert slug in shown
    assert "esc\\x1b[31mred" in shown and "rtl\\u202eevil" in shown
    assert "\x1b" not in text and "\u202e" not in text


def test_diff_text_escapes_control_and_bidi_characters() -> None:
    text = format_diff(_hostile_diff(), "text", base="main\x1b[2J")
    assert "\x1b" not in text and "\u202e" not in text
    assert "esc\\x1b[31mred" in text and "main\\x1b[2J" in text
    # A slug's line break does not start a line of its own.
    assert "line\\nbreak | x |" in text
    assert not any(line.startswith("break") for line in text.splitlines())


@pytest.mark.parametrize("char", ["`", "|", "<", ">", "*", "_", "[", "]", "(", ")", "#", "&", "\\"])
def test_markdown_text_leaves_no_syntax_character(char: str) -> None:
    escaped = markdown_text(f"a{char}b")
    assert char not in escaped.replace("&#", "")
    assert unescape(escaped) == f"a{char}b"
