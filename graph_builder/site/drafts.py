"""A broken entry's diagnostics -> the page shown at its address while `mkdocs serve` previews.

A contributor saves a scaffolded draft with its placeholders still in it; the preview keeps
serving every other page and shows, at the draft's own address, what `graph-builder check`
would print, so the draft reads as a to-do list. `mkdocs build` never publishes these pages:
there, an entry error fails the build."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import PurePath

from graph_builder.core.labels import plural
from graph_builder.core.model import Diagnostic, Severity
from graph_builder.core.slugs import uri_slug
from graph_builder.site.escape import front_matter, html_text, markdown_inline
from graph_builder.site.holdout import HeldBlock, Part, page_text
from graph_builder.site.outputs import GeneratedPage
from graph_builder.site.urls import entry_uri

__all__ = ["draft_pages"]


def draft_pages(
    broken: Iterable[str], diagnostics: Sequence[Diagnostic], taken: Iterable[str] = ()
) -> list[GeneratedPage]:
    """One page per broken entry file, at `entries/<file stem>/`, listing its diagnostics.

    Args:
        broken: the paths of the entry files with errors.
        diagnostics: every diagnostic of the build (each page lists its file's, all severities).
        taken: URIs the rest of the site already uses; a draft whose address one of them holds
            (a file whose stem is another entry's slug) gets no page, its lines are in the log.
    """
    used = set(taken)
    pages = []
    for path in sorted(set(broken)):
        if not path.endswith(".md"):
            continue
        stem = PurePath(path).stem
        uri = entry_uri(uri_slug(stem))
        if uri in used:
            continue
        used.add(uri)
        own = [d for d in diagnostics if d.path == path]
        errors = sum(d.severity is Severity.ERROR for d in own)
        lines = "\n".join(html_text(d.format()) for d in own)
        title = f"Draft: {stem}"
        notice = (
            '<p class="gb-draft">This entry is not published yet: <code>graph-builder check</code> '
            f"finds {plural(errors, 'error')} in it. Fix them and save; the page shows the entry "
            "on the next reload.</p>"
        )
        body: list[Part] = [
            front_matter(title=title, description=f"{plural(errors, 'error')} to fix in {path}"),
            f"# {markdown_inline(title)}",
            "",
            HeldBlock(notice, searchable=True),
            "",
            f'<pre class="gb-diagnostics">{lines}</pre>',
            "",
        ]
        pages.append(GeneratedPage(uri=uri, text=page_text(body), source=path))
    return pages
