"""`graph-builder new`: every key and section, placeholders `check` flags line by line, prompts."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest

from graph_builder.cli import scaffold
from graph_builder.cli.entry_draft import EntryDraft
from graph_builder.cli.main import main
from graph_builder.cli.prompts import PromptAbortedError, prompt_draft
from graph_builder.cli.scaffold import render_entry
from graph_builder.core.load import parse_entry
from graph_builder.core.model import KNOWN_KEYS, SECTION_ORDER
from graph_builder.core.vocabulary import default_vocabulary

VOCABULARY = default_vocabulary()

FIXTURES = Path(__file__).parent.parent / "fixtures"

SEED_FLAGS = [
    "Rupture and Repair",
    "--kind",
    "mental-model",
    "--source-frame",
    "psychotherapy",
    "--category",
    "psychology",
    "--category",
    "social-dynamics",
    "--pattern",
    "link",
    "--pattern",
    "splitting",
    "--pattern",
    "iteration",
    "--relation",
    "restore",
    "--relation",
    "transform/refinement",
    "--relation",
    "cause/accumulate",
    "--structure",
    "cycle",
    "--level",
    "generic",
    "--author",
    "tester",
]

# The scaffold's layout: keys on lines 2-26 in KNOWN_KEYS order (transfers on 17-19, limits on
# 20-22), `---` on 27, then Transfers 29 (paragraph 31, moves 33-34), Limits 36 (38-39),
# Expressions 41 (43), Origin Story 45 (47), References 49 (51).
BODY_PLACEHOLDERS = {31, 33, 34, 38, 39, 43, 47, 51}
CLAIM_PLACEHOLDERS = {18, 19, 21, 22}


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def _flagged_lines(capsys: pytest.CaptureFixture[str], folder: Path, name: str) -> set[int]:
    code, out, _ = _run(capsys, "check", "--entries", str(folder))
    assert code == 1
    found = set()
    for line in out.splitlines()[:-1]:
        path, number, rest = line.split(":", 2)
        assert path == str(folder / name)
        assert rest.startswith(" error: placeholder left")
        assert rest.endswith("[placeholder]")
        found.add(int(number))
    return found


def test_new_with_every_flag(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    before = dt.date.today().isoformat()
    code, out, err = _run(capsys, "new", *SEED_FLAGS, "--no-input", "--entries", str(tmp_path))
    after = dt.date.today().isoformat()
    path = tmp_path / "rupture-and-repair.md"
    assert code == 0
    assert err == ""
    assert out.splitlines()[0] == f"wrote {path}"
    assert f"graph-builder check {path}" in out
    entry, problems = parse_entry(path.read_text(encoding="utf-8"), str(path))
    assert problems == []
    assert entry is not None
    assert list(entry.meta) == list(KNOWN_KEYS)
    assert [s.title for s in entry.sections] == list(SECTION_ORDER)
    assert entry.created in (before, after)
    assert entry.updated == entry.created
    assert entry.relation_types == ("restore", "transform/refinement", "cause/accumulate")
    assert entry.structure == ("cycle",)
    assert entry.author == "tester"
    # Only what no flag can give is left to write: the summary, the claims and the body.
    assert (
        _flagged_lines(capsys, tmp_path, path.name) == {4} | CLAIM_PLACEHOLDERS | BODY_PLACEHOLDERS
    )


def test_new_with_only_a_name_and_a_kind(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, _ = _run(capsys, "new", "Phoenix", "--kind", "metaphor", "--entries", str(tmp_path))
    assert code == 0
    text = (tmp_path / "phoenix.md").read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[5] == "source_frame: 'TODO: the domain it comes from, e.g. mythology'"
    assert lines[7].startswith("dead: false  # true when the source is forgotten")
    tags = {23, 24, 25, 26}  # patterns, relations, structure, level
    assert (
        _flagged_lines(capsys, tmp_path, "phoenix.md")
        == {4, 6, 9, 12} | CLAIM_PLACEHOLDERS | tags | BODY_PLACEHOLDERS
    )


def test_new_never_overwrites(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "rupture-and-repair.md"
    path.write_bytes(b"---\nslug: rupture-and-repair\n---\nmine\r\n")
    code, out, err = _run(capsys, "new", *SEED_FLAGS, "--no-input", "--entries", str(tmp_path))
    assert code == 1
    assert out == ""
    assert f"{path} already exists" in err
    assert path.read_bytes() == b"---\nslug: rupture-and-repair\n---\nmine\r\n"


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["X", "--kind", "metafor"], "unknown kind 'metafor' (did you mean 'metaphor'?)"),
        (["X", "--kind", "conceptual-metaphor"], "deprecated kind 'conceptual-metaphor', use"),
        (["X", "--kind", "pattern", "--category", "psycology"], "did you mean 'psychology'?"),
        (["X", "--kind", "pattern", "--pattern", "spliting"], "did you mean 'splitting'?"),
        (["X", "--kind", "pattern", "--relation", "transform/refinment"], "subtype of transform"),
        (["X", "--kind", "pattern", "--structure", "cylce"], "did you mean 'cycle'?"),
        (["X", "--kind", "pattern", "--level", "generc"], "did you mean 'generic'?"),
        (["X", "--kind", "pattern", "--pattern", "link"], "give 2 to 4 embodied patterns"),
        (["X", "--kind", "pattern", "--source-frame", "Deep Sea"], "write 'deep-sea'"),
        (["東京", "--kind", "pattern"], "cannot make a file name"),
        (["--kind", "pattern"], "needs a name"),
        (["X"], "needs a kind"),
        (["X", "--kind", "pattern", "--interactive"], "cannot be used together"),
        (["Index", "--kind", "pattern"], "the name of a generated index page"),
        (["X", "--kind", "pattern", "--slug", "index"], "cannot be a slug"),
        (["X", "--kind", "pattern", "--slug", "Not A Slug"], "cannot be a slug"),
        (["X", "--kind", "pattern", "--source-frame", "index"], "is not a slug"),
        (["A\u202eB", "--kind", "pattern"], "U+202E RIGHT-TO-LEFT OVERRIDE"),
        (["X", "--kind", "pattern", *["--category", "psychology"] * 7], "give 1 to 6 categories"),
    ],
)
def test_new_usage_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], words: str
) -> None:
    code, out, err = _run(capsys, "new", *argv, "--no-input", "--entries", str(tmp_path))
    assert code == 2
    assert out == ""
    assert words in err
    assert list(tmp_path.iterdir()) == []


def test_new_needs_the_entries_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run(capsys, "new", "X", "--kind", "pattern", "--entries", str(tmp_path / "no"))
    assert code == 2
    assert "entries folder not found" in err


def test_a_name_yaml_would_misread_is_quoted() -> None:
    draft = EntryDraft(name="Yes: No #1", kind="pattern")
    text = render_entry(draft, VOCABULARY, dt.date(2026, 3, 23))
    entry, problems = parse_entry(text, "entries/yes-no-1.md")
    assert problems == []
    assert entry is not None
    assert (entry.slug, entry.name, entry.created) == ("yes-no-1", "Yes: No #1", "2026-03-23")


def test_rendering_is_deterministic() -> None:
    draft = EntryDraft(name="Stone Soup", kind="metaphor", categories=("arts-and-culture",))
    day = dt.date(2026, 1, 2)
    assert render_entry(draft, VOCABULARY, day) == render_entry(draft, VOCABULARY, day)


# --- prompting ---------------------------------------------------------------------------------


def test_prompts_offer_the_vocabulary_and_re_ask_bad_answers() -> None:
    answers = "\n".join(
        [
            "",  # no name: asked again
            "Rupture and Repair",
            "metafor",  # a near miss: asked again
            "mental-model",
            "Psycho Therapy",  # not a slug: asked again
            "psychotherapy",
            "psychology, social-dynamics",
            "link spliting",  # a near miss
            "link splitting iteration",
            "restore, transfrom/refinement",  # a wrong parent
            "restore, transform/refinement, cause/accumulate",
            "cycle",
            "",  # the level is skipped: a placeholder will be written
            "tester",
        ]
    )
    stdout = io.StringIO()
    draft = prompt_draft(EntryDraft(), VOCABULARY, io.StringIO(answers + "\n"), stdout)
    assert draft == EntryDraft(
        name="Rupture and Repair",
        kind="mental-model",
        source_frame="psychotherapy",
        categories=("psychology", "social-dynamics"),
        embodied_patterns=("link", "splitting", "iteration"),
        relation_types=("restore", "transform/refinement", "cause/accumulate"),
        structure=("cycle",),
        abstraction_level=None,
        author="tester",
    )
    shown = stdout.getvalue()
    assert "the entry needs a name" in shown
    assert "unknown kind 'metafor' (did you mean 'metaphor'?); choose from" in shown
    assert "source frame 'Psycho Therapy' is not a slug; write 'psycho-therapy'" in shown
    assert "unknown embodied pattern 'spliting' (did you mean 'splitting'?)" in shown
    assert "unknown relation type 'transfrom' (did you mean 'transform'?)" in shown
    # The vocabulary is offered with its definitions.
    lines = shown.splitlines()
    definition = VOCABULARY.embodied_patterns["splitting"].definition
    assert any(line.split() == ["splitting", *definition.split()] for line in lines)
    definition = VOCABULARY.relation_types["transform/refinement"].definition
    assert any(line.split() == ["transform/refinement", *definition.split()] for line in lines)
    assert VOCABULARY.kinds["mental-model"].definition in shown


def test_prompts_skip_what_flags_gave_and_re_ask_a_taken_name() -> None:
    given = EntryDraft(
        kind="pattern",
        source_frame="cooking",
        categories=("arts-and-culture",),
        embodied_patterns=("path", "container"),
        relation_types=("enable", "coordinate"),
        structure=("pipeline",),
        abstraction_level="specific",
        author="cook",
    )
    stdout = io.StringIO()
    draft = prompt_draft(
        given,
        VOCABULARY,
        io.StringIO("Mise en Place\nMise en Place Twice\n"),
        stdout,
        exists=lambda slug: slug == "mise-en-place",
    )
    assert draft.name == "Mise en Place Twice"
    assert stdout.getvalue().count("Name of the model") == 2
    assert "an entry 'mise-en-place' already exists" in stdout.getvalue()
    assert "Kinds" not in stdout.getvalue()


def test_prompts_stop_at_the_end_of_input() -> None:
    with pytest.raises(PromptAbortedError):
        prompt_draft(EntryDraft(), VOCABULARY, io.StringIO("Only a name\n"), io.StringIO())


def test_new_interactive_through_stdin(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = "Keystone\nmetaphor\necology\nbiology-and-ecology\nlink, balance\nenable, prevent\n"
    answers += "network\ngeneric\nranger\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(answers))
    code, out, _ = _run(capsys, "new", "--interactive", "--entries", str(tmp_path))
    assert code == 0
    assert f"wrote {tmp_path / 'keystone.md'}" in out
    entry, _ = parse_entry((tmp_path / "keystone.md").read_text(encoding="utf-8"), "k.md")
    assert entry is not None
    assert (entry.kind, entry.source_frame, entry.structure) == (
        "metaphor",
        "ecology",
        ("network",),
    )
    # Every answer is in the file, and `check` then reports each placeholder left on its line.
    text = (tmp_path / "keystone.md").read_text(encoding="utf-8").splitlines()
    for answered in (
        "name: Keystone",
        "categories: [biology-and-ecology]",
        "embodied_patterns: [link, balance]",
        "relation_types: [enable, prevent]",
        "abstraction_level: generic",
        "author: ranger",
    ):
        assert answered in text
    todo_lines = [n for n, line in enumerate(text, start=1) if "TODO:" in line]
    assert len(todo_lines) >= 10
    code, out, _ = _run(capsys, "check", str(tmp_path / "keystone.md"), "--entries", str(tmp_path))
    assert code == 1
    reported = sorted(
        int(line.split(":")[1]) for line in out.splitlines() if line.endswith("[placeholder]")
    )
    assert reported == todo_lines


def test_new_interactive_with_input_ending_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Keystone\n"))
    code, _, err = _run(capsys, "new", "--interactive", "--entries", str(tmp_path))
    assert code == 1
    assert "nothing written" in err
    assert list(tmp_path.iterdir()) == []


def test_new_previews_the_neighbours_the_entry_would_get(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # phoenix: patterns splitting, path, force; relations transform, restore; cycle, generic.
    phoenix = (FIXTURES / "good" / "rupture-and-repair.md").read_text(encoding="utf-8")
    phoenix = phoenix.replace("slug: rupture-and-repair", "slug: phoenix")
    phoenix = phoenix.replace("name: Rupture and Repair", "name: Phoenix")
    phoenix = phoenix.replace("source_frame: psychotherapy", "source_frame: mythology")
    phoenix = phoenix.replace("[link, splitting, iteration]", "[splitting, path, force]")
    phoenix = phoenix.replace(
        "[restore, transform/refinement, cause/accumulate]", "[transform, restore]"
    )
    (tmp_path / "phoenix.md").write_text(phoenix, encoding="utf-8")
    code, out, _ = _run(capsys, "new", *SEED_FLAGS, "--no-input", "--entries", str(tmp_path))
    assert code == 0
    # The published score of the pair, worked out in the neighbour tests: 0.623575.
    assert "neighbours it would get now:" in out
    assert "   1. 0.623575  Phoenix (phoenix, mythology)" in out


def test_new_without_tags_asks_for_them_instead_of_a_preview(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = _run(
        capsys, "new", "Bottleneck", "--kind", "metaphor", "--no-input", "--entries", str(tmp_path)
    )
    assert code == 0
    assert "fill in the structural tags to see the neighbours" in out


def test_new_previews_the_neighbours_under_the_site_s_settings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "entries").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: T\nplugins:\n  - graph-builder:\n      threshold: 0.5\n", encoding="utf-8"
    )
    seen: list[tuple[Path, float]] = []

    def preview(path: Path, folder: Path, vocabulary: object, settings: Any) -> list[str]:
        seen.append((folder, settings.threshold))
        return []

    monkeypatch.setattr(scaffold, "neighbours_preview", preview)
    monkeypatch.chdir(tmp_path)
    code, _, _ = _run(capsys, "new", *SEED_FLAGS, "--no-input")
    assert code == 0
    assert seen == [(Path("entries"), 0.5)]


def test_new_prints_the_neighbours_preview_hook(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        scaffold,
        "neighbours_preview",
        lambda path, folder, vocabulary, settings: [f"near {path.stem}"],
    )
    code, out, _ = _run(capsys, "new", *SEED_FLAGS, "--no-input", "--entries", str(tmp_path))
    assert code == 0
    assert out.splitlines()[:3] == [
        f"wrote {tmp_path / 'rupture-and-repair.md'}",
        "near rupture-and-repair",
        "next steps:",
    ]


# --- names YAML would misread -------------------------------------------------------------

MISREAD_NAMES = ["123", "yes", "on", ".5", "2026-01-01", "null", "~", "0x10", "1e3", "@x"]
MISREAD_NAMES += ["- a", "a: b", "#x", "No", "[x]", "{x}", "'q'", '"q"', "a #b", "*x", "&x", "!x"]
MISREAD_NAMES += ["%x", "|", ">", "? x", "x:", " lead", "trail ", "1_000", "0o17", "12:30", ".inf"]


@pytest.mark.parametrize("name", MISREAD_NAMES)
def test_new_writes_a_file_that_loads_back_with_the_exact_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    # `~` and `|` give no slug of their own: the slug is given, as the error message says.
    slug_flags = ["--slug", "given-slug"] if not any(c.isalnum() for c in name) else []
    code, out, err = _run(
        capsys,
        "new",
        name,
        "--kind",
        "pattern",
        *slug_flags,
        "--no-input",
        "--entries",
        str(tmp_path),
    )
    assert (code, err) == (0, "")
    (path,) = tmp_path.iterdir()
    entry, problems = parse_entry(path.read_text(encoding="utf-8"), str(path))
    assert problems == []
    assert entry is not None
    assert entry.meta["name"] == name.strip()
    assert entry.meta["slug"] == path.stem
    # Only placeholders are left: no wrong type, no slug rule broken.
    code, out, _ = _run(capsys, "check", "--entries", str(tmp_path))
    assert {line.rsplit("[", 1)[-1] for line in out.splitlines()[:-1]} == {"placeholder]"}


@pytest.mark.parametrize("name", MISREAD_NAMES)
def test_every_scalar_of_a_scaffold_reads_back_as_written(name: str) -> None:
    draft = EntryDraft(
        name=name,
        kind="pattern",
        source_frame="yes",
        author=name,
        abstraction_level="generic",
        structure=("cycle",),
        given_slug="on" if not any(c.isalnum() for c in name) else None,
    )
    entry, problems = parse_entry(render_entry(draft, VOCABULARY, dt.date(2026, 1, 2)), "x.md")
    assert problems == []
    assert entry is not None
    expected = {"slug": draft.slug, "name": name.strip(), "source_frame": "yes", "author": name}
    assert {key: entry.meta[key] for key in expected} == expected
    assert entry.meta["structure"] == "cycle"


def test_a_name_without_a_slug_asks_for_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = _run(
        capsys, "new", "~", "--kind", "pattern", "--no-input", "--entries", str(tmp_path)
    )
    assert code == 2
    assert "give the slug with --slug" in err
