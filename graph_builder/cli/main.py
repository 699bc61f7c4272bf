"""The `graph-builder` command: argv -> exit code, dispatched to the commands' own modules.

`entry_commands` (check, new, schema), `catalogue_commands` (export, explain, neighbours,
insights) and `site_commands` (generate, diff) each hold their commands' arguments and handlers.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from graph_builder.cli.catalogue_commands import CATALOGUE_COMMANDS
from graph_builder.cli.console import Handler
from graph_builder.cli.entry_commands import ENTRY_COMMANDS
from graph_builder.cli.site_commands import SITE_COMMANDS

__all__ = ["build_parser", "main"]

#: The order `graph-builder --help` lists the commands in.
_ORDER = (
    "check",
    "new",
    "schema",
    "export",
    "explain",
    "neighbours",
    "generate",
    "insights",
    "diff",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand (exit code 2 on a usage error, as argparse does)."""
    parser = argparse.ArgumentParser(
        prog="graph-builder",
        description="Check, explore and publish the Mental Model Atlas catalogue.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands = {c.name: c for c in (*ENTRY_COMMANDS, *CATALOGUE_COMMANDS, *SITE_COMMANDS)}
    for name in _ORDER:
        command = commands[name]
        p = sub.add_parser(name, help=command.help, description=command.help)
        p.set_defaults(handler=command.handler)
        command.arguments(p)
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
