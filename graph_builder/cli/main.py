"""The `graph-builder` command: argv -> exit code; each `_cmd_*` is thin glue over a stage."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from graph_builder.core.characters import printable

__all__ = ["build_parser", "main"]

DEFAULT_ENTRIES = Path("entries")

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand (exit code 2 on a usage error, as argparse does)."""
    parser = argparse.ArgumentParser(
        prog="graph-builder",
        description="Check, explore and publish the Mental Model Atlas catalogue.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    def entries_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--entries",
            type=Path,
            default=DEFAULT_ENTRIES,
            metavar="DIR",
            help="the catalogue folder (default: entries/)",
        )

    p = command("check", _cmd_check, "validate entries and report every problem as file:line")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="only these files")
    entries_option(p)
    p.add_argument("--strict", action="store_true", help="warnings fail too")
    p.add_argument("--format", choices=("text", "json", "github"), default="text")

    p = command("new", _cmd_new, "scaffold a new entry file")
    p.add_argument("name", nargs="?", help="display name of the entry")
    entries_option(p)
    p.add_argument("--kind", help="metaphor, pattern, archetype, paradigm or mental-model")
    p.add_argument("--source-frame", dest="source_frame", help="the domain it comes from")
    p.add_argument("--category", dest="categories", action="append", default=None)
    p.add_argument("--pattern", dest="embodied_patterns", action="append", default=None)
    p.add_argument("--relation", dest="relation_types", action="append", default=None)
    p.add_argument("--structure", dest="structure", action="append", default=None)
    p.add_argument("--level", dest="abstraction_level")
    p.add_argument("--author", help="your handle")
    p.add_argument(
        "--slug", dest="given_slug", help="the slug and file name, when the name gives none"
    )
    p.add_argument(
        "--no-input", action="store_true", help="never prompt, even in a terminal (flags only)"
    )
    p.add_argument(
        "--interactive", action="store_true", help="prompt for missing answers even without a tty"
    )

    p = command("schema", _cmd_schema, "print the JSON Schema of the entry frontmatter")
    p.add_argument("--output", type=Path, help="write to this file instead of stdout")

    p = command("export", _cmd_export, "export the catalogue graph")
    entries_option(p)
    p.add_argument("--format", choices=("json", "graphml", "gexf"), default="json")
    p.add_argument("--output", type=Path, help="write to this file instead of stdout")

    p = command("explain", _cmd_explain, "break down the similarity of two entries")
    p.add_argument("a", metavar="A")
    p.add_argument("b", metavar="B")
    entries_option(p)

    p = command("neighbours", _cmd_neighbours, "show an entry's structural neighbours")
    p.add_argument("slug", metavar="SLUG")
    entries_option(p)

    p = command("generate", _cmd_generate, "write the generated site pages as Markdown files")
    entries_option(p)
    p.add_argument("--output", type=Path, required=True, metavar="DIR")
    p.add_argument(
        "--config-file",
        type=Path,
        metavar="FILE",
        help="take the plugin's options (entries_dir included) from this mkdocs.yml",
    )

    p = command(
        "insights", _cmd_insights, "print the structural families, bridges and surprising pairs"
    )
    p.add_argument(
        "--entries",
        type=Path,
        default=None,
        metavar="DIR",
        help="the catalogue folder (default: the site's, else entries/)",
    )
    p.add_argument(
        "--config-file",
        type=Path,
        metavar="FILE",
        help="take the plugin's options from this mkdocs.yml (default: ./mkdocs.yml if present)",
    )
    p.add_argument(
        "--resolution",
        type=float,
        metavar="R",
        help="Louvain resolution of the families, instead of the site's (above 1: smaller ones)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = command("diff", _cmd_diff, "neighbour changes between a git ref and the working tree")
    p.add_argument("base", metavar="BASE")
    entries_option(p)
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand. Returns 0 on success, 1 when problems were found, 2 on usage errors."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help (0) and on usage errors (2)
        return int(exc.code or 0)
    handler: Handler = args.handler
    try:
        return handler(args)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _emit(text: str, stream: TextIO) -> None:
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


def _usage_error(command: str, message: str) -> int:
    _emit(f"graph-builder {command}: error: {printable(message)}\n", sys.stderr)
    return 2


def _cmd_check(args: argparse.Namespace) -> int:
    """Validate the whole catalogue; with PATHs, report only those files' diagnostics.

    Files given outside the entries folder are loaded as part of the catalogue, so a new file
    is checked against the slugs and frames of every existing entry. Nothing is written.
    """
    from graph_builder.cli.report import format_report, summary
    from graph_builder.core.load import entry_paths, load_entries
    from graph_builder.core.model import Severity
    from graph_builder.core.validate import validate_entries
    from graph_builder.core.vocabulary import default_vocabulary

    entries_dir: Path = args.entries
    if not entries_dir.is_dir():
        return _usage_error(
            "check", f"entries folder not found: {entries_dir} (pass --entries DIR)"
        )
    catalogue = entry_paths(entries_dir)
    by_resolved = {path.resolve(): path for path in catalogue}
    selected: dict[Path, Path] = {}  # resolved -> the path as diagnostics show it
    for given in args.paths:
        if given.is_dir():
            files = entry_paths(given)
        elif given.is_file():
            files = [given]
        else:
            return _usage_error("check", f"no such file or folder: {given}")
        for path in files:
            selected.setdefault(path.resolve(), by_resolved.get(path.resolve(), path))
    extra = [shown for resolved, shown in selected.items() if resolved not in by_resolved]
    result = load_entries(entries_dir, paths=[*catalogue, *extra])
    diagnostics = [*result.diagnostics, *validate_entries(result.entries, default_vocabulary())]
    if selected:
        shown_paths = {str(path) for path in selected.values()}
        diagnostics = [d for d in diagnostics if d.path in shown_paths]
    files_checked = len(selected) if selected else len(catalogue)

    _emit(format_report(diagnostics, args.format, files_checked), sys.stdout)
    if args.format != "text":
        _emit(summary(diagnostics, files_checked) + "\n", sys.stderr)
    failing = {Severity.ERROR, Severity.WARNING} if args.strict else {Severity.ERROR}
    return 1 if any(d.severity in failing for d in diagnostics) else 0


def _cmd_new(args: argparse.Namespace) -> int:
    """Scaffold `entries/<slug>.md`, asking for what the flags did not give when interactive."""
    import datetime as dt

    from graph_builder.cli import scaffold
    from graph_builder.core.vocabulary import default_vocabulary

    vocabulary = default_vocabulary()
    if args.interactive and args.no_input:
        return _usage_error("new", "--interactive and --no-input cannot be used together")
    entries_dir: Path = args.entries
    if not entries_dir.is_dir():
        return _usage_error("new", f"entries folder not found: {entries_dir} (pass --entries DIR)")
    draft = scaffold.EntryDraft(
        name=args.name,
        kind=args.kind,
        source_frame=args.source_frame,
        categories=tuple(args.categories or ()),
        embodied_patterns=tuple(args.embodied_patterns or ()),
        relation_types=tuple(args.relation_types or ()),
        structure=tuple(args.structure or ()),
        abstraction_level=args.abstraction_level,
        author=args.author,
        given_slug=args.given_slug,
    )
    interactive = args.interactive or (not args.no_input and sys.stdin.isatty())
    if interactive:
        problems = scaffold.draft_problems(draft, vocabulary, complete=False)
        if problems:
            return _usage_error("new", "; ".join(problems))
        try:
            draft = scaffold.prompt_draft(
                draft,
                vocabulary,
                sys.stdin,
                sys.stdout,
                exists=lambda slug: (entries_dir / f"{slug}.md").exists(),
            )
        except scaffold.PromptAbortedError as exc:
            _emit(f"graph-builder new: {exc}; nothing written\n", sys.stderr)
            return 1
    problems = scaffold.draft_problems(draft, vocabulary)
    if problems:
        missing = draft.name is None or draft.kind is None
        hint = " (give NAME and --kind, or run in a terminal to be asked)" if missing else ""
        return _usage_error("new", "; ".join(problems) + hint)
    try:
        path = scaffold.write_entry(draft, entries_dir, vocabulary, dt.date.today())
    except scaffold.ScaffoldError as exc:
        _emit(f"graph-builder new: error: {printable(str(exc))}\n", sys.stderr)
        return 1
    except OSError as exc:
        _emit(f"graph-builder new: error: cannot write the entry: {exc.strerror}\n", sys.stderr)
        return 1
    lines = [f"wrote {printable(str(path))}"]
    lines += scaffold.neighbours_preview(path, entries_dir, vocabulary)
    lines += scaffold.next_steps(path)
    _emit("\n".join(lines) + "\n", sys.stdout)
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    """Print the frontmatter's JSON Schema, or write it to --output."""
    from graph_builder.cli.schema import schema_json
    from graph_builder.core.vocabulary import default_vocabulary

    text = schema_json(default_vocabulary())
    if args.output is None:
        _emit(text, sys.stdout)
        return 0
    try:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        _emit(
            f"graph-builder schema: error: cannot write {printable(str(args.output))}: "
            f"{exc.strerror}\n",
            sys.stderr,
        )
        return 1
    _emit(f"wrote {printable(str(args.output))}\n", sys.stdout)
    return 0


def _load_for(entries_dir: Path) -> tuple[list[Any], bool]:
    """Load the catalogue for export/explain/neighbours: print each file that could not be read
    in the diagnostic format to stderr and go on with the entries that loaded.

    Returns the entries and whether any file failed to load (an error; a loader warning, such
    as text before the first section, leaves a usable entry).
    """
    from graph_builder.core.load import load_entries
    from graph_builder.core.model import Severity

    result = load_entries(entries_dir)
    for diagnostic in sorted(result.diagnostics, key=lambda d: d.sort_key()):
        _emit(printable(diagnostic.format()) + "\n", sys.stderr)
    return list(result.entries), any(d.severity is Severity.ERROR for d in result.diagnostics)


def _unknown_slug(command: str, slug: str, entries: Sequence[Any], entries_dir: Path) -> int:
    from graph_builder.opendata.export import suggest

    hint = suggest(slug, sorted(e.slug for e in entries))
    also = f" (did you mean {hint!r}?)" if hint else ""
    _emit(
        f"graph-builder {command}: error: no entry '{printable(slug)}' in "
        f"{printable(str(entries_dir))}{also}\n",
        sys.stderr,
    )
    return 1


def _cmd_export(args: argparse.Namespace) -> int:
    """Export the catalogue graph; a file that cannot be read is reported and left out, the
    export is still written, and the exit code is 1 so a partial export does not pass silently."""
    from graph_builder.analysis.neighbours import structural_neighbours
    from graph_builder.core.vocabulary import default_vocabulary
    from graph_builder.opendata.export import export_catalogue

    entries, failed = _load_for(args.entries)
    lists = structural_neighbours(entries, default_vocabulary())
    text = export_catalogue(entries, lists, args.format)
    if args.output is None:
        _emit(text, sys.stdout)
    else:
        try:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            args.output.write_text(text, encoding="utf-8", newline="\n")
        except OSError as exc:
            _emit(
                f"graph-builder export: error: cannot write {printable(str(args.output))}: "
                f"{exc.strerror}\n",
                sys.stderr,
            )
            return 1
        _emit(
            f"wrote {printable(str(args.output))} ({len(entries)} entries, {args.format})\n",
            sys.stdout,
        )
    return 1 if failed else 0


def _cmd_explain(args: argparse.Namespace) -> int:
    """Take apart the similarity of two entries, and say where each stands in the other's list."""
    from graph_builder.analysis.neighbours import (
        NeighbourSettings,
        similarity,
        structural_neighbours,
    )
    from graph_builder.core.vocabulary import default_vocabulary
    from graph_builder.opendata.export import format_explanation, rank_note

    entries, _ = _load_for(args.entries)
    by_slug = {e.slug: e for e in reversed(entries)}
    for slug in (args.a, args.b):
        if slug not in by_slug:
            return _unknown_slug("explain", slug, entries, args.entries)
    a, b = by_slug[args.a], by_slug[args.b]
    vocabulary, settings = default_vocabulary(), NeighbourSettings()
    notes = []
    if a.slug != b.slug and a.has_structure and b.has_structure:
        lists = structural_neighbours(entries, vocabulary, settings, only=[a.slug, b.slug])
        notes = [rank_note(a, b, lists[a.slug], settings), rank_note(b, a, lists[b.slug], settings)]
    score = similarity(a, b, vocabulary, settings)
    _emit(format_explanation(a, b, score, vocabulary, settings, notes), sys.stdout)
    return 0


def _cmd_neighbours(args: argparse.Namespace) -> int:
    """Print an entry's cross-domain and same-domain neighbours with scores and shared tags."""
    from graph_builder.analysis.neighbours import NeighbourSettings, structural_neighbours
    from graph_builder.core.vocabulary import default_vocabulary
    from graph_builder.opendata.export import format_neighbours

    entries, _ = _load_for(args.entries)
    by_slug = {e.slug: e for e in reversed(entries)}
    if args.slug not in by_slug:
        return _unknown_slug("neighbours", args.slug, entries, args.entries)
    settings = NeighbourSettings()
    lists = structural_neighbours(entries, default_vocabulary(), settings, only=[args.slug])
    _emit(format_neighbours(by_slug[args.slug], lists[args.slug], by_slug, settings), sys.stdout)
    return 0


def _cmd_generate(args: argparse.Namespace) -> int:
    """Write every file the MkDocs plugin would add (pages, stylesheet, graph and open data), for
    any other engine; with --config-file, built from that mkdocs.yml exactly as the plugin does."""
    # Imported here: the other subcommands should not pay for MkDocs and the renderer.
    from graph_builder.core.model import Severity
    from graph_builder.site.build import build_site
    from graph_builder.site.index import SiteOptions
    from graph_builder.site.outputs import GeneratedPage

    if args.config_file is not None:
        from graph_builder.plugin.config import options_from_mkdocs_yml

        try:
            built = options_from_mkdocs_yml(args.config_file)
        except ValueError as exc:
            _emit(f"error: {printable(str(exc))}\n", sys.stderr)
            return 2
        result = build_site(
            built.entries_dir,
            settings=built.settings,
            options=built.options,
            insights=built.insights,
        )
    else:
        # The plugin's defaults; the Contribute page from CONTRIBUTING.md beside the entries
        # folder (the repository's root), as the plugin takes it from beside mkdocs.yml.
        contributing = args.entries.parent / "CONTRIBUTING.md"
        text = contributing.read_text(encoding="utf-8") if contributing.is_file() else ""
        result = build_site(args.entries, options=SiteOptions(contributing=text))
    for diagnostic in result.diagnostics:
        if diagnostic.severity is not Severity.NOTE:
            _emit(printable(diagnostic.format()) + "\n", sys.stderr)
    errors = result.of(Severity.ERROR)
    if errors:
        _emit(f"{len(errors)} error(s): no pages written\n", sys.stderr)
        return 1
    for output in result.outputs:
        target = args.output / output.uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(output, GeneratedPage):
            target.write_text(output.markdown, encoding="utf-8", newline="\n")
        else:
            target.write_bytes(output.content)
    _emit(
        f"wrote {len(result.pages)} pages and {len(result.files)} other files to "
        f"{printable(str(args.output))}\n",
        sys.stdout,
    )
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from graph_builder.cli.diff import GitError, diff_neighbours, format_diff
    from graph_builder.core.vocabulary import default_vocabulary

    try:
        diff = diff_neighbours(args.base, args.entries, default_vocabulary())
    except GitError as exc:
        _emit(
            f"graph-builder diff: error: cannot read '{printable(args.base)}' from git: "
            f"{printable(str(exc))}\n",
            sys.stderr,
        )
        return 2
    _emit(format_diff(diff, args.format, base=args.base), sys.stdout)
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
    from graph_builder.analysis.neighbours import NeighbourSettings, structural_neighbours
    from graph_builder.core.load import load_entries
    from graph_builder.core.model import Severity
    from graph_builder.core.validate import validate_entries
    from graph_builder.core.vocabulary import default_vocabulary
    from graph_builder.opendata.export import format_insights, insights_summary

    config_file = args.config_file
    if config_file is None and Path("mkdocs.yml").is_file():
        config_file = Path("mkdocs.yml")
    entries_dir, settings, insight_settings = DEFAULT_ENTRIES, NeighbourSettings(), None
    if config_file is not None:
        from graph_builder.plugin.config import options_from_mkdocs_yml

        try:
            built = options_from_mkdocs_yml(config_file)
        except ValueError as exc:
            return _usage_error("insights", str(exc))
        entries_dir, settings, insight_settings = (
            built.entries_dir,
            built.settings,
            built.insights,
        )
    insight_settings = insight_settings or InsightSettings()
    if args.resolution is not None:
        if not args.resolution > 0:
            return _usage_error("insights", f"--resolution must be above 0, not {args.resolution}")
        insight_settings = dataclasses.replace(insight_settings, resolution=args.resolution)
    entries_dir = args.entries or entries_dir

    vocabulary = default_vocabulary()
    loaded = load_entries(entries_dir)
    problems = [*loaded.diagnostics, *validate_entries(loaded.entries, vocabulary)]
    errors = sorted(
        (d for d in problems if d.severity is Severity.ERROR), key=lambda d: d.sort_key()
    )
    for diagnostic in errors:
        _emit(printable(diagnostic.format()) + "\n", sys.stderr)
    if errors:
        _emit(
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
        _emit(json.dumps(summary, indent=2, sort_keys=True, ensure_ascii=False) + "\n", sys.stdout)
    else:
        _emit(format_insights(insights, by_slug), sys.stdout)
    return 0
