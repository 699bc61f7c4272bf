"""`make bench`: synthetic catalogues at scale -> timings, ratios and peak memory, as a table.

For each size (1,000 / 10,000 / 100,000 entries by default) the bench writes a synthetic
catalogue of real entry files into a temporary folder (bench_catalogue.py), then measures in a
fresh Python process (so the peak memory is that size's alone; bench_engine.py):

- `read+yaml`: reading every file and parsing its frontmatter with the same C YAML loader,
  the floor any loader pays, and `load`: `load_entries`, with the ratio of the two;
- `load+validate`: `load_entries` then `validate_entries` (what `graph-builder check` does),
  and its ratio to `read+yaml`;
- `neighbours`: `structural_neighbours` over the loaded entries;
- `graph` and `layout`: `catalogue_graph` and `layout` of the result;
- `peak MB`: the process's maximum resident memory (getrusage) after loading, after the
  neighbours and at the end (after the graph and its layout);
- `export s` and `peak MB (export)`: `graph-builder export --format json --output FILE` over
  the catalogue in a process of its own (`measure_export`), its wall time and maximum resident
  memory: load, neighbours and the JSON written entry by entry (limit at 100,000: 4 GiB,
  printed beside the figure under the table).

Then, at 2,000 entries, a naive pairwise loop (every pair scored in plain Python, as a
straightforward reading of the definition would do) beside the fast path, and the ratio
(bench_naive.py).

The measurements are functions over a shared context (`bench_engine.CHILD_MEASURES`), so more
can be added: each takes the context, reads what earlier ones left there and adds its figures.

`--site` (250 and 2,000 entries by default): the whole site built with the plugin by the
`mkdocs` command, against a plain Material site of as many same-sized pages (the floor MkDocs
sets), as build seconds, CPU ms per entry, site MB and the ratio of the two (bench_site.py).

`--prose` (250 and 1,000 entries by default): the prose floor. The project's site of entries
whose bodies are the repository's real prose, against a plain Material site of the same prose,
a page per entry, both built twice by `mkdocs build`; the least CPU time of each, the ratio
and the growth of the CPU per entry (bench_prose.py).

`--rebuild` (1,000 entries by default): both prose sites under `mkdocs serve`, and the project's
under `mkdocs serve --dirty` too, and the time from an edit of one entry to the served page
showing it, median of three (bench_rebuild.py).

`--insights` (2,000): the structural insights' share of the build (bench_insights.py);
`--browser` and `--shape` (2,000): the graphs and the find-by-shape page in headless Chromium
(bench_browser.py, bench_shape.py).

`--profile N` does none of the above: it builds the project's prose site of N entries in this
process under cProfile and prints where the time goes (bench_profile.py). `--phases 1000` (or
several sizes, comma-separated) likewise does only this: both prose sites of that many entries,
each phase of their builds in CPU seconds side by side, what the project's site adds in each,
and, for the phases that run once a page, that split into its extra pages and the weight of each
(bench_phases.py).

Usage: `python -m tests.bench [--sizes 1000,10000,100000] [--naive 2000] [--keep DIR]
[--site 250,2000] [--prose 250,1000] [--rebuild 1000] [--shape 2000] [--profile N]
[--phases 250,1000]`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tests.bench_engine import (
    export_lines,
    format_table,
    measure_size,
    run_child,
    run_export_child,
)
from tests.bench_insights import INSIGHT_SIZE, attribute_build, insight_report
from tests.bench_naive import naive_lines
from tests.bench_phases import phases_report
from tests.bench_prose import PROSE_SIZES, prose_report
from tests.bench_rebuild import REBUILD_SIZE, rebuild_report
from tests.bench_site import SITE_SIZES, site_benches

__all__ = ["machine", "main"]


def machine() -> str:
    return (
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"numpy {np.__version__}"
    )


def _sizes(text: str) -> list[int]:
    """Comma-separated catalogue sizes; `0` or nothing: none."""
    return [int(n.replace("_", "")) for n in text.split(",") if n.strip() not in ("", "0")]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated sizes")
    parser.add_argument(
        "--naive", type=int, default=2000, help="size of the naive comparison (0: skip)"
    )
    parser.add_argument("--keep", type=Path, help="write the catalogues here and keep them")
    parser.add_argument(
        "--browser",
        type=int,
        default=2000,
        help="entries for the graphs' browser figures (bench_browser.py; 0: skip)",
    )
    parser.add_argument(
        "--site",
        default=",".join(str(n) for n in SITE_SIZES),
        help="catalogue sizes of the site builds with the plugin (0: skip)",
    )
    parser.add_argument(
        "--prose",
        default=",".join(str(n) for n in PROSE_SIZES),
        help="catalogue sizes of the prose floor: the project's site against plain Material "
        "over the same real prose (bench_prose.py; 0: skip)",
    )
    parser.add_argument(
        "--rebuild",
        type=int,
        default=REBUILD_SIZE,
        help="entries for the edit-to-served-page time under mkdocs serve "
        "(bench_rebuild.py; 0: skip)",
    )
    parser.add_argument(
        "--insights",
        type=int,
        default=INSIGHT_SIZE,
        help="entries for the insights' share of the build (measure_insight_share; 0: skip)",
    )
    parser.add_argument(
        "--shape",
        type=int,
        default=2000,
        help="entries for the shape page's data size and change-to-list time "
        "(bench_shape.py; 0: skip)",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        help="only profile one build of the prose site of this many entries (bench_profile.py)",
    )
    parser.add_argument(
        "--phases",
        default="",
        help="only split the builds of both prose sites of these sizes into their phases "
        "(bench_phases.py)",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--attribute", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--export", type=Path, nargs=2, help=argparse.SUPPRESS)
    return parser


def _section(lines: Sequence[str]) -> None:
    print()
    print("\n".join(lines), flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # The bench's own children: one measurement each, its figures as a JSON line.
    if args.export is not None:
        run_export_child(*args.export)
        return 0
    if args.child is not None:
        run_child(args.child)
        return 0
    if args.attribute is not None:
        print(json.dumps(attribute_build(args.attribute)))
        return 0
    print(f"machine: {machine()}", flush=True)
    if args.profile:
        from tests.bench_profile import profile_report

        with tempfile.TemporaryDirectory(prefix="mma-profile-bench-") as tmp:
            _section(profile_report(args.profile, args.keep or Path(tmp)))
        return 0
    if _sizes(args.phases):
        with tempfile.TemporaryDirectory(prefix="mma-phases-bench-") as tmp:
            _section(phases_report(_sizes(args.phases), args.keep or Path(tmp)))
        return 0
    sizes = _sizes(args.sizes)
    with tempfile.TemporaryDirectory(prefix="mma-bench-") as tmp:
        workdir = args.keep or Path(tmp)
        rows = []
        for n in sizes:
            print(f"measuring {n:,} entries ...", file=sys.stderr, flush=True)
            rows.append(measure_size(n, workdir))
        if rows:
            _section(
                [
                    format_table(rows),
                    "(times in seconds; peak MB = max resident memory of the measuring process)",
                    *export_lines(rows),
                ]
            )
        if args.naive:
            print(f"naive comparison at {args.naive:,} entries ...", file=sys.stderr, flush=True)
            _section(naive_lines(args.naive, workdir))
    if args.browser:
        # The graphs in headless Chromium (bench_browser.py): page weight, explorer first draw.
        from tests.bench_browser import report

        print(f"graphs in a browser at {args.browser:,} entries ...", file=sys.stderr, flush=True)
        _section(report(args.browser))
    if args.shape:
        # Find by shape in headless Chromium (bench_shape.py): data size, change -> new list.
        from tests.bench_shape import report as shape_report

        print(f"find by shape at {args.shape:,} entries ...", file=sys.stderr, flush=True)
        _section(shape_report(args.shape))
    if args.insights:
        # The structural insights' share of the build (measure_insight_share).
        with tempfile.TemporaryDirectory(prefix="mma-insight-bench-") as tmp:
            _section(insight_report(args.insights, args.keep or Path(tmp)))
    site_sizes = _sizes(args.site)
    if site_sizes:
        # The whole site with the plugin against a plain Material site (measure_site_build).
        with tempfile.TemporaryDirectory(prefix="mma-site-bench-") as tmp:
            _section(site_benches(site_sizes, args.keep or Path(tmp)))
    prose_sizes = _sizes(args.prose)
    if prose_sizes:
        # The project's site against plain Material over the same real prose.
        with tempfile.TemporaryDirectory(prefix="mma-prose-bench-") as tmp:
            _section(prose_report(prose_sizes, args.keep or Path(tmp)))
    if args.rebuild:
        # Edit to served page under `mkdocs serve`, both prose sites.
        with tempfile.TemporaryDirectory(prefix="mma-serve-bench-") as tmp:
            _section(rebuild_report(args.rebuild, args.keep or Path(tmp)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
