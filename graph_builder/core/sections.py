"""An entry's Markdown body -> its `## ` sections (intro, list items read as moves, expressions
or references, outro), each part at its file line, and the text in it no page would show."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from graph_builder.core.model import (
    KNOWN_KEYS,
    Diagnostic,
    Expression,
    Move,
    Reference,
    Section,
    Severity,
    diagnostic,
)

__all__ = ["FENCE", "body_problems", "parse_sections"]

_HEADING = re.compile(r"^##\s+(.+?)\s*#*\s*$")
#: A line that opens or closes a fenced code block.
FENCE = re.compile(r"^\s*(```|~~~)")
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
        if fences and FENCE.match(line):
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
        fence = fences and FENCE.match(raw) is not None
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


# --- text the page would not show -----------------------------------------------------------------

# A line of YAML as a contributor writes frontmatter: `key: value`, a list item, an indented
# continuation or a comment.
_YAML_KEY_LINE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]|$)")
_YAML_OTHER_LINE = re.compile(r"[ \t]+\S|-(?:[ \t]|$)|#")
_KNOWN_KEYS = frozenset(KNOWN_KEYS)


def body_problems(
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
                diagnostic(
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
                diagnostic(
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
        if FENCE.match(line):
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
