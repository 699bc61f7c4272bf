"""Entries -> `/llms.txt`: an index of the site for language models (the llms.txt convention)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from graph_builder.core.model import Entry
from graph_builder.core.text import strip_invisible
from graph_builder.core.vocabulary import Vocabulary
from graph_builder.opendata.escape import one_line
from graph_builder.opendata.links import entry_url, site_path

__all__ = ["llms_txt"]


def _md_text(text: str) -> str:
    """One line of Markdown that shows `text` literally (brackets and backslashes escaped)."""
    collapsed = " ".join(strip_invisible(text).split())
    return re.sub(r"([\\\[\]()<>*_`])", r"\\\1", collapsed)


def llms_txt(
    entries: Sequence[Entry],
    vocabulary: Vocabulary,
    *,
    site_name: str,
    description: str,
    site_url: str = "",
    pages: Sequence[tuple[str, str, str]] = (),
) -> str:
    """An index of the site for language models, in the llms.txt convention.

    The file is `# Title`, a `> summary` line, then `## ` sections of `- [Name](url): summary`
    lines: one section per kind (in the vocabulary's order, entries by name), then the site's
    other pages. Every entry appears exactly once.

    Args:
        entries: the catalogue.
        vocabulary: gives the kinds' order and display names.
        site_name: the title.
        description: the one-line summary.
        site_url: makes links absolute when set; otherwise they are relative to the site root.
        pages: further links as (title, path from the site root, description) for a
            "Site pages" section: insight pages, data files.

    Returns:
        The file's text, ending in a newline.
    """
    kinds = list(vocabulary.kinds)
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        key = entry.kind if entry.kind in vocabulary.kinds else ""
        groups.setdefault(key, []).append(entry)
    lines = [f"# {one_line(site_name)}", "", f"> {one_line(description)}", ""]
    lines += [
        f"Each entry below is one page of the atlas: what the model carries over from its source "
        f"domain, where it breaks, and its structural neighbours. {len(entries)} entries.",
        "",
    ]
    for key in sorted(groups, key=lambda k: (k == "", kinds.index(k) if k in kinds else 0, k)):
        term = vocabulary.kinds.get(key)
        heading = (f"{term.title}s" if term else "Other entries") if key else "Other entries"
        lines += [f"## {heading}", ""]
        for entry in sorted(groups[key], key=lambda e: ((e.name or e.slug).casefold(), e.slug)):
            line = f"- [{_md_text(entry.name or entry.slug)}]({entry_url(entry.slug, site_url)})"
            if entry.summary.strip():
                line += f": {_md_text(entry.summary)}"
            lines.append(line)
        lines.append("")
    if pages:
        lines += ["## Site pages", ""]
        for title, path, text in pages:
            line = f"- [{_md_text(title)}]({site_path(path, site_url)})"
            lines.append(f"{line}: {_md_text(text)}" if text else line)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
