"""Entry + neighbours -> the Markdown of one entry page, and the escaping rules every page uses.

Entry text is untrusted. Nothing a contributor wrote reaches a page as Markdown or HTML syntax:
`markdown_inline` and `markdown_block` turn contributor prose into Markdown that can only render
as text (HTML-significant and link/attribute-significant characters become character
references), while keeping emphasis, lists and paragraphs. Everything else on a page (facts,
summary, neighbour lists, tags, credits) is HTML we write, with `html.escape` on every value and
URLs computed by `href`. Pages are written for MkDocs with `use_directory_urls`, the `attr_list`
extension (for our own heading anchors) and Material's raw use of `page.meta.title` and
`page.meta.description`, which are therefore pre-escaped.

The site-wide lookups an entry page needs (who links here, who has it as a neighbour, which
entries carry a tag) are computed once in `SiteIndex`, so rendering N pages stays O(N)."""

from __future__ import annotations

import functools
import html
import json
import posixpath
import re
import urllib.parse
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph_builder.core.model import Entry, Section, first_by_slug
from graph_builder.analysis.neighbours import Neighbour, NeighbourLists
from graph_builder.core.slugs import FACET_FOLDERS, uri_slug
from graph_builder.core.text import strip_invisible
from graph_builder.core.vocabulary import Term, Vocabulary, parent_of

