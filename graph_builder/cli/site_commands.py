"""`generate` and `diff`: site files to a folder; neighbour changes since a git ref."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph_builder.cli.console import (
    DEFAULT_ENTRIES,
    Command,
    config_option,
    emit,
    entries_option,
    site_settings,
    usage_error,
)
from graph_builder.core.characters import printable

__all__ = ["SITE_COMMANDS"]


def _generate_arguments(p: argparse.ArgumentParser) -> None:
    entries_option(p, from_site=True)
    p.add_argument("--output", type=Path, required=True, metavar="DIR")
    config_option(p)


def _diff_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("base", metavar="BASE")
    entries_option(p, from_site=True)
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    config_option(p)


def _cmd_generate(args: argparse.Namespace) -> int:
    """Write every file the MkDocs plugin would add (pages, stylesheet, graph and open data), for
    any other engine: built from `--config-file`, else ./mkdocs.yml, exactly as the plugin does
    (`--entries` names another catalogue folder); with neither, from the plugin's defaults."""
    # Imported here: the other subcommands should not pay for MkDocs and the renderer.
    from graph_builder.core.model import Severity
    from graph_builder.plugin.config import site_build_options
    from graph_builder.site.build import build_site
    from graph_builder.site.index import SiteOptions
    from graph_builder.site.outputs import GeneratedPage

    try:
        built = site_build_options(args.config_file)
    except ValueError as exc:
        emit(f"error: {printable(str(exc))}\n", sys.stderr)
        return 2
    if built is not None:
        result = build_site(
            args.entries or built.entries_dir,
            settings=built.settings,
            options=built.options,
            insights=built.insights,
        )
    else:
        args.entries = args.entries or DEFAULT_ENTRIES
        # The plugin's defaults; the Contribute page from CONTRIBUTING.md beside the entries
        # folder (the repository's root), as the plugin takes it from beside mkdocs.yml.
        contributing = args.entries.parent / "CONTRIBUTING.md"
        text = contributing.read_text(encoding="utf-8") if contributing.is_file() else ""
        result = build_site(args.entries, options=SiteOptions(contributing=text))
    for diagnostic in result.diagnostics:
        if diagnostic.severity is not Severity.NOTE:
            emit(printable(diagnostic.format()) + "\n", sys.stderr)
    errors = result.of(Severity.ERROR)
    if errors:
        emit(f"{len(errors)} error(s): no pages written\n", sys.stderr)
        return 1
    for output in result.outputs:
        target = args.output / output.uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(output, GeneratedPage):
            target.write_text(output.markdown, encoding="utf-8", newline="\n")
        else:
            target.write_bytes(output.content)
    emit(
        f"wrote {len(result.pages)} pages and {len(result.files)} other files to "
        f"{printable(str(args.output))}\n",
        sys.stdout,
    )
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    """Print how the neighbour lists change from git BASE to the working tree, under the site's
    settings."""
    from graph_builder.cli.diff import GitError, diff_neighbours, format_diff
    from graph_builder.core.vocabulary import default_vocabulary

    try:
        site = site_settings(args)
    except ValueError as exc:
        return usage_error("diff", str(exc))
    try:
        diff = diff_neighbours(args.base, site.entries_dir, default_vocabulary(), site.settings)
    except GitError as exc:
        emit(
            f"graph-builder diff: error: cannot read '{printable(args.base)}' from git: "
            f"{printable(str(exc))}\n",
            sys.stderr,
        )
        return 2
    emit(format_diff(diff, args.format, base=args.base), sys.stdout)
    return 0


SITE_COMMANDS = (
    Command(
        name="generate",
        help="write the generated site pages as Markdown files",
        handler=_cmd_generate,
        arguments=_generate_arguments,
    ),
    Command(
        name="diff",
        help="neighbour changes between a git ref and the working tree",
        handler=_cmd_diff,
        arguments=_diff_arguments,
    ),
)
