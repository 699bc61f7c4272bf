"""An entry's link sections -> the held blocks of its page: structural neighbours (with the
score and the shared tags of each), related entries, and the entries that point to it.

These are our own HTML, held out of Markdown and search (`holdout`); each link goes through
`entry_links`, whose fragments are written once per folder in `SiteIndex.fragments`."""

from __future__ import annotations

from collections.abc import Sequence

from graph_builder.analysis.neighbours import Neighbour, NeighbourLists
from graph_builder.core.labels import domain_label, humanize
from graph_builder.core.model import Entry
from graph_builder.site.entry_links import entry_folder, entry_link, term_link
from graph_builder.site.escape import html_text
from graph_builder.site.holdout import SEARCH_EXCLUDE, HeldBlock, RunHeading, held_list
from graph_builder.site.index import SiteIndex, term_title

__all__ = ["neighbours_section", "referenced_by_section", "related_section"]


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


def neighbours_section(
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


def related_section(index: SiteIndex, here: str, entry: Entry) -> list[RunHeading | HeldBlock]:
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


def referenced_by_section(
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
