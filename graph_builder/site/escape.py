"""Contributor text -> Markdown, HTML and JSON that can only render as text, for every page.

Entry text is untrusted. Nothing a contributor wrote reaches a page as Markdown or HTML syntax:
`markdown_inline` and `markdown_block` turn contributor prose into Markdown that can only render
as text (HTML-significant and link/attribute-significant characters become character
references), while keeping emphasis, lists and paragraphs. Everything else on a page (facts,
summary, neighbour lists, tags, credits) is HTML we write, with `html.escape` on every value and
URLs computed by `urls.href`. Pages are written for MkDocs with `use_directory_urls`, the
`attr_list` extension (for our own heading anchors) and Material's raw use of `page.meta.title`
and `page.meta.description`, which are therefore pre-escaped."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from typing import Any

from graph_builder.core.text import strip_invisible

__all__ = [
    "front_matter",
    "html_text",
    "markdown_block",
    "markdown_inline",
    "name_html",
    "name_markdown",
    "script_json",
    "script_json_text",
    "script_safe",
]

# Contributor prose keeps exactly two kinds of Markdown syntax: the emphasis markers `*` and `_`,
# and the line-start markers `markdown_block` writes back itself. Every other ASCII punctuation
# character becomes a numeric character reference, which every Markdown engine shows as the
# character and never parses. Markdown syntax is made of ASCII punctuation, so what the engine
# can build from such text is closed: emphasis and strong, nothing else. This is an allowlist
# (what may stay live), not a list of dangerous characters: a construct we have not thought of
# (an extension's `:emoji:`, `==mark==`, `^^ins^^`, a link or attribute list) has nothing to
# start from. Letters, digits, spaces and non-ASCII text pass as they are.
_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_EMPHASIS = "*_"


def _references_for(characters: Iterable[str]) -> dict[int, str]:
    return {ord(c): f"&#{ord(c)};" for c in characters}


# Characters a `str.translate` table maps to themselves. The result is the same as leaving
# them out, but a character missing from the table costs translate a failed lookup (a raised
# and cleared KeyError), which was most of its time on prose: with the ASCII, Latin-1 and
# general punctuation (dashes, quotes) characters present, escaping runs two to three times
# faster. `_table` lets every replacement win over the identity.
_COMMON = (*range(0x100), *range(0x2000, 0x2070))


def _table(replacements: dict[int, str]) -> dict[int, str]:
    return {code: chr(code) for code in _COMMON} | replacements


_INLINE_TABLE = _table(_references_for(c for c in _PUNCTUATION if c not in _EMPHASIS))
# Inside a code span and a URL's visible text nothing is parsed: emphasis markers too.
_LITERAL_TABLE = _table(_references_for(_PUNCTUATION))
# What would open a block (list item, numbered item, code fence, rule, setext line) when it starts
# a line; its first character is escaped so a summary such as "- a" or "1. a" stays a paragraph.
_BLOCK_START = re.compile(
    r"^(?:[-+*](?=[ \t]|$)|\d+[.)](?=[ \t]|$)|~{3,}|[-_*](?:[ \t]*[-_*]){2,}[ \t]*$|=+[ \t]*$)"
)
# Inline code spans and bare web addresses; everything else in a line is plain text.
_INLINE_TOKENS = re.compile(
    r"(?P<code>(?P<ticks>`+)(?P<code_text>.+?)(?<!`)(?P=ticks)(?!`))"
    r"|(?P<url>https?://[^\s<>\"'`\[\]{}|\\^]+)"
)
_URL_TRAILING = ".,;:!?'\")"
# The Markdown that contributor prose may keep at the start of a line: list markers, quotes,
# and sub-headings below the section level.
_LINE_MARKER = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>(?:>[ \t]?)*(?:[-+*][ \t]+|\d{1,9}[.)][ \t]+|#{3,6}[ \t]+)?)"
)
_MAX_INDENT = 3
_SETEXT = re.compile(r"^[ \t]*(?:=+|-+)[ \t]*$")


_clean = strip_invisible


# What `_INLINE_TABLE` replaces, one character to one reference, and a pattern that splits a
# text at each of them (the captured characters land at the odd indexes).
_INLINE_REFERENCES = {chr(code): ref for code, ref in _INLINE_TABLE.items() if ref != chr(code)}
_INLINE_SPLIT = re.compile(f"([{re.escape(''.join(_INLINE_REFERENCES))}])")


def _escape_plain(text: str) -> str:
    """`text.translate(_INLINE_TABLE)`, computed as the text split at the characters it replaces:
    prose is mostly letters, which translate still looks up one by one, so this takes about
    half the time."""
    parts = _INLINE_SPLIT.split(text)
    parts[1::2] = [_INLINE_REFERENCES[c] for c in parts[1::2]]
    return "".join(parts)


def _inline_tokens(text: str) -> str:
    """Escape one line of contributor text, turning code spans and web addresses into our HTML."""
    if "`" not in text and "http" not in text:
        # Most lines have neither a code span (it needs a backtick) nor a web address (it
        # starts with "http"), so there is no token to look for.
        return _escape_plain(text)
    out: list[str] = []
    pos = 0
    for match in _INLINE_TOKENS.finditer(text):
        if match["code"] is not None:
            out.append(_escape_plain(text[pos : match.start()]))
            out.append(f"<code>{match['code_text'].strip().translate(_LITERAL_TABLE)}</code>")
            pos = match.end()
            continue
        url = match["url"]
        stripped = url.rstrip(_URL_TRAILING)
        # Keep a closing parenthesis that balances one inside the address (Wikipedia style).
        while (
            len(stripped) < len(url)
            and url[len(stripped)] == ")"
            and (stripped.count("(") > stripped.count(")"))
        ):
            stripped += ")"
        if len(stripped) <= len("https://"):
            continue
        out.append(_escape_plain(text[pos : match.start()]))
        href = html.escape(stripped, quote=True)
        out.append(f'<a href="{href}" rel="nofollow">{stripped.translate(_LITERAL_TABLE)}</a>')
        pos = match.start() + len(stripped)
    out.append(_escape_plain(text[pos:]))
    return "".join(out)


def _guard_line_start(escaped: str) -> str:
    if _BLOCK_START.match(escaped) is None:
        return escaped
    return f"&#{ord(escaped[0])};{escaped[1:]}"


def markdown_inline(text: str) -> str:
    """Contributor text -> one line of Markdown that renders as that text.

    Whitespace (newlines included) collapses to single spaces, so the result can sit anywhere
    in a line: a heading, a list item, a link's text. `*emphasis*` and `` `code` `` still work;
    raw HTML, links, images, attribute lists and headings cannot be formed. Web addresses
    become links we write ourselves (http and https only).

    Examples:
        >>> markdown_inline('<b onclick="x">[a](javascript:b)</b>')
        '&#60;b onclick&#61;&#34;x&#34;&#62;&#91;a&#93;&#40;javascript&#58;b&#41;&#60;&#47;b&#62;'
        >>> markdown_inline("- looks like a list")
        '&#45; looks like a list'
    """
    return _guard_line_start(_inline_tokens(" ".join(_clean(text).split())))


def markdown_block(text: str) -> str:
    """Contributor prose (several lines) -> Markdown that renders as that prose.

    Paragraphs, list items, block quotes and `###` sub-headings survive; every other character
    goes through the same escaping as `markdown_inline`. A line of `=` or `-` that would turn
    the previous paragraph into a heading is separated from it by a blank line.
    """
    lines: list[str] = []
    for raw in _clean(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if _SETEXT.match(line):
            lines.extend(("", "---" if "-" in line else _escape_plain(line.strip())))
            continue
        match = _LINE_MARKER.match(line)
        assert match is not None  # the pattern matches the empty string
        # Space after a quote marker and indentation past three columns would open an indented
        # code block: continuation lines keep up to three spaces, which is all they need.
        rest = line[match.end() :].lstrip(" \t")
        marker = match["marker"]
        escaped = _inline_tokens(rest)
        if not marker:
            escaped = _guard_line_start(escaped)
        indent = " " * min(len(match["indent"].expandtabs(4)), _MAX_INDENT)
        lines.append(f"{indent}{marker}{escaped}")
    return "\n".join(lines).strip("\n")


def name_html(name: str) -> str:
    """An entry's name in our HTML, isolated with `<bdi>`.

    A name in a right-to-left script, or one that smuggles a direction override past `check`,
    would otherwise reorder the text beside it: the score after a neighbour's link, the comma
    before the next name.
    """
    return f"<bdi>{html_text(name)}</bdi>"


def name_markdown(name: str) -> str:
    """An entry's name in page Markdown (a heading, a link's text), isolated as `name_html`."""
    return f"<bdi>{markdown_inline(name)}</bdi>"


_HTML_TABLE = _table(str.maketrans({"[": "&#91;", "]": "&#93;"}))


def html_text(text: str) -> str:
    """Text for our own HTML: element content or a double-quoted attribute value.

    Brackets are character references too, so the text stays text even where an engine reads
    the HTML block as Markdown (`graph-builder generate` writes pages for any engine).
    """
    return html.escape(_clean(text), quote=True).translate(_HTML_TABLE)


def _meta_value(text: str) -> str:
    """A value Material prints unescaped into HTML (`page.meta.title`, `.description`).

    HTML-escaped and then made pure ASCII with character references, so the YAML front matter
    holding it is a plain JSON string whatever the text contains.
    """
    escaped = html.escape(" ".join(_clean(text).split()), quote=True)
    return escaped.encode("ascii", "xmlcharrefreplace").decode("ascii")


def front_matter(*, title: str | None, description: str = "") -> str:
    """The YAML front matter of a generated page (JSON strings are valid YAML scalars).

    Without a title (the home page), Material's window title is the site's name alone rather
    than "name - name".
    """
    lines = ["---"]
    if title is not None:
        lines.append(f"title: {json.dumps(_meta_value(title))}")
    if description:
        lines.append(f"description: {json.dumps(_meta_value(description))}")
    lines.append("---")
    return "\n".join(lines) + "\n"


_SCRIPT_ESCAPES = _table(
    str.maketrans(
        {
            "<": "\\u003c",
            ">": "\\u003e",
            "&": "\\u0026",
            "\u2028": "\\u2028",
            "\u2029": "\\u2029",
        }
    )
)


#: The characters `_SCRIPT_ESCAPES` replaces.
_SCRIPT_SPECIALS = "".join(chr(c) for c, ref in _SCRIPT_ESCAPES.items() if ref != chr(c))


def script_json(data: Any) -> str:
    """JSON that is safe inside `<script type="application/json">` and stable from run to run.

    `<`, `>` and `&` only ever occur inside JSON strings, where `\\u003c`-style escapes mean the
    same characters; escaping them means contributor text such as `</script>` or `<!--` cannot
    end the script element or start a comment, and the parsed data is unchanged.

    >>> script_json({"name": "</script><!--"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    return script_safe(script_json_text(data))


#: `json.dumps` with `script_json`'s options, built once.
script_json_text = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
).encode


def script_safe(json_text: str) -> str:
    """JSON text, as `script_json_text` writes it, made safe inside a script element: what
    `script_json` does after encoding, for JSON assembled from pieces it encoded."""
    if not any(c in json_text for c in _SCRIPT_SPECIALS):
        return json_text  # each test is a fast scan; the translation looks at every character
    return json_text.translate(_SCRIPT_ESCAPES)
