"""entries/*.md -> Entry objects, plus a Diagnostic for every file that could not be read.

The loader never raises for bad input: an unreadable file, a file or a line over the size
limits (checked before anything is parsed), a YAML error or a frontmatter that is not a mapping
becomes an error diagnostic with the real line in the file, and the file is skipped. Typed
fields are coerced leniently; the validator reports wrong types from `meta`.

Nothing written in a file is dropped without a word: each section keeps its text before, in and
after its list, and what no page would show (text before the first section, a second
frontmatter block) is a diagnostic at its line. The frontmatter is read by `frontmatter`, the
body by `sections`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph_builder.core.collector import full_collections_paused
from graph_builder.core.frontmatter import read_frontmatter
from graph_builder.core.limits import MAX_FILE_BYTES, MAX_LINE_CHARS
from graph_builder.core.model import Diagnostic, Entry, diagnostic
from graph_builder.core.sections import body_problems, parse_sections

__all__ = [
    "LoadResult",
    "ParsedFiles",
    "entry_paths",
    "load_entries",
    "load_entry",
    "parse_entry",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadResult:
    """What loading a catalogue gives: the entries read (sorted by slug) and the problems met."""

    entries: tuple[Entry, ...]
    diagnostics: tuple[Diagnostic, ...]


def entry_paths(entries_dir: Path) -> list[Path]:
    """The entry files of a catalogue folder, sorted so every run sees the same order."""
    return sorted(p for p in entries_dir.glob("*.md") if p.is_file())


class ParsedFiles:
    """What the files of the last load gave, for the next load of the same catalogue.

    Under `mkdocs serve` each save loads the whole catalogue again, and every file but the one
    saved reads as it did. What a file gives depends on nothing but its bytes, its path and its
    name (`parse_entry`), so a file whose bytes are those of the last load gives the entry and
    diagnostics it gave then, without being parsed again. Only the files of the latest load are
    kept: a file renamed or removed is forgotten. The bytes are compared by a BLAKE2 digest, so
    the memo holds 16 bytes of each file, not the file.

    Attributes:
        parsed: how many files the latest load parsed (the others were kept).
    """

    def __init__(self) -> None:
        self._last: dict[tuple[str, str], _Parsed] = {}
        self._this: dict[tuple[str, str], _Parsed] = {}
        self.parsed = 0

    def start(self) -> None:
        """A new load begins: what the last one read is kept for it, and nothing older."""
        self._last, self._this = self._this, {}
        self.parsed = 0

    @staticmethod
    def digest(data: bytes) -> bytes:
        """What the memo knows a file's bytes by."""
        return hashlib.blake2b(data, digest_size=16).digest()

    def get(
        self, key: tuple[str, str], digest: bytes
    ) -> tuple[Entry | None, list[Diagnostic]] | None:
        """What the file gave at the last load, if its bytes had this `digest`; else None."""
        kept = self._last.get(key)
        if kept is None or kept[0] != digest:
            return None
        self._this[key] = kept
        return kept[1], list(kept[2])

    def keep(
        self, key: tuple[str, str], digest: bytes, entry: Entry | None, problems: list[Diagnostic]
    ) -> None:
        self._this[key] = (digest, entry, tuple(problems))
        self.parsed += 1


#: A file's digest, and the entry and diagnostics its bytes gave.
_Parsed = tuple[bytes, Entry | None, tuple[Diagnostic, ...]]


def load_entries(
    entries_dir: Path | str,
    paths: Iterable[Path] | None = None,
    *,
    memo: ParsedFiles | None = None,
) -> LoadResult:
    """Load every `*.md` file of `entries_dir` (or just `paths`).

    Args:
        entries_dir: the catalogue folder; a missing folder is an error diagnostic.
        paths: files to read instead of the folder's listing.
        memo: what the last load of the catalogue gave, kept by a caller that loads it again
            and again (the plugin under `mkdocs serve`): an unchanged file is not parsed again.

    Returns:
        The entries sorted by slug, and the diagnostics of the files that could not be read.
    """
    entries_dir = Path(entries_dir)
    if memo is not None:
        memo.start()
    if paths is None and not entries_dir.is_dir():
        diag = diagnostic(str(entries_dir), 1, "missing-entries-dir", "entries folder not found")
        return LoadResult(entries=(), diagnostics=(diag,))
    with full_collections_paused():
        entries: list[Entry] = []
        diagnostics: list[Diagnostic] = []
        for path in entry_paths(entries_dir) if paths is None else paths:
            entry, problems = load_entry(path, memo)
            diagnostics.extend(problems)
            if entry is not None:
                entries.append(entry)
        entries.sort(key=lambda e: (e.slug, e.path))
        return LoadResult(entries=tuple(entries), diagnostics=tuple(diagnostics))


