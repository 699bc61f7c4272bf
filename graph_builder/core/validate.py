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
  as a pasted one), and at its own line in the body; each distinct character once per line.
- A slug or value whose page name (`slugs.uri_slug`) is reserved, or two spellings of one page
  name, are errors: the site would hide an index page or merge two pages into one.
- A fix a message suggests passes the rules itself: a slug it suggests is a valid slug that is
  not reserved, written as YAML reads it back (`slug: '2026-01-01'`, not a date).
- A value holding the scaffold's `TODO:` marker is reported once as `placeholder`; the other checks
  skip it, so a fresh scaffold gives one error per line to fill in.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import operator
import os
import re
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from types import MappingProxyType
from typing import Any

from graph_builder.core import limits
from graph_builder.core.characters import character_name, hidden_characters, is_control, printable
from graph_builder.core.load import full_collections_paused
from graph_builder.core.model import KNOWN_KEYS, SECTION_ORDER, Diagnostic, Entry, Severity
from graph_builder.core.slugs import FACET_FOLDERS, slugify, uri_slug
from graph_builder.core.vocabulary import Vocabulary, parent_of
from graph_builder.core.yaml_text import yaml_scalar

__all__ = [
    "OLD_HEADINGS",
    "PLACEHOLDER",
    "REQUIRED_KEYS",
    "RULES",
    "SLUG_PATTERN",
    "Rule",
    "did_you_mean",
    "slug_suggestion",
    "validate_entries",
]

#: A slug: lowercase ASCII words joined by single hyphens.
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: The marker `graph-builder new` writes where a contributor still has to write something.
PLACEHOLDER = "TODO:"
_PLACEHOLDER = re.compile(r"\bTODO:")

#: Keys every entry must have.
REQUIRED_KEYS: tuple[str, ...] = (
    "slug",
    "name",
    "kind",
    "categories",
    "author",
    "created",
    "updated",
)

#: Headings of an older version of the format, and the section each became.
OLD_HEADINGS: Mapping[str, str] = MappingProxyType(
    {"What It Brings": "Transfers", "What It Enables": "Transfers", "Where It Breaks": "Limits"}
)
_RECOMMENDED_KEYS = ("summary", "transfers", "limits")
_REQUIRED_SECTIONS = ("Transfers", "Limits", "Expressions")
_STRUCTURAL_KEYS = ("embodied_patterns", "relation_types", "structure", "abstraction_level")
_STRING_KEYS_WORDS = (
    "slug name summary kind source_frame grounding author harness abstraction_level"
)
_STRING_KEYS = frozenset(_STRING_KEYS_WORDS.split())
_LIST_KEYS_WORDS = (
    "applies_to categories related contributors transfers limits embodied_patterns relation_types"
)
_LIST_KEYS = frozenset(_LIST_KEYS_WORDS.split())
#: How each key is written, quoted in messages that tell a contributor what to write.
_EXAMPLES: Mapping[str, str] = MappingProxyType(
    {
        "slug": "slug: rupture-and-repair",
        "name": "name: Rupture and Repair",
        "summary": 'summary: "One sentence saying what the model is and what it is for."',
        "kind": "kind: mental-model",
        "source_frame": "source_frame: psychotherapy",
        "applies_to": "applies_to: [organizational-behavior]",
        "dead": "dead: true",
        "categories": "categories: [psychology]",
        "grounding": "grounding: established",
        "related": "related: [antifragile]",
        "author": "author: your-handle",
        "contributors": "contributors: [another-handle]",
        "created": "created: '2026-03-23'",
        "updated": "updated: '2026-03-23'",
        "harness": "harness: your-editor",
        "transfers": "transfers: ['[model] A short claim of what carries over.']",
        "limits": "limits: ['[model] A short claim of where it breaks.']",
        "embodied_patterns": "embodied_patterns: [link, iteration]",
        "relation_types": "relation_types: [restore, transform/refinement]",
        "structure": "structure: cycle",
        "abstraction_level": "abstraction_level: generic",
    }
)
_HTML_TAG = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>]|$)|!--)")
_BACKTICKS = re.compile(r"`+")
_FENCE = re.compile(r"^\s*(```|~~~)")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
# Words after which a full stop does not end a sentence (lowercase, without the stop).
_ABBREVIATIONS_WORDS = "e.g i.e etc vs cf al ca c dr mr mrs ms st jr sr no approx fig vol ed eds"
_ABBREVIATIONS = frozenset(_ABBREVIATIONS_WORDS.split())


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """One rule of the entry format: its id, how bad a breach is, and what it asks for."""

    id: str
    severity: Severity
    summary: str


def _rules(*rows: tuple[str, Severity, str]) -> Mapping[str, Rule]:
    return MappingProxyType({r: Rule(id=r, severity=s, summary=t) for r, s, t in rows})


_E, _W, _N = Severity.ERROR, Severity.WARNING, Severity.NOTE


def _span(bounds: tuple[int, int]) -> str:
    """`2-4`, from a (least, most) pair of `limits`."""
    return f"{bounds[0]}-{bounds[1]}"


