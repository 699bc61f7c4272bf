"""validate_entries: one bad fixture per rule (rule id and line), messages, and property tests."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_builder.core import limits
from graph_builder.core.characters import hidden_characters
from graph_builder.core.load import entry_paths, load_entries, parse_entry
from graph_builder.core.model import KNOWN_KEYS, SECTION_ORDER, Diagnostic, Entry, Severity
from graph_builder.core.slugs import slugify
from graph_builder.core.validate import (
    RULES,
    checked_rules,
    did_you_mean,
    run_rule,
    validate_entries,
)
from graph_builder.core.validate.context import CatalogueSlugs, EntryContext, Terms
from graph_builder.core.validate.registry import ENTRY_CHECKS
from graph_builder.core.vocabulary import Vocabulary, default_vocabulary
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


#: The rules the loader reports: a file that breaks one is not read as an entry.
_LOADER_RULES = frozenset(
    {
        "missing-entries-dir", "unreadable", "not-utf8", "file-too-large", "line-too-long",
        "empty-file", "no-frontmatter", "unclosed-frontmatter", "yaml-syntax", "yaml-value",
        "frontmatter-not-mapping", "invalid-key", "duplicate-key", "text-before-sections",
        "second-frontmatter",
    }
)  # fmt: skip


def test_every_rule_is_the_loaders_or_has_a_registered_check() -> None:
    assert checked_rules() == set(RULES) - _LOADER_RULES


@pytest.mark.parametrize("rule", sorted(checked_rules()))
def test_each_rule_runs_alone_on_its_bad_fixture(rule: str) -> None:
    paths = [*entry_paths(GOOD), BAD / f"{rule}.md"]
    paths += [BAD / f"{companion}.md" for companion in COMPANIONS.get(rule, ())]
    entries = load_entries(GOOD, paths=paths).entries
    found = run_rule(rule, entries, VOCABULARY)
    assert {d.rule for d in found} == {rule}
    in_fixture = {(d.rule, d.line, d.severity.value) for d in found if Path(d.path).stem == rule}
    assert in_fixture == {expected for expected in EXPECTED[rule] if expected[0] == rule}


@pytest.mark.parametrize("rule", sorted(_LOADER_RULES | {"no-such-rule"}))
def test_run_rule_refuses_a_rule_no_check_reports(rule: str) -> None:
    with pytest.raises(ValueError, match="no check reports"):
        run_rule(rule, [], VOCABULARY)


@pytest.mark.parametrize("stem", sorted(set(EXPECTED) - _LOADER_RULES))
def test_each_check_reports_only_the_rules_it_is_registered_with(stem: str) -> None:
    entries = load_entries(BAD, paths=[BAD / f"{stem}.md"]).entries
    slugs = CatalogueSlugs(entry.slug for entry in entries)
    for entry in entries:
        context = EntryContext(entry, Terms(VOCABULARY), slugs)
        for check in ENTRY_CHECKS:
            assert {finding.rule for finding in check.run(context)} <= set(check.rules)


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


# --- control and invisible characters ------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "rule", "name"),
    [
        ("\u202e", "invisible-character", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\u202a", "invisible-character", "U+202A LEFT-TO-RIGHT EMBEDDING"),
        ("\u2066", "invisible-character", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("\u2069", "invisible-character", "U+2069 POP DIRECTIONAL ISOLATE"),
        ("\u200f", "invisible-character", "U+200F RIGHT-TO-LEFT MARK"),
        ("\u061c", "invisible-character", "U+061C ARABIC LETTER MARK"),
        ("\u200b", "invisible-character", "U+200B ZERO WIDTH SPACE"),
        ("\u00ad", "invisible-character", "U+00AD SOFT HYPHEN"),
        ("\ufeff", "invisible-character", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("\U000e0041", "invisible-character", "U+E0041 TAG LATIN CAPITAL LETTER A"),
        ("\u2028", "invisible-character", "U+2028 LINE SEPARATOR"),
        ("\x1b", "control-character", "U+001B ESCAPE"),
        ("\x00", "control-character", "U+0000 NULL"),
        ("\x07", "control-character", "U+0007 BELL"),
        ("\x7f", "control-character", "U+007F DELETE"),
        ("\x9b", "control-character", "U+009B C1 CONTROL"),
        ("\r", "control-character", "U+000D CARRIAGE RETURN"),
    ],
)
def test_hidden_characters_in_the_body_are_errors_at_their_line(
    char: str, rule: str, name: str
) -> None:
    d = _only(_variant("- **Limit** -- where it breaks.", f"- **Limit** -- where{char}it breaks."))
    assert (d.rule, d.line, d.severity) == (rule, 29, Severity.ERROR)
    assert f"{name} in the body; delete it" in d.message
    assert char not in d.message


@pytest.mark.parametrize(
    ("old", "new", "line", "where"),
    [
        # YAML escapes put any character into a value, so values are checked after parsing.
        ("name: Base Entry", 'name: "Base \\u202e Entry"', 3, "`name`"),
        ("name: Base Entry", 'name: "Base \\e[2J Entry"', 3, "`name`"),
        ("name: Base Entry", "name: Base \u2067Entry", 3, "`name`"),
        ("  - '[model] Another place where it breaks.'", '  - "[model] \\x00 x."', 16, "`limits`"),
        ("author: tester", "author: tester\nharness:\n  deep: ['a\u200bb']", 9, "`harness`"),
    ],
)
def test_hidden_characters_in_the_frontmatter(old: str, new: str, line: int, where: str) -> None:
    found = [d for d in _check(_variant(old, new)) if d.rule.endswith("-character")]
    assert [(d.line, d.severity) for d in found] == [(line, Severity.ERROR)]
    assert f" in {where}; delete it" in found[0].message


def test_a_hidden_character_in_a_key_is_reported() -> None:
    found = _found(_variant("author: tester", "author: tester\nnote\u202e: x"))
    assert ("invisible-character", 9) in found


@pytest.mark.parametrize(
    ("old", "new", "lines"),
    [
        # A comment line of its own, and a comment after a value.
        ("author: tester", "author: tester\n# a note\u202e here", [9]),
        ("author: tester", "author: tester # by \u200b hand", [8]),
        # The comment's lines are the file's, also after a block scalar.
        ("author: tester", "author: |\n  tester\n\n# note \u200b", [11]),
        # In a value and in the comment on its line: one report, the value's.
        ("name: Base Entry", "name: Base\u200b Entry # \u200b", [3]),
        # `#` inside a quoted or block value starts no comment: the value's report only.
        ("name: Base Entry", 'name: "Base # \u200b Entry"', [3]),
        ("author: tester", "author: |\n  tester\n  # \u200b", [8]),
    ],
)
def test_hidden_characters_in_frontmatter_comments(old: str, new: str, lines: list[int]) -> None:
    found = [d for d in _check(_variant(old, new)) if d.rule.endswith("-character")]
    assert [(d.rule, d.line) for d in found] == [("invisible-character", n) for n in lines]


@pytest.mark.parametrize(
    ("char", "rule"), [("\u2028", "invisible-character"), ("\r", "control-character")]
)
def test_a_yaml_line_break_between_values_is_reported_outside_any_value(
    char: str, rule: str
) -> None:
    # YAML reads either as a line break, so no value holds it, yet the file shows one line.
    d = _only(_variant("author: tester\n", f"author: tester{char}harness: x\n"))
    assert (d.rule, d.line) == (rule, 8)
    assert "in the frontmatter, outside any value; delete it" in d.message


def test_a_hidden_character_in_a_comment_is_named_as_in_a_comment() -> None:
    text = _variant("author: tester", "author: tester\n# a note\u202e here")
    d = _only(text.replace("\n", "\r\n"))
    assert (d.rule, d.line) == ("invisible-character", 9)
    assert "U+202E RIGHT-TO-LEFT OVERRIDE in a comment; delete it" in d.message


@pytest.mark.parametrize(
    "text",
    [
        "a scientist \U0001f469\u200d\U0001f52c at work",  # ZWJ inside an emoji sequence
        "skin tone \U0001f469\U0001f3fd\u200d\U0001f52c and \u2764\ufe0f\u200d\U0001f525",
        "Persian \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 with a ZWNJ",
        "tabs\tand no\u00a0break and ideographic\u3000spaces",
    ],
)
def test_joiners_inside_emoji_and_words_and_visible_spaces_are_allowed(text: str) -> None:
    assert _check(_variant("what it means.", f"{text}.")) == []


@pytest.mark.parametrize("text", ["ad\u200dmin", "\u200dstart", "end\u200c"])
def test_joiners_next_to_ascii_or_at_an_edge_are_reported(text: str) -> None:
    d = _only(_variant("what it means.", f"{text} means."))
    assert (d.rule, d.line) == ("invisible-character", 33)


def test_windows_line_endings_are_not_control_characters() -> None:
    assert _check(BASE.replace("\n", "\r\n")) == []


def test_one_report_per_character_and_line() -> None:
    text = _variant("- **Move** -- what it carries.", "- **Move** -- \x1b[1m\x1b[0m\u202e x \u202e")
    assert sorted((d.rule, d.line) for d in _check(text)) == [
        ("control-character", 25),
        ("invisible-character", 25),
    ]


def _naive_hidden(text: str) -> list[tuple[int, int, str]]:
    """The rules of `characters` written the slow, obvious way."""
    found = []
    for number, line in enumerate(text.split("\n")):
        for column, char in enumerate(line):
            category = unicodedata.category(char)
            if char == "\t" or (char == "\r" and column == len(line) - 1):
                continue
            if char in "\u200c\u200d" and 0 < column < len(line) - 1:
                sides = (line[column - 1], line[column + 1])
                if all(ord(c) > 127 and unicodedata.category(c)[0] in "LMS" for c in sides):
                    continue
            if category in ("Cc", "Cf", "Zl", "Zp"):
                found.append((number, column, char))
    return found


_MIXED_TEXT = st.text(
    st.one_of(
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from("\n\r\t\x1b\u200c\u200d\u202e\u00ad\U0001f469\u0645a "),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(_MIXED_TEXT)
def test_hidden_characters_match_the_naive_reading(text: str) -> None:
    found = [(h.line, h.column, h.char) for h in hidden_characters(text)]
    assert found == _naive_hidden(text)


# --- limits ------------------------------------------------------------------------------------


def _claims(key: str, count: int) -> str:
    items = "".join(f"\n  - '[model] Claim {i}.'" for i in range(count))
    first, second = (
        ("One thing carries over", "Another thing carries over")
        if key == "transfers"
        else ("One place where it breaks", "Another place where it breaks")
    )
    return _variant(f"{key}:\n  - '[model] {first}.'\n  - '[model] {second}.'", f"{key}:{items}")


@pytest.mark.parametrize("key", ["transfers", "limits"])
@pytest.mark.parametrize("extra", [0, 1])
def test_claims_up_to_the_limit(key: str, extra: int) -> None:
    found = _check(_claims(key, limits.MAX_CLAIMS + extra))
    assert [(d.rule, d.line) for d in found] == (
        [("too-many-items", 11 if key == "transfers" else 14)] if extra else []
    )
    if extra:
        assert f"keep at most {limits.MAX_CLAIMS}" in found[0].message


@pytest.mark.parametrize("extra", [0, 1])
def test_related_up_to_the_limit(extra: int) -> None:
    slugs = ", ".join(f"other-{i}" for i in range(limits.MAX_RELATED + extra))
    text = _variant("author: tester\n", f"author: tester\nrelated: [{slugs}]\n")
    errors = [(d.rule, d.line) for d in _check(text) if d.severity is Severity.ERROR]
    assert errors == ([("too-many-items", 9)] if extra else [])


@pytest.mark.parametrize(
    ("old", "item"),
    [
        ("- **Move** -- what it carries.", "- **Move {i}** -- what it carries."),
        ("- **Limit** -- where it breaks.", "- **Limit {i}** -- where it breaks."),
        ('- "a phrase" -- what it means.', '- "phrase {i}" -- what it means.'),
    ],
)
@pytest.mark.parametrize("extra", [0, 1])
def test_section_lists_up_to_the_limit(old: str, item: str, extra: int) -> None:
    count = limits.MAX_LIST_ITEMS + extra
    text = _variant(old, "\n".join(item.format(i=i) for i in range(count)))
    found = [(d.rule, d.line) for d in _check(text)]
    first = BASE.split("\n").index(old) + 1
    # Reported at the first item past the limit.
    assert found == ([("too-many-items", first + limits.MAX_LIST_ITEMS)] if extra else [])


def test_categories_past_their_limit_are_a_tag_count_error() -> None:
    most = limits.CATEGORY_COUNT[1]
    categories = list(VOCABULARY.categories)[: most + 1]
    assert len(categories) == most + 1
    d = _only(_variant("[psychology]", f"[{', '.join(categories)}]"))
    assert (d.rule, d.line) == ("tag-count", 7)
    assert f"`categories` has {most + 1} categories; use 1 to {most}" in d.message


# --- reserved and clashing page names -----------------------------------------------------------


@pytest.mark.parametrize("reserved", sorted(limits.RESERVED_PAGE_NAMES))
def test_a_slug_with_a_reserved_page_name(reserved: str) -> None:
    d = _check(_variant("slug: base", f"slug: {reserved}"), paths=(f"entries/{reserved}.md",))
    assert [(x.rule, x.line) for x in d] == [("reserved-name", 2)]
    assert "choose another slug" in d[0].message


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("source_frame: psychotherapy", "source_frame: index", 6),
        ("kind: pattern", "kind: pattern\napplies_to: [economics, index]", 6),
    ],
)
def test_a_facet_value_with_a_reserved_page_name(old: str, new: str, line: int) -> None:
    d = _only(_variant(old, new))
    assert (d.rule, d.line) == ("reserved-name", line)
    assert "/domains/ index page" in d.message


def test_two_spellings_of_one_page_name_are_both_reported() -> None:
    one = _variant("source_frame: psychotherapy", "source_frame: game-theory")
    two = _variant("slug: base", "slug: other", _variant("psychotherapy", "Game Theory"))
    found = _check(one, two, paths=("entries/base.md", "entries/other.md"))
    clashes = [(d.path, d.line) for d in found if d.rule == "page-name-clash"]
    assert clashes == [("entries/base.md", 6), ("entries/other.md", 6)]
    message = next(d.message for d in found if d.path == "entries/base.md")
    assert "'game-theory' in `source_frame` gets the same page (domains/game-theory/) as " in (
        message
    )
    assert "'Game Theory' (entries/other.md:6)" in message


def test_slugs_folding_to_one_entry_page_clash() -> None:
    upper = _variant("slug: base", "slug: Base")
    found = _check(upper, BASE, paths=("entries/Base.md", "entries/base.md"))
    assert {(d.path, d.rule) for d in found} == {
        ("entries/Base.md", "slug-format"),
        ("entries/Base.md", "page-name-clash"),
        ("entries/base.md", "page-name-clash"),
    }


# --- messages that say the right thing -----------------------------------------------------


def test_a_binary_name_is_called_binary_data() -> None:
    d = _only(_variant("name: Base Entry", "name: !!binary QmFzZQ=="))
    assert (d.rule, d.line) == ("wrong-type", 3)
    assert "must be text, but it is binary data" in d.message
    assert "remove the `!!binary` tag" in d.message
    assert "but it is text" not in d.message


@pytest.mark.parametrize("ending", ["\n", "\n\n\n", ""])
def test_missing_sections_after_an_empty_body_point_at_a_line_that_exists(ending: str) -> None:
    text = BASE[: BASE.index("\n## Transfers")].rstrip("\n") + ending
    last = len(text.splitlines())
    found = [d for d in _check(text) if d.rule == "missing-section"]
    assert len(found) == 3
    assert all(1 <= d.line <= last for d in found), [d.line for d in found]
    if ending == "\n":
        assert {d.line for d in found} == {21}  # the closing `---`, the file's last line


def test_a_missing_last_section_points_at_the_last_line_with_text() -> None:
    text = BASE[: BASE.index("## Expressions")] + "\n\n\n"
    (d,) = [d for d in _check(text) if d.rule == "missing-section"]
    assert d.line == 29  # the Limits item; the blank lines after it are not counted


def _suggested(message: str) -> str:
    match = re.search(r"write `(?:slug: )?([^`]*)`", message)
    assert match, message
    return match.group(1)


@pytest.mark.parametrize(
    ("slug", "path"),
    [
        ("2026 01 01", "entries/base.md"),
        ("Yes!", "entries/base.md"),
        ("On", "entries/base.md"),
        ("Null", "entries/base.md"),
        ("0X10", "entries/base.md"),
        ("!!!", "entries/base.md"),
        ("Index", "entries/base.md"),
        ("!!!", "entries/Not A Slug.md"),
        ("Index", "entries/index.md"),
    ],
)
def test_every_suggested_slug_passes_the_slug_rules(slug: str, path: str) -> None:
    text = _variant("slug: base", f"slug: '{slug}'")
    (d,) = [d for d in _check(text, paths=(path,)) if d.rule == "slug-format"]
    if "write `slug:" not in d.message:
        assert "write a slug such as" in d.message
        return
    written = _suggested(d.message)
    fixed = yaml.safe_load(f"slug: {written}")["slug"]
    assert isinstance(fixed, str)
    after = _check(_variant("slug: base", f"slug: {written}"), paths=(f"entries/{fixed}.md",))
    assert after == [], [x.format() for x in after]


@pytest.mark.parametrize("stem", ["Not A Slug", "index", "2026-01-01"])
def test_slug_mismatch_suggests_the_file_name_only_when_it_is_a_slug(stem: str) -> None:
    (d,) = _check(BASE, paths=(f"entries/{stem}.md",))
    assert d.rule == "slug-mismatch"
    if stem == "2026-01-01":
        assert "or write `slug: '2026-01-01'`" in d.message
    else:
        assert "or write" not in d.message


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("Psycho Therapy", "psycho-therapy"),
        ("Yes", "'yes'"),
        ("2026.01.01", "'2026-01-01'"),
        ("Index", None),
    ],
)
def test_not_a_slug_suggests_a_value_yaml_reads_as_a_slug(value: str, written: str | None) -> None:
    text = _variant("source_frame: psychotherapy", f"source_frame: '{value}'")
    (d,) = [d for d in _check(text) if d.rule == "not-a-slug"]
    if written is None:
        assert "write" not in d.message
    else:
        assert f"write `{written}`" in d.message
