"""An `EntryDraft` -> a new `entries/<slug>.md` with every key and section, and what to do next.

What the contributor did not give becomes a `TODO:` placeholder that `graph-builder check` reports
as an error on its own line, so a scaffold can be filled in line by line and a forgotten
placeholder can never be published. The draft and its checks are `entry_draft`; the questions
asked in a terminal are `prompts`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

from graph_builder.analysis.similarity import NeighbourSettings
from graph_builder.cli.entry_draft import EntryDraft, count_span
from graph_builder.core import limits
from graph_builder.core.characters import printable
from graph_builder.core.model import KNOWN_KEYS, SECTION_ORDER
from graph_builder.core.vocabulary import Term, Vocabulary
from graph_builder.core.yaml_text import yaml_scalar

__all__ = ["ScaffoldError", "neighbours_preview", "next_steps", "render_entry", "write_entry"]


class ScaffoldError(Exception):
    """The entry cannot be written (for instance, its file already exists)."""


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
            f"{count_span(limits.PATTERN_COUNT)} embodied patterns, e.g. link, iteration",
        ),
        "relation_types": "relation_types: "
        + _flow(
            draft.relation_types,
            f"{count_span(limits.RELATION_COUNT)} relation types, e.g. restore, cause/accumulate",
        ),
        "structure": "structure: "
        + (
            yaml_scalar(draft.structure[0])
            if len(draft.structure) == 1
            else _flow(
                draft.structure, f"{count_span(limits.STRUCTURE_COUNT)} structures, e.g. cycle"
            )
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


def neighbours_preview(
    path: Path,
    entries_dir: Path,
    vocabulary: Vocabulary,
    settings: NeighbourSettings = NeighbourSettings(),
) -> list[str]:
    """Lines previewing the structural neighbours the new entry would get in the catalogue.

    `graph-builder new` prints these after writing a file, so a contributor sees at once what the
    tags they chose connect to under the site's `settings`. Placeholder tags (`TODO: ...`) are
    not in the vocabulary, so an entry whose tags are still placeholders gets a hint instead of a
    meaningless list.
    """
    from graph_builder.analysis.neighbours import structural_neighbours
    from graph_builder.cli.neighbour_text import format_neighbours
    from graph_builder.core.load import load_entries

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
