"""Generated pages and files: what a build outputs, and the check that no two share a URI."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph_builder.site.holdout import PageText

__all__ = ["GeneratedFile", "GeneratedPage", "UriCollisionError", "check_unique"]


@dataclass(frozen=True, slots=True, kw_only=True)
class GeneratedPage:
    """One generated page.

    Attributes:
        uri: source path inside the docs tree, e.g. `entries/phoenix.md` (served at
            `/entries/phoenix/`).
        text: the page, front matter included, with our HTML blocks apart (`holdout.PageText`).
        in_nav: True for the section index pages that mkdocs.yml's `nav` names; every other
            page is reachable by links only, which keeps Material's per-page navigation small.
        source: the entry file an entry page was made from, else None.
        text_runs: True for a page whose Markdown is our own plus escaped contributor text,
            with no code block: the plugin has its text read in runs (`text_runs`).
    """

    uri: str
    text: PageText
    in_nav: bool = False
    source: str | None = None
    text_runs: bool = False

    @property
    def markdown(self) -> str:
        """The page's Markdown as written, its blocks in place."""
        return self.text.markdown

    @property
    def content(self) -> str:
        """The page's Markdown, under the name every generated output has."""
        return self.markdown


@dataclass(frozen=True, slots=True, kw_only=True)
class GeneratedFile:
    """One generated file that is not a page: the stylesheet, graph assets and data, open data.

    Attributes:
        uri: path inside the site, e.g. `graph.json`.
        content: the file's bytes, served as they are.
    """

    uri: str
    content: bytes


class UriCollisionError(Exception):
    """Two generated pages or files at one URI: one would silently replace the other.

    `graph-builder check` rejects the entry values that could cause it (a slug or domain named
    after a generated index page), so this is a defect of the build itself, reported loudly.
    """


def check_unique(outputs: Iterable[GeneratedPage | GeneratedFile]) -> None:
    """Raise `UriCollisionError` naming every URI two outputs share."""
    owners: dict[str, str] = {}
    clashes: list[str] = []
    for output in outputs:
        owner = (output.source if isinstance(output, GeneratedPage) else None) or "generated"
        if output.uri in owners:
            clashes.append(f"{output.uri} (from {owners[output.uri]} and from {owner})")
        else:
            owners[output.uri] = owner
    if clashes:
        raise UriCollisionError("two generated files at one URI: " + "; ".join(sorted(clashes)))
