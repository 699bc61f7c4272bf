"""The engine at scale: a written catalogue -> load, validate, neighbours, layout and export
figures (seconds, peak MB), measured in a fresh process per size, and the table of them.

`measure_size` writes a catalogue and runs `CHILD_MEASURES` over it in a child process
(`python -m tests.bench --child DIR`), so each size's peak memory is its own; `measure_export`
runs `graph-builder export --format json` in another (`--export DIR FILE`).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

from graph_builder.analysis.catalogue import catalogue_graph, layout
from graph_builder.analysis.neighbours import structural_neighbours
from graph_builder.core.load import entry_paths, load_entries
from graph_builder.core.validate import validate_entries
from graph_builder.core.vocabulary import default_vocabulary
from tests.bench_catalogue import write_catalogue

__all__ = [
    "CHILD_MEASURES",
    "COLUMNS",
    "EXPORT_LIMIT_MB",
    "export_lines",
    "format_table",
    "measure_export",
    "measure_frontmatter",
    "measure_layout",
    "measure_load",
    "measure_neighbours",
    "measure_size",
    "run_child",
    "run_export_child",
]

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: The most memory `graph-builder export` may take (at 100,000 entries): 4 GiB.
EXPORT_LIMIT_MB = 4 * 1024

Context = dict[str, Any]

#: The repository, on the children's import path.
_ROOT = Path(__file__).resolve().parent.parent


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def measure_frontmatter(ctx: Context) -> None:
    """Read every file and parse its frontmatter with the C YAML loader: the floor of loading."""
    start = time.perf_counter()
    for path in entry_paths(ctx["folder"]):
        text = path.read_text(encoding="utf-8")
        yaml.load(text[4 : text.index("\n---\n", 4)], Loader=_LOADER)
    ctx["read+yaml s"] = time.perf_counter() - start


def measure_load(ctx: Context) -> None:
    """`load_entries`, then `validate_entries` over what it loaded, each timed."""
    start = time.perf_counter()
    result = load_entries(ctx["folder"])
    ctx["load s"] = time.perf_counter() - start
    ctx["peak MB after load"] = _peak_mb()
    vocabulary = default_vocabulary()
    start = time.perf_counter()
    validate_entries(result.entries, vocabulary)
    ctx["load+validate s"] = ctx["load s"] + time.perf_counter() - start
    floor = ctx.get("read+yaml s")
    ctx["load/yaml"] = ctx["load s"] / floor if floor else None
    ctx["load+validate/yaml"] = ctx["load+validate s"] / floor if floor else None
    ctx["entries"] = result.entries
    ctx["count"] = len(result.entries)


def measure_neighbours(ctx: Context) -> None:
    start = time.perf_counter()
    ctx["lists"] = structural_neighbours(ctx["entries"], default_vocabulary())
    ctx["neighbours s"] = time.perf_counter() - start
    ctx["peak MB after neighbours"] = _peak_mb()


def measure_layout(ctx: Context) -> None:
    start = time.perf_counter()
    graph = catalogue_graph(ctx["entries"], ctx["lists"])
    ctx["graph s"] = time.perf_counter() - start
    ctx["edges"] = graph.number_of_edges()
    start = time.perf_counter()
    layout(graph, seed=1)
    ctx["layout s"] = time.perf_counter() - start


#: The measurements of one catalogue, in order; each reads and extends the context.
CHILD_MEASURES: list[Callable[[Context], None]] = [
    measure_frontmatter,
    measure_load,
    measure_neighbours,
    measure_layout,
]

#: The table: (context key, heading, format).
COLUMNS: list[tuple[str, str, str]] = [
    ("count", "entries", "{:,}"),
    ("read+yaml s", "read+yaml s", "{:.2f}"),
    ("load s", "load s", "{:.2f}"),
    ("load/yaml", "load/yaml", "{:.2f}x"),
    ("load+validate s", "load+validate s", "{:.2f}"),
    ("load+validate/yaml", "load+validate/yaml", "{:.2f}x"),
    ("neighbours s", "neighbours s", "{:.2f}"),
    ("edges", "edges", "{:,}"),
    ("graph s", "graph s", "{:.2f}"),
    ("layout s", "layout s", "{:.2f}"),
    ("peak MB after load", "peak MB (load)", "{:,.0f}"),
    ("peak MB after neighbours", "peak MB (neighbours)", "{:,.0f}"),
    ("peak MB", "peak MB (end)", "{:,.0f}"),
    ("export s", "export s", "{:.2f}"),
    ("export MB", "peak MB (export)", "{:,.0f}"),
]


def run_child(folder: Path) -> None:
    """Run every measurement over one catalogue and print the figures as one JSON line."""
    ctx: Context = {"folder": folder}
    for measure in CHILD_MEASURES:
        measure(ctx)
    ctx["peak MB"] = _peak_mb()
    figures = {k: v for k, v in ctx.items() if isinstance(v, int | float) or v is None}
    print(json.dumps(figures))


def measure_size(n: int, workdir: Path) -> dict[str, Any]:
    """Write a catalogue of `n` entries and measure it in a fresh process."""
    folder = workdir / f"catalogue-{n}"
    start = time.perf_counter()
    write_catalogue(folder, n)
    written = time.perf_counter() - start
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench", "--child", str(folder)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["write s"] = written
    figures["size"] = n
    return figures | measure_export(folder, workdir / f"export-{n}.json")


def run_export_child(folder: Path, output: Path) -> None:
    """Run `graph-builder export` over `folder` in this process; print its time and peak MB."""
    from graph_builder.cli.main import main as graph_builder

    start = time.perf_counter()
    code = graph_builder(
        ["export", "--format", "json", "--entries", str(folder), "--output", str(output)]
    )
    seconds = time.perf_counter() - start
    print(json.dumps({"export s": seconds, "export MB": _peak_mb(), "exit": code}))


def measure_export(folder: Path, output: Path) -> dict[str, Any]:
    """`graph-builder export` (JSON) over a written catalogue, in a fresh process: its wall time
    and the process's maximum resident memory, the figure a user's machine must hold.

    The process starts in the output's folder, which has no mkdocs.yml, so the export uses the
    default neighbour settings, as the other measurements do. The file is removed afterwards.
    """
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench", "--export", str(folder), str(output)],
        check=True,
        capture_output=True,
        text=True,
        cwd=output.parent,
        env={**os.environ, "PYTHONPATH": str(_ROOT)},
    )
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    output.unlink(missing_ok=True)
    return figures


def format_table(rows: Sequence[dict[str, Any]]) -> str:
    headings = ["size", *(title for _, title, _ in COLUMNS)]
    body = []
    for row in rows:
        cells = [f"{row['size']:,}"]
        for key, _, fmt in COLUMNS:
            value = row.get(key)
            cells.append("-" if value is None else fmt.format(value))
        body.append(cells)
    widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(headings)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(headings, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in body]
    return "\n".join(lines)


def export_lines(rows: Sequence[dict[str, Any]]) -> list[str]:
    """The export's figures of each size, beside the memory limit."""
    lines = []
    for row in rows:
        mb = row.get("export MB")
        if mb is None:
            continue
        verdict = "within" if mb <= EXPORT_LIMIT_MB else "OVER"
        lines.append(
            f"export --format json at {row['size']:>7,} entries: {row['export s']:6.1f} s, "
            f"peak {mb:7,.0f} MB (limit 4 GiB = {EXPORT_LIMIT_MB:,} MB: {verdict})"
        )
    return lines
