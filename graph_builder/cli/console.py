"""Parsed arguments -> the site settings, the catalogue and escaped output every command shares.

A command writes through `emit`, so entry text never reaches a terminal unescaped; it reads the
catalogue through `load_catalogue`; and it takes the site's neighbour and insight settings from
`site_settings`, the one place a command reads mkdocs.yml.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from graph_builder.core.characters import printable

if TYPE_CHECKING:  # imported when a command runs: `check` and `schema` need no analysis
    from graph_builder.analysis.insights import InsightSettings
    from graph_builder.analysis.similarity import NeighbourSettings
    from graph_builder.core.model import Entry

__all__ = [
    "DEFAULT_ENTRIES",
    "Command",
    "Handler",
    "SiteSettings",
    "config_option",
    "emit",
    "entries_option",
    "load_catalogue",
    "site_settings",
    "unknown_slug",
    "usage_error",
]

DEFAULT_ENTRIES = Path("entries")

Handler = Callable[[argparse.Namespace], int]


@dataclass(frozen=True, slots=True, kw_only=True)
class Command:
    """One subcommand: its name, its one-line help, what it does, and the arguments it takes."""

    name: str
    help: str
    handler: Handler
    arguments: Callable[[argparse.ArgumentParser], None]


def entries_option(parser: argparse.ArgumentParser, *, from_site: bool = False) -> None:
    """`--entries DIR`; with `from_site`, its default is the site's `entries_dir`, else entries/."""
    parser.add_argument(
        "--entries",
        type=Path,
        default=None if from_site else DEFAULT_ENTRIES,
        metavar="DIR",
        help="the catalogue folder (default: the site's, else entries/)"
        if from_site
        else "the catalogue folder (default: entries/)",
    )


def config_option(parser: argparse.ArgumentParser) -> None:
    """`--config-file FILE`: the mkdocs.yml whose plugin options a command takes."""
    parser.add_argument(
        "--config-file",
        type=Path,
        metavar="FILE",
        help="take the plugin's options from this mkdocs.yml (default: ./mkdocs.yml if present)",
    )


def emit(text: str, stream: TextIO) -> None:
    """Write text that quotes entry content, even to a terminal that cannot show every character.

    Every command escapes the contributor text and file names it formats; when the stream is a
    terminal, whatever is still a control or invisible character (in the open data `export`
    prints, say) is escaped here too, line by line, so none reaches the terminal as it is.
    Redirected output stays exact.
    """
    if stream.isatty():
        text = "\n".join(printable(line) for line in text.split("\n"))
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding))


def usage_error(command: str, message: str) -> int:
    """Print `graph-builder COMMAND: error: MESSAGE` to stderr; the exit code of a usage error."""
    emit(f"graph-builder {command}: error: {printable(message)}\n", sys.stderr)
    return 2


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteSettings:
    """What a command takes from the site it runs for (the defaults without a mkdocs.yml).

    Attributes:
        entries_dir: `--entries`, else the site's `entries_dir`, else entries/.
        settings: the neighbour settings the site's pages use.
        insights: the site's insight settings; None without a site or with `insights: false`.
    """

    entries_dir: Path
    settings: NeighbourSettings
    insights: InsightSettings | None


def site_settings(args: argparse.Namespace) -> SiteSettings:
    """The settings of the site a command runs for: `--config-file`, else ./mkdocs.yml, if any.

    Every command that computes neighbours or insights calls this, so each lists the neighbours
    the site's pages show. MkDocs is imported only here, when the command runs.

    Raises:
        ValueError: the mkdocs.yml cannot be loaded, or its site does not use the plugin.
    """
    from graph_builder.analysis.similarity import NeighbourSettings
    from graph_builder.plugin.config import site_build_options

    built = site_build_options(args.config_file)
    given: Path | None = args.entries
    if built is None:
        return SiteSettings(
            entries_dir=given or DEFAULT_ENTRIES, settings=NeighbourSettings(), insights=None
        )
    return SiteSettings(
        entries_dir=given or built.entries_dir, settings=built.settings, insights=built.insights
    )


def load_catalogue(entries_dir: Path) -> tuple[list[Entry], bool]:
    """Load the catalogue for export/explain/neighbours: print each file that could not be read
    in the diagnostic format to stderr and go on with the entries that loaded.

    Returns the entries and whether any file failed to load (an error; a loader warning, such
    as text before the first section, leaves a usable entry).
    """
    from graph_builder.core.load import load_entries
    from graph_builder.core.model import Severity

    result = load_entries(entries_dir)
    for diagnostic in sorted(result.diagnostics, key=lambda d: d.sort_key()):
        emit(printable(diagnostic.format()) + "\n", sys.stderr)
    return list(result.entries), any(d.severity is Severity.ERROR for d in result.diagnostics)


def unknown_slug(command: str, slug: str, entries: Sequence[Entry], entries_dir: Path) -> int:
    """Say that no entry has this slug, with the closest one if any; the exit code 1."""
    from graph_builder.cli.neighbour_text import suggest

    hint = suggest(slug, sorted(e.slug for e in entries))
    if hint:
        also = f" (did you mean {hint!r}?)"
    else:
        also = f"; no slug is close: the slugs are the file names in {printable(str(entries_dir))}/"
    emit(
        f"graph-builder {command}: error: no entry '{printable(slug)}' in "
        f"{printable(str(entries_dir))}{also}\n",
        sys.stderr,
    )
    return 1
