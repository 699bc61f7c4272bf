"""An entry's summary, claims, lists and body sections -> their count, prefix and order problems."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from types import MappingProxyType

from graph_builder.core import limits
from graph_builder.core.model import SECTION_ORDER
from graph_builder.core.validate.context import EntryContext
from graph_builder.core.validate.registry import Finding, check
from graph_builder.core.validate.rules import OLD_HEADINGS, REQUIRED_SECTIONS
from graph_builder.core.validate.wording import did_you_mean, quote

__all__ = ["claims", "list_limits", "sections", "summary"]

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
# Words after which a full stop does not end a sentence (lowercase, without the stop).
_ABBREVIATIONS_WORDS = "e.g i.e etc vs cf al ca c dr mr mrs ms st jr sr no approx fig vol ed eds"
_ABBREVIATIONS = frozenset(_ABBREVIATIONS_WORDS.split())
_CLAIM_PREFIX = re.compile(r"^\[([^\]]*)\]")
_SECTION_ORDER_TEXT = ", ".join(SECTION_ORDER)
#: Frontmatter lists with a most: key, most, what an item is.
_LIST_LIMITS = (
    ("transfers", limits.MAX_CLAIMS, "claims"),
    ("limits", limits.MAX_CLAIMS, "claims"),
    ("related", limits.MAX_RELATED, "slugs"),
)


_SECTION_HELP: Mapping[str, str] = MappingProxyType(
    {
        "Transfers": "what the model carries over, as `- **Label** -- explanation` items",
        "Limits": "where the model breaks, as `- **Label** -- explanation` items",
        "Expressions": 'phrases in use, as `- "phrase" -- gloss` items',
    }
)


def _sentence_count(text: str) -> int:
    """Sentences in a summary, not splitting after common abbreviations or initials."""
    count = 1
    for match in _SENTENCE_END.finditer(text):
        # Abbreviations are short, so the few characters before the stop are enough.
        before = text[max(0, match.start() - 12) : match.start()].rstrip(".!?\"')\u201d\u2019")
        word = before.split()[-1].lower() if before.split() else ""
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        count += 1
    return count


@check("missing-summary", "summary-sentences")
def summary(ctx: EntryContext) -> Iterator[Finding]:
    """A summary present, and of one sentence."""
    meta = ctx.entry.meta
    summary = meta.get("summary")
    if (
        "summary" not in meta
        or summary is None
        or (isinstance(summary, str) and not summary.strip())
    ):
        line = ctx.entry.line_of("summary") if "summary" in meta else 1
        yield Finding(
            "missing-summary",
            line,
            "no summary; add one sentence saying what the model is and what it is for "
            "(shown in lists, tooltips and search)",
        )
        return
    text = ctx.scalar("summary")
    if text is None:
        return
    count = _sentence_count(" ".join(text.split()))
    if count > 1:
        yield Finding(
            "summary-sentences",
            ctx.entry.line_of("summary"),
            f"the summary has {count} sentences; keep it to one (move the rest to the body)",
        )


@check("few-claims", "claim-prefix")
def claims(ctx: EntryContext) -> Iterator[Finding]:
    """At least two claims in `transfers` and in `limits`, each with a known prefix."""
    prefixes = ctx.vocabulary.claim_prefixes
    written = ctx.terms.claims_written
    for key in ("transfers", "limits"):
        value = ctx.entry.meta.get(key)
        if key in ctx.malformed:
            continue
        count = len(value) if isinstance(value, list) else 0
        if count < 2:
            have = "has no claims" if count == 0 else "has 1 claim"
            yield Finding(
                "few-claims",
                ctx.entry.line_of(key) if key in ctx.entry.meta else 1,
                f"`{key}` {have}; list at least 2 short claims, each starting with {written}",
            )
        for line, text in ctx.items(key):
            match = _CLAIM_PREFIX.match(text)
            if match and match.group(1) in prefixes:
                continue
            if match:
                found = match.group(1)
                hint = did_you_mean(found, prefixes)
                fix = f" (did you mean '[{hint}]'?)" if hint else ""
                problem = f"unknown claim prefix {quote('[' + found + ']')}{fix}"
            else:
                problem = "claim has no prefix"
            yield Finding("claim-prefix", line, f"{problem}; start the claim with one of {written}")


@check("too-many-items")
def list_limits(ctx: EntryContext) -> Iterator[Finding]:
    """Lists past their most in `limits`: the frontmatter's at the key, a section's at the
    first item past the limit."""
    for key, most, what in _LIST_LIMITS:
        value = ctx.entry.meta.get(key)
        if key not in ctx.malformed and isinstance(value, list) and len(value) > most:
            yield Finding(
                "too-many-items",
                ctx.entry.line_of(key),
                f"`{key}` has {len(value)} {what}; keep at most {most} (the most telling)",
            )
    for section in ctx.entry.sections:
        items = section.moves or section.expressions or section.references
        if len(items) > limits.MAX_LIST_ITEMS:
            yield Finding(
                "too-many-items",
                items[limits.MAX_LIST_ITEMS].line,
                f"`## {section.title}` lists {len(items)} items; keep at most "
                f"{limits.MAX_LIST_ITEMS} (the most telling) and delete the rest from here on",
            )


@check(
    "old-heading",
    "unknown-section",
    "duplicate-section",
    "section-order",
    "empty-section",
    "missing-section",
)
def sections(ctx: EntryContext) -> Iterator[Finding]:
    """The required sections present and filled, in order, once each, under current headings."""
    entry = ctx.entry
    first: dict[str, int] = {}
    highest = -1
    order = _SECTION_ORDER_TEXT
    for section in entry.sections:
        title = section.title
        if title in OLD_HEADINGS:
            new = OLD_HEADINGS[title]
            yield Finding(
                "old-heading",
                section.line,
                f"`## {title}` is the old name of this section; rename it to `## {new}`",
            )
            first.setdefault(new, section.line)
            continue
        if title not in SECTION_ORDER:
            guess = did_you_mean(title, SECTION_ORDER)
            hint = f" (did you mean `## {guess}`?)" if guess else ""
            yield Finding(
                "unknown-section",
                section.line,
                f"unknown section {quote('## ' + title)}{hint}; the sections are {order}",
            )
            continue
        if title in first:
            yield Finding(
                "duplicate-section",
                section.line,
                f"`## {title}` appears a second time (first on line {first[title]}); merge the two",
            )
            continue
        first[title] = section.line
        index = SECTION_ORDER.index(title)
        if index < highest:
            yield Finding(
                "section-order",
                section.line,
                f"`## {title}` comes after `## {SECTION_ORDER[highest]}`; move it up "
                f"(the order is {order})",
            )
        highest = max(highest, index)
        if title in REQUIRED_SECTIONS and not section.text.strip():
            yield Finding(
                "empty-section",
                section.line,
                f"`## {title}` is empty; {_SECTION_HELP[title]}",
            )
    for title in REQUIRED_SECTIONS:
        if title in first:
            continue
        later = [first[t] for t in SECTION_ORDER[SECTION_ORDER.index(title) + 1 :] if t in first]
        if later:
            line, where = min(later), "above this heading"
        elif entry.body.strip():
            # The last line with text: blank lines after it may not be lines of the file.
            line = entry.body_line + entry.body[: len(entry.body.rstrip())].count("\n")
            where = "at the end of the file"
        else:
            # No body: the closing `---` (the line before the body's, which always exists).
            line, where = max(entry.body_line - 1, 1), "after the frontmatter"
        yield Finding(
            "missing-section",
            line,
            f"section `## {title}` is missing; add it {where}: {_SECTION_HELP[title]}",
        )
