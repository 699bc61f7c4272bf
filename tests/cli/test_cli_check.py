"""`graph-builder check` and the report formats: file:line per problem, exit codes, no writes."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from graph_builder.cli.main import main
from graph_builder.cli.report import format_github, format_json, format_text, summary
from graph_builder.core.model import Diagnostic, Severity
from tests.bad_fixtures import BAD, EXPECTED, GOOD


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def _fingerprints(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    """A folder with the good entries and one bad file per rule."""
    folder = tmp_path / "entries"
    folder.mkdir()
    for path in [*GOOD.glob("*.md"), *BAD.glob("*.md")]:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture
def good(tmp_path: Path) -> Path:
    folder = tmp_path / "good"
    shutil.copytree(GOOD, folder)
    return folder


def test_every_bad_file_is_reported_with_its_line(
    capsys: pytest.CaptureFixture[str], catalogue: Path
) -> None:
    before = _fingerprints(catalogue)
    code, out, err = _run(capsys, "check", "--entries", str(catalogue))
    assert code == 1
    assert err == ""
    lines = out.splitlines()
    for stem, expected in EXPECTED.items():
        path = catalogue / f"{stem}.md"
        reported = {
            line
            for line in lines
            if line.startswith(f"{path}:") and "[dangling-related]" not in line
        }
        wanted = {
            (rule, number, severity) for rule, number, severity in expected if severity != "note"
        }
        assert len(reported) == len(wanted), stem
        for rule, number, severity in wanted:
            assert any(
                line.startswith(f"{path}:{number}: {severity}: ") and line.endswith(f"[{rule}]")
                for line in reported
            ), (stem, rule, number)
    # 60 bad files and 3 good ones; the good ones have notes only (4 dangling related slugs),
    # and too-many-items.md has 25 dangling related slugs.
    assert lines[-1] == "63 files checked: 51 errors, 11 warnings, 30 notes"
    assert not any(
        line.startswith(str(catalogue / f"{p.stem}.md")) and ": note: " not in line
        for p in GOOD.glob("*.md")
        for line in lines
    )
    assert _fingerprints(catalogue) == before


def test_output_is_sorted_and_deterministic(
    capsys: pytest.CaptureFixture[str], catalogue: Path
) -> None:
    _, first, _ = _run(capsys, "check", "--entries", str(catalogue))
    _, second, _ = _run(capsys, "check", "--entries", str(catalogue))
    assert first == second
    body = first.splitlines()[:-1]
    paths = [line.split(":", 1)[0] for line in body]
    assert paths == sorted(paths)


def test_good_entries_pass_strict_with_notes(
    capsys: pytest.CaptureFixture[str], good: Path
) -> None:
    code, out, _ = _run(capsys, "check", "--strict", "--entries", str(good))
    assert code == 0
    assert out.splitlines()[-1] == "3 files checked: 0 errors, 0 warnings, 4 notes"
    assert f"{good}/rupture-and-repair.md:9: note: related entry 'antifragile'" in out


def test_warnings_fail_only_with_strict(capsys: pytest.CaptureFixture[str], good: Path) -> None:
    shutil.copy(BAD / "unknown-section.md", good)
    assert _run(capsys, "check", "--entries", str(good))[0] == 0
    code, out, _ = _run(capsys, "check", "--strict", "--entries", str(good))
    assert code == 1
    assert out.splitlines()[-1] == "4 files checked: 0 errors, 1 warning, 4 notes"


def test_paths_limit_the_report_but_not_the_context(
    capsys: pytest.CaptureFixture[str], catalogue: Path
) -> None:
    code, out, _ = _run(
        capsys, "check", "--entries", str(catalogue), str(catalogue / "duplicate-slug.md")
    )
    assert code == 1
    # The twin is loaded (it is in the catalogue) but only the file asked for is reported.
    assert out.splitlines() == [
        f"{catalogue}/duplicate-slug.md:2: error: slug 'duplicate-slug' is also used by "
        f"{catalogue}/duplicate-slug-twin.md:2; every entry needs its own slug, so rename one "
        "of them [duplicate-slug]",
        "1 file checked: 1 error, 0 warnings, 0 notes",
    ]


def test_a_path_outside_the_entries_folder_is_checked_in_context(
    capsys: pytest.CaptureFixture[str], good: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "drafts"
    outside.mkdir()
    shutil.copy(GOOD / "bottleneck.md", outside / "bottleneck.md")
    shutil.copy(BAD / "unknown-pattern.md", outside / "unknown-pattern.md")
    code, out, _ = _run(capsys, "check", "--entries", str(good), str(outside))
    assert code == 1
    assert out.splitlines() == [
        f"{outside}/bottleneck.md:2: error: slug 'bottleneck' is also used by "
        f"{good}/bottleneck.md:2; every entry needs its own slug, so rename one of them "
        "[duplicate-slug]",
        f"{outside}/unknown-pattern.md:17: error: unknown embodied pattern 'spliting' (did you "
        "mean 'splitting'?); see the patterns in graph_builder/data/vocabulary.yaml "
        "[unknown-pattern]",
        "2 files checked: 2 errors, 0 warnings, 0 notes",
    ]


def test_a_path_given_twice_or_relative_is_one_file(
    capsys: pytest.CaptureFixture[str], good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(good.parent)
    code, out, _ = _run(
        capsys, "check", "--entries", "good", "good/secure-base.md", "./good/secure-base.md"
    )
    assert code == 0
    assert out.splitlines() == [
        "good/secure-base.md:9: note: related entry 'attachment-styles' has no entry yet; the "
        "link appears when it is written [dangling-related]",
        "1 file checked: 0 errors, 0 warnings, 1 note",
    ]


def test_load_errors_are_reported_like_the_rest(
    capsys: pytest.CaptureFixture[str], good: Path
) -> None:
    shutil.copy(BAD / "yaml-syntax.md", good)
    code, out, _ = _run(capsys, "check", "--entries", str(good), str(good / "yaml-syntax.md"))
    assert code == 1
    assert out.splitlines()[0].startswith(f"{good}/yaml-syntax.md:3: error: YAML error")
    assert out.splitlines()[0].endswith("[yaml-syntax]")


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["check", "--entries", "{tmp}/nowhere"], "entries folder not found"),
        (["check", "--entries", "{good}", "{tmp}/missing.md"], "no such file or folder"),
        (["check", "--format", "xml", "--entries", "{good}"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], good: Path, tmp_path: Path, argv: list[str], words: str
) -> None:
    args = [a.format(tmp=tmp_path, good=good) for a in argv]
    code, out, err = _run(capsys, *args)
    assert code == 2
    assert out == ""
    assert words in err


def test_json_format(capsys: pytest.CaptureFixture[str], catalogue: Path) -> None:
    target = catalogue / "unknown-relation-subtype.md"
    code, out, err = _run(
        capsys, "check", "--format", "json", "--entries", str(catalogue), str(target)
    )
    assert code == 1
    assert json.loads(out) == [
        {
            "line": 18,
            "message": "unknown subtype 'refinment' of 'transform' (did you mean "
            "'transform/refinement'?); the subtypes of transform are metamorphosis, refinement, "
            "synthesis, corruption, reframing, or write the bare `transform`",
            "path": str(target),
            "rule": "unknown-relation-subtype",
            "severity": "error",
        }
    ]
    assert err == "1 file checked: 1 error, 0 warnings, 0 notes\n"


def test_github_format(capsys: pytest.CaptureFixture[str], catalogue: Path) -> None:
    paths = [
        str(catalogue / f"{stem}.md") for stem in ("dangling-related", "raw-html", "tag-count")
    ]
    code, out, _ = _run(capsys, "check", "--format", "github", "--entries", str(catalogue), *paths)
    assert code == 1
    assert out.splitlines() == [
        f"::notice file={paths[0]},line=8,title=dangling-related::related entry 'not-written-yet' "
        "has no entry yet; the link appears when it is written",
        f"::warning file={paths[1]},line=25,title=raw-html::raw HTML '<b>' is shown as text, not "
        "rendered; write Markdown instead (or put it in backticks to show it as code)",
        f"::error file={paths[2]},line=17,title=tag-count::`embodied_patterns` has 1 pattern; use "
        "2 to 4 (the most telling)",
    ]


# --- report.py ---------------------------------------------------------------------------------


def _diag(path: str, line: int, severity: Severity, rule: str, message: str) -> Diagnostic:
    return Diagnostic(path=path, line=line, severity=severity, rule=rule, message=message)


def test_github_escapes_data_and_properties() -> None:
    d = _diag("dir,a/b:c.md", 3, Severity.ERROR, "rule", "100% sure\r\nsecond line ::error::x")
    assert format_github([d]) == (
        "::error file=dir%2Ca/b%3Ac.md,line=3,title=rule::100%25 sure\\r\\nsecond line ::error::x\n"
    )


def test_text_and_json_are_sorted_and_summarised() -> None:
    later = _diag("b.md", 1, Severity.NOTE, "dangling-related", "n")
    first = _diag("a.md", 9, Severity.WARNING, "raw-html", "w")
    second = _diag("a.md", 10, Severity.ERROR, "claim-prefix", "e")
    assert format_text([later, second, first], 2) == (
        "a.md:9: warning: w [raw-html]\n"
        "a.md:10: error: e [claim-prefix]\n"
        "b.md:1: note: n [dangling-related]\n"
        "2 files checked: 1 error, 1 warning, 1 note\n"
    )
    assert [row["line"] for row in json.loads(format_json([later, second, first]))] == [9, 10, 1]
    assert format_json([]) == "[]\n"
    assert summary([], 0) == "0 files checked: 0 errors, 0 warnings, 0 notes"


@pytest.mark.parametrize(
    ("floor", "shown"),
    [
        ("error", {"error"}),
        ("warning", {"error", "warning"}),
        ("note", {"error", "warning", "note"}),
    ],
)
def test_a_severity_floor_lists_only_what_is_that_bad_and_counts_everything(
    floor: str, shown: set[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["check", "--entries", str(BAD), "--min-severity", floor])
    lines = capsys.readouterr().out.splitlines()
    severities = {line.split(": ")[1] for line in lines[:-1]}
    assert severities == shown
    assert lines[-1] == "60 files checked: 51 errors, 11 warnings, 26 notes"
    assert code == 1