#: Every rule `check` reports, the loader's included, with its severity.
RULES: Mapping[str, Rule] = _rules(
    # Reported by the loader: the file cannot be read as an entry at all.
    ("missing-entries-dir", _E, "the catalogue folder exists"),
    ("unreadable", _E, "the file can be read"),
    ("not-utf8", _E, "the file is UTF-8 text"),
    ("file-too-large", _E, "the file is at most `limits.MAX_FILE_BYTES` bytes"),
    ("line-too-long", _E, "every line is at most `limits.MAX_LINE_CHARS` characters"),
    ("empty-file", _E, "the file is not empty"),
    ("no-frontmatter", _E, "the file starts with a `---` frontmatter block"),
    ("unclosed-frontmatter", _E, "the frontmatter ends with a `---` line"),
    ("yaml-syntax", _E, "the frontmatter is valid YAML"),
    ("yaml-value", _E, "every YAML value can be built (no mismatched `!!` tags)"),
    ("frontmatter-not-mapping", _E, "the frontmatter is a mapping of `key: value` lines"),
    ("invalid-key", _E, "every key is a plain word"),
    ("duplicate-key", _E, "every key appears once"),
    # Frontmatter.
    ("missing-key", _E, "every required key is present"),
    ("empty-value", _E, "a required key has a value"),
    ("wrong-type", _E, "every value has its key's type"),
    ("unknown-key", _W, "every key is one of the format's keys"),
    ("placeholder", _E, "no `TODO:` placeholder of the scaffold is left"),
    ("slug-format", _E, "the slug is kebab-case"),
    ("slug-mismatch", _E, "the slug equals the file name"),
    ("duplicate-slug", _E, "no two entries share a slug"),
    ("not-a-slug", _E, "`source_frame`, `applies_to` and `related` hold slugs"),
    ("multiline-name", _E, "the name is one line"),
    ("invalid-date", _E, "dates are real days written YYYY-MM-DD"),
    ("date-order", _E, "`updated` is not before `created`"),
    ("unknown-kind", _E, "the kind is one of the vocabulary's kinds"),
    ("deprecated-kind", _E, "the kind is not a deprecated one"),
    ("unknown-grounding", _E, "the grounding is one of the vocabulary's groundings"),
    ("unknown-abstraction-level", _E, "the abstraction level is one of the vocabulary's levels"),
    ("missing-source-frame", _E, "a metaphor has a `source_frame`"),
    ("applies-to-on-mental-model", _E, "a mental-model has no `applies_to`"),
    ("dead-not-metaphor", _E, "only a metaphor is `dead`"),
    ("unknown-category", _E, "every category is in the vocabulary"),
    ("missing-summary", _W, "the entry has a summary"),
    ("summary-sentences", _W, "the summary is one sentence"),
    ("few-claims", _W, "`transfers` and `limits` have at least 2 claims each"),
    ("claim-prefix", _E, "every claim starts with [model], [source], [paradigm] or [law]"),
    ("unknown-pattern", _E, "every embodied pattern is in the vocabulary"),
    ("unknown-relation-parent", _E, "every relation type's parent is in the vocabulary"),
    ("unknown-relation-subtype", _E, "every relation subtype is one of its parent's"),
    ("unknown-structure", _E, "every structure is in the vocabulary"),
    (
        "tag-count",
        _E,
        f"{_span(limits.PATTERN_COUNT)} patterns, {_span(limits.RELATION_COUNT)} relation types, "
        f"{_span(limits.STRUCTURE_COUNT)} structures, {_span(limits.CATEGORY_COUNT)} categories",
    ),
    (
        "too-many-items",
        _E,
        f"at most {limits.MAX_CLAIMS} claims in `transfers` and in `limits`, "
        f"{limits.MAX_RELATED} `related` slugs, {limits.MAX_LIST_ITEMS} items in a section's list",
    ),
    ("reserved-name", _E, "no slug or facet value takes the page name of a generated index"),
    ("page-name-clash", _E, "two different values never fold to the same page name"),
    ("control-character", _E, "no control character (NUL, ESC …) other than tab and line end"),
    ("invisible-character", _E, "no invisible format character (bidi controls, zero widths …)"),
    ("duplicate-item", _W, "no list repeats an item"),
    ("no-structure", _W, "the entry has structural tags, so it has structural neighbours"),
    ("missing-structural-tag", _W, "an entry with structural tags has all four kinds"),
    ("dangling-related", _N, "a `related` slug names an entry that exists (a note: it may come)"),
    ("self-related", _E, "an entry is not related to itself"),
    ("near-duplicate-frame", _W, "a `source_frame` is not one typo away from another entry's"),
    ("raw-html", _W, "no raw HTML (the site shows it as text)"),
    # Body.
    ("missing-section", _E, "Transfers, Limits and Expressions are present"),
    ("empty-section", _E, "a required section has text"),
    ("section-order", _E, "sections come in the format's order"),
    ("duplicate-section", _E, "every section appears once"),
    ("old-heading", _E, "no heading of the old format is left"),
    ("unknown-section", _W, "every `##` heading is one of the format's sections"),
    # Reported by the loader: text that no page would show.
    ("text-before-sections", _W, "no text before the first `##` section"),
    ("second-frontmatter", _E, "one frontmatter block: no second `---` block of keys"),
)


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
        slugs = _Slugs(entry.slug for entry in entries)
        terms = _Terms(vocabulary)
        diagnostics: list[Diagnostic] = []
        for entry in entries:
            checker = _Checker(entry, terms)
            checker.run(slugs)
            diagnostics.extend(checker.found)
        diagnostics.extend(_duplicate_slugs(entries))
        diagnostics.extend(_near_duplicate_frames(entries))
        diagnostics.extend(_page_name_clashes(entries))
        diagnostics.sort(key=_SORT_KEY)
    return diagnostics


# `Diagnostic.sort_key` as one C-level call: with thousands of findings the sort is a real share
# of the time.
_SORT_KEY = operator.attrgetter("path", "line", "rule", "message")


def did_you_mean(word: str, candidates: Sequence[str] | Mapping[str, Any]) -> str | None:
    """The closest candidate to a near-miss (`spliting` -> `splitting`), or None.

    Case is ignored when comparing; the candidate is returned as spelt in the vocabulary.
    """
    by_lower = {c.lower(): c for c in candidates}
    match = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[match[0]] if match else None


# --- helpers -----------------------------------------------------------------------------------


