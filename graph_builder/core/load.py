"""entries/*.md -> Entry objects, plus a Diagnostic for every file that could not be read.

The loader never raises for bad input: an unreadable file, a file or a line over the size
limits (checked before anything is parsed), a YAML error or a frontmatter that is not a mapping
becomes an error diagnostic with the real line in the file, and the file is skipped. Typed
fields are coerced leniently; the validator reports wrong types from `meta`.

Nothing written in a file is dropped without a word: each section keeps its text before, in and
after its list, and what no page would show (text before the first section, a second
frontmatter block) is a diagnostic at its line.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from graph_builder.core.limits import MAX_FILE_BYTES, MAX_LINE_CHARS
from graph_builder.core.model import (
    KNOWN_KEYS,
    Diagnostic,
    Entry,
    Expression,
    Move,
    Reference,
    Section,
    Severity,
)

__all__ = [
    "LoadResult",
    "entry_paths",
    "full_collections_paused",
    "load_entries",
    "load_entry",
    "meta_items",
    "parse_entry",
    "parse_sections",
]

# python-frontmatter's boundary, `^-{3,}\s*$` (multiline): a line of three or more dashes.
_BOUNDARY = YAMLHandler.FM_BOUNDARY
_BASE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _YAMLLoader(_BASE_LOADER):  # type: ignore[valid-type,misc]
    """The safe loader, except that a date YAML cannot build stays a string.

    PyYAML raises a bare `ValueError` (no line) for `created: 2026-02-30`; keeping the text lets
    the validator report it at the key's line as an invalid date.
    """


def _lenient_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    if not isinstance(node, yaml.ScalarNode):
        raise yaml.constructor.ConstructorError(
            None, None, "a date must be a plain value like 2026-03-23", node.start_mark
        )
    # PyYAML reads `!!timestamp` text with no date in it as `None.groupdict()`: kept as text.
    if loader.timestamp_regexp.match(node.value) is None:
        return loader.construct_scalar(node)
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:  # a date or time out of range: 2026-02-30, 25:00, a +99:00 offset
        return loader.construct_scalar(node)


_YAMLLoader.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)
_YAML_LOADER: type[yaml.SafeLoader] = _YAMLLoader

# What PyYAML 6's safe constructors raise, besides its own YAMLErrors, for values a contributor
# can write; nothing else is caught, so a bug of ours is a traceback, not a `yaml-value` error.
# - ValueError: `int()` or `float()` of text the tag does not fit (`!!int abc`, `!!float x`,
#   and the plain `0b_` and `0x_`, which resolve as ints with no digits), or of an int of more
#   than 4,300 digits, Python's limit (`!!int "999…"` continued over lines).
# - KeyError: `!!bool` of a word YAML 1.1 does not read as a bool (`!!bool maybe`).
# - IndexError: `!!int` or `!!float` of an empty text (`!!int ''`, `!!float ''`, `!!int '-'`).
# - OverflowError: a sexagesimal float of more than about 170 parts (`1:00:…:00.5`), whose
#   60 ** n no float can hold.
# - RecursionError: deep nesting in the pure-Python composer PyYAML uses without libyaml
#   (libyaml stops at 1,000 levels with a ScannerError).
# Timestamps never raise (`_lenient_timestamp`); bad `!!binary`, unhashable keys, bad merge keys,
# unknown tags and a scalar tag on a list raise ConstructorError, a YAMLError with a line.
_CONSTRUCT_ERRORS = (ValueError, KeyError, IndexError, OverflowError, RecursionError)

_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
# Scalars whose constructor builds a fresh atom from the node's text alone.
_ATOM_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("null", "bool", "int", "float", "timestamp")
)


def _construct(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """The Python value of a composed frontmatter, as `construct_document` would build it.

    PyYAML's generic constructor, in Python, costs nearly as much as the C parser, and an
    entry's frontmatter nearly always has one flat shape: a mapping from plain keys to scalars
    and lists of scalars. That shape is built here directly, each scalar other than text by
    PyYAML's own constructor for its tag; anything else (nested values, a list used twice,
    merge keys, explicit or unknown tags on containers) goes to `construct_document`, so every
    value and every error stays exactly what PyYAML gives.
    """
    if _is_flat(node):
        data: dict[Any, Any] = {}
        lists: list[tuple[list[Any], yaml.Node]] = []
        for key_node, value_node in node.value:
            if isinstance(value_node, yaml.ScalarNode):
                data[key_node.value] = _atom(loader, value_node)
            else:
                items: list[Any] = []
                data[key_node.value] = items
                lists.append((items, value_node))
        # PyYAML fills the lists after the whole mapping (its constructor defers them), so a
        # document with two values that cannot be built fails on the same one here.
        for items, value_node in lists:
            items.extend(_atom(loader, item) for item in value_node.value)
        return data
    return loader.construct_document(node)


def _atom(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """A scalar's value: its text, or what the constructor for its tag builds from it."""
    if node.tag == _STR_TAG:
        return node.value
    return loader.construct_object(node)


