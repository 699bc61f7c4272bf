"""Entry + neighbours + SiteIndex -> the Markdown of one entry page.

Contributor text goes through `escape`; links through `urls`. The site-wide lookups an entry page
needs (who links here, who has it as a neighbour, which entries carry a tag) are computed once in
`index.SiteIndex`, so rendering N pages stays O(N)."""

from __future__ import annotations

import posixpath
import re
import urllib.parse
from collections.abc import Sequence

from graph_builder.core.labels import humanize
from graph_builder.core.model import Entry, Section
from graph_builder.site.entry_links import a, term_link
from graph_builder.site.entry_neighbours import (
    neighbours_section,
    referenced_by_section,
    related_section,
)
from graph_builder.site.escape import (
    front_matter,
    html_text,
    markdown_block,
    markdown_inline,
    name_markdown,
)
from graph_builder.site.holdout import (
    HeldBlock,
    PageText,
    Part,
    Unsearched,
    held_list,
    page_text,
)
from graph_builder.site.index import SiteIndex, SiteOptions, display_name, term_title
from graph_builder.site.shape import shape_link_html
from graph_builder.site.urls import (
    entry_uri,
    facet_uri,
)

__all__ = ["render_entry_page"]


_CLAIM = re.compile(r"^\[(?P<prefix>[A-Za-z]+)\]\s*(?P<text>.*)$", re.S)


def _claims(claims: Sequence[str]) -> list[Part]:
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
    return [HeldBlock(f'<p class="gb-claims">{joined}</p>', searchable=True), ""] if lines else []


def _moves_section(section: Section | None, claims: Sequence[str]) -> list[Part]:
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


def _tags_section(index: SiteIndex, here: str, entry: Entry) -> list[Part]:
    rows = (
        ("Embodied patterns", "embodied_patterns", entry.embodied_patterns),
        ("Relation types", "relation_types", entry.relation_types),
        ("Structure", "structure", entry.structure),
        ("Abstraction level", "abstraction_level", _optional(entry.abstraction_level)),
    )
    items = [
        f"{label}: {', '.join(term_link(index, here, facet, v) for v in values)}"
        for label, facet, values in rows
        if values
    ]
    link = shape_link_html(here, entry)
    if not items:
        return []
    # Searchable, unlike the sections above: the credits below it belong to its section.
    return ["## Structure", "", held_list(items, "tags"), "", link or "", ""]


def _optional(value: str | None) -> tuple[str, ...]:
    return (value,) if value else ()


def edit_link(options: SiteOptions, entry: Entry) -> str:
    """The URL of an entry's file in the repository's editor, or "" when not configured."""
    if not options.edit_url:
        return ""
    name = posixpath.basename(entry.path.replace("\\", "/")) or f"{entry.slug}.md"
    return options.edit_url + urllib.parse.quote(name)


def _credits(entry: Entry, options: SiteOptions) -> HeldBlock | None:
    """The credits and the edit link, below a rule; searchable. A newline after each break:
    search drops the `<br>`, and the lines' words must not run together in its index."""
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
    if not lines:
        return None
    joined = "<br>\n".join(lines)
    return HeldBlock(f'<hr />\n<p class="gb-credits">{joined}</p>', True)


def _facts(index: SiteIndex, here: str, entry: Entry) -> HeldBlock:
    parts = []
    if entry.kind:
        if entry.dead:
            # "Dead metaphor" is one term: a metaphor whose source is forgotten.
            title = term_title(index.vocabulary.kinds, entry.kind)
            parts.append(a(here, facet_uri("kind", entry.kind), f"Dead {title.lower()}"))
        else:
            parts.append(term_link(index, here, "kind", entry.kind))
    grounding = term_title(index.vocabulary.groundings, entry.grounding)
    parts.append("grounding: " + a(here, "vocabulary/index.md", grounding, "groundings"))
    if entry.source_frame:
        parts.append(f"from {term_link(index, here, 'source_frame', entry.source_frame)}")
    if entry.applies_to:
        parts.append("applied to " + html_text(", ".join(humanize(a) for a in entry.applies_to)))
    if entry.categories:
        parts.append(", ".join(term_link(index, here, "categories", c) for c in entry.categories))
    return HeldBlock(f'<p class="gb-facts">{" · ".join(parts)}</p>', searchable=True)


def render_entry_page(
    entry: Entry,
    index: SiteIndex,
    options: SiteOptions,
    *,
    graph_block: HeldBlock | None = None,
    family_line: HeldBlock | None = None,
) -> PageText:
    """One entry -> the Markdown of its page, `entries/<slug>.md`.

    The page holds, in order: the name, a line of facts (kind, grounding, domain, categories as
    links), the summary, Transfers, Limits, Expressions, Origin Story, References, the structural
    neighbours with their reasons, related entries, the entries that refer to this one, the
    structural tags, and the credits with the edit link.

    Contributor prose stays Markdown (escaped by `markdown_block`/`markdown_inline`); the parts
    we lay out ourselves are HTML blocks with every value escaped and every URL computed here.
    That keeps the Markdown engine's work close to a plain page's, and the cost of a page
    proportional to the entry and its lists: every site-wide lookup comes from `index`.
    `graph_block` (the neighbourhood graph) and `family_line` (the entry's structural family)
    open the structural neighbours section when given.
    """
    here = entry_uri(entry.slug)
    name = display_name(entry)
    out: list[Part] = [
        front_matter(title=name, description=entry.summary),
        f"# {name_markdown(name)}",
        "",
    ]
    out += [_facts(index, here, entry), ""]
    if entry.summary:
        out += [HeldBlock(f'<p class="gb-summary">{html_text(entry.summary)}</p>', True), ""]
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
    # Every heading and block of these sections is left out of search: the indexer need not
    # read them at all (`holdout.Unsearched`).
    links = (
        *neighbours_section(index, here, entry, graph_block, family_line),
        *related_section(index, here, entry),
        *referenced_by_section(index, here, entry),
    )
    tags = _tags_section(index, here, entry)
    credits = _credits(entry, options)
    ending: tuple[HeldBlock, ...] = (credits,) if credits else ()
    if tags:
        out += [Unsearched(links), *tags, *ending, ""]
    else:
        # Without a Structure section the credits end the last of those sections, so search
        # leaves them out too: they go with the run (a run ends where search would start again).
        out.append(Unsearched((*links, *ending)))
    return page_text(out)
