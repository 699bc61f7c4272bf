"""A name, a kind and optional tags -> a new `entries/<slug>.md` with every key and section.

What the contributor did not give becomes a `TODO:` placeholder that `graph-builder check` reports
as an error on its own line, so a scaffold can be filled in line by line and a forgotten
placeholder can never be published. Interactive prompting lives here too, behind
`prompt_draft`, which reads and writes the streams it is given so a test can drive it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from graph_builder.core import limits
from graph_builder.core.characters import character_name, hidden_characters, printable
from graph_builder.core.model import KNOWN_KEYS, SECTION_ORDER
from graph_builder.core.slugs import slugify
from graph_builder.core.validate import did_you_mean, slug_suggestion
from graph_builder.core.vocabulary import Term, Vocabulary
from graph_builder.core.yaml_text import yaml_scalar

__all__ = [
    "EntryDraft",
    "PromptAbortedError",
    "ScaffoldError",
    "draft_problems",
    "neighbours_preview",
    "next_steps",
    "prompt_draft",
    "render_entry",
    "write_entry",
]

_SPLIT = re.compile(r"[,\s]+")


class ScaffoldError(Exception):
    """The entry cannot be written (for instance, its file already exists)."""


class PromptAbortedError(Exception):
    """Input ended before every question was answered; nothing was written."""


@dataclass(frozen=True, slots=True, kw_only=True)
class EntryDraft:
    """What is known about a new entry before it is written; empty fields become placeholders."""

    name: str | None = None
    kind: str | None = None
    source_frame: str | None = None
    categories: tuple[str, ...] = ()
    embodied_patterns: tuple[str, ...] = ()
    relation_types: tuple[str, ...] = ()
    structure: tuple[str, ...] = ()
    abstraction_level: str | None = None
    author: str | None = None
    #: The slug asked for (`--slug`), for a name that gives none (`~`, a name in another script).
    given_slug: str | None = None

    @property
    def slug(self) -> str:
        """The slug (and file name): the one given, else the name's; empty when neither has one."""
        return self.given_slug if self.given_slug is not None else slugify(self.name or "")


# --- checking answers ---------------------------------------------------------------------------


def _unknown(label: str, value: str, terms: Mapping[str, Term] | Sequence[str]) -> str:
    guess = did_you_mean(value, terms)
    hint = f" (did you mean '{guess}'?)" if guess else ""
    return f"unknown {label} '{printable(value)}'{hint}; choose from: {', '.join(terms)}"


def _span(bounds: tuple[int, int]) -> str:
    """`2 to 4`, `1 or 2`: a (least, most) pair of `limits` in words."""
    low, high = bounds
    return f"{low} or {high}" if high == low + 1 else f"{low} to {high}"


def _name_problem(name: str | None, given_slug: str | None = None) -> str | None:
    if name is None or not name.strip():
        return "the entry needs a name, e.g. 'Rupture and Repair'"
    if "\n" in name.strip() or "\r" in name:
        return "the name must be one line"
    hidden = next(hidden_characters(name), None)
    if hidden is not None:
        return f"the name holds the hidden character {character_name(hidden.char)}; delete it"
    if given_slug is not None:
        if slug_suggestion(given_slug) != given_slug:
            return (
                f"'{printable(given_slug)}' cannot be a slug: use lowercase ASCII words joined by "
                "hyphens, other than 'index'"
            )
        return None
    if not slugify(name):
        return (
            f"cannot make a file name from '{printable(name)}'; use a name with ASCII letters or "
            "digits, or give the slug with --slug"
        )
    if slug_suggestion(name) is None:
        return (
            f"the name '{printable(name)}' gives the slug '{slugify(name)}', the name of a "
            "generated index page; choose another name, or give the slug with --slug"
        )
    return None


def _kind_problem(kind: str | None, vocabulary: Vocabulary) -> str | None:
    if not kind:
        return f"the entry needs a kind: one of {', '.join(vocabulary.kinds)}"
    if kind in vocabulary.deprecated_kinds:
        return f"deprecated kind '{kind}', use '{vocabulary.deprecated_kinds[kind]}'"
    if kind not in vocabulary.kinds:
        return _unknown("kind", kind, vocabulary.kinds)
    return None


