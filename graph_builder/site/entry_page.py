"""Entry + neighbours + SiteIndex -> the Markdown of one entry page.

Contributor text goes through `escape`; links through `urls`. The site-wide lookups an entry page
needs (who links here, who has it as a neighbour, which entries carry a tag) are computed once in
`index.SiteIndex`, so rendering N pages stays O(N)."""

from __future__ import annotations

import posixpath
import re
import urllib.parse
from collections.abc import Sequence

from graph_builder.analysis.neighbours import Neighbour, NeighbourLists
from graph_builder.core.labels import domain_label, humanize
from graph_builder.core.model import Entry, Section
from graph_builder.site.entry_links import a, entry_folder, entry_link, term_link
from graph_builder.site.escape import (
    front_matter,
    html_text,
    markdown_block,
    markdown_inline,
    name_markdown,
)
from graph_builder.site.holdout import (
    SEARCH_EXCLUDE,
    HeldBlock,
    PageText,
    Part,
    RunHeading,
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


def _shared_reasons(index: SiteIndex, here: str, entry: Entry, item: Neighbour) -> str:
    """Why two entries are neighbours: shared patterns and relations as links, then the rest."""
    score = item.score
    parts = [term_link(index, here, "embodied_patterns", p) for p in score.shared_patterns]
    parts += [term_link(index, here, "relation_types", r) for r in score.shared_relations]
    for pair in score.sibling_relations:
        mine, theirs = _sibling_pair(pair, entry)
        mine_link = term_link(index, here, "relation_types", mine)
        theirs_link = term_link(index, here, "relation_types", theirs)
        parts.append(f"{mine_link} ~ {theirs_link} (siblings)")
    parts += [html_text(s) for s in score.shared_structures]
    if score.level_match and entry.abstraction_level:
        parts.append(f"same level ({html_text(entry.abstraction_level)})")
    return " · ".join(parts) if parts else "no shared tags"


def _list_heading(level: int, text: str) -> RunHeading:
    """The heading of a section of links to other pages, left out of the search index (else
    it would hold a near-empty "Referenced by"… for every entry); the contents keep it."""
    return RunHeading(level, text)


def _unsearched_paragraph(text: str) -> HeldBlock:
    """One of our sentences as a paragraph, in a section search never sees."""
    return HeldBlock(f"<p>{text}</p>", searchable=False)


def _neighbour_name(index: SiteIndex, here: str, other: Entry) -> str:
    """A neighbour's link, domain and kind, the same on every page of a folder."""
    folder = entry_folder(index, here, other.slug)
    key = ("neighbour", folder or here, other.slug)
    text = index.fragments.get(key)
    if text is None:
        domain = html_text(domain_label(other.source_frame))
        kind = html_text(term_title(index.vocabulary.kinds, other.kind))
        text = index.fragments[key] = f"{entry_link(here, other, index)} · {domain} · {kind}"
    return text


def _neighbour_list(
    index: SiteIndex, here: str, entry: Entry, items: Sequence[Neighbour]
) -> HeldBlock:
    rows: list[str] = []
    for item in items:
        other = index.by_slug.get(item.slug)
        if other is None:
            continue
        rows.append(
            f"<li>{_neighbour_name(index, here, other)} {_bar(item.score.total)}"
            f"<br>Shared: {_shared_reasons(index, here, entry, item)}</li>"
        )
    if not rows:
        return _unsearched_paragraph("None above the similarity threshold.")
    rows_html = "\n".join(rows)
    return HeldBlock(
        f'<ol class="gb-neighbours" {SEARCH_EXCLUDE}>\n{rows_html}\n</ol>', searchable=False
    )


def _neighbours_section(
    index: SiteIndex,
    here: str,
    entry: Entry,
    graph_block: HeldBlock | None = None,
    family_line: HeldBlock | None = None,
) -> list[RunHeading | HeldBlock]:
    out: list[RunHeading | HeldBlock] = [_list_heading(2, "Structural neighbours")]
    if family_line is not None:
        # The entry's structural family (insight_sections.family_line): one HTML paragraph.
        out.append(family_line)
    if graph_block is not None:
        # The neighbourhood graph (graphs.entry_graph_block): one line of our own HTML.
        out.append(graph_block)
    if not entry.has_structure:
        text = "This entry has no structural tags yet, so it has no structural neighbours."
        return [*out, _unsearched_paragraph(text)]
    lists = index.neighbours.get(entry.slug, NeighbourLists())
    out += [
        _list_heading(3, "Across domains"),
        _neighbour_list(index, here, entry, lists.cross_domain),
    ]
    where = humanize(entry.source_frame) if entry.source_frame else "the same domain"
    out += [
        _list_heading(3, f"Within {where}"),
        _neighbour_list(index, here, entry, lists.same_domain),
    ]
    return out


def _related_section(index: SiteIndex, here: str, entry: Entry) -> list[RunHeading | HeldBlock]:
    if not entry.related:
        return []
    items = []
    for slug in dict.fromkeys(entry.related):
        other = index.by_slug.get(slug)
        if other is not None:
            items.append(entry_link(here, other, index))
        else:
            items.append(f'{html_text(slug)} <span class="gb-missing">not yet written</span>')
    return [_list_heading(2, "Related entries"), held_list(items, "related")]


def _referenced_by_section(
    index: SiteIndex, here: str, entry: Entry
) -> list[RunHeading | HeldBlock]:
    related = index.by_name(index.related_by.get(entry.slug, ()))
    neighbour = index.by_name(index.neighbour_of.get(entry.slug, ()))
    items = []
    if related:
        items.append(
            "Listed as related by: " + ", ".join(entry_link(here, e, index) for e in related)
        )
    if neighbour:
        names = ", ".join(entry_link(here, e, index) for e in neighbour)
        items.append(f"A structural neighbour of: {names}")
    if not items:
        return []
    return [_list_heading(2, "Referenced by"), held_list(items, "referenced")]


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
    """The credits and the edit link, below a rule; searchable."""
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
    return HeldBlock(f'<hr />\n<p class="gb-credits">{"<br>".join(lines)}</p>', True)


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
        *_neighbours_section(index, here, entry, graph_block, family_line),
        *_related_section(index, here, entry),
        *_referenced_by_section(index, here, entry),
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