def _is_flat(node: yaml.Node) -> bool:
    """A mapping of plain-text keys to scalars or to lists of scalars, no list used twice."""
    if type(node) is not yaml.MappingNode or node.tag != _MAP_TAG:
        return False
    lists: set[int] = set()
    for key_node, value_node in node.value:
        if type(key_node) is not yaml.ScalarNode or key_node.tag != _STR_TAG:
            return False
        kind = type(value_node)
        if kind is yaml.ScalarNode:
            if value_node.tag != _STR_TAG and value_node.tag not in _ATOM_TAGS:
                return False
            continue
        if kind is not yaml.SequenceNode or value_node.tag != _SEQ_TAG or id(value_node) in lists:
            return False
        lists.add(id(value_node))
        for item in value_node.value:
            if type(item) is not yaml.ScalarNode or (
                item.tag != _STR_TAG and item.tag not in _ATOM_TAGS
            ):
                return False
    return True


_HEADING = re.compile(r"^##\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_ITEM = re.compile(r"^[-*+]\s+(.*)$")
_ITEM_MARKS = ("-", "*", "+")
# A line that ends a list item's paragraph even with no blank line before it (CommonMark): a
# heading, a block quote, a thematic break, a numbered item or a code fence.
_INTERRUPTS_ITEM = re.compile(
    r"#|>|[-*_](?:[ \t]*[-*_]){2,}[ \t]*\r?$|\d{1,9}[.)](?:[ \t]|\r?$)|```|~~~"
)
# `_HEADING` (not `###`) and `_ITEM` as patterns over a whole text, each line found by the
# line break before it (searching for a literal first is faster than trying `^` everywhere),
# so the text searched starts with an added line break; `[^\S\n]` is the whitespace `\s`
# matches within one line.
_HEADING_LINE = re.compile(r"\n##(?!#)[^\S\n]+(.+?)[^\S\n]*#*[^\S\n]*$", re.M)
_ITEM_LINE = re.compile(r"\n[-*+][^\S\n]+(.*)$", re.M)
# A line that is neither blank nor a list item, found by the line break before it.
_OTHER_LINE = re.compile(r"\n(?![-*+][^\S\n]|\n|\Z)")
# `**Label** -- text`, also with an em dash, an en dash or a colon after the label.
_MOVE = re.compile(r"^\*\*(?P<label>.+?)\*\*\s*(?:--|\u2014|\u2013|:)?\s*(?P<text>.*)$", re.S)
# `"phrase" -- gloss`, straight or curly quotes.
_EXPRESSION = re.compile(
    r"^[\"\u201c](?P<phrase>.+?)[\"\u201d]\s*(?:--|\u2014|\u2013|:)?\s*(?P<gloss>.*)$", re.S
)


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadResult:
    """What loading a catalogue gives: the entries read (sorted by slug) and the problems met."""

    entries: tuple[Entry, ...]
    diagnostics: tuple[Diagnostic, ...]


def entry_paths(entries_dir: Path) -> list[Path]:
    """The entry files of a catalogue folder, sorted so every run sees the same order."""
    return sorted(p for p in entries_dir.glob("*.md") if p.is_file())


def load_entries(entries_dir: Path | str, paths: Iterable[Path] | None = None) -> LoadResult:
    """Load every `*.md` file of `entries_dir` (or just `paths`).

    Args:
        entries_dir: the catalogue folder; a missing folder is an error diagnostic.
        paths: files to read instead of the folder's listing.

    Returns:
        The entries sorted by slug, and the diagnostics of the files that could not be read.
    """
    entries_dir = Path(entries_dir)
    if paths is None and not entries_dir.is_dir():
        diag = _diag(str(entries_dir), 1, "missing-entries-dir", "entries folder not found")
        return LoadResult(entries=(), diagnostics=(diag,))
    with full_collections_paused():
        entries: list[Entry] = []
        diagnostics: list[Diagnostic] = []
        for path in entry_paths(entries_dir) if paths is None else paths:
            entry, problems = load_entry(path)
            diagnostics.extend(problems)
            if entry is not None:
                entries.append(entry)
        entries.sort(key=lambda e: (e.slug, e.path))
        return LoadResult(entries=tuple(entries), diagnostics=tuple(diagnostics))


@contextmanager
def full_collections_paused() -> Iterator[None]:
    """Hold off the garbage collector's full passes while a catalogue is built or validated.

    A full pass walks every object alive, and one runs each time the objects kept since the
    last one reach a quarter of the heap: loading 100,000 entries triggered thirteen, over a
    quarter of the load time. Parsing leaves no reference cycles to collect, so full passes
    wait until the load is over (the young generations are still collected as usual), and the
    next one walks the catalogue once.
    """
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, _NEVER)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, old)