def _frame_problem(frame: str | None) -> str | None:
    if frame and slug_suggestion(frame) != frame:
        better = slug_suggestion(frame)
        fix = f"write '{better}'" if better else "use lowercase words joined by hyphens"
        return f"source frame '{printable(frame)}' is not a slug; {fix}"
    return None


def _tags_problem(
    label: str, values: Sequence[str], terms: Mapping[str, Term], bounds: tuple[int, int]
) -> str | None:
    for value in values:
        if value not in terms:
            return _unknown(label, value, terms)
    low, high = bounds
    if values and not low <= len(values) <= high:
        plural = "categories" if label == "category" else f"{label}s"
        return f"give {_span(bounds)} {plural}, not {len(values)}"
    if len(set(values)) != len(values):
        return f"a {label} is given twice"
    return None


def _relation_problem(values: Sequence[str], vocabulary: Vocabulary) -> str | None:
    parents = vocabulary.relation_parents()
    for value in values:
        parent, _, subtype = value.partition("/")
        if parent not in parents:
            return _unknown("relation type", parent, parents)
        if value not in vocabulary.relation_types:
            names = [s.partition("/")[2] for s in vocabulary.subtypes_of(parent)]
            if not names:
                return f"relation type '{parent}' has no subtypes; write '{parent}'"
            return _unknown(f"subtype of {parent}", subtype, names)
    return _tags_problem("relation type", values, vocabulary.relation_types, limits.RELATION_COUNT)


def _level_problem(level: str | None, vocabulary: Vocabulary) -> str | None:
    if level and level not in vocabulary.abstraction_levels:
        return _unknown("abstraction level", level, vocabulary.abstraction_levels)
    return None


def draft_problems(
    draft: EntryDraft, vocabulary: Vocabulary, *, complete: bool = True
) -> list[str]:
    """Why the draft cannot be written as given (a missing name or kind, an unknown tag...).

    Tags are checked against the vocabulary here, before anything is written, so a typo in a
    flag is a usage error with a suggestion rather than a file to fix afterwards.

    Args:
        draft: the answers so far.
        vocabulary: the terms the tags are checked against.
        complete: when False, a missing name or kind is not a problem (it will be asked for).
    """
    checks = (
        _name_problem(draft.name, draft.given_slug) if complete or draft.name is not None else None,
        _kind_problem(draft.kind, vocabulary) if complete or draft.kind is not None else None,
        _frame_problem(draft.source_frame),
        _tags_problem("category", draft.categories, vocabulary.categories, limits.CATEGORY_COUNT),
        _tags_problem(
            "embodied pattern",
            draft.embodied_patterns,
            vocabulary.embodied_patterns,
            limits.PATTERN_COUNT,
        ),
        _relation_problem(draft.relation_types, vocabulary),
        _tags_problem("structure", draft.structure, vocabulary.structures, limits.STRUCTURE_COUNT),
        _level_problem(draft.abstraction_level, vocabulary),
    )
    return [problem for problem in checks if problem is not None]


# --- rendering ------------------------------------------------------------------------------------


def _scalar(key: str, value: str) -> str:
    """`key: value`, the value quoted when YAML would not read it back as the same string."""
    return f"{key}: {yaml_scalar(value)}"


def _todo(text: str) -> str:
    return f"'TODO: {text}'"


def _flow(values: Sequence[str], placeholder: str) -> str:
    return f"[{', '.join(map(yaml_scalar, values))}]" if values else f"[{_todo(placeholder)}]"


