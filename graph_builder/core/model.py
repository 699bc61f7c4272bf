"""Plain data shared by every stage: Entry, its body parts, and Diagnostic. No I/O here."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = [
    "KNOWN_KEYS",
    "SECTION_ORDER",
    "Diagnostic",
    "Entry",
    "Expression",
    "Move",
    "Reference",
    "Section",
    "Severity",
    "diagnostic",
    "first_by_slug",
]

#: Frontmatter keys of the entry format, in the order a scaffold writes them.
KNOWN_KEYS: tuple[str, ...] = (
    "slug",
    "name",
    "summary",
    "kind",
    "source_frame",
    "applies_to",
    "dead",
    "categories",
    "grounding",
    "related",
    "author",
    "contributors",
    "created",
    "updated",
    "harness",
    "transfers",
    "limits",
    "embodied_patterns",
    "relation_types",
    "structure",
    "abstraction_level",
)

#: Body sections in the order the format requires them.
SECTION_ORDER: tuple[str, ...] = (
    "Transfers",
    "Limits",
    "Expressions",
    "Origin Story",
    "References",
)


class Severity(enum.Enum):
    """How bad a problem is. Notes never fail a check, warnings fail only `--strict`."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    def at_least(self, floor: Severity) -> bool:
        """Whether this is as bad as `floor` or worse (an error is at least a warning)."""
        order = (Severity.ERROR, Severity.WARNING, Severity.NOTE)
        return order.index(self) <= order.index(floor)


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagnostic:
    """One problem found in one file, pointing at the line a contributor should edit."""

    path: str
    line: int
    severity: Severity
    rule: str
    message: str

    def format(self) -> str:
        """Render as `PATH:LINE: SEVERITY: MESSAGE [RULE]`, the one format used everywhere."""
        return f"{self.path}:{self.line}: {self.severity.value}: {self.message} [{self.rule}]"

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line, self.rule, self.message)


@dataclass(frozen=True, slots=True, kw_only=True)
class Move:
    """A bulleted item of Transfers or Limits: `- **Label** -- text` (label may be empty)."""

    label: str
    text: str
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Expression:
    """A phrase in use and its gloss: `- "phrase" -- gloss`."""

    phrase: str
    gloss: str
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Reference:
    """One item of the References list, kept as the Markdown the contributor wrote."""

    text: str
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Section:
    """A `## ` section of the body: its heading, where it starts, its Markdown text and parts.

    `intro` is the prose before the first list item; `moves`, `expressions` and `references`
    are filled for the sections whose format has them. `outro` is the Markdown after the list
    (a closing paragraph, a `###` sub-heading, a further list, a code block), starting at
    `outro_line` (0 when there is none): the page shows it after the list, so no text of a
    section is lost because it does not fit the list's shape.
    """

    title: str
    line: int
    text: str
    intro: str = ""
    moves: tuple[Move, ...] = ()
    expressions: tuple[Expression, ...] = ()
    references: tuple[Reference, ...] = ()
    outro: str = ""
    outro_line: int = 0


def _frozen_map(value: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """One catalogue entry as read from `entries/<slug>.md`.

    Typed fields hold the frontmatter leniently coerced (a wrong type becomes empty), so later
    stages never crash; `meta` keeps the raw values so the validator can report the wrong type.
    `lines` maps each frontmatter key to its 1-based line in the file and `item_lines` maps each
    list-valued key to the lines of its items, so any stage can point at the exact line.
    `frontmatter` keeps the YAML as written, comments included.
    """

    path: str
    slug: str
    name: str
    summary: str = ""
    kind: str = ""
    source_frame: str | None = None
    applies_to: tuple[str, ...] = ()
    dead: bool = False
    categories: tuple[str, ...] = ()
    grounding: str = "folk"
    related: tuple[str, ...] = ()
    author: str = ""
    contributors: tuple[str, ...] = ()
    created: str = ""
    updated: str = ""
    harness: str = ""
    transfers: tuple[str, ...] = ()
    limits: tuple[str, ...] = ()
    embodied_patterns: tuple[str, ...] = ()
    relation_types: tuple[str, ...] = ()
    structure: tuple[str, ...] = ()
    abstraction_level: str | None = None
    body: str = ""
    body_line: int = 1
    sections: tuple[Section, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=_frozen_map, compare=False, hash=False)
    lines: Mapping[str, int] = field(default_factory=_frozen_map, compare=False, hash=False)
    item_lines: Mapping[str, tuple[int, ...]] = field(
        default_factory=_frozen_map, compare=False, hash=False
    )
    #: The frontmatter's YAML as written (comments included) and the file line of its first
    #: line, so a rule can look at what the parsed values no longer hold.
    frontmatter: str = field(default="", compare=False, hash=False)
    frontmatter_line: int = field(default=1, compare=False, hash=False)

    @property
    def has_structure(self) -> bool:
        """True when the entry has any structural tag, so it takes part in the neighbour lists."""
        return bool(
            self.embodied_patterns
            or self.relation_types
            or self.structure
            or self.abstraction_level
        )

    def section(self, title: str) -> Section | None:
        """The body section with this heading, or None."""
        for section in self.sections:
            if section.title == title:
                return section
        return None

    def line_of(self, key: str, index: int | None = None) -> int:
        """The line of a frontmatter key (or of one of its list items); 1 when unknown."""
        if index is not None:
            items = self.item_lines.get(key, ())
            if 0 <= index < len(items):
                return items[index]
        return self.lines.get(key, 1)


def first_by_slug(entries: Iterable[Entry]) -> dict[str, Entry]:
    """One entry per slug, in slug order: of two files with one slug, the first by path.

    The validator reports the duplicate as an error, so a built site never meets one; every
    stage that must still pick one (a test, `export` on an unchecked folder) picks the same.
    """
    chosen: dict[str, Entry] = {}
    for entry in sorted(entries, key=lambda e: (e.slug, e.path)):
        chosen.setdefault(entry.slug, entry)
    return chosen


def diagnostic(
    path: str, line: int, rule: str, message: str, severity: Severity = Severity.ERROR
) -> Diagnostic:
    """A `Diagnostic`, an error unless said otherwise: the loader's stages make many."""
    return Diagnostic(path=path, line=line, severity=severity, rule=rule, message=message)
