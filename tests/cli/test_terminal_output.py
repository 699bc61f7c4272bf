"""Nothing a command prints puts a control or invisible character on the terminal.

Contributor text (names, slugs) and file names reach every command's output; each is escaped
with `characters.printable`, the one escaping function. The hostile characters below would clear
the screen, ring the bell or reverse the text a reader sees.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_builder.cli.main import main
from graph_builder.core.characters import character_name, hidden_characters, printable
from graph_builder.core.load import parse_entry
from graph_builder.core.yaml_text import yaml_scalar
from tests.bad_fixtures import GOOD

HOSTILE = ("\x1b", "\x07", "\x00", "\x9b", "\u202e", "\u2066", "\u200b", "\u2028", "\r", "\n")


def _clean(text: str) -> bool:
    """True when `text` holds none of the hostile characters, except our own line breaks."""
    return not any(char in text for char in HOSTILE if char != "\n")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


# --- printable -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("evil\x1b[31mred", "evil\\x1b[31mred"),
        ("a\u202eb", "a\\u202eb"),
        ("two\nlines\r", "two\\nlines\\r"),
        ("tab\there", "tab\\there"),
        ("tag\U000e0041", "tag\\U000e0041"),
        ("Zeno\u2019s paradox", "Zeno\u2019s paradox"),
        ("no\u00a0break", "no\u00a0break"),
        ("\U0001f469\u200d\U0001f52c", "\U0001f469\u200d\U0001f52c"),
        ("ad\u200dmin", "ad\\u200dmin"),
    ],
)
def test_printable(text: str, shown: str) -> None:
    assert printable(text) == shown


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_printable_leaves_nothing_hidden_and_is_stable(text: str) -> None:
    shown = printable(text)
    assert list(hidden_characters(shown)) == []
    assert "\n" not in shown and "\t" not in shown
    assert printable(shown) == shown
    assert all(char.isprintable() or unicodedata.category(char) in ("Zs", "Cf") for char in shown)


def test_character_names() -> None:
    assert character_name("\u202e") == "U+202E RIGHT-TO-LEFT OVERRIDE"
    assert character_name("\x1b") == "U+001B ESCAPE"
    assert character_name("\x00") == "U+0000 NULL"
    assert character_name("\x85") == "U+0085 C1 CONTROL"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_yaml_scalar_reads_back_as_the_same_string(text: str) -> None:
    written = yaml_scalar(text)
    assert "\n" not in written
    entry, problems = parse_entry(f"---\nvalue: {written}\n---\n", "x.md")
    assert problems == [] and entry is not None
    assert entry.meta["value"] == text


# --- the commands ------------------------------------------------------------------------------


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """The good entries, one of them named with hostile characters, and a file named with ESC."""
    entries = tmp_path / "entries"
    shutil.copytree(GOOD, entries)
    seed = entries / "rupture-and-repair.md"
    text = seed.read_text(encoding="utf-8")
    seed.write_text(
        text.replace("name: Rupture and Repair", 'name: "Rupture \\e[2J\\a\\u202e and Repair"'),
        encoding="utf-8",
    )
    shutil.copy(GOOD / "secure-base.md", entries / "esc\x1b[31m\u202e.md")
    return entries


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_check_escapes_file_names_and_messages(
    capsys: pytest.CaptureFixture[str], hostile: Path, fmt: str
) -> None:
    code, out, err = _run(capsys, "check", "--format", fmt, "--entries", str(hostile))
    assert code == 1
    assert _clean(out) and _clean(err)
    if fmt == "json":
        paths = {row["path"] for row in json.loads(out)}
        assert str(hostile / "esc\x1b[31m\u202e.md") in paths  # JSON keeps the exact name
    else:
        assert "esc\\x1b[31m\\u202e.md" in out
        assert "U+001B ESCAPE" in out and "U+202E RIGHT-TO-LEFT OVERRIDE" in out


def test_neighbours_and_explain_escape_names(
    capsys: pytest.CaptureFixture[str], hostile: Path
) -> None:
    for argv in (
        ["neighbours", "rupture-and-repair"],
        ["neighbours", "secure-base"],
        ["explain", "rupture-and-repair", "secure-base"],
        ["neighbours", "no-such\x1b[2J"],
    ):
        _, out, err = _run(capsys, *argv, "--entries", str(hostile))
        assert _clean(out) and _clean(err), argv
        assert "\\x1b" in out + err, argv


def test_new_escapes_paths_and_names(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "dir\x1b[2J"
    folder.mkdir()
    code, out, err = _run(capsys, "new", "Phoenix", "--kind", "metaphor", "--entries", str(folder))
    assert code == 0
    assert _clean(out + err)
    assert "dir\\x1b[2J" in out
    code, out, err = _run(capsys, "new", "Phoenix", "--kind", "metaphor", "--entries", str(folder))
    assert code == 1
    assert _clean(out + err) and "dir\\x1b[2J" in err
    code, out, err = _run(capsys, "new", "X", "--kind", "bad\x1b[2J", "--entries", str(folder))
    assert code == 2
    assert _clean(out + err) and "bad\\x1b[2J" in err


def test_diff_escapes_the_base_in_its_error(
    capsys: pytest.CaptureFixture[str], hostile: Path
) -> None:
    code, out, err = _run(capsys, "diff", "no\x1b[2Jref", "--entries", str(hostile))
    assert code == 2
    assert _clean(out + err)
    assert "no\\x1b[2Jref" in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_even_open_data_is_escaped(
    capsys: pytest.CaptureFixture[str], hostile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Redirected, `export` writes the names exactly (JSON escapes the controls, not the bidi).
    _run(capsys, "export", "--entries", str(hostile))
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    main(["export", "--entries", str(hostile)])
    shown = terminal.getvalue()
    assert _clean(shown)
    assert "\\u202e" in shown
    # A bidi control escaped as `\u202e` is still the same JSON.
    names = {e["name"] for e in json.loads(shown)["entries"]}
    assert "Rupture \x1b[2J\x07\u202e and Repair" in names
