"""list[Entry] + Vocabulary -> list[Diagnostic]: every rule of the entry format, each at its line.

Each rule has a stable kebab-case id (listed in `RULES` with its severity) so a contributor, a CI
annotation and a test all name the same thing. Messages say what is wrong and how to fix it.

Decisions the format leaves open, taken here:

- A missing key, summary or structural tag has no line of its own, so it is reported at line 1
  (the opening `---`); a missing body section is reported at the heading it belongs above, or at
  the body's last line with text (the closing `---` when there is no body): always a line the
  file has.
- An entry listing itself in `related` is an error (`self-related`): the link is always a slip,
  it would draw a loop in the graph, and the fix is one deletion.
- An optional key written with no value (`harness:`) counts as absent; a required one is an error.
- `applies_to: []` on a mental-model and `dead: false` on other kinds are accepted: only a value
  that says something is rejected.
- A `source_frame` one edit away from another frame is reported on the rarer spelling (on both
  when they are equally common), since the rarer one is the likely typo.
- A control or invisible character (which ones: `characters`) is reported at the line of the
  key or list item whose value holds it (a YAML escape such as `"\\e"` puts one there as surely
  as a pasted one), at its own line in a frontmatter comment (unless a value on that line
  already holds it) and in the body; each distinct character once per line.
- A slug or value whose page name (`slugs.uri_slug`) is reserved, or two spellings of one page
  name, are errors: the site would hide an index page or merge two pages into one.
- A fix a message suggests passes the rules itself: a slug it suggests is a valid slug that is
  not reserved, written as YAML reads it back (`slug: '2026-01-01'`, not a date).
- A value holding the scaffold's `TODO:` marker is reported once as `placeholder`; the other checks
  skip it, so a fresh scaffold gives one error per line to fill in.

Layout: `rules` is the table of rule ids; each check module registers its functions beside the
ids they report (`registry`): `keys_types`, `identity`, `tags`, `claims_sections`,
`written_text` per entry, `catalogue` across entries. `run_rule` runs one rule alone.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Sequence

from graph_builder.core.collector import full_collections_paused
from graph_builder.core.model import Diagnostic, Entry
from graph_builder.core.validate import (  # noqa: F401  (imported to register their checks)
    catalogue,
    claims_sections,
    identity,
    keys_types,
    tags,
    written_text,
)
from graph_builder.core.validate.context import CatalogueSlugs, EntryContext, Terms
from graph_builder.core.validate.registry import (
    CATALOGUE_CHECKS,
    ENTRY_CHECKS,
    CatalogueCheck,
    EntryCheck,
)
from graph_builder.core.validate.rules import (
    OLD_HEADINGS,
    PLACEHOLDER,
    REQUIRED_KEYS,
    RULES,
    SLUG_PATTERN,
    Rule,
)
from graph_builder.core.validate.wording import did_you_mean, slug_suggestion
from graph_builder.core.vocabulary import Vocabulary

__all__ = [
    "OLD_HEADINGS",
    "PLACEHOLDER",
    "REQUIRED_KEYS",
    "RULES",
    "SLUG_PATTERN",
    "Rule",
    "checked_rules",
    "did_you_mean",
    "run_rule",
    "slug_suggestion",
    "validate_entries",
]


def validate_entries(entries: Sequence[Entry], vocabulary: Vocabulary) -> list[Diagnostic]:
    """Check every entry against every rule of the entry format, in the catalogue's context.

    Catalogue-wide rules (unique slugs, dangling `related` slugs, near-duplicate source frames)
    look at all `entries`, so pass the whole catalogue even when only some files are reported.

    Args:
        entries: the loaded entries (see `load.load_entries`).
        vocabulary: the controlled vocabulary the tags and enums come from.

    Returns:
        Every problem found, sorted by path, line and rule. Never raises for bad entry content.
    """
    with full_collections_paused():
        diagnostics = _run(entries, vocabulary, ENTRY_CHECKS, CATALOGUE_CHECKS)
        diagnostics.sort(key=_SORT_KEY)
    return diagnostics


def run_rule(rule: str, entries: Sequence[Entry], vocabulary: Vocabulary) -> list[Diagnostic]:
    """Run one rule alone: only the check that reports `rule`, and only its diagnostics.

    Args:
        rule: a rule id of `RULES` that a check reports (not one the loader reports).
        entries: the entries to check; catalogue-wide rules look at all of them.
        vocabulary: the controlled vocabulary.

    Returns:
        The diagnostics of `rule`, sorted as `validate_entries` sorts them.

    Raises:
        ValueError: no check reports `rule` (an unknown id, or one of the loader's).
    """
    entry_checks = [c for c in ENTRY_CHECKS if rule in c.rules]
    catalogue_checks = [c for c in CATALOGUE_CHECKS if rule in c.rules]
    if not entry_checks and not catalogue_checks:
        raise ValueError(f"no check reports the rule {rule!r} (the loader's rules run on load)")
    found = [d for d in _run(entries, vocabulary, entry_checks, catalogue_checks) if d.rule == rule]
    found.sort(key=_SORT_KEY)
    return found


def checked_rules() -> frozenset[str]:
    """The rule ids the validator's checks report (the others are the loader's)."""
    entry_rules = (rule for c in ENTRY_CHECKS for rule in c.rules)
    return frozenset((*entry_rules, *(rule for c in CATALOGUE_CHECKS for rule in c.rules)))


def _run(
    entries: Sequence[Entry],
    vocabulary: Vocabulary,
    entry_checks: Iterable[EntryCheck],
    catalogue_checks: Iterable[CatalogueCheck],
) -> list[Diagnostic]:
    slugs = CatalogueSlugs(entry.slug for entry in entries)
    terms = Terms(vocabulary)
    entry_checks = tuple(entry_checks)
    diagnostics: list[Diagnostic] = []
    add = diagnostics.append
    for entry in entries:
        context = EntryContext(entry, terms, slugs)
        path = entry.path
        for entry_check in entry_checks:
            for rule, line, message in entry_check.run(context):
                add(
                    Diagnostic(
                        path=path, line=line, severity=_SEVERITY[rule], rule=rule, message=message
                    )
                )
    for catalogue_check in catalogue_checks:
        diagnostics.extend(catalogue_check.run(entries))
    return diagnostics


_SEVERITY = {rule: spec.severity for rule, spec in RULES.items()}

# `Diagnostic.sort_key` as one C-level call: with thousands of findings the sort is a real share
# of the time.
_SORT_KEY = operator.attrgetter("path", "line", "rule", "message")