def render_entry(draft: EntryDraft, vocabulary: Vocabulary, today: dt.date) -> str:
    """The text of the new entry file: every key in `KNOWN_KEYS` order, then every section.

    Args:
        draft: a draft without problems (see `draft_problems`).
        vocabulary: used for the comments that list the allowed values.
        today: the `created` and `updated` date.

    Raises:
        ValueError: the draft has no name or no kind.
    """
    if not draft.name or not draft.kind:
        raise ValueError("a draft needs a name and a kind before it can be rendered")
    kind = draft.kind
    date = f"'{today.isoformat()}'"
    frame_note = "the domain it comes from, e.g. mythology" + (
        "" if kind == "metaphor" else " (or delete the line)"
    )
    lines: dict[str, str] = {
        "slug": _scalar("slug", draft.slug),
        "name": _scalar("name", draft.name.strip()),
        "summary": "summary: " + _todo("one sentence saying what the model is and what it is for"),
        "kind": _scalar("kind", kind),
        "source_frame": "source_frame: "
        + (yaml_scalar(draft.source_frame) if draft.source_frame else _todo(frame_note)),
        "applies_to": "applies_to: []"
        + (
            "  # not used on a mental-model: leave it empty"
            if kind == "mental-model"
            else "  # domains it is applied to, as slugs"
        ),
        "dead": "dead: false"
        + (
            "  # true when the source is forgotten (like 'bottleneck')"
            if kind == "metaphor"
            else "  # only a metaphor can be dead: leave it false"
        ),
        "categories": "categories: "
        + _flow(draft.categories, "one or more categories, e.g. psychology"),
        "grounding": f"grounding: folk  # {_or(vocabulary.groundings)}",
        "related": "related: []  # slugs of entries this one links to",
        "author": _scalar("author", draft.author)
        if draft.author
        else "author: " + _todo("your handle"),
        "contributors": "contributors: []",
        "created": f"created: {date}",
        "updated": f"updated: {date}",
        "harness": "harness: ''  # the tool used to draft the entry, if any",
        "transfers": "transfers:\n"
        f"  - '[model] {_todo_text('a short claim of what the model carries over')}'\n"
        f"  - '[model] {_todo_text('another claim')}'",
        "limits": "limits:\n"
        f"  - '[model] {_todo_text('a short claim of where the model breaks')}'\n"
        f"  - '[model] {_todo_text('another claim')}'",
        "embodied_patterns": "embodied_patterns: "
        + _flow(
            draft.embodied_patterns,
            f"{_span(limits.PATTERN_COUNT)} embodied patterns, e.g. link, iteration",
        ),
        "relation_types": "relation_types: "
        + _flow(
            draft.relation_types,
            f"{_span(limits.RELATION_COUNT)} relation types, e.g. restore, cause/accumulate",
        ),
        "structure": "structure: "
        + (
            yaml_scalar(draft.structure[0])
            if len(draft.structure) == 1
            else _flow(draft.structure, f"{_span(limits.STRUCTURE_COUNT)} structures, e.g. cycle")
        ),
        "abstraction_level": "abstraction_level: "
        + (
            yaml_scalar(draft.abstraction_level)
            if draft.abstraction_level
            else _todo(_or(vocabulary.abstraction_levels))
        ),
    }
    frontmatter = "\n".join(lines[key] for key in KNOWN_KEYS)
    body = "\n\n".join(f"## {title}\n\n{_SECTION_BODIES[title]}" for title in SECTION_ORDER)
    return f"---\n{frontmatter}\n---\n\n{body}\n"


def _or(words: Sequence[str] | Mapping[str, Term]) -> str:
    """`a, b or c`."""
    items = list(words)
    return ", ".join(items[:-1]) + f" or {items[-1]}" if len(items) > 1 else "".join(items)


def _todo_text(text: str) -> str:
    return f"TODO: {text}"


_SECTION_BODIES: Mapping[str, str] = {
    "Transfers": (
        "TODO: open with a short paragraph: what the model is and where it comes from.\n\n"
        "- **TODO: a label** -- TODO: something a thinker can do with the model.\n"
        "- **TODO: a label** -- TODO: another move."
    ),
    "Limits": (
        "- **TODO: a label** -- TODO: where the model misleads, what it assumes or hides.\n"
        "- **TODO: a label** -- TODO: another limit."
    ),
    "Expressions": '- "TODO: a phrase people use" -- TODO: what it means and where it is said.',
    "Origin Story": (
        "TODO: who, when, where, and how the idea travelled "
        "(optional: delete the section if you have nothing to say)."
    ),
    "References": (
        "- TODO: Author. *Title* (year) -- why it matters "
        "(optional: delete the section if you have no works to cite)."
    ),
}


