"""`neighbours`, `explain`, `export` and `insights`: the catalogue as the site computes it.

Each takes the site's settings (`console.site_settings`: `--config-file`, else ./mkdocs.yml), so
what it prints or writes is what the site's pages and open data show.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph_builder.cli.console import (
    Command,
    config_option,
    emit,
    entries_option,
    load_catalogue,
    site_settings,
    unknown_slug,
    usage_error,
)
from graph_builder.core.characters import printable

__all__ = ["CATALOGUE_COMMANDS"]


def _export_arguments(p: argparse.ArgumentParser) -> None:
    entries_option(p, from_site=True)
    p.add_argument("--format", choices=("json", "graphml", "gexf"), default="json")
    p.add_argument("--output", type=Path, help="write to this file instead of stdout")
    config_option(p)


def _explain_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("a", metavar="A")
    p.add_argument("b", metavar="B")
    entries_option(p, from_site=True)
    config_option(p)


def _neighbours_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("slug", metavar="SLUG")
    entries_option(p, from_site=True)
    config_option(p)


def _insights_arguments(p: argparse.ArgumentParser) -> None:
    entries_option(p, from_site=True)
    config_option(p)
    p.add_argument(
        "--resolution",
        type=float,
        metavar="R",
        help="Louvain resolution of the families, instead of the site's (above 1: smaller ones)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")


def _cmd_export(args: argparse.Namespace) -> int:
    """Export the catalogue graph; a file that cannot be read is reported and left out, the
    export is still written, and the exit code is 1 so a partial export does not pass silently."""
    from graph_builder.analysis.neighbours import structural_neighbours
    from graph_builder.core.vocabulary import default_vocabulary
    from graph_builder.opendata.export import export_chunks

    try:
        site = site_settings(args)
    except ValueError as exc:
        return usage_error("export", str(exc))
    entries, failed = load_catalogue(site.entries_dir)
    lists = structural_neighbours(entries, default_vocabulary(), site.settings)
    # Written piece by piece (JSON entry by entry): the whole text of a large catalogue, and
    # the objects it is made from, would take more memory than the engine itself.
    chunks = export_chunks(entries, lists, args.format)
    if args.output is None:
        for chunk in chunks:
            emit(chunk, sys.stdout)
    else:
        # Written beside the target and renamed over it at the end: a run that stops halfway
        # leaves the previous file as it was, never half a new one.
        partial = args.output.with_name(f".{args.output.name}.partial")
        try:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            with partial.open("w", encoding="utf-8", newline="\n") as stream:
                stream.writelines(chunks)
            partial.replace(args.output)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            emit(
                f"graph-builder export: error: cannot write {printable(str(args.output))}: "
                f"{exc.strerror}\n",
                sys.stderr,
            )
            return 1
        emit(
            f"wrote {printable(str(args.output))} ({len(entries)} entries, {args.format})\n",
            sys.stdout,
        )
    return 1 if failed else 0


def _cmd_explain(args: argparse.Namespace) -> int:
    """Take apart the similarity of two entries, and say where each stands in the other's list."""
    from graph_builder.analysis.neighbours import structural_neighbours
    from graph_builder.analysis.similarity import similarity
    from graph_builder.cli.neighbour_text import format_explanation, rank_note
    from graph_builder.core.vocabulary import default_vocabulary

    try:
        site = site_settings(args)
    except ValueError as exc:
        return usage_error("explain", str(exc))
    entries, _ = load_catalogue(site.entries_dir)
    by_slug = {e.slug: e for e in reversed(entries)}
    for slug in (args.a, args.b):
        if slug not in by_slug:
            return unknown_slug("explain", slug, entries, site.entries_dir)
    a, b = by_slug[args.a], by_slug[args.b]
    vocabulary, settings = default_vocabulary(), site.settings
    notes = []
    if a.slug != b.slug and a.has_structure and b.has_structure:
        lists = structural_neighbours(entries, vocabulary, settings, only=[a.slug, b.slug])
        notes = [rank_note(a, b, lists[a.slug], settings), rank_note(b, a, lists[b.slug], settings)]
    score = similarity(a, b, vocabulary, settings)
    emit(format_explanation(a, b, score, vocabulary, settings, notes), sys.stdout)
    return 0


