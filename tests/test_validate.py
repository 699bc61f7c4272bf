"""validate_entries: one bad fixture per rule (rule id and line), messages, and property tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_builder.load import entry_paths, load_entries, parse_entry
from graph_builder.model import KNOWN_KEYS, SECTION_ORDER, Diagnostic, Entry, Severity
from graph_builder.validate import RULES, did_you_mean, slugify, validate_entries
from graph_builder.vocabulary import Vocabulary, default_vocabulary
from tests.bad_fixtures import BAD, COMPANIONS, EXPECTED, GOOD, UNFIXTURED

VOCABULARY = default_vocabulary()

# A valid entry in the smallest form the format allows; tests change one thing in it.
BASE = """\
---
slug: base
name: Base Entry
summary: "A short model used to test one rule."
kind: pattern
source_frame: psychotherapy
categories: [psychology]
author: tester
created: '2026-03-23'
updated: '2026-03-23'
transfers:
  - '[model] One thing carries over.'
  - '[model] Another thing carries over.'
limits:
  - '[model] One place where it breaks.'
  - '[model] Another place where it breaks.'
embodied_patterns: [link, iteration]
relation_types: [restore, cause]
structure: cycle
abstraction_level: generic
---

## Transfers

- **Move** -- what it carries.

## Limits

- **Limit** -- where it breaks.

## Expressions