def _q(value: object, limit: int = 60) -> str:
    """An untrusted value quoted for a one-line message: control characters escaped, cut short."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{printable(text)}'"


def _page_name(key: str, value: str) -> str:
    """The name of the page a value of `key` gets (a relation subtype is on its parent's page),
    folded by `slugs.uri_slug` as the site folds it."""
    return uri_slug(parent_of(value) if key == "relation_types" else value)


def slug_suggestion(text: str) -> str | None:
    """A slug made from `text` that passes every slug rule, or None when there is none.

    `slugify` can give nothing (a name of punctuation) or the name of a generated index page
    (`Index`); neither is worth suggesting.

    >>> slug_suggestion("Zeno's Paradox"), slug_suggestion("!!!"), slug_suggestion("Index")
    ('zenos-paradox', None, None)
    """
    slug = slugify(text)
    if not _SLUG.match(slug) or uri_slug(slug) in limits.RESERVED_PAGE_NAMES:
        return None
    return slug


def _hint(word: str, candidates: Sequence[str] | Mapping[str, Any]) -> str:
    match = did_you_mean(word, candidates)
    return f" (did you mean {_q(match)}?)" if match else ""


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, bytes):
        return "binary data (a `!!binary` value)"
    if value is None:
        return "empty"
    return "text"


def _or(words: Sequence[str]) -> str:
    """`a, b or c`."""
    return f"{', '.join(words[:-1])} or {words[-1]}" if len(words) > 1 else "".join(words)


def _is_placeholder(value: object) -> bool:
    return (
        isinstance(value, str) and PLACEHOLDER in value and _PLACEHOLDER.search(value) is not None
    )


def _file_stem(path: str) -> str:
    """`PurePath(path).stem`, without building a path object for the usual `folder/name.md`."""
    name = path.rpartition("/")[2]
    if os.name == "nt" or name in ("", "."):
        return PurePath(path).stem
    # pathlib's rule: the part before the last dot, unless the dot is first or last.
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def _plain_texts(values: list[Any]) -> bool:
    """True when every item is a string and none can hold a placeholder or raw HTML.

    One join and two substring tests replace a test per item; neither marker contains a line
    break, so none can appear across the joins.
    """
    try:
        joined = "\n".join(values)
    except TypeError:  # an item is not a string
        return False
    return not _may_report(joined)


def _worth_searching(value: object) -> bool:
    """Whether a frontmatter value may hold a placeholder or raw HTML: containers always may."""
    if isinstance(value, str):
        return _may_report(value)
    return isinstance(value, list | dict)


def _may_report(text: str) -> bool:
    """False when `text` can hold neither a placeholder nor raw HTML (the usual case).

    Both checks need a literal substring (`TODO:`, `<`), so a text without either is skipped
    without running a regular expression.
    """
    return PLACEHOLDER in text or "<" in text


def _nested_strings(value: object) -> Iterator[str]:
    """Every string inside a YAML value, visiting each container once (aliases can loop)."""
    stack: list[object] = [value]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if isinstance(current, str):
            yield current
        elif isinstance(current, list | dict):
            if id(current) in seen or len(seen) > 10_000:
                continue
            seen.add(id(current))
            if isinstance(current, dict):
                stack.extend(reversed([*current.keys(), *current.values()]))
            else:
                stack.extend(reversed(current))


def _all_printable(meta: Mapping[str, Any]) -> bool:
    """True when no key or string value of the frontmatter holds a non-printable character
    (the usual case), tested as one joined string in C."""
    parts: list[str] = list(meta)
    for value in meta.values():
        if type(value) is str:
            parts.append(value)
        else:
            parts.extend(_nested_strings(value))
    return "".join(parts).isprintable()


def _strip_code_spans(line: str) -> str:
    """The line without its inline code spans (a run of N backticks up to the next run of N).

    Written as one pass over the backtick runs: a regular expression for spans backtracks
    badly on a line of many backticks.
    """
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    if len(runs) < 2:
        return line
    later: dict[int, deque[int]] = defaultdict(deque)
    for index, (start, end) in enumerate(runs):
        later[end - start].append(index)
    kept: list[str] = []
    position = index = 0
    while index < len(runs):
        start, end = runs[index]
        closers = later[end - start]
        while closers and closers[0] <= index:
            closers.popleft()
        if closers:
            kept.append(line[position:start])
            position, index = runs[closers[0]][1], closers[0] + 1
        else:
            index += 1
    kept.append(line[position:])
    return "".join(kept)


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


class _Slugs:
    """The catalogue's slugs, with a cheap search for the one a dangling slug may be a typo of."""

    #: How many slugs on each side of a dangling slug's place in sorted order are compared with
    #: it. Typos late in a slug (`antifragility` for `antifragile`) sort next to the right one;
    #: the window keeps the search a constant cost per slug however large the catalogue is.
    WINDOW = 6

    def __init__(self, slugs: Iterable[str]) -> None:
        self.all = frozenset(slugs)
        self.ordered = sorted(self.all)
        self.found: dict[tuple[str, str], str | None] = {}

    def __contains__(self, slug: object) -> bool:
        return slug in self.all

    def close_to(self, slug: str, *, besides: str = "") -> str | None:
        """An existing slug close to `slug` (`antifragility` -> `antifragile`), or None.

        The cutoff is stricter than elsewhere, since most dangling slugs are entries still to
        come; `besides` (the entry's own slug) is never suggested.
        """
        key = (slug, besides)
        if key not in self.found:
            place = bisect.bisect_left(self.ordered, slug)
            nearby = self.ordered[max(0, place - self.WINDOW) : place + self.WINDOW]
            candidates = [s for s in nearby if s != besides]
            match = difflib.get_close_matches(slug, candidates, n=1, cutoff=0.8)
            self.found[key] = match[0] if match else None
        return self.found[key]


def _one_edit_apart(a: str, b: str) -> bool:
    """True when a Levenshtein distance of exactly 1 separates `a` and `b`."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


#: One string value of a key, with its line: a list item, or the lone scalar.
_Item = tuple[int, str]


class _Terms:
    """The vocabulary, and what the rules derive from it, worked out once per validation run."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.relation_parents = vocabulary.relation_parents()
        parents = frozenset(self.relation_parents)
        #: The relation tags that pass both relation rules: a known parent, a known tag.
        self.valid_relations = frozenset(
            tag for tag in vocabulary.relation_types if tag.partition("/")[0] in parents
        )
        self.claims_written = _or([f"[{p}]" for p in vocabulary.claim_prefixes])


_KNOWN_KEYS = frozenset(KNOWN_KEYS)
# Keys a filled-in text is right for, and keys a list of filled-in texts is right for.
_TEXT_KEYS = _KNOWN_KEYS - _LIST_KEYS - {"dead"}
_SEQUENCE_KEYS = _LIST_KEYS | {"structure"}
_DUPLICATE_KEYS = tuple(sorted(_SEQUENCE_KEYS))
_CLAIM_PREFIX = re.compile(r"^\[([^\]]*)\]")
_SECTION_ORDER_TEXT = ", ".join(SECTION_ORDER)
#: The tag lists with a count to keep to: key, (fewest, most), noun, its plural.
_TAG_COUNTS = (
    ("embodied_patterns", limits.PATTERN_COUNT, "pattern", "patterns"),
    ("relation_types", limits.RELATION_COUNT, "relation type", "relation types"),
    ("structure", limits.STRUCTURE_COUNT, "structure", "structures"),
    ("categories", limits.CATEGORY_COUNT, "category", "categories"),
)
#: Frontmatter lists with a most: key, most, what an item is.
_LIST_LIMITS = (
    ("transfers", limits.MAX_CLAIMS, "claims"),
    ("limits", limits.MAX_CLAIMS, "claims"),
    ("related", limits.MAX_RELATED, "slugs"),
)
#: Keys whose values name a page of their own (`applies_to` names domains, as `source_frame`
#: does), and the folder of that page.
_PAGE_FOLDERS: Mapping[str, str] = MappingProxyType(
    {**FACET_FOLDERS, "applies_to": FACET_FOLDERS["source_frame"]}
)
#: Bidirectional controls: they reorder the text around them rather than only hide.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class _Checker:
    """The per-entry rules; `found` collects what they report."""

    def __init__(self, entry: Entry, terms: _Terms) -> None:
        self.entry = entry
        self.terms = terms
        self.vocabulary = terms.vocabulary
        self.found: list[Diagnostic] = []
        # Keys whose value has the wrong type: later rules skip them rather than pile on.
        self.malformed: set[str] = set()
        # `items` of each key, asked for by several rules; filled once `check_types` has set
        # `malformed`, which does not change after it.
        self.cached_items: dict[str, list[_Item]] = {}

    def add(self, rule: str, line: int, message: str) -> None:
        spec = RULES[rule]
        self.found.append(
            Diagnostic(
                path=self.entry.path, line=line, severity=spec.severity, rule=rule, message=message
            )
        )

    def present(self, key: str) -> bool:
        """The key has a value that says something (not null, not blank, not an empty list)."""
        value = self.entry.meta.get(key)
        if value is None:
            return False
        if isinstance(value, str | list | dict):
            return bool(value.strip() if isinstance(value, str) else value)
        return True

    def scalar(self, key: str) -> str | None:
        """The key's text when it is well-formed, filled in and not a placeholder."""
        value = self.entry.meta.get(key)
        if key in self.malformed or not isinstance(value, str) or _is_placeholder(value):
            return None
        return value.strip() or None

    def items(self, key: str) -> list[_Item]:
        """The string values of a key with their lines, placeholders and non-strings left out."""
        found = self.cached_items.get(key)
        if found is None:
            found = self.cached_items[key] = self._items(key)
        return found

    def _items(self, key: str) -> list[_Item]:
        if key in self.malformed:
            return []
        entry = self.entry
        value = entry.meta.get(key)
        if isinstance(value, str):
            values: Iterable[tuple[int, object]] = ((entry.line_of(key), value),)
        elif isinstance(value, list):
            lines = entry.item_lines.get(key, ())
            if len(lines) < len(value):
                lines = tuple(entry.line_of(key, i) for i in range(len(value)))
            values = zip(lines, value, strict=False)
        else:
            return []
        found: list[_Item] = []
        for line, item in values:
            if isinstance(item, str):
                text = item.strip()
                if text and (PLACEHOLDER not in item or not _PLACEHOLDER.search(item)):
                    found.append((line, text))
        return found

    def optional(self, key: str) -> bool:
        """The key may simply be deleted: not required, recommended or a structural tag."""
        if key in REQUIRED_KEYS or key in _STRUCTURAL_KEYS or key in _RECOMMENDED_KEYS:
            return False
        return not (key == "source_frame" and self.entry.meta.get("kind") == "metaphor")

    def has_placeholder(self, key: str) -> bool:
        return any(_is_placeholder(s) for s in _nested_strings(self.entry.meta.get(key)))

    def run(self, slugs: _Slugs) -> None:
        self.check_keys()
        self.check_types()
        self.check_identity()
        self.check_dates()
        self.check_kind()
        self.check_enums()
        self.check_slug_lists(slugs)
        self.check_categories()
        self.check_summary()
        self.check_claims()
        self.check_tags()
        self.check_duplicates()
        self.check_list_limits()
        self.check_page_names()
        self.check_frontmatter_text()
        self.check_hidden_characters()
        self.check_sections()
        self.check_body_text()

    # --- keys and types -----------------------------------------------------------------------

    def check_keys(self) -> None:
        meta = self.entry.meta
        for key in REQUIRED_KEYS:
            if key not in meta:
                self.add(
                    "missing-key",
                    1,
                    f"required key `{key}` is missing; add a line such as `{_EXAMPLES[key]}`",
                )
        for key in meta:
            if key not in _KNOWN_KEYS:
                self.add(
                    "unknown-key",
                    self.entry.line_of(key),
                    f"unknown key {_q(key)}{_hint(key, KNOWN_KEYS)}; it is ignored, so rename "
                    "or delete it",
                )

    def check_types(self) -> None:
        for key, value in self.entry.meta.items():
            # The usual cases are settled before the general checks below: a filled-in text
            # where text is asked for, a list of filled-in texts where a list is.
            kind = type(value)
            if kind is str:
                if key in _TEXT_KEYS and value and not value.isspace():
                    continue
            elif kind is list and value and key in _SEQUENCE_KEYS:
                for item in value:
                    if type(item) is not str or not item or item.isspace():
                        break
                else:
                    continue
            if key not in _KNOWN_KEYS:
                continue
            line = self.entry.line_of(key)
            blank = value is None or (isinstance(value, str | list) and not value)
            blank = blank or (isinstance(value, str) and not value.strip())
            if blank:
                if key in REQUIRED_KEYS:
                    self.add(
                        "empty-value",
                        line,
                        f"`{key}` has no value; write it, e.g. `{_EXAMPLES[key]}`",
                    )
                continue
            problem = self._type_problem(key, value)
            if problem is not None:
                self.malformed.add(key)
                self.add("wrong-type", line, problem)
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    if not isinstance(item, str) or not item.strip():
                        shown = "an empty item" if isinstance(item, str) else _type_name(item)
                        self.add(
                            "wrong-type",
                            self.entry.line_of(key, index),
                            f"items of `{key}` must be text, but this one is {shown}; "
                            "write it as a word or in quotes",
                        )

    def _type_problem(self, key: str, value: object) -> str | None:
        if key in _STRING_KEYS and not isinstance(value, str):
            quote_hint = ""
            if isinstance(value, bool | int | float | dt.date):
                quote_hint = " (YAML read it as such: put it in quotes)"
            elif isinstance(value, bytes):
                quote_hint = "; remove the `!!binary` tag"
            return (
                f"`{key}` must be text, but it is {_type_name(value)}{quote_hint}; "
                f"write `{_EXAMPLES[key]}`"
            )
        if key in _LIST_KEYS and not isinstance(value, list):
            return (
                f"`{key}` must be a list, but it is {_type_name(value)}; write `{_EXAMPLES[key]}`"
            )
        if key == "structure" and not isinstance(value, str | list):
            return (
                "`structure` must be a word or a list of "
                f"{_span(limits.STRUCTURE_COUNT)} words, but it is {_type_name(value)}"
            )
        if key == "dead" and not isinstance(value, bool):
            return (
                f"`dead` must be true or false, but it is {_type_name(value)}; write `dead: true`"
            )
        if key in ("created", "updated"):
            if isinstance(value, dt.datetime):
                return f"`{key}` must be a date without a time; write `{_EXAMPLES[key]}`"
            if not isinstance(value, str | dt.date):
                return (
                    f"`{key}` must be a date, but it is {_type_name(value)}; "
                    f"write `{_EXAMPLES[key]}`"
                )
        return None

    # --- single values ------------------------------------------------------------------------

    def check_identity(self) -> None:
        entry = self.entry
        slug = self.scalar("slug")
        if slug is not None:
            line = entry.line_of("slug")
            stem = _file_stem(entry.path)
            if not _SLUG.match(slug):
                suggestion = slug_suggestion(slug) or slug_suggestion(stem)
                fix = (
                    f"write `slug: {yaml_scalar(suggestion)}` and name the file `{suggestion}.md`"
                    if suggestion
                    else "write a slug such as `slug: rupture-and-repair` and name the file to "
                    "match"
                )
                self.add(
                    "slug-format",
                    line,
                    f"slug {_q(slug)} is not kebab-case (lowercase letters, digits, single "
                    f"hyphens); {fix}",
                )
            elif slug != stem:
                keep_stem = ""
                if slug_suggestion(stem) == stem:
                    keep_stem = f" or write `slug: {yaml_scalar(stem)}`"
                self.add(
                    "slug-mismatch",
                    line,
                    f"slug {_q(slug)} differs from the file name {_q(PurePath(entry.path).name)}; "
                    f"rename the file to `{slug}.md`{keep_stem}",
                )
        name = self.scalar("name")
        if name is not None and "\n" in name:
            self.add(
                "multiline-name",
                entry.line_of("name"),
                "the name spans several lines; write it on one line (the summary takes the rest)",
            )

    def check_dates(self) -> None:
        days: dict[str, dt.date] = {}
        for key in ("created", "updated"):
            value = self.entry.meta.get(key)
            if key in self.malformed or not self.present(key) or _is_placeholder(value):
                continue
            if isinstance(value, dt.date):
                days[key] = value
                continue
            text = str(value).strip()
            try:
                if not _DATE.match(text):
                    raise ValueError("not YYYY-MM-DD")
                days[key] = dt.date.fromisoformat(text)
            except ValueError:
                self.add(
                    "invalid-date",
                    self.entry.line_of(key),
                    f"`{key}` is {_q(text)}, not a real day written YYYY-MM-DD; "
                    f"write e.g. `{_EXAMPLES[key]}`",
                )
        created, updated = days.get("created"), days.get("updated")
        if created and updated and updated < created:
            self.add(
                "date-order",
                self.entry.line_of("updated"),
                f"`updated` ({updated.isoformat()}) is before `created` ({created.isoformat()}); "
                "set `updated` to the day of the last change",
            )

    def check_kind(self) -> None:
        entry, vocabulary = self.entry, self.vocabulary
        kind = self.scalar("kind")
        if kind is None:
            return
        line = entry.line_of("kind")
        if kind in vocabulary.deprecated_kinds:
            use = vocabulary.deprecated_kinds[kind]
            self.add("deprecated-kind", line, f"deprecated kind {_q(kind)}, use `{use}`")
        elif kind not in vocabulary.kinds:
            self.add(
                "unknown-kind",
                line,
                f"unknown kind {_q(kind)}{_hint(kind, vocabulary.kinds)}; use one of "
                f"{', '.join(vocabulary.kinds)}",
            )
            return
        if kind == "metaphor" and not self.present("source_frame"):
            self.add(
                "missing-source-frame",
                line,
                "a metaphor needs `source_frame`, the domain it borrows from; add e.g. "
                "`source_frame: mythology`",
            )
        if kind == "mental-model" and self.present("applies_to"):
            self.add(
                "applies-to-on-mental-model",
                entry.line_of("applies_to"),
                "`applies_to` is not used on a mental-model; delete it (or change `kind`)",
            )
        if kind != "metaphor" and entry.meta.get("dead") is True:
            self.add(
                "dead-not-metaphor",
                entry.line_of("dead"),
                f"`dead` applies only to metaphors, and this entry is a {kind}; delete the line",
            )

    def check_enums(self) -> None:
        specs = (
            ("grounding", "unknown-grounding", "grounding", self.vocabulary.groundings),
            (
                "abstraction_level",
                "unknown-abstraction-level",
                "abstraction level",
                self.vocabulary.abstraction_levels,
            ),
        )
        for key, rule, label, terms in specs:
            value = self.scalar(key)
            if value is not None and value not in terms:
                self.add(
                    rule,
                    self.entry.line_of(key),
                    f"unknown {label} {_q(value)}{_hint(value, terms)}; "
                    f"use one of {', '.join(terms)}",
                )

    # --- slugs, categories, claims, tags --------------------------------------------------------

    def check_slug_lists(self, slugs: _Slugs) -> None:
        own = self.entry.slug
        known = slugs.all
        for key in ("source_frame", "applies_to", "related"):
            for line, text in self.items(key):
                if not _SLUG.match(text):
                    better = slug_suggestion(text)
                    fix = (
                        f"write `{yaml_scalar(better)}`"
                        if better
                        else "use lowercase words and hyphens"
                    )
                    self.add(
                        "not-a-slug",
                        line,
                        f"{_q(text)} in `{key}` is not a slug; {fix}",
                    )
                elif key == "related" and text == own:
                    self.add(
                        "self-related",
                        line,
                        f"the entry lists itself in `related`; remove {_q(own)}",
                    )
                elif key == "related" and text not in known:
                    close = slugs.close_to(text, besides=own)
                    hint = f" (or did you mean {_q(close)}?)" if close else ""
                    self.add(
                        "dangling-related",
                        line,
                        f"related entry {_q(text)} has no entry yet; the link appears "
                        f"when it is written{hint}",
                    )

    def check_categories(self) -> None:
        terms = self.vocabulary.categories
        for line, text in self.items("categories"):
            if text not in terms:
                self.add(
                    "unknown-category",
                    line,
                    f"unknown category {_q(text)}{_hint(text, terms)}; pick one "
                    "from graph_builder/data/vocabulary.yaml, or propose a new one there",
                )

    def check_summary(self) -> None:
        meta = self.entry.meta
        summary = meta.get("summary")
        if (
            "summary" not in meta
            or summary is None
            or (isinstance(summary, str) and not summary.strip())
        ):
            line = self.entry.line_of("summary") if "summary" in meta else 1
            self.add(
                "missing-summary",
                line,
                "no summary; add one sentence saying what the model is and what it is for "
                "(shown in lists, tooltips and search)",
            )
            return
        text = self.scalar("summary")
        if text is None:
            return
        count = _sentence_count(" ".join(text.split()))
        if count > 1:
            self.add(
                "summary-sentences",
                self.entry.line_of("summary"),
                f"the summary has {count} sentences; keep it to one (move the rest to the body)",
            )

    def check_claims(self) -> None:
        prefixes = self.vocabulary.claim_prefixes
        written = self.terms.claims_written
        for key in ("transfers", "limits"):
            value = self.entry.meta.get(key)
            if key in self.malformed:
                continue
            count = len(value) if isinstance(value, list) else 0
            if count < 2:
                have = "has no claims" if count == 0 else "has 1 claim"
                self.add(
                    "few-claims",
                    self.entry.line_of(key) if key in self.entry.meta else 1,
                    f"`{key}` {have}; list at least 2 short claims, each starting with {written}",
                )
            for line, text in self.items(key):
                match = _CLAIM_PREFIX.match(text)
                if match and match.group(1) in prefixes:
                    continue
                if match:
                    found = match.group(1)
                    hint = did_you_mean(found, prefixes)
                    fix = f" (did you mean '[{hint}]'?)" if hint else ""
                    problem = f"unknown claim prefix {_q('[' + found + ']')}{fix}"
                else:
                    problem = "claim has no prefix"
                self.add("claim-prefix", line, f"{problem}; start the claim with one of {written}")

    def check_tags(self) -> None:
        vocabulary = self.vocabulary
        for line, text in self.items("embodied_patterns"):
            if text not in vocabulary.embodied_patterns:
                self.add(
                    "unknown-pattern",
                    line,
                    f"unknown embodied pattern {_q(text)}"
                    f"{_hint(text, vocabulary.embodied_patterns)}; see the patterns in "
                    "graph_builder/data/vocabulary.yaml",
                )
        valid_relations = self.terms.valid_relations
        for line, text in self.items("relation_types"):
            if text not in valid_relations:
                self._check_relation(line, text)
        for line, text in self.items("structure"):
            if text not in vocabulary.structures:
                self.add(
                    "unknown-structure",
                    line,
                    f"unknown structure {_q(text)}"
                    f"{_hint(text, vocabulary.structures)}; use one of "
                    f"{', '.join(vocabulary.structures)}",
                )
        for key, (low, high), noun, nouns in _TAG_COUNTS:
            value = self.entry.meta.get(key)
            if not isinstance(value, list) or low <= len(value) <= high:
                continue
            if value and not self.has_placeholder(key):
                wanted = f"{low} or {high}" if high == low + 1 else f"{low} to {high}"
                self.add(
                    "tag-count",
                    self.entry.line_of(key),
                    f"`{key}` has {len(value)} {noun if len(value) == 1 else nouns}; use "
                    f"{wanted}{' (the most telling)' if high > low + 1 else ''}",
                )
        present = [key for key in _STRUCTURAL_KEYS if self.present(key)]
        if not present:
            self.add(
                "no-structure",
                1,
                "the entry has no structural tags, so it has no structural neighbours; add "
                "`embodied_patterns`, `relation_types`, `structure` and `abstraction_level`",
            )
        else:
            for key in _STRUCTURAL_KEYS:
                if key not in present and key not in self.malformed:
                    self.add(
                        "missing-structural-tag",
                        self.entry.line_of(key) if key in self.entry.meta else 1,
                        f"`{key}` is missing, so neighbours are computed without it; add e.g. "
                        f"`{_EXAMPLES[key]}`",
                    )

    def _check_relation(self, line: int, text: str) -> None:
        vocabulary = self.vocabulary
        parents = self.terms.relation_parents
        parent, _, subtype = text.partition("/")
        if parent not in parents:
            guess = did_you_mean(parent, parents)
            whole = f" in {_q(text)}" if subtype else ""
            hint = f" (did you mean {_q(guess)}?)" if guess else ""
            fixed = f"{guess}/{subtype}" if subtype else guess
            if guess and fixed in vocabulary.relation_types:
                fix = f"write `{fixed}`"
            else:
                fix = f"the parents are {', '.join(parents)}"
            self.add(
                "unknown-relation-parent",
                line,
                f"unknown relation parent {_q(parent)}{whole}{hint}; {fix}",
            )
            return
        if text in vocabulary.relation_types:
            return
        names = [s.partition("/")[2] for s in vocabulary.subtypes_of(parent)]
        if not names:
            self.add(
                "unknown-relation-subtype",
                line,
                f"relation {_q(parent)} has no subtypes; write `{parent}`",
            )
            return
        guess = did_you_mean(subtype, names)
        hint = f" (did you mean {_q(parent + '/' + guess)}?)" if guess else ""
        self.add(
            "unknown-relation-subtype",
            line,
            f"unknown subtype {_q(subtype)} of {_q(parent)}{hint}; the subtypes of {parent} "
            f"are {', '.join(names)}, or write the bare `{parent}`",
        )

    def check_duplicates(self) -> None:
        for key in _DUPLICATE_KEYS:
            items = self.items(key)
            if len(items) < 2 or len({text for _, text in items}) == len(items):
                continue
            seen: set[str] = set()
            for line, text in items:
                if text in seen:
                    self.add(
                        "duplicate-item",
                        line,
                        f"{_q(text)} is listed twice in `{key}`; remove this one",
                    )
                seen.add(text)

    def check_list_limits(self) -> None:
        """Lists past their most in `limits`: the frontmatter's at the key, a section's at the
        first item past the limit."""
        for key, most, what in _LIST_LIMITS:
            value = self.entry.meta.get(key)
            if key not in self.malformed and isinstance(value, list) and len(value) > most:
                self.add(
                    "too-many-items",
                    self.entry.line_of(key),
                    f"`{key}` has {len(value)} {what}; keep at most {most} (the most telling)",
                )
        for section in self.entry.sections:
            items = section.moves or section.expressions or section.references
            if len(items) > limits.MAX_LIST_ITEMS:
                self.add(
                    "too-many-items",
                    items[limits.MAX_LIST_ITEMS].line,
                    f"`## {section.title}` lists {len(items)} items; keep at most "
                    f"{limits.MAX_LIST_ITEMS} (the most telling) and delete the rest from here on",
                )

    def check_page_names(self) -> None:
        """A slug or facet value whose page would take the address of a generated index."""
        entry = self.entry
        reserved = limits.RESERVED_PAGE_NAMES
        if uri_slug(entry.slug) in reserved:
            self.add(
                "reserved-name",
                entry.line_of("slug"),
                f"slug {_q(entry.slug)} would give this entry the address of the list of all "
                "entries (/entries/) and hide it; choose another slug and rename the file to "
                "match",
            )
        for key, folder in _PAGE_FOLDERS.items():
            for line, text in self.items(key):
                name = _page_name(key, text)
                if name in reserved:
                    self.add(
                        "reserved-name",
                        line,
                        f"{_q(text)} in `{key}` would get the address of the /{folder}/ index "
                        f"page ({name}) and hide it; choose another word",
                    )

    def check_hidden_characters(self) -> None:
        """Control and invisible characters in the keys, values and body, each at its line."""
        entry = self.entry
        if _all_printable(entry.meta):
            self._report_hidden(entry.body, entry.body_line, "the body", by_line=True)
            return
        for key, value in entry.meta.items():
            self._report_hidden(key, entry.line_of(key), f"the key {_q(key)}")
            if isinstance(value, list):
                for index, item in enumerate(value):
                    for text in _nested_strings(item):
                        self._report_hidden(text, entry.line_of(key, index), f"`{key}`")
            else:
                for text in _nested_strings(value):
                    self._report_hidden(text, entry.line_of(key), f"`{key}`")
        self._report_hidden(entry.body, entry.body_line, "the body", by_line=True)

    def _report_hidden(self, text: str, line: int, where: str, *, by_line: bool = False) -> None:
        """Each distinct hidden character of `text` once per line; `by_line` counts the lines
        of `text` from `line`, else every one is reported at `line` (a frontmatter value)."""
        if text.isprintable():
            return
        reported: set[tuple[int, str]] = set()
        for hidden in hidden_characters(text):
            at = line + hidden.line if by_line else line
            if (at, hidden.char) in reported:
                continue
            reported.add((at, hidden.char))
            name = character_name(hidden.char)
            if is_control(hidden.char):
                self.add(
                    "control-character",
                    at,
                    f"control character {name} in {where}; delete it (a terminal would run it "
                    "as a command, and a page cannot show it)",
                )
            else:
                why = (
                    "it reorders the text around it, so what is read differs from what is shown"
                    if hidden.char in _BIDI
                    else "no one can see it, yet it makes the text differ from what it looks like"
                )
                self.add(
                    "invisible-character",
                    at,
                    f"invisible character {name} in {where}; delete it ({why})",
                )

    def check_frontmatter_text(self) -> None:
        for key, value in self.entry.meta.items():
            if isinstance(value, list):
                if _plain_texts(value):
                    continue
                for index, item in enumerate(value):
                    if _worth_searching(item):
                        self._check_value_text(key, self.entry.line_of(key, index), item)
            elif _worth_searching(value):
                self._check_value_text(key, self.entry.line_of(key), value)

    def _check_value_text(self, key: str, line: int, item: object) -> None:
        """Placeholders and raw HTML in one value (one list item), each reported once."""
        html_reported = placeholder_reported = False
        for text in _nested_strings(item):
            if not placeholder_reported and _is_placeholder(text):
                placeholder_reported = True
                self.add(
                    "placeholder",
                    line,
                    f"placeholder left in `{key}`: {_q(text, 80)}; "
                    + ("replace it or delete the line" if self.optional(key) else "replace it"),
                )
            tag = _HTML_TAG.search(text)
            if tag and not html_reported:
                html_reported = True
                self.add("raw-html", line, _html_message(tag.group(0)))

    # --- body -----------------------------------------------------------------------------------

    def check_sections(self) -> None:
        entry = self.entry
        first: dict[str, int] = {}
        highest = -1
        order = _SECTION_ORDER_TEXT
        for section in entry.sections:
            title = section.title
            if title in OLD_HEADINGS:
                new = OLD_HEADINGS[title]
                self.add(
                    "old-heading",
                    section.line,
                    f"`## {title}` is the old name of this section; rename it to `## {new}`",
                )
                first.setdefault(new, section.line)
                continue
            if title not in SECTION_ORDER:
                guess = did_you_mean(title, SECTION_ORDER)
                hint = f" (did you mean `## {guess}`?)" if guess else ""
                self.add(
                    "unknown-section",
                    section.line,
                    f"unknown section {_q('## ' + title)}{hint}; the sections are {order}",
                )
                continue
            if title in first:
                self.add(
                    "duplicate-section",
                    section.line,
                    f"`## {title}` appears a second time (first on line {first[title]}); "
                    "merge the two",
                )
                continue
            first[title] = section.line
            index = SECTION_ORDER.index(title)
            if index < highest:
                self.add(
                    "section-order",
                    section.line,
                    f"`## {title}` comes after `## {SECTION_ORDER[highest]}`; move it up "
                    f"(the order is {order})",
                )
            highest = max(highest, index)
            if title in _REQUIRED_SECTIONS and not section.text.strip():
                self.add(
                    "empty-section",
                    section.line,
                    f"`## {title}` is empty; {_SECTION_HELP[title]}",
                )
        for title in _REQUIRED_SECTIONS:
            if title in first:
                continue
            later = [
                first[t] for t in SECTION_ORDER[SECTION_ORDER.index(title) + 1 :] if t in first
            ]
            if later:
                line, where = min(later), "above this heading"
            elif entry.body.strip():
                # The last line with text: blank lines after it may not be lines of the file.
                line = entry.body_line + entry.body[: len(entry.body.rstrip())].count("\n")
                where = "at the end of the file"
            else:
                # No body: the closing `---` (the line before the body's, which always exists).
                line, where = max(entry.body_line - 1, 1), "after the frontmatter"
            self.add(
                "missing-section",
                line,
                f"section `## {title}` is missing; add it {where}: {_SECTION_HELP[title]}",
            )

    def check_body_text(self) -> None:
        if not _may_report(self.entry.body):
            return
        in_fence = False
        for number, raw in enumerate(self.entry.body.split("\n"), start=self.entry.body_line):
            line = raw.rstrip("\r")
            if _FENCE.match(line):
                in_fence = not in_fence
                continue
            if in_fence:
                continue
            if _PLACEHOLDER.search(line):
                self.add(
                    "placeholder",
                    number,
                    "placeholder left in the body; replace the `TODO:` text with your own "
                    "(or delete the line)",
                )
            tag = _HTML_TAG.search(_strip_code_spans(line))
            if tag:
                self.add("raw-html", number, _html_message(tag.group(0)))


_SECTION_HELP: Mapping[str, str] = MappingProxyType(
    {
        "Transfers": "what the model carries over, as `- **Label** -- explanation` items",
        "Limits": "where the model breaks, as `- **Label** -- explanation` items",
        "Expressions": 'phrases in use, as `- "phrase" -- gloss` items',
    }
)


def _html_message(tag: str) -> str:
    shown = tag if tag == "<!--" else f"{tag}>"
    return (
        f"raw HTML {_q(shown)} is shown as text, not rendered; write Markdown instead "
        "(or put it in backticks to show it as code)"
    )


# --- catalogue-wide rules --------------------------------------------------------------------


def _duplicate_slugs(entries: Sequence[Entry]) -> Iterator[Diagnostic]:
    by_slug: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_slug[entry.slug].append(entry)
    for slug, group in sorted(by_slug.items()):
        if len(group) < 2:
            continue
        for entry in group:
            others = ", ".join(
                f"{other.path}:{other.line_of('slug')}" for other in group if other is not entry
            )
            yield Diagnostic(
                path=entry.path,
                line=entry.line_of("slug"),
                severity=RULES["duplicate-slug"].severity,
                rule="duplicate-slug",
                message=f"slug {_q(slug)} is also used by {others}; every entry needs its own "
                "slug, so rename one of them",
            )


#: The values whose pages the site makes from what entries write (the other facets' pages come
#: from the vocabulary): folder, then the keys whose values get a page in it.
_ENTRY_PAGE_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("entries", ("slug",)),
    (FACET_FOLDERS["source_frame"], ("source_frame", "applies_to")),
    (FACET_FOLDERS["categories"], ("categories",)),
)