def write_entry(
    draft: EntryDraft, entries_dir: Path, vocabulary: Vocabulary, today: dt.date
) -> Path:
    """Write the new entry as `entries_dir/<slug>.md` and return its path.

    Raises:
        ScaffoldError: the file already exists; it is left exactly as it was.
    """
    path = entries_dir / f"{draft.slug}.md"
    text = render_entry(draft, vocabulary, today)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(
            f"{path} already exists; edit it, or choose another name for the new entry"
        ) from None
    return path


# --- after writing -------------------------------------------------------------------------------


def neighbours_preview(path: Path, entries_dir: Path, vocabulary: Vocabulary) -> list[str]:
    """Lines previewing the structural neighbours the new entry would get in the catalogue.

    `graph-builder new` prints these after writing a file, so a contributor sees at once what the
    tags they chose connect to. Placeholder tags (`TODO: ...`) are not in the vocabulary, so an
    entry whose tags are still placeholders gets a hint instead of a meaningless list.
    """
    from graph_builder.analysis.neighbours import structural_neighbours
    from graph_builder.analysis.similarity import NeighbourSettings
    from graph_builder.core.load import load_entries
    from graph_builder.opendata.export import format_neighbours

    entries = load_entries(entries_dir).entries
    by_slug = {e.slug: e for e in entries}
    entry = by_slug.get(path.stem)
    if entry is None:
        return []
    tags_known = (
        all(p in vocabulary.embodied_patterns for p in entry.embodied_patterns)
        and all(r in vocabulary.relation_types for r in entry.relation_types)
        and all(s in vocabulary.structures for s in entry.structure)
    )
    if not (entry.embodied_patterns and entry.relation_types and entry.structure and tags_known):
        return ["fill in the structural tags to see the neighbours this entry will get", ""]
    settings = NeighbourSettings()
    lists = structural_neighbours(entries, vocabulary, settings, only=[entry.slug])
    preview = format_neighbours(entry, lists[entry.slug], by_slug, settings).splitlines()
    return ["neighbours it would get now:", "", *preview, ""]


def next_steps(path: Path) -> list[str]:
    """What to do after scaffolding, printed under the path of the new file."""
    shown = printable(str(path))
    return [
        "next steps:",
        "  1. replace every TODO: placeholder; check lists each one with its line:",
        f"       graph-builder check {shown}",
        "  2. preview the page: make serve, then open "
        f"http://127.0.0.1:8000/entries/{printable(path.stem)}/",
    ]


# --- prompting -----------------------------------------------------------------------------------


