"""An entry's slug, name and dates, and the slugs it names -> slug, date and link problems."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from pathlib import PurePath
from types import MappingProxyType

from graph_builder.core import limits
from graph_builder.core.slugs import FACET_FOLDERS, uri_slug
from graph_builder.core.validate.context import EntryContext
from graph_builder.core.validate.registry import Finding, check
from graph_builder.core.validate.rules import EXAMPLES, SLUG
from graph_builder.core.validate.values import file_stem, is_placeholder, page_name
from graph_builder.core.validate.wording import quote, slug_suggestion
from graph_builder.core.yaml_text import yaml_scalar

__all__ = ["dates", "identity", "page_names", "slug_lists"]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Keys whose values name a page of their own (`applies_to` names domains, as `source_frame`
#: does), and the folder of that page.
_PAGE_FOLDERS: Mapping[str, str] = MappingProxyType(
    {**FACET_FOLDERS, "applies_to": FACET_FOLDERS["source_frame"]}
)


@check("slug-format", "slug-mismatch", "multiline-name")
def identity(ctx: EntryContext) -> Iterator[Finding]:
    """A kebab-case slug equal to the file name, and a one-line name."""
    entry = ctx.entry
    slug = ctx.scalar("slug")
    if slug is not None:
        line = entry.line_of("slug")
        stem = file_stem(entry.path)
        if not SLUG.match(slug):
            suggestion = slug_suggestion(slug) or slug_suggestion(stem)
            fix = (
                f"write `slug: {yaml_scalar(suggestion)}` and name the file `{suggestion}.md`"
                if suggestion
                else "write a slug such as `slug: rupture-and-repair` and name the file to match"
            )
            yield Finding(
                "slug-format",
                line,
                f"slug {quote(slug)} is not kebab-case (lowercase letters, digits, single "
                f"hyphens); {fix}",
            )
        elif slug != stem:
            keep_stem = ""
            if slug_suggestion(stem) == stem:
                keep_stem = f" or write `slug: {yaml_scalar(stem)}`"
            yield Finding(
                "slug-mismatch",
                line,
                f"slug {quote(slug)} differs from the file name "
                f"{quote(PurePath(entry.path).name)}; rename the file to `{slug}.md`{keep_stem}",
            )
    name = ctx.scalar("name")
    if name is not None and "\n" in name:
        yield Finding(
            "multiline-name",
            entry.line_of("name"),
            "the name spans several lines; write it on one line (the summary takes the rest)",
        )


@check("invalid-date", "date-order")
def dates(ctx: EntryContext) -> Iterator[Finding]:
    """Real days written YYYY-MM-DD, `updated` not before `created`."""
    days: dict[str, dt.date] = {}
    for key in ("created", "updated"):
        value = ctx.entry.meta.get(key)
        if key in ctx.malformed or not ctx.present(key) or is_placeholder(value):
            continue
        if isinstance(value, dt.date):
            days[key] = value
            continue
        text = str(value).strip()
        try:
            if not _DATE.match(text):
                raise ValueError("not YYYY-MM-DD")
            days[key] = dt.date.fromisoformat(text)
        except ValueError:
            yield Finding(
                "invalid-date",
                ctx.entry.line_of(key),
                f"`{key}` is {quote(text)}, not a real day written YYYY-MM-DD; "
                f"write e.g. `{EXAMPLES[key]}`",
            )
    created, updated = days.get("created"), days.get("updated")
    if created and updated and updated < created:
        yield Finding(
            "date-order",
            ctx.entry.line_of("updated"),
            f"`updated` ({updated.isoformat()}) is before `created` ({created.isoformat()}); "
            "set `updated` to the day of the last change",
        )


@check("not-a-slug", "self-related", "dangling-related")
def slug_lists(ctx: EntryContext) -> Iterator[Finding]:
    """Slugs in `source_frame`, `applies_to` and `related`; `related` naming other, existing
    entries (a missing one is a note: it may come)."""
    own = ctx.entry.slug
    slugs = ctx.slugs
    known = slugs.all
    for key in ("source_frame", "applies_to", "related"):
        for line, text in ctx.items(key):
            if not SLUG.match(text):
                better = slug_suggestion(text)
                fix = (
                    f"write `{yaml_scalar(better)}`"
                    if better
                    else "use lowercase words and hyphens"
                )
                yield Finding(
                    "not-a-slug",
                    line,
                    f"{quote(text)} in `{key}` is not a slug; {fix}",
                )
            elif key == "related" and text == own:
                yield Finding(
                    "self-related",
                    line,
                    f"the entry lists itself in `related`; remove {quote(own)}",
                )
            elif key == "related" and text not in known:
                close = slugs.close_to(text, besides=own)
                hint = f" (or did you mean {quote(close)}?)" if close else ""
                yield Finding(
                    "dangling-related",
                    line,
                    f"related entry {quote(text)} has no entry yet; the link appears "
                    f"when it is written{hint}",
                )


@check("reserved-name")
def page_names(ctx: EntryContext) -> Iterator[Finding]:
    """A slug or facet value whose page would take the address of a generated index."""
    entry = ctx.entry
    reserved = limits.RESERVED_PAGE_NAMES
    if uri_slug(entry.slug) in reserved:
        yield Finding(
            "reserved-name",
            entry.line_of("slug"),
            f"slug {quote(entry.slug)} would give this entry the address of the list of all "
            "entries (/entries/) and hide it; choose another slug and rename the file to "
            "match",
        )
    for key, folder in _PAGE_FOLDERS.items():
        for line, text in ctx.items(key):
            name = page_name(key, text)
            if name in reserved:
                yield Finding(
                    "reserved-name",
                    line,
                    f"{quote(text)} in `{key}` would get the address of the /{folder}/ index "
                    f"page ({name}) and hide it; choose another word",
                )
