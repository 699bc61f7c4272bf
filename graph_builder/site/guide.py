"""CONTRIBUTING.md + vocabulary + catalogue -> the site's Contribute section (two pages).

The contributor guide is written once, in CONTRIBUTING.md, and published from it, so the file a
contributor reads on the code host and the page on the site never drift apart. The tagging guide
is generated from the vocabulary file and the catalogue on every build: each term's definition,
weight, how many entries use it and two of them as examples, so it never goes stale.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from graph_builder.analysis.neighbours import NeighbourLists
from graph_builder.analysis.similarity import NeighbourSettings
from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import Term, parent_of
from graph_builder.site.escape import front_matter, markdown_inline, name_markdown
from graph_builder.site.index import SiteIndex, display_name
from graph_builder.site.urls import entry_uri, facet_uri, link, subtype_anchor

__all__ = ["CONTRIBUTE_URI", "TAGGING_URI", "contribute_markdown", "tagging_guide_markdown"]

CONTRIBUTE_URI = "contribute/index.md"
TAGGING_URI = "contribute/tagging.md"

# A Markdown link whose target is a relative path (not a URL, not an anchor).
_RELATIVE_LINK = re.compile(r"\[([^\]]+)\]\((?![a-z][a-z0-9+.-]*:|#|/)([^)\s]+)\)")


def contribute_markdown(contributing: str) -> str:
    """The Contribute page: CONTRIBUTING.md with its links made valid inside the site.

    Links into `docs/` point at the same page on the site; links to other repository files (the
    licences) have no page on the site, so they become plain text rather than broken links.
    """
    body = contributing.split("\n", 1)[1] if contributing.startswith("# ") else contributing

    def relink(match: re.Match[str]) -> str:
        text, target = match.group(1), match.group(2)
        path, _, anchor = target.partition("#")
        if path.startswith("docs/") and path.endswith(".md"):
            return f"[{text}]({link(CONTRIBUTE_URI, path.removeprefix('docs/'), anchor)})"
        return text

    description = "How to add an entry: scaffold, fill in, check, preview, pull request."
    head = front_matter(title="Contribute", description=description)
    page = f"{head}\n# Contribute\n\n{_RELATIVE_LINK.sub(relink, body).lstrip()}"
    page += f"\nThe [tagging guide]({link(CONTRIBUTE_URI, TAGGING_URI)}) lists every structural tag"
    page += " with its definition and entries that use it.\n"
    return page


def _examples(index: SiteIndex, slugs: Sequence[str], count: int = 2) -> list[Entry]:
    """Up to `count` entries, from different domains where the catalogue allows it.

    Deterministic: the first entry by slug, then the next whose domain differs, then any.
    """
    entries = [index.by_slug[s] for s in sorted(slugs) if s in index.by_slug]
    chosen: list[Entry] = []
    for entry in entries:
        if len(chosen) == count:
            break
        if all(entry.source_frame != c.source_frame or entry.source_frame is None for c in chosen):
            chosen.append(entry)
    for entry in entries:
        if len(chosen) == count:
            break
        if entry not in chosen:
            chosen.append(entry)
    return chosen


def _users(index: SiteIndex, facet: str, term: Term) -> list[str]:
    """Slugs of the entries that use a term; a relation parent counts its subtypes too."""
    tagged = index.tagged.get(facet, {})
    if facet == "relation_types" and term.parent is None:
        return sorted(
            {s for tag, slugs in tagged.items() if parent_of(tag) == term.slug for s in slugs}
        )
    return list(tagged.get(term.slug, ()))


def _table(index: SiteIndex, facet: str, terms: Sequence[Term], *, weighted: bool) -> list[str]:
    here = TAGGING_URI
    head = "| Term | Definition | Weight | Entries | For example |"
    rule = "| --- | --- | ---: | ---: | --- |"
    if not weighted:
        head, rule = "| Term | Definition | Entries | For example |", "| --- | --- | ---: | --- |"
    rows = [head, rule]
    for term in terms:
        anchor = subtype_anchor(term.slug) if term.parent else ""
        target = link(here, facet_uri(facet, term.slug), anchor)
        label = f"[{markdown_inline(term.slug)}]({target})"
        users = _users(index, facet, term)
        examples = ", ".join(
            f"[{name_markdown(display_name(e))}]({link(here, entry_uri(e.slug))})"
            for e in _examples(index, users)
        )
        cells = [label, markdown_inline(term.definition)]
        if weighted:
            cells.append(f"{term.weight:g}")
        cells += [str(len(users)), examples or "none yet: be the first"]
        rows.append("| " + " | ".join(cells) + " |")
    return [*rows, ""]


def _tags(tags: Sequence[str]) -> str:
    return ", ".join(markdown_inline(t) for t in tags) or "-"


def _worked_example(index: SiteIndex, settings: NeighbourSettings, featured: str) -> list[str]:
    """The featured entry and its best neighbour, the score taken apart term by term."""
    entry = index.by_slug.get(featured)
    lists = index.neighbours.get(featured, NeighbourLists())
    if entry is None or not lists.cross_domain:
        return []
    best = lists.cross_domain[0]
    other = index.by_slug.get(best.slug)
    if other is None:
        return []
    s = best.score
    here = TAGGING_URI
    a = f"[{name_markdown(display_name(entry))}]({link(here, entry_uri(entry.slug))})"
    b = f"[{name_markdown(display_name(other))}]({link(here, entry_uri(other.slug))})"
    shared_relations = [*s.shared_relations, *(f"{x} ~ {y}" for x, y in s.sibling_relations)]
    return [
        "## A worked example",
        "",
        f"{a} and {b} score **{s.total:.3f}**:",
        "",
        "| part | factor | value | shared |",
        "| --- | ---: | ---: | --- |",
        f"| embodied patterns | {settings.pattern_factor:g} | {s.patterns:.3f} | "
        f"{_tags(s.shared_patterns)} |",
        f"| relation types | {settings.relation_factor:g} | {s.relations:.3f} | "
        f"{_tags(shared_relations)} |",
        f"| structure | {settings.structure_factor:g} | {s.structure:.3f} | "
        f"{_tags(s.shared_structures)} |",
        f"| abstraction level | {settings.level_factor:g} | {s.level:.3f} | "
        f"{'same level' if s.level_match else '-'} |",
        "",
        f"Run `graph-builder explain {entry.slug} {other.slug}` for the same breakdown with every"
        " weight, or with any two entries while you tune your tags.",
        "",
    ]


def tagging_guide_markdown(
    index: SiteIndex,
    settings: NeighbourSettings = NeighbourSettings(),
    *,
    featured: str = "",
) -> str:
    """The tagging guide: every structural term with its definition and two example entries."""
    vocab = index.vocabulary
    p, r = settings.pattern_factor, settings.relation_factor
    st, lv = settings.structure_factor, settings.level_factor
    out = [
        front_matter(
            title="Tagging guide",
            description="Every structural tag, what it means, and entries that use it.",
        ),
        "# Tagging guide",
        "",
        "Neighbours come from four structural tags and never from the text. Tag what the model"
        " *does*, its shape, not what it is about: a therapy model and a myth that both break"
        " something and mend it share `splitting` and `restore`, whatever their subjects.",
        "",
        "## How tags become neighbours",
        "",
        f"The score of two entries is {p:g} × the weighted overlap of their embodied patterns"
        f" \\+ {r:g} × the weighted overlap of their relation types \\+ {st:g} × the overlap"
        f" of their structures \\+ {lv:g} when their abstraction levels match. Rarer tags weigh"
        f" more, and two subtypes of one relation (`transform/refinement` and `transform`)"
        f" earn {settings.sibling_credit:g} of their weight. Each entry's neighbours are the"
        f" {settings.cross_domain_k} best-scoring entries from other domains and the"
        f" {settings.same_domain_k} best from its own, scoring at least {settings.threshold:g}."
        f" The [vocabulary]({link(TAGGING_URI, 'vocabulary/index.md')}) lists every weight.",
        "",
        *_worked_example(index, settings, featured),
        "## Embodied patterns",
        "",
        "Two to four image schemas: the bodily experiences the model is built from.",
        "",
        *_table(index, "embodied_patterns", list(vocab.embodied_patterns.values()), weighted=True),
        "## Relation types",
        "",
        "Two to four kinds of relation between the model's parts. A subtype (`cause/accumulate`)"
        " is more precise than its parent and takes the parent's weight.",
        "",
        *_table(index, "relation_types", list(vocab.relation_types.values()), weighted=True),
        "## Structures",
        "",
        "One or two overall shapes.",
        "",
        *_table(index, "structure", list(vocab.structures.values()), weighted=False),
        "## Abstraction levels",
        "",
        "One level: how general the model is.",
        "",
        *_table(
            index, "abstraction_level", list(vocab.abstraction_levels.values()), weighted=False
        ),
    ]
    return "\n".join(out).rstrip("\n") + "\n"
