"""The bad fixtures of tests/fixtures/bad/ and what `check` must report for each.

Each file breaks one rule of the entry format and is named after it. The base entry they are
made from is 33 lines long (frontmatter on lines 1-21, `## Transfers` on 23, `## Limits` on 27,
`## Expressions` on 31); the lines below were counted by hand in each file. Every fixture is
checked in the context of tests/fixtures/good/, whose entries use the frame `psychotherapy`.
"""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good"
BAD = FIXTURES / "bad"

#: file stem -> {(rule, line, severity)}: everything `check` reports for that file.
EXPECTED: dict[str, set[tuple[str, int, str]]] = {
    # Loader rules: the file is not read as an entry at all.
    "not-utf8": {("not-utf8", 3, "error")},  # the byte 0xE9 in `name: Caf\xe9`
    "line-too-long": {("line-too-long", 25, "error")},  # the first move, over 2,000 characters
    "empty-file": {("empty-file", 1, "error")},
    "no-frontmatter": {("no-frontmatter", 1, "error")},
    "unclosed-frontmatter": {("unclosed-frontmatter", 1, "error")},
    "yaml-syntax": {("yaml-syntax", 3, "error")},  # `name: Base: Entry`
    "yaml-value": {("yaml-value", 7, "error")},  # `dead: !!bool maybe` inserted as line 7
    "frontmatter-not-mapping": {("frontmatter-not-mapping", 2, "error")},  # `- slug` on line 2
    "invalid-key": {("invalid-key", 8, "error")},  # `2026: a year` inserted as line 8
    "duplicate-key": {("duplicate-key", 4, "error")},  # a second `name:` on line 4
    # Frontmatter rules.
    "missing-key": {("missing-key", 1, "error")},  # `author` deleted: reported at line 1
    "empty-value": {("empty-value", 3, "error")},  # `name: ''`
    "wrong-type": {("wrong-type", 7, "error")},  # `categories: psychology`
    "unknown-key": {("unknown-key", 19, "warning")},  # `relation_type:` inserted as line 19
    "placeholder": {("placeholder", 8, "error")},  # `author: 'TODO: your handle'`
    "slug-format": {("slug-format", 2, "error")},
    "slug-mismatch": {("slug-mismatch", 2, "error")},
    "duplicate-slug": {("duplicate-slug", 2, "error")},
    "duplicate-slug-twin": {("duplicate-slug", 2, "error"), ("slug-mismatch", 2, "error")},
    "not-a-slug": {("not-a-slug", 6, "error")},  # `source_frame: Psycho Therapy`
    "multiline-name": {("multiline-name", 3, "error")},
    "invalid-date": {("invalid-date", 9, "error")},  # `created: '2026-02-30'`
    "date-order": {("date-order", 10, "error")},  # `updated` before `created`
    "unknown-kind": {("unknown-kind", 5, "error")},
    "deprecated-kind": {("deprecated-kind", 5, "error")},
    "unknown-grounding": {("unknown-grounding", 8, "error")},  # inserted as line 8
    "unknown-abstraction-level": {("unknown-abstraction-level", 20, "error")},
    "missing-source-frame": {("missing-source-frame", 5, "error")},  # at `kind: metaphor`
    "applies-to-on-mental-model": {("applies-to-on-mental-model", 7, "error")},
    "dead-not-metaphor": {("dead-not-metaphor", 7, "error")},
    "unknown-category": {("unknown-category", 7, "error")},
    "missing-summary": {("missing-summary", 1, "warning")},
    "summary-sentences": {("summary-sentences", 4, "warning")},
    "few-claims": {("few-claims", 11, "warning")},  # `transfers:` keeps one item
    "claim-prefix": {("claim-prefix", 13, "error")},  # the second transfer
    "unknown-pattern": {("unknown-pattern", 17, "error")},
    "unknown-relation-parent": {("unknown-relation-parent", 18, "error")},
    "unknown-relation-subtype": {("unknown-relation-subtype", 18, "error")},
    "unknown-structure": {("unknown-structure", 19, "error")},
    "tag-count": {("tag-count", 17, "error")},  # one embodied pattern
    "duplicate-item": {("duplicate-item", 7, "warning")},
    "no-structure": {("no-structure", 1, "warning")},
    "missing-structural-tag": {("missing-structural-tag", 1, "warning")},  # no `structure`
    "dangling-related": {("dangling-related", 8, "note")},
    "self-related": {("self-related", 8, "error")},
    "near-duplicate-frame": {("near-duplicate-frame", 6, "warning")},  # `psychotherapi`
    "raw-html": {("raw-html", 25, "warning")},  # `<b>` in the first move
    "too-many-items": {  # 25 `related` slugs on line 8, none written yet
        ("too-many-items", 8, "error"),
        ("dangling-related", 8, "note"),
    },
    "reserved-name": {("reserved-name", 6, "error")},  # `source_frame: index`
    "page-name-clash": {  # `source_frame: game-theory`, then `applies_to: [Game Theory]`
        ("page-name-clash", 6, "error"),
        ("page-name-clash", 7, "error"),
        ("not-a-slug", 7, "error"),
    },
    "invisible-character": {("invisible-character", 3, "error")},  # U+202E in the name
    "control-character": {("control-character", 25, "error")},  # ESC twice in the first move
    # Body rules.
    "missing-section": {("missing-section", 27, "error")},  # Limits gone: Expressions is on 27
    "empty-section": {("empty-section", 27, "error")},
    "section-order": {("section-order", 27, "error")},  # Limits on 23, then Transfers on 27
    "duplicate-section": {("duplicate-section", 35, "error")},  # a second Limits at the end
    "old-heading": {("old-heading", 23, "error")},  # `## What It Brings`
    "unknown-section": {("unknown-section", 35, "warning")},  # `## Notes` at the end
    "text-before-sections": {("text-before-sections", 22, "warning")},  # where the blank line was
    "second-frontmatter": {("second-frontmatter", 22, "error")},  # lines 22-24, then a blank
}

#: Files that must be loaded with a fixture for its rule to apply.
COMPANIONS: dict[str, tuple[str, ...]] = {"duplicate-slug": ("duplicate-slug-twin",)}

#: Rules with no fixture file: they concern the folder or the file system, or need a file of
#: 200 KB, and are tested apart (tests/core/test_load.py).
UNFIXTURED = frozenset({"missing-entries-dir", "unreadable", "file-too-large"})