def prompt_draft(
    draft: EntryDraft,
    vocabulary: Vocabulary,
    stdin: TextIO,
    stdout: TextIO,
    *,
    exists: Callable[[str], bool] = lambda slug: False,
) -> EntryDraft:
    """Ask for every field the draft is missing, re-asking until each answer is valid.

    Each question lists the vocabulary with its definitions. An empty answer skips an optional
    field (a placeholder is written); the name and the kind cannot be skipped.

    Args:
        draft: what the flags already gave; those fields are not asked again.
        vocabulary: the terms offered and checked against.
        stdin: where answers are read, one line each.
        stdout: where questions and complaints are written.
        exists: tells whether an entry with this slug exists, so a taken name is re-asked.

    Raises:
        PromptAbortedError: input ended before the name and the kind were answered.
    """
    asker = _Asker(stdin, stdout)
    if draft.name is None:

        def name_problem(answer: str) -> str | None:
            problem = _name_problem(answer, draft.given_slug)
            slug = replace(draft, name=answer).slug
            if problem is None and exists(slug):
                return f"an entry '{slug}' already exists; choose another name"
            return problem

        draft = replace(
            draft, name=asker.ask("Name of the model (e.g. Rupture and Repair)", name_problem)
        )
    if draft.kind is None:
        asker.offer("Kinds", vocabulary.kinds)
        kind = asker.ask("Kind", lambda a: _kind_problem(a, vocabulary))
        draft = replace(draft, kind=kind)
    if draft.source_frame is None:
        required = " (a metaphor needs one)" if draft.kind == "metaphor" else ""
        frame = asker.ask(
            f"Domain it comes from, as a slug, e.g. psychotherapy{required}; Enter to skip",
            _frame_problem,
            optional=True,
        )
        draft = replace(draft, source_frame=frame or None)
    if not draft.categories:
        categories = asker.ask_tags(
            f"Categories ({_span(limits.CATEGORY_COUNT)})",
            vocabulary.categories,
            lambda v: _tags_problem("category", v, vocabulary.categories, limits.CATEGORY_COUNT),
        )
        draft = replace(draft, categories=categories)
    if not draft.embodied_patterns:
        patterns = asker.ask_tags(
            f"Embodied patterns ({_span(limits.PATTERN_COUNT)})",
            vocabulary.embodied_patterns,
            lambda v: _tags_problem(
                "embodied pattern", v, vocabulary.embodied_patterns, limits.PATTERN_COUNT
            ),
        )
        draft = replace(draft, embodied_patterns=patterns)
    if not draft.relation_types:
        relations = asker.ask_tags(
            f"Relation types ({_span(limits.RELATION_COUNT)}, each `parent` or `parent/subtype`)",
            vocabulary.relation_types,
            lambda v: _relation_problem(v, vocabulary),
        )
        draft = replace(draft, relation_types=relations)
    if not draft.structure:
        structure = asker.ask_tags(
            f"Structure ({_span(limits.STRUCTURE_COUNT)})",
            vocabulary.structures,
            lambda v: _tags_problem("structure", v, vocabulary.structures, limits.STRUCTURE_COUNT),
        )
        draft = replace(draft, structure=structure)
    if draft.abstraction_level is None:
        asker.offer("Abstraction levels", vocabulary.abstraction_levels)
        level = asker.ask(
            "Abstraction level; Enter to skip",
            lambda a: _level_problem(a, vocabulary),
            optional=True,
        )
        draft = replace(draft, abstraction_level=level or None)
    if draft.author is None:
        author = asker.ask(
            "Your handle (e.g. your GitHub name); Enter to skip", None, optional=True
        )
        draft = replace(draft, author=author or None)
    return draft


def _words(text: str) -> tuple[str, ...]:
    return tuple(word for word in _SPLIT.split(text) if word)


class _Asker:
    """Questions on one stream, answers from another."""

    def __init__(self, stdin: TextIO, stdout: TextIO) -> None:
        self.stdin = stdin
        self.stdout = stdout

    def offer(self, title: str, terms: Mapping[str, Term]) -> None:
        width = max((len(slug) for slug in terms), default=0)
        self.stdout.write(f"\n{title}:\n")
        for slug, term in terms.items():
            self.stdout.write(f"  {slug:<{width}}  {term.definition}\n")

    def ask_tags(
        self,
        question: str,
        terms: Mapping[str, Term],
        problem: Callable[[Sequence[str]], str | None],
    ) -> tuple[str, ...]:
        """Offer the terms, then ask for several of them separated by commas or spaces."""
        self.offer(question.split(" (")[0], terms)
        answer = self.ask(
            f"{question}, separated by commas; Enter to skip",
            lambda text: problem(_words(text)) if _words(text) else "an answer is needed",
            optional=True,
        )
        return _words(answer)

    def ask(
        self,
        question: str,
        problem: Callable[[str], str | None] | None,
        *,
        optional: bool = False,
    ) -> str:
        while True:
            self.stdout.write(f"{question}: ")
            self.stdout.flush()
            line = self.stdin.readline()
            if not line:
                self.stdout.write("\n")
                raise PromptAbortedError("input ended before every question was answered")
            answer = line.strip()
            if not answer and optional:
                return ""
            complaint = problem(answer) if problem else None
            if complaint is None and answer:
                return answer
            self.stdout.write(f"  {complaint or 'an answer is needed'}; try again\n")