#: A threshold the count of young collections never reaches in practice.
_NEVER = 1 << 30


def load_entry(path: Path) -> tuple[Entry | None, list[Diagnostic]]:
    """Read and parse one file; see `parse_entry`.

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
        return None, [_diag(display, 1, "unreadable", f"cannot read file: {exc.strerror}")]
    if size > MAX_FILE_BYTES:
        return None, [_too_large(display, data, size)]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [
            _diag(display, line, "not-utf8", "file is not UTF-8 text (save it with UTF-8 encoding)")
        ]
    return parse_entry(text, display, default_slug=path.stem)


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
        return None, [_diag(path, 1, "empty-file", "file is empty (run `graph-builder new`)")]
    size_problems = _size_problems(text, path)
    if size_problems:
        return None, size_problems
    # python-frontmatter's own boundary pattern, used directly because the split must keep offsets.
    opening = _BOUNDARY.match(text)
    if opening is None:
        return None, [
            _diag(path, 1, "no-frontmatter", "file does not start with a `---` frontmatter block")
        ]
    closing = _closing_boundary(text, opening.end())
    if closing is None:
        return None, [
            _diag(path, 1, "unclosed-frontmatter", "frontmatter has no closing `---` line")
        ]
    fm_text = text[opening.end() : closing.start()]
    offset = text.count("\n", 0, opening.end())
    body = text[closing.end() :]
    body_offset = text.count("\n", 0, closing.end())

    loader = _YAML_LOADER(fm_text)
    node: yaml.Node | None = None
    try:
        node = loader.get_single_node()
        meta = _construct(loader, node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = offset + (mark.line + 1 if mark else 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if (
            exc.context
            and exc.context_mark
            and exc.context_mark.line != (mark.line if mark else -1)
        ):
            problem += f" ({exc.context} that starts on line {offset + exc.context_mark.line + 1})"
        problem += _yaml_hint(problem)
        return None, [_diag(path, line, "yaml-syntax", f"YAML error in frontmatter: {problem}")]
    except yaml.reader.ReaderError as exc:
        line = offset + fm_text.count("\n", 0, max(exc.position, 0)) + 1
        char = exc.character
        code = ord(char) if isinstance(char, str) and len(char) == 1 else char
        found = f" (character U+{code:04X})" if isinstance(code, int) else ""
        problem = f"{exc.reason}{found}; delete it"
        return None, [_diag(path, line, "yaml-syntax", f"YAML error in frontmatter: {problem}")]
    except yaml.YAMLError as exc:
        return None, [_diag(path, offset + 1, "yaml-syntax", f"YAML error in frontmatter: {exc}")]
    except _CONSTRUCT_ERRORS:
        line = offset + _bad_value_line(node)
        return None, [
            _diag(
                path,
                line,
                "yaml-value",
                "YAML cannot build this value (an explicit `!!` tag that does not fit the text, "
                "a number YAML cannot read such as `0x_` or one of thousands of digits, or "
                "nesting too deep); write a plain value, or put it in quotes",
            )
        ]
    finally:
        loader.dispose()

    if not isinstance(meta, dict) or not isinstance(node, yaml.MappingNode):
        shape = "empty" if meta is None else f"a {type(meta).__name__}"
        line = offset + (node.start_mark.line + 1 if node is not None else 1)
        return None, [
            _diag(
                path,
                line,
                "frontmatter-not-mapping",
                f"frontmatter must be a mapping of `key: value` lines, but it is {shape}",
            )
        ]

    diagnostics: list[Diagnostic] = []
    lines: dict[str, int] = {}
    item_lines: dict[str, tuple[int, ...]] = {}
    for key_node, value_node in node.value:
        key_line = offset + key_node.start_mark.line + 1
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str) or key_node.tag != "tag:yaml.org,2002:str":
            diagnostics.append(
                _diag(
                    path,
                    key_line,
                    "invalid-key",
                    "this key is not a plain word (YAML read it as a number, date or list); "
                    "keys are words such as `name`",
                )
            )
            continue
        if key in lines:
            diagnostics.append(
                _diag(
                    path,
                    key_line,
                    "duplicate-key",
                    f"key `{key}` appears twice (first on line {lines[key]}); keep one",
                )
            )
            continue
        lines[key] = key_line
        if isinstance(value_node, yaml.SequenceNode):
            item_lines[key] = tuple(offset + item.start_mark.line + 1 for item in value_node.value)
    meta = {k: v for k, v in meta.items() if isinstance(k, str)}

    sections = parse_sections(body, body_offset)
    diagnostics += _body_problems(body, body_offset, sections, path)
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
        lines=lines,
        item_lines=item_lines,
    )
    return entry, diagnostics


def parse_sections(body: str, line_offset: int = 0) -> tuple[Section, ...]:
    """Split a Markdown body into its `## ` sections and parse each into its parts.

    `line_offset` is the number of file lines before the body, so every part keeps its real
    line. Headings inside fenced code blocks are not sections.
    """
    first = line_offset + 1
    if "```" in body or "~~~" in body or "\r" in body:
        return _sections_by_line(body, first)
    # Without fences and carriage returns every line is what it looks like, so a pattern finds
    # the headings in one pass over the text instead of a test per line. It is searched in the
    # body after a line break, so a match at `i` is a heading starting at `i` in the body.
    headings = list(_HEADING_LINE.finditer("\n" + body))
    sections: list[Section] = []
    number, position = first, 0
    for index, heading in enumerate(headings):
        number += body.count("\n", position, heading.start())
        position = heading.start()
        end = headings[index + 1].start() - 1 if index + 1 < len(headings) else len(body)
        chunk = body[heading.end() : end]
        sections.append(_section_from_text(heading.group(1), number, chunk, number + 1))
    return tuple(sections)


def _sections_by_line(body: str, first: int) -> tuple[Section, ...]:
    """`parse_sections` line by line, keeping track of fenced code blocks."""
    lines = body.split("\n")
    if "\r" in body:
        lines = [line.rstrip("\r") for line in lines]
    fences = "```" in body or "~~~" in body
    headings: list[tuple[int, str]] = []
    in_fence = False
    for index, line in enumerate(lines):
        if fences and _FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and line.startswith("##") and not line.startswith("###"):
            heading = _HEADING.match(line)
            if heading:
                headings.append((index, heading.group(1)))
    ends = [index for index, _ in headings[1:]] + [len(lines)]
    return tuple(
        _section(title, first + index, lines[index + 1 : end], first + index + 1, fences)
        for (index, title), end in zip(headings, ends, strict=False)
    )


def _section_from_text(title: str, line: int, chunk: str, first: int) -> Section:
    """`_section` for the text under a heading, with no fences or carriage returns in it.

    A line starting with a space or a tab may continue a list item, and any other line after
    the first item that is neither blank nor an item ends the list or continues an item lazily:
    those are left to `_section`. Otherwise the items are the lines a multiline pattern finds,
    the intro is the text before the first of them, and there is nothing after the list.
    """
    if "\n " in chunk or "\n\t" in chunk:
        return _section(title, line, chunk.split("\n"), first, False)
    searched = "\n" + chunk
    items: list[tuple[int, str]] = []
    intro_end = len(chunk)
    number, position = first, 0
    for match in _ITEM_LINE.finditer(searched):
        if not items:
            if _OTHER_LINE.search(searched, match.end()):
                return _section(title, line, chunk.split("\n"), first, False)
            intro_end = match.start()
        number += chunk.count("\n", position, match.start())
        position = match.start()
        items.append((number, match.group(1).strip()))
    return _section_parts(title, line, chunk.strip("\n"), chunk[:intro_end].strip(), items)


def _section(title: str, line: int, chunk: Sequence[str], first: int, fences: bool) -> Section:
    """One section from the lines under its heading; `first` is the line number of `chunk[0]`.

    The list runs from the first item to the first line that can be neither an item nor part of
    one: after a blank line, any line that is not indented; right after an item, a line that
    starts a block of its own (a heading, a quote, a rule, a numbered item, a fence). Other
    lines continue the item above them, indented or not, as Markdown reads them. What follows
    the list is the section's `outro`.
    """
    text = "\n".join(chunk).strip("\n")
    intro_lines: list[str] = []
    items: list[tuple[int, str]] = []
    outro, outro_line = "", 0
    in_fence = False
    after_blank = False
    for number, raw in enumerate(chunk, start=first):
        fence = fences and _FENCE.match(raw) is not None
        if fence:
            in_fence = not in_fence
        match = None if in_fence or not raw.startswith(_ITEM_MARKS) else _ITEM.match(raw)
        if match:
            items.append((number, match.group(1).strip()))
            after_blank = False
        elif not items:
            intro_lines.append(raw)
        elif not raw.strip():
            after_blank = True
        elif raw.startswith((" ", "\t")) or not (
            after_blank or fence or in_fence or _INTERRUPTS_ITEM.match(raw)
        ):
            number0, previous = items[-1]
            items[-1] = (number0, f"{previous} {raw.strip()}")
            after_blank = False
        else:
            index = number - first
            outro, outro_line = "\n".join(chunk[index:]).rstrip(), number
            break
    return _section_parts(
        title, line, text, "\n".join(intro_lines).strip(), items, outro, outro_line
    )


def _section_parts(
    title: str,
    line: int,
    text: str,
    intro: str,
    items: Sequence[tuple[int, str]],
    outro: str = "",
    outro_line: int = 0,
) -> Section:
    """The section with its list items read as moves, expressions or references."""
    moves: list[Move] = []
    expressions: list[Expression] = []
    references: list[Reference] = []
    for number, item in items:
        if title in ("Transfers", "Limits"):
            move = _MOVE.match(item)
            if move:
                moves.append(
                    Move(label=move["label"].strip(), text=move["text"].strip(), line=number)
                )
            else:
                moves.append(Move(label="", text=item, line=number))
        elif title == "Expressions":
            expr = _EXPRESSION.match(item)
            if expr:
                expressions.append(
                    Expression(
                        phrase=expr["phrase"].strip(), gloss=expr["gloss"].strip(), line=number
                    )
                )
            else:
                expressions.append(Expression(phrase=item, gloss="", line=number))
        elif title == "References":
            references.append(Reference(text=item, line=number))
    return Section(
        title=title,
        line=line,
        text=text,
        intro=intro,
        moves=tuple(moves),
        expressions=tuple(expressions),
        references=tuple(references),
        outro=outro,
        outro_line=outro_line,
    )


_YAML_HINTS = (
    ("mapping values are not allowed", "; a value containing `: ` must be put in quotes"),
    (
        "cannot start any token",
        "; put a value that starts with `@`, `%` or a backtick in quotes, and indent with "
        "spaces, not tabs",
    ),
    ("found undefined alias", "; a value starting with `*` must be put in quotes"),
    ("expected ',' or ']'", "; close the `[...]` list on the line it starts"),
)


def _closing_boundary(text: str, start: int) -> re.Match[str] | None:
    """The first boundary line after `start` (the end of the opening one), or None.

    The same match as the pattern's next one from `start`, found faster: a boundary starts a
    line, so only the places after a line break followed by `---` are tried.
    """
    found = text.find("\n---", start)
    while found != -1:
        boundary = _BOUNDARY.match(text, found + 1)
        if boundary is not None:
            return boundary
        found = text.find("\n---", found + 1)
    return None


def _yaml_hint(problem: str) -> str:
    """The usual fix for a YAML error a contributor is likely to meet, or nothing."""
    return next((hint for text, hint in _YAML_HINTS if text in problem), "")


def _bad_value_line(node: yaml.Node | None) -> int:
    """The 1-based frontmatter line of the first key or value that cannot be built alone."""
    if not isinstance(node, yaml.MappingNode):
        return node.start_mark.line + 1 if node is not None else 1
    for pair in node.value:
        for part in pair:
            probe = _YAML_LOADER("")
            try:
                probe.construct_document(part)
            except (yaml.YAMLError, *_CONSTRUCT_ERRORS):
                return int(part.start_mark.line) + 1
            finally:
                probe.dispose()
    return node.start_mark.line + 1


def _diag(
    path: str, line: int, rule: str, message: str, severity: Severity = Severity.ERROR
) -> Diagnostic:
    return Diagnostic(path=path, line=line, severity=severity, rule=rule, message=message)


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
                _diag(
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
    return _diag(
        path,
        line,
        "file-too-large",
        f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,} (passed on this line); "
        "an entry is a page of a few thousand words at most: shorten it, and cite long sources "
        "under `## References` instead of copying them",
    )


# --- text the page would not show -----------------------------------------------------------------

# A line of YAML as a contributor writes frontmatter: `key: value`, a list item, an indented
# continuation or a comment.
_YAML_KEY_LINE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]|$)")
_YAML_OTHER_LINE = re.compile(r"[ \t]+\S|-(?:[ \t]|$)|#")
_KNOWN_KEYS = frozenset(KNOWN_KEYS)


def _body_problems(
    body: str, body_offset: int, sections: Sequence[Section], path: str
) -> list[Diagnostic]:
    """What the body holds that no page shows: a second frontmatter block, text before the first
    section.

    A second `---` block of `key: value` lines (before the first section, or naming a key of the
    format anywhere) is an error: its keys look set but are not read. Any other text before the
    first `## ` heading is a warning at its first line: the page starts with the sections.
    """
    first = body_offset + 1
    head_end = sections[0].line if sections else first + body.count("\n") + 1
    problems: list[Diagnostic] = []
    covered: set[int] = set()
    if "---" in body:
        for start, end, keys in _yaml_blocks(body, first):
            if start >= head_end and not _KNOWN_KEYS.intersection(keys):
                continue
            covered.update(range(start, end + 1))
            named = ", ".join(f"`{key}`" for key in keys)
            problems.append(
                _diag(
                    path,
                    start,
                    "second-frontmatter",
                    f"a second frontmatter block (lines {start}-{end}, keys {named}) is not "
                    "read: only the block at the top of the file is; move its keys into the "
                    "first block and delete this one",
                )
            )
    lines = body.split("\n", head_end - first)[: head_end - first]
    for number, line in enumerate(lines, start=first):
        if line.strip() and number not in covered:
            problems.append(
                _diag(
                    path,
                    number,
                    "text-before-sections",
                    "text before the first `## ` section is not shown on the page; move it "
                    "under `## Transfers` (its opening paragraph) or into the section it "
                    "belongs to, or delete it",
                    Severity.WARNING,
                )
            )
            break
    return problems


def _yaml_blocks(body: str, first: int) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    """Each `---` ... `---` block of the body (outside code fences) holding only YAML lines and
    at least one key: its first and last line and its keys."""
    lines = body.split("\n")
    in_fence = False
    start: int | None = None
    keys: list[str] = []
    for index, raw in enumerate(lines):
        line = raw.rstrip("\r")
        if _FENCE.match(line):
            in_fence, start = not in_fence, None
            continue
        if in_fence:
            continue
        if _BOUNDARY_LINE.fullmatch(line):
            if start is not None and keys:
                yield first + start, first + index, tuple(keys)
                start = None
            else:
                start, keys = index, []
            continue
        if start is None or not line.strip():
            continue
        key = _YAML_KEY_LINE.match(line)
        if key:
            keys.append(key.group(1))
        elif not _YAML_OTHER_LINE.match(line):
            start = None


_BOUNDARY_LINE = re.compile(r"-{3,}[ \t]*")


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


def meta_items(meta: Mapping[str, Any], key: str) -> list[Any]:
    """The raw list items of a key (a lone scalar counts as one item)."""
    value = meta.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
