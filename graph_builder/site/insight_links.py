"""Insights -> the links, counts and names the insight pages, sections and drawings share.

Contributor text (names, summaries, free-form domains) goes through `escape.markdown_inline`
in Markdown and `escape.html_text` in our own HTML, the project's two escaping rules;
vocabulary terms are escaped the same way."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graph_builder.analysis.insights import (
    Family,
    Insights,
)
from graph_builder.core.labels import NO_DOMAIN, domain_label
from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import Vocabulary
from graph_builder.site.escape import (
    front_matter,
    html_text,
    markdown_inline,
    name_html,
    name_markdown,
)
from graph_builder.site.holdout import PageText, Part, page_text
from graph_builder.site.index import FRONTMATTER_KEYS, count_words, kind_title
from graph_builder.site.urls import entry_uri, facet_uri, href, link, subtype_anchor

__all__ = [
    "BRIDGES_URI",
    "FAMILIES_URI",
    "GAPS_URI",
    "INSIGHTS_URI",
    "SURPRISING_URI",
    "domain_a",
    "domain_md",
    "entry_a",
    "entry_md",
    "entry_name",
    "family_a",
    "family_address",
    "family_md",
    "family_uri",
    "home_section",
    "insight_page",
    "kind_words",
    "share",
    "tag_md",
]

FAMILIES_URI = "families/index.md"
INSIGHTS_URI = "insights/index.md"
BRIDGES_URI = "insights/bridges.md"
SURPRISING_URI = "insights/surprising.md"
GAPS_URI = "insights/gaps.md"


def family_uri(family: Family) -> str:
    """The source URI of a family's page (served at `/families/<family-slug>/`)."""
    return family_address(family.slug)


def family_address(slug: str) -> str:
    """The source URI of the family page anchored at `slug`."""
    return f"families/{slug}.md"


def insight_page(title: str, description: str, lines: Iterable[Part]) -> PageText:
    head = front_matter(title=title, description=description)
    return page_text([head.removesuffix("\n"), *lines])


def entry_name(entries: Mapping[str, Entry], slug: str) -> str:
    entry = entries.get(slug)
    return (entry.name or entry.slug) if entry else slug


def entry_md(here: str, entries: Mapping[str, Entry], slug: str) -> str:
    return f"[{name_markdown(entry_name(entries, slug))}]({link(here, entry_uri(slug))})"


def domain_md(here: str, frame: str) -> str:
    if not frame:
        return NO_DOMAIN
    return (
        f"[{markdown_inline(domain_label(frame))}]({link(here, facet_uri('source_frame', frame))})"
    )


def family_md(here: str, family: Family) -> str:
    return f"[{markdown_inline(family.name)}]({link(here, family_uri(family))})"


def tag_md(here: str, facet: str, tag: str) -> str:
    key = FRONTMATTER_KEYS[facet]
    anchor = subtype_anchor(tag) if facet == "relation" and "/" in tag else ""
    return f"[{markdown_inline(tag)}]({link(here, facet_uri(key, tag), anchor)})"


def entry_a(here: str, entries: Mapping[str, Entry], slug: str) -> str:
    """An HTML link to an entry, for the lists MkDocs passes through untouched."""
    return f'<a href="{href(here, entry_uri(slug))}">{name_html(entry_name(entries, slug))}</a>'


def domain_a(here: str, frame: str) -> str:
    if not frame:
        return NO_DOMAIN
    target = href(here, facet_uri("source_frame", frame))
    return f'<a href="{target}">{html_text(domain_label(frame))}</a>'


def family_a(here: str, family: Family) -> str:
    return f'<a href="{href(here, family_uri(family))}">{html_text(family.name)}</a>'


def kind_words(kind: str | None, vocabulary: Vocabulary) -> str:
    """A kind as running text names it ("a mental model from Physics")."""
    title = kind_title(kind, vocabulary)
    return title[:1].lower() + title[1:]


def share(count: int, size: int) -> str:
    return f"{count} of {size} ({100 * count / size:.0f}%)" if size else "0"


def home_section(here: str, insights: Insights, *, heading: bool = True) -> list[str]:
    """Links to the insight pages, for the home page (with a heading) or the insights index."""
    families = len(insights.families.families)
    lines = ["## Insights", ""] if heading else []
    lines += [
        f"- [Structural families]({link(here, FAMILIES_URI)}): "
        f"{count_words(families, 'group', 'groups')} of entries that share a shape",
        f"- [Bridges]({link(here, BRIDGES_URI)}): entries that join distant parts of the atlas",
        f"- [Surprising pairs]({link(here, SURPRISING_URI)}): close neighbours from far apart",
        f"- [Domain map]({link(here, 'domains/index.md', 'domain-map')}): "
        "which fields share shapes",
        f"- [Gaps]({link(here, GAPS_URI)}): rare tags and combinations nobody has tried yet",
    ]
    return lines