def _cmd_neighbours(args: argparse.Namespace) -> int:
    """Print an entry's cross-domain and same-domain neighbours with scores and shared tags."""
    from graph_builder.analysis.neighbours import structural_neighbours
    from graph_builder.cli.neighbour_text import format_neighbours
    from graph_builder.core.vocabulary import default_vocabulary

    try:
        site = site_settings(args)
    except ValueError as exc:
        return usage_error("neighbours", str(exc))
    entries, _ = load_catalogue(site.entries_dir)
    by_slug = {e.slug: e for e in reversed(entries)}
    if args.slug not in by_slug:
        return unknown_slug("neighbours", args.slug, entries, site.entries_dir)
    settings = site.settings
    lists = structural_neighbours(entries, default_vocabulary(), settings, only=[args.slug])
    emit(format_neighbours(by_slug[args.slug], lists[args.slug], by_slug, settings), sys.stdout)
    return 0


def _cmd_insights(args: argparse.Namespace) -> int:
    """Compute the insights as the site does (its mkdocs.yml's options when there is one) and
    print the families, bridges and surprising pairs: a quick way to try a family resolution."""
    import dataclasses
    import json

    from graph_builder.analysis.insights import (
        InsightSettings,
        compute_insights,
        neighbour_lists_graph,
    )
    from graph_builder.analysis.neighbours import structural_neighbours
    from graph_builder.cli.insights_text import format_insights, insights_summary
    from graph_builder.core.load import load_entries
    from graph_builder.core.model import Severity
    from graph_builder.core.validate import validate_entries
    from graph_builder.core.vocabulary import default_vocabulary

    try:
        site = site_settings(args)
    except ValueError as exc:
        return usage_error("insights", str(exc))
    entries_dir, settings = site.entries_dir, site.settings
    insight_settings = site.insights or InsightSettings()
    if args.resolution is not None:
        if not args.resolution > 0:
            return usage_error("insights", f"--resolution must be above 0, not {args.resolution}")
        insight_settings = dataclasses.replace(insight_settings, resolution=args.resolution)

    vocabulary = default_vocabulary()
    loaded = load_entries(entries_dir)
    problems = [*loaded.diagnostics, *validate_entries(loaded.entries, vocabulary)]
    errors = sorted(
        (d for d in problems if d.severity is Severity.ERROR), key=lambda d: d.sort_key()
    )
    for diagnostic in errors:
        emit(printable(diagnostic.format()) + "\n", sys.stderr)
    if errors:
        emit(
            f"{len(errors)} error(s) in {printable(str(entries_dir))}: run `graph-builder check`\n",
            sys.stderr,
        )
        return 1
    lists = structural_neighbours(loaded.entries, vocabulary, settings)
    by_slug = {entry.slug: entry for entry in loaded.entries}
    graph = neighbour_lists_graph(loaded.entries, lists)
    insights = compute_insights(graph, by_slug, vocabulary, lists, insight_settings)
    if args.format == "json":
        summary = insights_summary(insights, by_slug)
        emit(json.dumps(summary, indent=2, sort_keys=True, ensure_ascii=False) + "\n", sys.stdout)
    else:
        emit(format_insights(insights, by_slug), sys.stdout)
    return 0


CATALOGUE_COMMANDS = (
    Command(
        name="export",
        help="export the catalogue graph",
        handler=_cmd_export,
        arguments=_export_arguments,
    ),
    Command(
        name="explain",
        help="break down the similarity of two entries",
        handler=_cmd_explain,
        arguments=_explain_arguments,
    ),
    Command(
        name="neighbours",
        help="show an entry's structural neighbours",
        handler=_cmd_neighbours,
        arguments=_neighbours_arguments,
    ),
    Command(
        name="insights",
        help="print the structural families, bridges and surprising pairs",
        handler=_cmd_insights,
        arguments=_insights_arguments,
    ),
)