__all__ = [
    "LostBlocksError",
    "SiteIndex",
    "SiteOptions",
    "entry_link",
    "entry_uri",
    "facet_uri",
    "front_matter",
    "hold_out_blocks",
    "href",
    "html_text",
    "humanize",
    "link",
    "markdown_block",
    "markdown_inline",
    "name_html",
    "name_markdown",
    "page_url",
    "render_entry_page",
    "restore_blocks",
    "script_json",
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


_INLINE_TABLE = _references_for(c for c in _PUNCTUATION if c not in _EMPHASIS)
# Inside a code span and a URL's visible text nothing is parsed: emphasis markers too.
_LITERAL_TABLE = _references_for(_PUNCTUATION)
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
_CLAIM = re.compile(r"^\[(?P<prefix>[A-Za-z]+)\]\s*(?P<text>.*)$", re.S)


_clean = strip_invisible


def _escape_plain(text: str) -> str:
    return text.translate(_INLINE_TABLE)


def _inline_tokens(text: str) -> str:
    """Escape one line of contributor text, turning code spans and web addresses into our HTML."""
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


_HTML_TABLE = str.maketrans({"[": "&#91;", "]": "&#93;"})


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


def front_matter(*, title: str, description: str = "") -> str:
    """The YAML front matter of a generated page (JSON strings are valid YAML scalars)."""
    lines = ["---", f"title: {json.dumps(_meta_value(title))}"]
    if description:
        lines.append(f"description: {json.dumps(_meta_value(description))}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def script_json(value: Any) -> str:
    """JSON safe to place inside a `<script>` element: `<`, `>`, `&` and U+2028/9 are escaped.

    Examples:
        >>> script_json({"name": "</script><b>"})
        '{"name": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, code)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def humanize(slug: str) -> str:
    """`mathematical-reasoning` -> `Mathematical reasoning`, for free-form domain slugs."""
    words = slug.replace("_", "-").split("-")
    text = " ".join(w for w in words if w)
    return text[:1].upper() + text[1:] if text else slug


def entry_uri(slug: str) -> str:
    """The source URI of an entry page (served at `/entries/<slug>/`)."""
    return f"entries/{uri_slug(slug)}.md"




def facet_uri(facet: str, value: str) -> str:
    """The source URI of a facet page; a relation subtype lives on its parent's page."""
    if facet == "relation_types":
        value = parent_of(value)
    return f"{FACET_FOLDERS[facet]}/{uri_slug(value)}.md"


def link(from_uri: str, to_uri: str, anchor: str = "") -> str:
    """A relative Markdown link target from one generated page to another (MkDocs checks it)."""
    target = posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")
    return f"{target}#{anchor}" if anchor else target


def page_url(uri: str) -> str:
    """Where MkDocs serves a source URI with directory URLs: `entries/x.md` -> `entries/x/`."""
    stem = uri.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/" if stem.endswith("/index") else stem + "/"


def href(from_uri: str, to_uri: str, anchor: str = "") -> str:
    """A relative URL from one generated page to another, for HTML we write (escaped).

    MkDocs rewrites Markdown links but not raw HTML, so these are the final URLs, as MkDocs
    would write them with `use_directory_urls` (`entries/a.md` -> `../b/` for `entries/b.md`).

    Examples:
        >>> href("entries/a.md", "patterns/link.md", "x")
        '../../patterns/link/#x'
        >>> href("entries/a.md", "entries/b.md")
        '../b/'
    """
    here = page_url(from_uri)
    target = page_url(to_uri)
    if not here.endswith("/") or target.startswith(here):
        return _relative_url(here, target, anchor)
    # Every link of a page below its own folder starts with "../": one cached computation per
    # folder and target, instead of one per page.
    folder = here[: here.rstrip("/").rfind("/") + 1]
    return "../" + _relative_url(folder, target, anchor)


@functools.lru_cache(maxsize=65536)
def _relative_url(here: str, target: str, anchor: str) -> str:
    source = here.split("/")[:-1]
    parts = target.split("/")[:-1]
    common = 0
    while common < min(len(source), len(parts)) and source[common] == parts[common]:
        common += 1
    url = "../" * (len(source) - common) + "".join(f"{part}/" for part in parts[common:])
    if anchor:
        url += f"#{anchor}"
    return html.escape(url or "./", quote=True)


def subtype_anchor(tag: str) -> str:
    """A relation tag's anchor on its parent's page: `transform/refinement` -> `refinement`."""
    return uri_slug(tag.split("/", 1)[1]) if "/" in tag else uri_slug(tag)


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteOptions:
    """What a site build may vary besides the entries: from the plugin config or the CLI.

    Attributes:
        edit_url: base URL an entry's file name is appended to for its "Edit this entry" link,
            e.g. `https://example.org/atlas/edit/main/entries/`; empty means no link.
        featured: slug of the entry the home page features (skipped when it does not exist).
        contributing: the Markdown of CONTRIBUTING.md, published as the Contribute page
            (empty: no such page).
        site_name: the site's name (MkDocs' `site_name`), the title of the open data files.
        description: the site's one-line summary (`site_description`), quoted by llms.txt.
        site_url: the site's address (`site_url`); the open data files link absolutely under
            it, and relative to the site root without it.
        open_data: publish the open data files (`feeds.open_data_files`: the Atom feed,
            llms.txt, GraphML and GEXF) beside the pages.
    """

    edit_url: str = ""
    featured: str = "rupture-and-repair"
    contributing: str = ""
    site_name: str = "Mental Model Atlas"
    description: str = (
        "A catalogue of mental models and their structural neighbours across domains."
    )
    site_url: str = ""
    open_data: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteIndex:
    """Every site-wide lookup the pages need, computed once from the catalogue.

    Attributes:
        entries: the catalogue sorted by slug.
        by_slug: entry of each slug.
        neighbours: neighbour lists of each slug.
        related_by: slugs of the entries that list a slug under `related`, sorted.
        neighbour_of: slugs of the entries that have a slug among their neighbours, sorted.
        tagged: facet key -> tag -> slugs carrying it (relation subtypes under their full tag).
    """

    entries: tuple[Entry, ...]
    vocabulary: Vocabulary
    by_slug: Mapping[str, Entry]
    neighbours: Mapping[str, NeighbourLists]
    related_by: Mapping[str, tuple[str, ...]]
    neighbour_of: Mapping[str, tuple[str, ...]]
    tagged: Mapping[str, Mapping[str, tuple[str, ...]]]

    @classmethod
    def build(
        cls,
        entries: Iterable[Entry],
        vocabulary: Vocabulary,
        neighbours: Mapping[str, NeighbourLists],
    ) -> SiteIndex:
        """Index a catalogue in one pass over its entries and one over its neighbour lists."""
        by_slug = first_by_slug(entries)
        related_by: defaultdict[str, set[str]] = defaultdict(set)
        tagged: dict[str, defaultdict[str, set[str]]] = {
            facet: defaultdict(set) for facet in FACET_FOLDERS
        }
        for entry in by_slug.values():
            for other in entry.related:
                if other != entry.slug:
                    related_by[other].add(entry.slug)
            for facet, values in _facet_values(entry).items():
                for value in values:
                    tagged[facet][value].add(entry.slug)
        neighbour_of: defaultdict[str, set[str]] = defaultdict(set)
        for slug, lists in neighbours.items():
            for item in (*lists.cross_domain, *lists.same_domain):
                neighbour_of[item.slug].add(slug)
        return cls(
            entries=tuple(by_slug.values()),
            vocabulary=vocabulary,
            by_slug=by_slug,
            neighbours=neighbours,
            related_by={k: tuple(sorted(v)) for k, v in related_by.items()},
            neighbour_of={k: tuple(sorted(v)) for k, v in neighbour_of.items()},
            tagged={
                facet: {k: tuple(sorted(v)) for k, v in values.items()}
                for facet, values in tagged.items()
            },
        )

    def name_of(self, slug: str) -> str:
        entry = self.by_slug.get(slug)
        return display_name(entry) if entry else slug

    def by_name(self, slugs: Iterable[str]) -> list[Entry]:
        """The entries of these slugs (unknown ones skipped), in A–Z order of their names."""
        found = [self.by_slug[s] for s in slugs if s in self.by_slug]
        return sorted(found, key=name_key)


def _facet_values(entry: Entry) -> dict[str, tuple[str, ...]]:
    return {
        "kind": (entry.kind,) if entry.kind else (),
        "source_frame": (entry.source_frame,) if entry.source_frame else (),
        "categories": tuple(dict.fromkeys(entry.categories)),
        "embodied_patterns": tuple(dict.fromkeys(entry.embodied_patterns)),
        "relation_types": tuple(dict.fromkeys(entry.relation_types)),
        "structure": tuple(dict.fromkeys(entry.structure)),
        "abstraction_level": (entry.abstraction_level,) if entry.abstraction_level else (),
    }


def display_name(entry: Entry) -> str:
    """The name to show for an entry (its slug when the name is missing)."""
    return entry.name or entry.slug


def name_key(entry: Entry) -> tuple[str, str]:
    """A–Z order: by name ignoring case and leading punctuation, then by slug."""
    name = display_name(entry).casefold()
    return (name.lstrip("\"'“‘([*_ ") or name, entry.slug)


def term_title(terms: Mapping[str, Term], value: str) -> str:
    term = terms.get(value)
    return term.title if term else value


#: Marks a block Material's search leaves out: lists of other entries' names would make every
#: entry a search hit for its neighbours' names, and would double the index for nothing.
SEARCH_EXCLUDE = "data-search-exclude"

# What a generated page holds out of Markdown and search: our search-excluded list blocks,
# their tags on lines of their own; the graph blocks of graphs.py, one line of our own HTML from
# `<section class="mma-graph …" data-search-exclude>` to the `</section>` that ends the line; the
# SVG drawings of insight_pages.py, one line from `<div class="gb-insight-graph-wrap"
# data-search-exclude>` to its `</div>`; and the data of a graph, a `<script>` element of escaped
# JSON. No contributor line can start with `<`, no contributor text can form `<script` or
# `</script` (both escaped), and escaped text cannot put a line break right after one of our
# closing tags, so nothing else matches.
_HELD_BLOCK = re.compile(
    rf'^<(ol|ul) class="gb-[a-z-]+" {SEARCH_EXCLUDE}>\n.*?\n</\1>$'
    rf'|^<section class="mma-graph [^"\n]*" {SEARCH_EXCLUDE}[^\n]*</section>$'
    rf'|^<div class="gb-insight-graph-wrap" {SEARCH_EXCLUDE}>[^\n]*</div>$'
    r'|<script type="application/json" class="mma-graph__data">[^\n]*?</script>',
    re.MULTILINE | re.DOTALL,
)
_HELD_MARK = re.compile(r"<!--gb-held-(\d+)-->")


def hold_out_blocks(markdown: str) -> tuple[str, list[str]]:
    """Swap each search-excluded block of a generated page for a placeholder comment.

    Why: these blocks (neighbour, referenced-by and facet lists, graph blocks and drawings, an
    entry graph's inline data) are most of a page's tags and bytes, and a Markdown engine only
    passes them through, after parsing them as HTML twice; the search indexer then parses them a
    third time only to skip them. The plugin renders the page with placeholders and puts the
    blocks back into the finished HTML with `restore_blocks`, which gives the same HTML and the
    same search index as rendering the page as written (each block's outermost tag carries
    `data-search-exclude` and has no descendant of its own tag name, so Material's indexer,
    which ends an exclusion at the first closing tag of that name, skips all of it).
    """
    blocks: list[str] = []

    def hold(match: re.Match[str]) -> str:
        blocks.append(match.group(0))
        return f"<!--gb-held-{len(blocks) - 1}-->"

    return _HELD_BLOCK.sub(hold, markdown), blocks


class LostBlocksError(Exception):
    """A page came back from Markdown (and other plugins) without some of its held blocks."""


def restore_blocks(html_text: str, blocks: Sequence[str]) -> str:
    """Put back the blocks `hold_out_blocks` took out, in place of their placeholders.

    Each placeholder must come back exactly once: a Markdown extension or another plugin that
    drops or copies HTML comments would otherwise make a neighbour list or a graph vanish, or
    appear twice, without a word. Raises `LostBlocksError` naming the blocks that did not.
    """
    if not blocks:
        return html_text
    seen = [0] * len(blocks)

    def put_back(match: re.Match[str]) -> str:
        number = int(match.group(1))
        if number >= len(blocks):
            return match.group(0)
        seen[number] += 1
        return blocks[number]

    restored = _HELD_MARK.sub(put_back, html_text)
    wrong = [n for n, count in enumerate(seen) if count != 1]
    if wrong:
        first = blocks[wrong[0]].split("\n", 1)[0][:80]
        raise LostBlocksError(
            f"{len(wrong)} of {len(blocks)} held blocks did not come back exactly once "
            f"(the first begins {first!r}); a Markdown extension or plugin that removes or "
            "repeats HTML comments runs before graph-builder restores them"
        )
    return restored


# Structural tags are shown as the tags contributors write, so the reasons read like the data.
_TAG_FACETS = frozenset({"embodied_patterns", "relation_types", "structure", "abstraction_level"})


def _a(here: str, to_uri: str, label: str, anchor: str = "") -> str:
    """Our own link: escaped label, a relative URL we computed, no contributor-chosen target."""
    return f'<a href="{href(here, to_uri, anchor)}">{html_text(label)}</a>'


def _term_label(index: SiteIndex, facet: str, value: str) -> str:
    if facet == "source_frame":
        return humanize(value)
    if facet in _TAG_FACETS:
        return value
    return term_title(index.vocabulary.facet(facet), value)


def _term_link(index: SiteIndex, here: str, facet: str, value: str) -> str:
    anchor = subtype_anchor(value) if facet == "relation_types" and "/" in value else ""
    return _a(here, facet_uri(facet, value), _term_label(index, facet, value), anchor)


def entry_link(here: str, entry: Entry) -> str:
    """An HTML link to an entry page, its name as the text."""
    return f'<a href="{href(here, entry_uri(entry.slug))}">{name_html(display_name(entry))}</a>'


def _claims(claims: Sequence[str]) -> list[str]:
    """The frontmatter claims as one boxed paragraph, a line each, the prefix as a label."""
    lines = []
    for claim in claims:
        match = _CLAIM.match(claim.strip())
        if match:
            prefix = html_text(match["prefix"].lower())
            lines.append(f'<span class="gb-claim">{prefix}</span> {html_text(match["text"])}')
        else:
            lines.append(html_text(claim))
    # A line each: Python-Markdown's HTML block parser slows with every end tag on one line.
    joined = "<br>\n".join(lines)
    return [f'<p class="gb-claims">{joined}</p>', ""] if lines else []


def _moves_section(section: Section | None, claims: Sequence[str]) -> list[str]:
    out = _claims(claims)
    if section is None:
        return out
    if section.intro:
        out += [markdown_block(section.intro), ""]
    for move in section.moves:
        text = markdown_inline(_dashes(move.text)) if move.text else ""
        if move.label:
            label = markdown_inline(move.label)
            out.append(f"- **{label}** — {text}" if text else f"- **{label}**")
        else:
            out.append(f"- {text}")
    if section.moves:
        out.append("")
    if not section.intro and not section.moves and section.text:
        out += [markdown_block(section.text), ""]
    return out + _outro(section)


def _expressions(section: Section | None) -> list[str]:
    if section is None:
        return []
    out: list[str] = []
    if section.intro:
        out += [markdown_block(section.intro), ""]
    for expression in section.expressions:
        phrase = markdown_inline(expression.phrase)
        if expression.gloss:
            out.append(f"- “{phrase}” — {markdown_inline(_dashes(expression.gloss))}")
        else:
            out.append(f"- “{phrase}”")
    if section.expressions:
        out.append("")
    return out + _outro(section)


def _outro(section: Section) -> list[str]:
    """What a section holds after its list (a paragraph, a `###` sub-heading, another list),
    escaped as the intro is."""
    return [markdown_block(section.outro), ""] if section.outro else []


def _dashes(text: str) -> str:
    """The format's ASCII ` -- ` separator, shown as the dash it stands for."""
    return text.replace(" -- ", " — ")


def _references(section: Section | None) -> list[str]:
    if section is None:
        return []
    out: list[str] = []
    if section.intro:
        out += [markdown_block(section.intro), ""]
    out += [f"- {markdown_inline(_dashes(ref.text))}" for ref in section.references]
    if section.references:
        out.append("")
    return out + _outro(section)


def _bar(total: float) -> str:
    """The score as a number and a small bar: one element, the bar drawn by CSS from `--score`."""
    percent = f"{max(0.0, min(1.0, total)) * 100:.1f}"
    score = f"{total:.3f}"
    return (
        f'<span class="gb-score" style="--score: {percent}%" '
        f'title="structural similarity {score}">{score}</span>'
    )


def _sibling_pair(pair: tuple[str, str], entry: Entry) -> tuple[str, str]:
    """Order a sibling pair as (this entry's tag, the neighbour's tag) whichever way it came."""
    first, second = pair
    if first not in entry.relation_types and second in entry.relation_types:
        return second, first
    return first, second


def _reasons(index: SiteIndex, here: str, entry: Entry, item: Neighbour) -> str:
    """Why two entries are neighbours: shared patterns and relations as links, then the rest."""
    score = item.score
    parts = [_term_link(index, here, "embodied_patterns", p) for p in score.shared_patterns]
    parts += [_term_link(index, here, "relation_types", r) for r in score.shared_relations]
    for pair in score.sibling_relations:
        mine, theirs = _sibling_pair(pair, entry)
        mine_link = _term_link(index, here, "relation_types", mine)
        theirs_link = _term_link(index, here, "relation_types", theirs)
        parts.append(f"{mine_link} ~ {theirs_link} (siblings)")
    parts += [html_text(s) for s in score.shared_structures]
    if score.level_match and entry.abstraction_level:
        parts.append(f"same level ({html_text(entry.abstraction_level)})")
    return " · ".join(parts) if parts else "no shared tags"


def _neighbour_list(index: SiteIndex, here: str, entry: Entry, items: Sequence[Neighbour]) -> str:
    rows: list[str] = []
    for item in items:
        other = index.by_slug.get(item.slug)
        if other is None:
            continue
        domain = humanize(other.source_frame) if other.source_frame else "no source domain"
        kind = term_title(index.vocabulary.kinds, other.kind)
        rows.append(
            f"<li>{entry_link(here, other)} · {html_text(domain)} · {html_text(kind)} "
            f"{_bar(item.score.total)}<br>Shared: {_reasons(index, here, entry, item)}</li>"
        )
    if not rows:
        return "<p>None above the similarity threshold.</p>"
    return f'<ol class="gb-neighbours" {SEARCH_EXCLUDE}>\n' + "\n".join(rows) + "\n</ol>"


def _neighbours_section(
    index: SiteIndex, here: str, entry: Entry, graph_block: str = ""
) -> list[str]:
    out = ["## Structural neighbours", ""]
    if graph_block:
        # The neighbourhood graph (graphs.entry_graph_block): one line of our own HTML.
        out += [graph_block, ""]
    if not entry.has_structure:
        text = "This entry has no structural tags yet, so it has no structural neighbours."
        return [*out, f"<p>{text}</p>", ""]
    lists = index.neighbours.get(entry.slug, NeighbourLists())
    out += ["### Across domains", "", _neighbour_list(index, here, entry, lists.cross_domain), ""]
    where = humanize(entry.source_frame) if entry.source_frame else "the same domain"
    out += [f"### Within {markdown_inline(where)}", ""]
    out += [_neighbour_list(index, here, entry, lists.same_domain), ""]
    return out


def _html_list(items: Sequence[str], css: str) -> str:
    rows = "\n".join(f"<li>{item}</li>" for item in items)
    return f'<ul class="{css}" {SEARCH_EXCLUDE}>\n{rows}\n</ul>'


def _related_section(index: SiteIndex, here: str, entry: Entry) -> list[str]:
    if not entry.related:
        return []
    items = []
    for slug in dict.fromkeys(entry.related):
        other = index.by_slug.get(slug)
        if other is not None:
            items.append(entry_link(here, other))
        else:
            items.append(f'{html_text(slug)} <span class="gb-missing">not yet written</span>')
    return ["## Related entries", "", _html_list(items, "gb-related"), ""]


def _referenced_by_section(index: SiteIndex, here: str, entry: Entry) -> list[str]:
    related = index.by_name(index.related_by.get(entry.slug, ()))
    neighbour = index.by_name(index.neighbour_of.get(entry.slug, ()))
    items = []
    if related:
        items.append("Listed as related by: " + ", ".join(entry_link(here, e) for e in related))
    if neighbour:
        names = ", ".join(entry_link(here, e) for e in neighbour)
        items.append(f"A structural neighbour of: {names}")
    return ["## Referenced by", "", _html_list(items, "gb-referenced"), ""] if items else []


def _tags_section(index: SiteIndex, here: str, entry: Entry) -> list[str]:
    rows = (
        ("Embodied patterns", "embodied_patterns", entry.embodied_patterns),
        ("Relation types", "relation_types", entry.relation_types),
        ("Structure", "structure", entry.structure),
        ("Abstraction level", "abstraction_level", _optional(entry.abstraction_level)),
    )
    items = [
        f"{label}: {', '.join(_term_link(index, here, facet, v) for v in values)}"
        for label, facet, values in rows
        if values
    ]
    from graph_builder.site.shape import shape_link_html  # shape.py imports this module

    link_html = shape_link_html(here, entry)
    return ["## Structure", "", _html_list(items, "gb-tags"), "", link_html, ""] if items else []


def _optional(value: str | None) -> tuple[str, ...]:
    return (value,) if value else ()


def edit_link(options: SiteOptions, entry: Entry) -> str:
    """The URL of an entry's file in the repository's editor, or "" when not configured."""
    if not options.edit_url:
        return ""
    name = posixpath.basename(entry.path.replace("\\", "/")) or f"{entry.slug}.md"
    return options.edit_url + urllib.parse.quote(name)


def _credits(entry: Entry, options: SiteOptions) -> list[str]:
    lines: list[str] = []
    edit = edit_link(options, entry)
    if edit:
        lines.append(f'<a class="gb-edit" href="{html_text(edit)}">Edit this entry</a>')
    if entry.author:
        lines.append(f"Written by {html_text(entry.author)}.")
    if entry.contributors:
        lines.append(f"Contributors: {html_text(', '.join(entry.contributors))}.")
    dates = []
    if entry.created:
        dates.append(f"created {html_text(entry.created)}")
    if entry.updated and entry.updated != entry.created:
        dates.append(f"updated {html_text(entry.updated)}")
    if dates:
        lines.append(f"Entry {', '.join(dates)}.")
    return ["---", "", f'<p class="gb-credits">{"<br>".join(lines)}</p>', ""] if lines else []


def _facts(index: SiteIndex, here: str, entry: Entry) -> str:
    parts = []
    if entry.kind:
        kind = _term_link(index, here, "kind", entry.kind)
        parts.append(f"dead {kind}" if entry.dead else kind)
    grounding = term_title(index.vocabulary.groundings, entry.grounding)
    parts.append("grounding: " + _a(here, "vocabulary/index.md", grounding, "groundings"))
    if entry.source_frame:
        parts.append(f"from {_term_link(index, here, 'source_frame', entry.source_frame)}")
    if entry.applies_to:
        parts.append("applied to " + html_text(", ".join(humanize(a) for a in entry.applies_to)))
    if entry.categories:
        parts.append(", ".join(_term_link(index, here, "categories", c) for c in entry.categories))
    return f'<p class="gb-facts">{" · ".join(parts)}</p>'


def render_entry_page(
    entry: Entry, index: SiteIndex, options: SiteOptions, *, graph_block: str = ""
) -> str:
    """One entry -> the Markdown of its page, `entries/<slug>.md`.

    The page holds, in order: the name, a line of facts (kind, grounding, domain, categories as
    links), the summary, Transfers, Limits, Expressions, Origin Story, References, the structural
    neighbours with their reasons, related entries, the entries that refer to this one, the
    structural tags, and the credits with the edit link.

    Contributor prose stays Markdown (escaped by `markdown_block`/`markdown_inline`); the parts
    we lay out ourselves are HTML blocks with every value escaped and every URL computed here.
    That keeps the Markdown engine's work close to a plain page's, and the cost of a page
    proportional to the entry and its lists: every site-wide lookup comes from `index`.
    """
    here = entry_uri(entry.slug)
    name = display_name(entry)
    out = [front_matter(title=name, description=entry.summary), f"# {name_markdown(name)}", ""]
    out += [_facts(index, here, entry), ""]
    if entry.summary:
        out += [f'<p class="gb-summary">{html_text(entry.summary)}</p>', ""]
    transfers = _moves_section(entry.section("Transfers"), entry.transfers)
    if transfers:
        out += ["## Transfers", "", *transfers]
    limits = _moves_section(entry.section("Limits"), entry.limits)
    if limits:
        out += ["## Limits", "", *limits]
    expressions = _expressions(entry.section("Expressions"))
    if expressions:
        out += ["## Expressions", "", *expressions]
    origin = entry.section("Origin Story")
    if origin is not None and origin.text.strip():
        out += ["## Origin Story", "", markdown_block(origin.text), ""]
    references = _references(entry.section("References"))
    if references:
        out += ["## References", "", *references]
    out += _neighbours_section(index, here, entry, graph_block)
    out += _related_section(index, here, entry)
    out += _referenced_by_section(index, here, entry)
    out += _tags_section(index, here, entry)
    out += _credits(entry, options)
    return "\n".join(out).rstrip("\n") + "\n"
