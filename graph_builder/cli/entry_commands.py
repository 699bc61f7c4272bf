"""`check`, `new` and `schema`: the commands about entry files, argv -> exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph_builder.cli.console import (
    Command,
    config_option,
    emit,
    entries_option,
    site_settings,
    usage_error,
)
from graph_builder.core.characters import printable

__all__ = ["ENTRY_COMMANDS"]


def _check_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="only these files")
    entries_option(p)
    p.add_argument("--strict", action="store_true", help="warnings fail too")
    p.add_argument("--format", choices=("text", "json", "github"), default="text")
    p.add_argument(
        "--min-severity",
        choices=("error", "warning", "note"),
        default="note",
        help="list only problems this bad or worse (the summary line still counts them all)",
    )


def _new_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", nargs="?", help="display name of the entry")
    entries_option(p, from_site=True)
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
    config_option(p)


def _schema_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--output", type=Path, help="write to this file instead of stdout")


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
        return usage_error("check", f"entries folder not found: {entries_dir} (pass --entries DIR)")
    catalogue = entry_paths(entries_dir)
    by_resolved = {path.resolve(): path for path in catalogue}
    selected: dict[Path, Path] = {}  # resolved -> the path as diagnostics show it
    for given in args.paths:
        if given.is_dir():
            files = entry_paths(given)
        elif given.is_file():
            files = [given]
        else:
            return usage_error("check", f"no such file or folder: {given}")
        for path in files:
            selected.setdefault(path.resolve(), by_resolved.get(path.resolve(), path))
    extra = [shown for resolved, shown in selected.items() if resolved not in by_resolved]
    result = load_entries(entries_dir, paths=[*catalogue, *extra])
    diagnostics = [*result.diagnostics, *validate_entries(result.entries, default_vocabulary())]
    if selected:
        shown_paths = {str(path) for path in selected.values()}
        diagnostics = [d for d in diagnostics if d.path in shown_paths]
    files_checked = len(selected) if selected else len(catalogue)

    floor = Severity(args.min_severity)
    listed = [d for d in diagnostics if d.severity.at_least(floor)]
    # The summary counts every problem found, listed or not.
    emit(format_report(listed, args.format, files_checked, counted=diagnostics), sys.stdout)
    if args.format != "text":
        emit(summary(diagnostics, files_checked) + "\n", sys.stderr)
    failing = {Severity.ERROR, Severity.WARNING} if args.strict else {Severity.ERROR}
    return 1 if any(d.severity in failing for d in diagnostics) else 0


def _cmd_new(args: argparse.Namespace) -> int:
    """Scaffold `entries/<slug>.md`, asking for what the flags did not give when interactive."""
    import datetime as dt

    from graph_builder.cli import scaffold
    from graph_builder.cli.entry_draft import EntryDraft, draft_problems
    from graph_builder.cli.prompts import PromptAbortedError, prompt_draft
    from graph_builder.core.vocabulary import default_vocabulary

    vocabulary = default_vocabulary()
    if args.interactive and args.no_input:
        return usage_error("new", "--interactive and --no-input cannot be used together")
    try:
        site = site_settings(args)
    except ValueError as exc:
        return usage_error("new", str(exc))
    entries_dir = site.entries_dir
    if not entries_dir.is_dir():
        return usage_error("new", f"entries folder not found: {entries_dir} (pass --entries DIR)")
    draft = EntryDraft(
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
        problems = draft_problems(draft, vocabulary, complete=False)
        if problems:
            return usage_error("new", "; ".join(problems))
        try:
            draft = prompt_draft(
                draft,
                vocabulary,
                sys.stdin,
                sys.stdout,
                exists=lambda slug: (entries_dir / f"{slug}.md").exists(),
            )
        except PromptAbortedError as exc:
            emit(f"graph-builder new: {exc}; nothing written\n", sys.stderr)
            return 1
    problems = draft_problems(draft, vocabulary)
    if problems:
        missing = draft.name is None or draft.kind is None
        hint = " (give NAME and --kind, or run in a terminal to be asked)" if missing else ""
        return usage_error("new", "; ".join(problems) + hint)
    try:
        path = scaffold.write_entry(draft, entries_dir, vocabulary, dt.date.today())
    except scaffold.ScaffoldError as exc:
        emit(f"graph-builder new: error: {printable(str(exc))}\n", sys.stderr)
        return 1
    except OSError as exc:
        emit(f"graph-builder new: error: cannot write the entry: {exc.strerror}\n", sys.stderr)
        return 1
    lines = [f"wrote {printable(str(path))}"]
    lines += scaffold.neighbours_preview(path, entries_dir, vocabulary, site.settings)
    lines += scaffold.next_steps(path)
    emit("\n".join(lines) + "\n", sys.stdout)
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    """Print the frontmatter's JSON Schema, or write it to --output."""
    from graph_builder.cli.schema import schema_json
    from graph_builder.core.vocabulary import default_vocabulary

    text = schema_json(default_vocabulary())
    if args.output is None:
        emit(text, sys.stdout)
        return 0
    try:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        emit(
            f"graph-builder schema: error: cannot write {printable(str(args.output))}: "
            f"{exc.strerror}\n",
            sys.stderr,
        )
        return 1
    emit(f"wrote {printable(str(args.output))}\n", sys.stdout)
    return 0


ENTRY_COMMANDS = (
    Command(
        name="check",
        help="validate entries and report every problem as file:line",
        handler=_cmd_check,
        arguments=_check_arguments,
    ),
    Command(
        name="new", help="scaffold a new entry file", handler=_cmd_new, arguments=_new_arguments
    ),
    Command(
        name="schema",
        help="print the JSON Schema of the entry frontmatter",
        handler=_cmd_schema,
        arguments=_schema_arguments,
    ),
)
