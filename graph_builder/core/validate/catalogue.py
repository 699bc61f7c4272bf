"""Every entry of the catalogue -> the problems between entries: shared slugs, near-duplicate
source frames, and values that fold to one page name."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from graph_builder.core.model import Diagnostic, Entry
from graph_builder.core.slugs import FACET_FOLDERS
from graph_builder.core.validate.registry import catalogue_check
from graph_builder.core.validate.rules import RULES, SLUG
from graph_builder.core.validate.values import is_placeholder, page_name
from graph_builder.core.validate.wording import quote

__all__ = ["duplicate_slugs", "near_duplicate_frames", "page_name_clashes"]


@catalogue_check("duplicate-slug")
def duplicate_slugs(entries: Sequence[Entry]) -> Iterator[Diagnostic]:
    """Every entry whose slug another entry also has, at its `slug` line, naming the others."""
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
                message=f"slug {quote(slug)} is also used by {others}; every entry needs its own "
                "slug, so rename one of them",
            )


#: The values whose pages the site makes from what entries write (the other facets' pages come
#: from the vocabulary): folder, then the keys whose values get a page in it.
_ENTRY_PAGE_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("entries", ("slug",)),
    (FACET_FOLDERS["source_frame"], ("source_frame", "applies_to")),
    (FACET_FOLDERS["categories"], ("categories",)),
)


@catalogue_check("page-name-clash")
def page_name_clashes(entries: Sequence[Entry]) -> Iterator[Diagnostic]:
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
                    uses[page_name(key, value)][value].append((entry.path, line, key))
        for name, by_value in sorted(uses.items()):
            if len(by_value) < 2:
                continue
            for value, places in sorted(by_value.items()):
                others = sorted((v, p[0]) for v, p in by_value.items() if v != value)
                named = ", ".join(f"{quote(v)} ({path}:{line})" for v, (path, line, _) in others)
                for path, line, key in places:
                    yield Diagnostic(
                        path=path,
                        line=line,
                        severity=severity,
                        rule="page-name-clash",
                        message=f"{quote(value)} in `{key}` gets the same page "
                        f"({folder}/{name}/) as {named}; write the same value the same way "
                        "everywhere",
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
            if isinstance(item, str) and item.strip() and not is_placeholder(item)
        ]
    return []


@catalogue_check("near-duplicate-frame")
def near_duplicate_frames(entries: Sequence[Entry]) -> list[Diagnostic]:
    # Each frame's users as (path, line of `source_frame`).
    """A `source_frame` one edit from another, reported on the rarer spelling (on both when
    equally common), at each of its users."""
    users: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for entry in entries:
        frame = entry.meta.get("source_frame")
        if isinstance(frame, str) and SLUG.match(frame.strip()):
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
                f"source frame {quote(frame)} is one edit away from {quote(other)}, used by "
                f"{witness[other]}{more}; if they are the same domain, write {quote(other)}"
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