def _page_name_clashes(entries: Sequence[Entry]) -> Iterator[Diagnostic]:
    """Two different values that fold to one page name (`Psycho Therapy`, `psycho-therapy`):
    the site would make one page of them, so each use of each value is reported."""
    severity = RULES["page-name-clash"].severity
    for folder, keys in _ENTRY_PAGE_KEYS:
        # page name -> value -> where it is written (path, line, key)
        uses: dict[str, dict[str, list[tuple[str, int, str]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for entry in entries:
            for key in keys:
                if key == "slug":
                    written = [(entry.line_of("slug"), entry.slug)]
                else:
                    written = _strings_with_lines(entry, key)
                for line, value in written:
                    uses[_page_name(key, value)][value].append((entry.path, line, key))
        for name, by_value in sorted(uses.items()):
            if len(by_value) < 2:
                continue
            for value, places in sorted(by_value.items()):
                others = sorted((v, p[0]) for v, p in by_value.items() if v != value)
                named = ", ".join(f"{_q(v)} ({path}:{line})" for v, (path, line, _) in others)
                for path, line, key in places:
                    yield Diagnostic(
                        path=path,
                        line=line,
                        severity=severity,
                        rule="page-name-clash",
                        message=f"{_q(value)} in `{key}` gets the same page ({folder}/{name}/) as "
                        f"{named}; write the same value the same way everywhere",
                    )


def _strings_with_lines(entry: Entry, key: str) -> list[tuple[int, str]]:
    """The string values of `key` (a scalar or a list's items) with their lines."""
    value = entry.meta.get(key)
    if isinstance(value, str):
        return [(entry.line_of(key), value.strip())] if value.strip() else []
    if isinstance(value, list):
        return [
            (entry.line_of(key, index), item.strip())
            for index, item in enumerate(value)
            if isinstance(item, str) and item.strip() and not _is_placeholder(item)
        ]
    return []


def _near_duplicate_frames(entries: Sequence[Entry]) -> list[Diagnostic]:
    # Each frame's users as (path, line of `source_frame`).
    users: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for entry in entries:
        frame = entry.meta.get("source_frame")
        if isinstance(frame, str) and _SLUG.match(frame.strip()):
            users[frame.strip()].append((entry.path, entry.line_of("source_frame")))
    severity = RULES["near-duplicate-frame"].severity
    # The first user of each frame by path, named in the message as the other spelling's witness.
    witness = {frame: min(group)[0] for frame, group in users.items()}
    found: list[Diagnostic] = []
    for frame, others in _frames_one_edit_apart(users):
        group = users[frame]
        for other in others:
            count = len(users[other])
            if count < len(group):
                continue
            more = f" and {count - 1} more" if count > 1 else ""
            message = (
                f"source frame {_q(frame)} is one edit away from {_q(other)}, used by "
                f"{witness[other]}{more}; if they are the same domain, write {_q(other)}"
            )
            found.extend(
                Diagnostic(
                    path=path,
                    line=line,
                    severity=severity,
                    rule="near-duplicate-frame",
                    message=message,
                )
                for path, line in group
            )
    return found


#: Frames up to this length are indexed by their deletion neighbourhoods (which grow with the
#: square of the length); longer ones, never seen in practice, are compared by length bucket.
_LONG_FRAME = 64


def _deletions(word: str) -> set[str]:
    """`word` and every string made by deleting one of its characters."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


def _frames_one_edit_apart(frames: Iterable[str]) -> Iterator[tuple[str, list[str]]]:
    """Each frame (in sorted order) with the frames one edit away from it, sorted.

    Comparing every pair of F frames costs F² comparisons. Two strings one edit apart share a
    member of their deletion neighbourhoods (`_deletions`): a substitution at position i
    leaves both equal once the i-th character is deleted, and an insertion leaves the shorter
    string equal to a deletion of the longer one. So only frames sharing a neighbourhood member
    are compared, which for slugs of a few words is a handful per frame.
    """
    ordered = sorted(frames)
    by_deletion: dict[str, list[str]] = defaultdict(list)
    by_length: dict[int, list[str]] = defaultdict(list)
    for frame in ordered:
        by_length[len(frame)].append(frame)
        if len(frame) <= _LONG_FRAME:
            for key in _deletions(frame):
                by_deletion[key].append(frame)
    for frame in ordered:
        candidates: set[str] = set()
        if len(frame) < _LONG_FRAME:
            # Every frame one edit away is at most one character longer, so it is indexed.
            for key in _deletions(frame):
                candidates.update(by_deletion.get(key, ()))
        else:
            for length in (len(frame) - 1, len(frame), len(frame) + 1):
                candidates.update(by_length.get(length, ()))
        near = [other for other in sorted(candidates) if _one_edit_apart(frame, other)]
        if near:
            yield frame, near
