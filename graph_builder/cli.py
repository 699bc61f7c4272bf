"""The `graph-builder` command: argv -> exit code. Each subcommand is a thin `_cmd_*` over a stage."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

__all__ = ["main", "build_parser"]

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


def _cmd_check(args: argparse.Namespace) -> int:
    raise NotImplementedError


def _cmd_new(args: argparse.Namespace) -> int:
    raise NotImplementedError


def _cmd_schema(args: argparse.Namespace) -> int:
    raise NotImplementedError


def _cmd_export(args: argparse.Namespace) -> int:
    raise NotImplementedError


def _cmd_explain(args: argparse.Namespace) -> int:
    raise NotImplementedError


def _cmd_neighbours(args: argparse.Namespace) -> int:
    raise NotImplementedError


def _cmd_generate(args: argparse.Namespace) -> int:
    raise NotImplementedError


def _cmd_diff(args: argparse.Namespace) -> int:
    raise NotImplementedError