- "a phrase" -- what it means.
"""


def _entry(text: str, path: str = "entries/base.md") -> Entry:
    entry, problems = parse_entry(text, path, default_slug=Path(path).stem)
    assert problems == []
    assert entry is not None
    return entry


def _check(*texts: str, paths: tuple[str, ...] = ()) -> list[Diagnostic]:
    names = paths or ("entries/base.md",)
    return validate_entries([_entry(t, p) for t, p in zip(texts, names, strict=True)], VOCABULARY)


def _found(text: str) -> set[tuple[str, int]]:
    return {(d.rule, d.line) for d in _check(text, paths=("entries/base.md",))}


def _only(text: str) -> Diagnostic:
    found = _check(text, paths=("entries/base.md",))
    assert len(found) == 1, [d.format() for d in found]
    return found[0]


def _variant(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# --- one bad fixture per rule -----------------------------------------------------------------


def _catalogue_with(stem: str) -> list[Diagnostic]:
    """Load the good entries with one bad fixture (and its companions), then validate."""
    paths = [*entry_paths(GOOD), BAD / f"{stem}.md"]
    paths += [BAD / f"{companion}.md" for companion in COMPANIONS.get(stem, ())]
    result = load_entries(GOOD, paths=paths)
    return [*result.diagnostics, *validate_entries(result.entries, VOCABULARY)]


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_each_bad_fixture_reports_its_rule_at_its_line(stem: str) -> None:
    diagnostics = _catalogue_with(stem.removesuffix("-twin"))
    found = {(d.rule, d.line, d.severity.value) for d in diagnostics if Path(d.path).stem == stem}
    assert found == EXPECTED[stem]


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_bad_fixtures_leave_the_good_entries_clean(stem: str) -> None:
    good = {p.stem for p in entry_paths(GOOD)}
    others = [
        d.format()
        for d in _catalogue_with(stem.removesuffix("-twin"))
        if Path(d.path).stem in good and d.severity is not Severity.NOTE
    ]
    assert others == []


def test_every_rule_has_a_bad_fixture() -> None:
    covered = {rule for found in EXPECTED.values() for rule, _, _ in found}
    assert covered == set(RULES) - UNFIXTURED
    assert {p.stem for p in BAD.glob("*.md")} == set(EXPECTED)


def test_rule_severities_match_the_table() -> None:
    for found in EXPECTED.values():
        for rule, _, severity in found:
            assert RULES[rule].severity.value == severity


def test_rule_ids_are_kebab_case() -> None:
    assert all(rule == slugify(rule) for rule in RULES)


# --- the good entries -------------------------------------------------------------------------


def test_good_entries_have_only_notes() -> None:
    result = load_entries(GOOD)
    assert result.diagnostics == ()
    diagnostics = validate_entries(result.entries, VOCABULARY)
    assert {d.severity for d in diagnostics} == {Severity.NOTE}


def test_seed_entry_passes_with_its_three_dangling_related_slugs_as_notes() -> None:
    result = load_entries(GOOD, paths=[GOOD / "rupture-and-repair.md"])
    (entry,) = result.entries
    # The facts of the seed entry (first-entries.json), copied into the fixture.
    assert entry.slug == "rupture-and-repair"
    assert entry.kind == "mental-model"
    assert entry.source_frame == "psychotherapy"
    assert entry.categories == ("psychology", "social-dynamics")
    assert entry.grounding == "established"
    assert entry.related == ("therapeutic-alliance", "antifragile", "creative-destruction")
    assert entry.embodied_patterns == ("link", "splitting", "iteration")
    assert entry.relation_types == ("restore", "transform/refinement", "cause/accumulate")
    assert entry.structure == ("cycle",)
    assert entry.abstraction_level == "generic"
    diagnostics = validate_entries(result.entries, VOCABULARY)
    assert [(d.rule, d.line, d.severity) for d in diagnostics] == [
        ("dangling-related", 9, Severity.NOTE)
    ] * 3
    slugs = ("antifragile", "creative-destruction", "therapeutic-alliance")
    for diagnostic, slug in zip(diagnostics, slugs, strict=True):
        assert f"related entry '{slug}' has no entry yet" in diagnostic.message


def test_base_entry_is_valid() -> None:
    assert _check(BASE) == []


# --- messages: what is wrong and the fix ------------------------------------------------------


def test_unknown_pattern_suggests_the_near_miss() -> None:
    d = _only(_variant("[link, iteration]", "[link, spliting]"))
    assert (d.rule, d.line) == ("unknown-pattern", 17)
    assert "unknown embodied pattern 'spliting' (did you mean 'splitting'?)" in d.message


def test_wrong_relation_parent_and_wrong_subtype_are_different_rules() -> None:
    parent = _only(_variant("[restore, cause]", "[restore, transfrom/refinement]"))
    subtype = _only(_variant("[restore, cause]", "[restore, transform/refinment]"))
    assert parent.rule == "unknown-relation-parent"
    assert "unknown relation parent 'transfrom'" in parent.message
    assert "(did you mean 'transform'?)" in parent.message
    assert "write `transform/refinement`" in parent.message
    assert subtype.rule == "unknown-relation-subtype"
    assert "unknown subtype 'refinment' of 'transform'" in subtype.message
    assert "(did you mean 'transform/refinement'?)" in subtype.message


def test_a_subtype_of_a_parent_without_subtypes() -> None:
    d = _only(_variant("[restore, cause]", "[restore/back, cause]"))
    assert (d.rule, d.line) == ("unknown-relation-subtype", 18)
    assert "'restore' has no subtypes; write `restore`" in d.message


def test_bare_parent_and_known_subtypes_are_valid() -> None:
    assert (
        _check(_variant("[restore, cause]", "[transform, cause/misfit, transform/synthesis]")) == []
    )


def test_deprecated_kind_names_its_replacement() -> None:
    d = _only(_variant("kind: pattern", "kind: conceptual-metaphor"))
    assert (d.rule, d.line) == ("deprecated-kind", 5)
    assert d.message == "deprecated kind 'conceptual-metaphor', use `metaphor`"


def test_unknown_key_suggests_the_known_one() -> None:
    d = _only(_variant("structure: cycle\n", "structure: cycle\nrelation_type: [cause]\n"))
    assert (d.rule, d.line, d.severity) == ("unknown-key", 20, Severity.WARNING)
    assert "unknown key 'relation_type' (did you mean 'relation_types'?)" in d.message


def test_missing_key_says_what_to_write() -> None:
    d = _only(_variant("author: tester\n", ""))
    assert (d.rule, d.line) == ("missing-key", 1)
    assert "`author`" in d.message
    assert "author: your-handle" in d.message


def test_duplicate_slug_points_at_both_files() -> None:
    found = _check(BASE, BASE, paths=("entries/base.md", "other/base.md"))
    assert [(d.path, d.line, d.rule) for d in found] == [
        ("entries/base.md", 2, "duplicate-slug"),
        ("other/base.md", 2, "duplicate-slug"),
    ]
    assert "other/base.md:2" in found[0].message
    assert "entries/base.md:2" in found[1].message


def test_dangling_related_is_a_note_with_a_hint_for_a_near_miss() -> None:
    text = _variant("author: tester\n", "author: tester\nrelated: [secure-base, to-come]\n")
    other = _variant("slug: base", "slug: secure-base")
    paths = ("entries/base.md", "entries/secure-base.md")
    found = _check(text, other, paths=paths)
    assert [(d.rule, d.line, d.severity) for d in found] == [("dangling-related", 9, Severity.NOTE)]
    assert found[0].message == (
        "related entry 'to-come' has no entry yet; the link appears when it is written"
    )
    close = _check(_variant("secure-base, to-come", "secure-bases", text), other, paths=paths)
    assert "(or did you mean 'secure-base'?)" in close[0].message


def test_self_related_is_an_error() -> None:
    d = _only(_variant("author: tester\n", "author: tester\nrelated: [base]\n"))
    assert (d.rule, d.line, d.severity) == ("self-related", 9, Severity.ERROR)


def test_wrong_type_of_a_list_item_points_at_the_item() -> None:
    d = _only(_variant("categories: [psychology]", "categories:\n  - psychology\n  - 3"))
    assert (d.rule, d.line) == ("wrong-type", 9)
    assert "a number" in d.message


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("kind: pattern", "kind: yes", 5, "put it in quotes"),
        ("name: Base Entry", "name: [Base, Entry]", 3, "must be text, but it is a list"),
        ("author: tester", "author: 2026", 8, "a number"),
        ("created: '2026-03-23'", "created: 2026-03-23 10:00:00", 9, "without a time"),
        ("created: '2026-03-23'", "created: [2026]", 9, "must be a date"),
        ("structure: cycle", "structure: {a: b}", 19, "a word or a list"),
        ('summary: "A short model used to test one rule."', "summary: 3", 4, "must be text"),
    ],
)
def test_wrong_types(old: str, new: str, line: int, words: str) -> None:
    d = _only(_variant(old, new))
    assert (d.rule, d.line) == ("wrong-type", line)
    assert words in d.message


def test_dead_must_be_a_boolean() -> None:
    text = _variant("kind: pattern", "kind: metaphor\ndead: 'yes'")
    d = _only(text)
    assert (d.rule, d.line) == ("wrong-type", 6)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("kind: pattern", "kind: mental-model\napplies_to: []"),  # an empty list says nothing
        ("kind: pattern", "kind: pattern\ndead: false"),  # only `dead: true` is restricted
        ("author: tester", "author: tester\nharness:"),  # an optional key with no value
        ("created: '2026-03-23'", "created: 2026-03-23"),  # a YAML date
        ("structure: cycle", "structure: [cycle, boundary]"),
        ("kind: pattern", "kind: metaphor\ndead: true"),
        (
            'summary: "A short model used to test one rule."',
            'summary: "Dr. Who, e.g. a film by J. R. Smith, vs. the rest."',
        ),
    ],
)
def test_accepted_variants(old: str, new: str) -> None:
    assert _check(_variant(old, new)) == []


def test_metaphor_needs_a_source_frame_at_its_kind_line() -> None:
    d = _only(
        _variant("source_frame: psychotherapy\n", "", _variant("kind: pattern", "kind: metaphor"))
    )
    assert (d.rule, d.line) == ("missing-source-frame", 5)


def test_a_placeholder_is_reported_once_and_silences_other_checks() -> None:
    text = _variant("kind: pattern", "kind: metaphor")
    text = _variant("source_frame: psychotherapy", "source_frame: 'TODO: the domain'", text)
    text = _variant("structure: cycle", "structure: ['TODO: 1 or 2 structures']", text)
    found = _found(text)
    assert found == {("placeholder", 6), ("placeholder", 19)}


def test_placeholders_in_the_body_but_not_in_code() -> None:
    text = BASE + "\n```\nTODO: in a code block\n```\nTODO: left over\n"
    assert _found(text) == {("placeholder", 38)}


@pytest.mark.parametrize(
    ("line_text", "flagged"),
    [
        ("A <script>alert(1)</script> here.", True),
        ("An image <img src=x>.", True),
        ("A comment <!-- hidden -->.", True),
        ("A closing </div> tag.", True),
        ("Code `<script>` in backticks.", False),
        ("An autolink <https://example.org>.", False),
        ("Maths: a < b and b > c.", False),
        ("An e-mail <someone@example.org>.", False),
    ],
)
def test_raw_html_in_the_body(line_text: str, flagged: bool) -> None:
    text = BASE + f"\n{line_text}\n"
    assert _found(text) == ({("raw-html", 35)} if flagged else set())


def test_raw_html_in_frontmatter_and_fenced_code() -> None:
    text = _variant("A short model used to test one rule.", "A model <img src=x onerror=y>.")
    text += "\n```html\n<div>code is fine</div>\n```\n"
    d = _only(text)
    assert (d.rule, d.line) == ("raw-html", 4)
    assert "'<img>' is shown as text" in d.message


def test_summary_with_two_sentences() -> None:
    d = _only(_variant("test one rule.", "test one rule. It has a second sentence."))
    assert (d.rule, d.line) == ("summary-sentences", 4)
    assert "2 sentences" in d.message


def test_claims_need_known_prefixes() -> None:
    text = _variant("[model] Another thing", "[modle] Another thing")
    d = _only(text)
    assert (d.rule, d.line) == ("claim-prefix", 13)
    assert "unknown claim prefix '[modle]' (did you mean '[model]'?)" in d.message


def test_missing_claims_are_warnings_at_line_one() -> None:
    limits = "limits:\n  - '[model] One place where it breaks.'\n"
    text = _variant(limits + "  - '[model] Another place where it breaks.'\n", "")
    d = _only(text)
    assert (d.rule, d.line, d.severity) == ("few-claims", 1, Severity.WARNING)


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("[link, iteration]", "[link, iteration, force, path, flow]", 17),
        ("[restore, cause]", "[restore]", 18),
        ("structure: cycle", "structure: [cycle, boundary, network]", 19),
    ],
)
def test_tag_counts(old: str, new: str, line: int) -> None:
    assert _found(_variant(old, new)) == {("tag-count", line)}


def test_missing_section_at_the_end_of_the_file() -> None:
    text = BASE.removesuffix('## Expressions\n\n- "a phrase" -- what it means.\n')
    d = _only(text)
    assert (d.rule, d.line) == ("missing-section", 29)
    assert "at the end of the file" in d.message


def test_old_heading_is_not_also_a_missing_section() -> None:
    d = _only(_variant("## Limits", "## Where It Breaks"))
    assert (d.rule, d.line) == ("old-heading", 27)
    assert "rename it to `## Limits`" in d.message


def test_unknown_section_suggests_a_near_miss() -> None:
    d = _only(BASE + "\n## Reference\n\n- A book.\n")
    assert (d.rule, d.line) == ("unknown-section", 35)
    assert "(did you mean `## References`?)" in d.message


def test_optional_sections_in_order_are_valid() -> None:
    assert _check(BASE + "\n## Origin Story\n\nOnce.\n\n## References\n\n- A book.\n") == []


def test_near_duplicate_frames_on_a_tie_warn_both_entries() -> None:
    other = _variant("slug: base", "slug: other")
    other = _variant("source_frame: psychotherapy", "source_frame: psychotherapi", other)
    found = _check(BASE, other, paths=("entries/base.md", "entries/other.md"))
    assert [(d.path, d.line, d.rule) for d in found] == [
        ("entries/base.md", 6, "near-duplicate-frame"),
        ("entries/other.md", 6, "near-duplicate-frame"),
    ]
    assert "'psychotherapi', used by entries/other.md" in found[0].message


@pytest.mark.parametrize(
    ("frame", "warned"),
    [
        ("psychotherapies", False),
        ("psychotherap", True),
        ("psychotherapx", True),
        ("xpsychotherapy", True),
        ("psychotherpay", False),
    ],
)
def test_near_duplicate_frames_are_exactly_one_edit_apart(frame: str, warned: bool) -> None:
    other = _variant("slug: base", "slug: other")
    other = _variant("source_frame: psychotherapy", f"source_frame: {frame}", other)
    found = _check(BASE, other, paths=("entries/base.md", "entries/other.md"))
    assert bool(found) is warned


def test_diagnostics_are_sorted_by_path_line_and_rule() -> None:
    bad = _variant("[link, iteration]", "[link, spliting]")
    bad = _variant("name: Base Entry", "name: ''", bad)
    found = _check(bad, BASE, paths=("entries/z.md", "entries/a.md"))
    keys = [(d.path, d.line, d.rule) for d in found]
    assert keys == sorted(keys)
    assert keys[0][0] == "entries/a.md"


def test_validate_of_nothing_is_nothing() -> None:
    assert validate_entries([], VOCABULARY) == []


def test_did_you_mean_and_slugify() -> None:
    assert did_you_mean("spliting", VOCABULARY.embodied_patterns) == "splitting"
    assert did_you_mean("Cycle", VOCABULARY.structures) == "cycle"
    assert did_you_mean("zzz", VOCABULARY.structures) is None
    assert slugify("Zeno's Paradox") == "zenos-paradox"
    assert slugify("  Ça  va -- bien ") == "ca-va-bien"
    assert slugify("東京") == ""


# --- property tests: bad input gives diagnostics, never an exception ------------------------------

_LINE_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    _LINE_TEXT,
    st.dates(),
    st.sampled_from(["TODO: x", "<b>", "link", "transform/refinement", "cycle", "metaphor"]),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(_LINE_TEXT, inner, max_size=3)
    ),
    max_leaves=12,
)
_KEYS = st.one_of(st.sampled_from(KNOWN_KEYS), _LINE_TEXT)
_HEADINGS = st.sampled_from([*SECTION_ORDER, "What It Brings", "Notes", "Transfers"])
_BODY_LINES = st.one_of(
    _HEADINGS.map(lambda h: f"## {h}"),
    st.sampled_from(["- **A** -- b", '- "p" -- g', "```", "", "text <i>", "TODO: x"]),
    _LINE_TEXT,
)


def _assert_never_raises(text: str, vocabulary: Vocabulary) -> None:
    entry, problems = parse_entry(text, "entries/prop.md", default_slug="prop")
    found = list(problems)
    if entry is not None:
        found += validate_entries([entry], vocabulary)
    last_line = max(1, text.removeprefix("\ufeff").count("\n") + 1)
    for d in found:
        assert d.rule in RULES
        assert RULES[d.rule].severity is d.severity
        assert 1 <= d.line <= last_line, d.format()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(text: str) -> None:
    _assert_never_raises(text, VOCABULARY)
    _assert_never_raises(f"---\n{text}\n---\n", VOCABULARY)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(_KEYS, _VALUES, max_size=12),
    st.lists(_BODY_LINES, max_size=15),
    st.booleans(),
)
def test_arbitrary_yaml_frontmatter_never_raises(
    meta: dict[str, object], body: list[str], crlf: bool
) -> None:
    frontmatter = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    text = f"---\n{frontmatter}---\n" + "\n".join(body) + "\n"
    if crlf:
        text = text.replace("\n", "\r\n")
    _assert_never_raises(text, VOCABULARY)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 32), _LINE_TEXT), max_size=4))
def test_edited_base_entry_never_raises(edits: list[tuple[int, str]]) -> None:
    lines = BASE.split("\n")
    for index, replacement in edits:
        lines[index] = replacement
    _assert_never_raises("\n".join(lines), VOCABULARY)


def test_a_recursive_yaml_value_is_a_diagnostic() -> None:
    text = _variant("author: tester", "author: tester\ncontributors: &loop [*loop]")
    d = _only(text)
    assert (d.rule, d.line) == ("wrong-type", 9)


def test_dates_from_yaml_are_accepted() -> None:
    entry = _entry(_variant("created: '2026-03-23'", "created: 2026-03-22"))
    assert entry.meta["created"] == dt.date(2026, 3, 22)
    assert validate_entries([entry], VOCABULARY) == []


def test_a_dangling_slug_is_never_hinted_towards_the_entry_itself() -> None:
    text = _variant("slug: base", "slug: argument-is-war")
    text = _variant("author: tester\n", "author: tester\nrelated: [argument-is-dance]\n", text)
    (d,) = _check(text, paths=("entries/argument-is-war.md",))
    assert d.rule == "dangling-related"
    assert "did you mean" not in d.message