def load_entry(
    path: Path, memo: ParsedFiles | None = None
) -> tuple[Entry | None, list[Diagnostic]]:
    """Read and parse one file; see `parse_entry`. With a `memo`, a file whose bytes are those
    of the last load is not parsed again (`ParsedFiles`).

    A file over `MAX_FILE_BYTES` costs one read of the limit's worth of bytes: it is reported
    without being decoded or parsed.
    """
    display = str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
            size = len(data)
            if size > MAX_FILE_BYTES:
                size = max(size, os.fstat(handle.fileno()).st_size)
    except OSError as exc:
        return None, [diagnostic(display, 1, "unreadable", f"cannot read file: {exc.strerror}")]
    if size > MAX_FILE_BYTES:
        return None, [_too_large(display, data, size)]
    key, digest = (display, path.stem), b""
    if memo is not None:
        digest = memo.digest(data)
        kept = memo.get(key, digest)
        if kept is not None:
            return kept
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [
            diagnostic(
                display, line, "not-utf8", "file is not UTF-8 text (save it with UTF-8 encoding)"
            )
        ]
    entry, problems = parse_entry(text, display, default_slug=path.stem)
    if memo is not None:
        memo.keep(key, digest, entry, problems)
    return entry, problems


def parse_entry(
    text: str, path: str, *, default_slug: str = ""
) -> tuple[Entry | None, list[Diagnostic]]:
    """Parse the text of one entry file.

    Args:
        text: the whole file.
        path: the path shown in diagnostics.
        default_slug: the slug to use when the frontmatter has none (the file name).

    Returns:
        The entry, or None when the file is over a size limit or has no readable frontmatter,
        and the diagnostics met (warnings and errors about text the page would not show come
        with the entry).
    """
    text = text.removeprefix("\ufeff")
    if not text or text.isspace():
        return None, [diagnostic(path, 1, "empty-file", "file is empty (run `graph-builder new`)")]
    size_problems = _size_problems(text, path)
    if size_problems:
        return None, size_problems
    frontmatter = read_frontmatter(text, path)
    if isinstance(frontmatter, Diagnostic):
        return None, [frontmatter]
    meta, body, body_offset = frontmatter.meta, frontmatter.body, frontmatter.body_offset
    diagnostics = list(frontmatter.problems)
    sections = parse_sections(body, body_offset)
    diagnostics += body_problems(body, body_offset, sections, path)
    entry = Entry(
        path=path,
        slug=_str(meta.get("slug")) or default_slug,
        name=_str(meta.get("name")),
        summary=_str(meta.get("summary")),
        kind=_str(meta.get("kind")),
        source_frame=_str(meta.get("source_frame")) or None,
        applies_to=_strings(meta.get("applies_to")),
        dead=meta.get("dead") is True,
        categories=_strings(meta.get("categories")),
        grounding=_str(meta.get("grounding")) or "folk",
        related=_strings(meta.get("related")),
        author=_str(meta.get("author")),
        contributors=_strings(meta.get("contributors")),
        created=_date(meta.get("created")),
        updated=_date(meta.get("updated")),
        harness=_str(meta.get("harness")),
        transfers=_strings(meta.get("transfers")),
        limits=_strings(meta.get("limits")),
        embodied_patterns=_strings(meta.get("embodied_patterns")),
        relation_types=_strings(meta.get("relation_types")),
        structure=_strings(meta.get("structure")),
        abstraction_level=_str(meta.get("abstraction_level")) or None,
        body=body,
        body_line=body_offset + 1,
        sections=sections,
        meta=meta,
        lines=frontmatter.lines,
        item_lines=frontmatter.item_lines,
        frontmatter=frontmatter.text,
        frontmatter_line=frontmatter.first_line,
    )
    return entry, diagnostics


# --- sizes ----------------------------------------------------------------------------------------


def _size_problems(text: str, path: str) -> list[Diagnostic]:
    """A file over `MAX_FILE_BYTES`, or each line over `MAX_LINE_CHARS`, as errors at their lines.

    Checked before anything is parsed, in time linear in the text: the limits exist so that a
    hostile or broken file costs a read, not a parse whose cost grows without bound.
    """
    if len(text) > MAX_FILE_BYTES // 4:
        data = text.encode("utf-8", "surrogatepass")
        if len(data) > MAX_FILE_BYTES:
            return [_too_large(path, data, len(data))]
    if len(text) <= MAX_LINE_CHARS:
        return []
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS and len(line.rstrip("\r")) > MAX_LINE_CHARS:
            length = len(line.rstrip("\r"))
            problems.append(
                diagnostic(
                    path,
                    number,
                    "line-too-long",
                    f"line is {length:,} characters long, over the limit of "
                    f"{MAX_LINE_CHARS:,}; break it into shorter lines (Markdown joins the lines "
                    "of a paragraph, and a YAML text may go on over several lines)",
                )
            )
    return problems


def _too_large(path: str, data: bytes, size: int) -> Diagnostic:
    """The error for a file of `size` bytes, at the line where its first bytes pass the limit."""
    line = data.count(b"\n", 0, MAX_FILE_BYTES) + 1
    return diagnostic(
        path,
        line,
        "file-too-large",
        f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,} (passed on this line); "
        "an entry is a page of a few thousand words at most: shorten it, and cite long sources "
        "under `## References` instead of copying them",
    )


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    if isinstance(value, list):
        return tuple(v.strip() for v in value if isinstance(v, str) and v.strip())
    return ()


def _date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value.strip() if isinstance(value, str) else ""
