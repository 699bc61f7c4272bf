"""Two catalogues (a git ref and the working tree) -> the neighbour lists that changed between them.

Reviewers of a pull request need to see what it does to the graph, not only to one file: a new
entry or a changed tag can move many other entries' neighbour lists.

The slugs printed come from the pull request itself, so none is printed as it is: the text format
escapes control and invisible characters (`characters.printable`), and the Markdown format,
which goes into the job summary GitHub renders, also writes every character Markdown or HTML
could read as syntax as a character reference (`markdown_text`).
"""

from __future__ import annotations

import json
import string
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph_builder.analysis.neighbours import NeighbourLists, structural_neighbours
from graph_builder.analysis.similarity import NeighbourSettings
from graph_builder.core.characters import printable
from graph_builder.core.load import load_entries
from graph_builder.core.vocabulary import Vocabulary

__all__ = [
    "GitError",
    "ListChange",
    "NeighbourDiff",
    "catalogue_at",
    "diff_neighbours",
    "format_diff",
    "markdown_text",
    "neighbour_diff",
]


class GitError(Exception):
    """The base ref could not be read from git (bad ref, not a repository)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ListChange:
    """How one neighbour list of one entry changed.

    `before` and `after` are the lists as (slug, score) pairs, best first; `gained`, `lost`
    and `moved` say what a reviewer looks for.
    """

    slug: str
    which: str  # "cross-domain" or "same-domain"
    before: tuple[tuple[str, float], ...]
    after: tuple[tuple[str, float], ...]

    @property
    def gained(self) -> tuple[tuple[str, float], ...]:
        old = {s for s, _ in self.before}
        return tuple(pair for pair in self.after if pair[0] not in old)

    @property
    def lost(self) -> tuple[tuple[str, float], ...]:
        new = {s for s, _ in self.after}
        return tuple(pair for pair in self.before if pair[0] not in new)

    @property
    def moved(self) -> tuple[tuple[str, int, int, float, float], ...]:
        """Neighbours kept but at another rank or score: (slug, old rank, new rank, old, new)."""
        old = {s: (i + 1, score) for i, (s, score) in enumerate(self.before)}
        out = []
        for i, (s, score) in enumerate(self.after):
            if s in old and (old[s][0] != i + 1 or old[s][1] != score):
                out.append((s, old[s][0], i + 1, old[s][1], score))
        return tuple(out)


@dataclass(frozen=True, slots=True, kw_only=True)
class NeighbourDiff:
    """Every change between two catalogues: entries added and removed, lists changed."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changes: tuple[ListChange, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changes)


def _pairs(lists: NeighbourLists | None, which: str) -> tuple[tuple[str, float], ...]:
    if lists is None:
        return ()
    items = lists.cross_domain if which == "cross-domain" else lists.same_domain
    return tuple((n.slug, n.score.total) for n in items)


def neighbour_diff(
    before: Mapping[str, NeighbourLists], after: Mapping[str, NeighbourLists]
) -> NeighbourDiff:
    """Compare two neighbour mappings (slug -> lists).

    Entries present on one side only are reported as added/removed, not as list changes.

    >>> neighbour_diff({}, {}).empty
    True
    """
    changes = []
    for slug in sorted(set(before) & set(after)):
        for which in ("cross-domain", "same-domain"):
            old, new = _pairs(before[slug], which), _pairs(after[slug], which)
            if old != new:
                changes.append(ListChange(slug=slug, which=which, before=old, after=new))
    return NeighbourDiff(
        added=tuple(sorted(set(after) - set(before))),
        removed=tuple(sorted(set(before) - set(after))),
        changes=tuple(changes),
    )


def catalogue_at(ref: str, entries_dir: Path, destination: Path) -> Path:
    """Write the entry files of `entries_dir` as they are at git `ref` into `destination`.

    Raises:
        GitError: `ref` is unknown or the folder is not in a git repository.
    """
    entries_dir = entries_dir.resolve()
    try:
        top = _git(["rev-parse", "--show-toplevel"], cwd=entries_dir.parent).strip()
        prefix = entries_dir.relative_to(Path(top).resolve()).as_posix()
        listing = _git(["ls-tree", "-z", "--name-only", f"{ref}:{prefix}"], cwd=Path(top))
    except ValueError as exc:
        raise GitError(f"{entries_dir} is not inside the git repository") from exc
    destination.mkdir(parents=True, exist_ok=True)
    for name in sorted(n for n in listing.split("\0") if n.endswith(".md")):
        blob = subprocess.run(
            ["git", "show", f"{ref}:{prefix}/{name}"],
            cwd=top,
            capture_output=True,
            check=False,
        )
        if blob.returncode == 0:
            (destination / name).write_bytes(blob.stdout)
    return destination


def diff_neighbours(
    ref: str,
    entries_dir: Path,
    vocabulary: Vocabulary,
    settings: NeighbourSettings = NeighbourSettings(),
) -> NeighbourDiff:
    """The neighbour changes between the catalogue at git `ref` and the working tree."""
    with tempfile.TemporaryDirectory(prefix="graph-builder-diff-") as tmp:
        base_dir = catalogue_at(ref, entries_dir, Path(tmp) / "entries")
        base = load_entries(base_dir).entries
        head = load_entries(entries_dir).entries
        return neighbour_diff(
            structural_neighbours(base, vocabulary, settings),
            structural_neighbours(head, vocabulary, settings),
        )


#: Every ASCII punctuation character but the hyphen of a slug, as a character reference: no
#: Markdown (emphasis, links, code, tables, autolinks, mentions) or HTML can start from them.
_MARKDOWN_REFERENCES = {ord(c): f"&#{ord(c)};" for c in string.punctuation if c != "-"}


def markdown_text(text: str) -> str:
    """Untrusted text as Markdown that shows exactly that text and nothing else.

    Control and invisible characters are escaped first (`printable`, so a line break cannot end
    a table row), then every ASCII punctuation character but `-` becomes a character reference,
    which GitHub and Python-Markdown show as the character and never parse: `|` cannot split a
    table cell, and no `<img>`, link, code span or emphasis can begin.

    >>> markdown_text("a|b <i>")
    'a&#124;b &#60;i&#62;'
    """
    return printable(text).translate(_MARKDOWN_REFERENCES)


def format_diff(diff: NeighbourDiff, fmt: str = "text", *, base: str = "BASE") -> str:
    """Render a diff as `text` (a terminal), `markdown` (a PR summary) or `json` (ASCII)."""
    if fmt == "json":
        return json.dumps(_as_json(diff), indent=2, sort_keys=True) + "\n"
    md = fmt == "markdown"
    show = _code if md else printable
    lines: list[str] = []
    if diff.empty:
        return f"No neighbour list changes against {show(base)}.\n"
    if diff.added:
        lines.append(f"{'**New entries**' if md else 'New entries'}: {_names(diff.added, md)}")
    if diff.removed:
        lines.append(
            f"{'**Removed entries**' if md else 'Removed entries'}: {_names(diff.removed, md)}"
        )
    if lines:
        lines.append("")
    if diff.changes:
        if md:
            lines += [
                f"{len(diff.changes)} neighbour lists changed against {show(base)}.",
                "",
                "| entry | list | gained | lost | moved |",
                "|---|---|---|---|---|",
            ]
        else:
            lines.append(f"{len(diff.changes)} neighbour lists changed against {show(base)}:")
        # In Markdown, `#` and `>` of our own text would be read too: written as references.
        text = markdown_text if md else printable
        for change in diff.changes:
            gained = ", ".join(f"{text(s)} ({score:.3f})" for s, score in change.gained) or "-"
            lost = ", ".join(f"{text(s)} ({score:.3f})" for s, score in change.lost) or "-"
            moved = (
                ", ".join(
                    text(f"{s} #{a}->#{b} ({x:.3f}->{y:.3f})") for s, a, b, x, y in change.moved
                )
                or "-"
            )
            if md:
                lines.append(
                    f"| {_code(change.slug)} | {change.which} | {gained} | {lost} | {moved} |"
                )
            else:
                lines.append(f"  {printable(change.slug)} [{change.which}]")
                lines.append(f"    gained: {gained}")
                lines.append(f"    lost:   {lost}")
                lines.append(f"    moved:  {moved}")
    return "\n".join(lines) + "\n"


def _names(slugs: Sequence[str], md: bool) -> str:
    return ", ".join(_code(s) if md else printable(s) for s in slugs)


def _code(text: str) -> str:
    """A slug shown as code in Markdown: a `<code>` element we write around escaped text (a code
    span cannot hold escapes, and a backtick in the slug would end it)."""
    return f"<code>{markdown_text(text)}</code>"


def _as_json(diff: NeighbourDiff) -> dict[str, object]:
    return {
        "added": list(diff.added),
        "removed": list(diff.removed),
        "changes": [
            {
                "slug": c.slug,
                "list": c.which,
                "before": [[s, score] for s, score in c.before],
                "after": [[s, score] for s, score in c.after],
                "gained": [s for s, _ in c.gained],
                "lost": [s for s, _ in c.lost],
                "moved": [s for s, *_ in c.moved],
            }
            for c in diff.changes
        ],
    }


def _git(args: Sequence[str], cwd: Path) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        message = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "git failed"
        raise GitError(message)
    return result.stdout
