"""`make bench`: synthetic catalogues at scale -> timings, ratios and peak memory, as a table.

For each size (1,000 / 10,000 / 100,000 entries by default) the bench writes a synthetic
catalogue of real entry files into a temporary folder, then measures in a fresh Python process
(so the peak memory is that size's alone):

- `read+yaml`: reading every file and parsing its frontmatter with the same C YAML loader,
  the floor any loader pays, and `load`: `load_entries`, with the ratio of the two;
- `neighbours`: `structural_neighbours` over the loaded entries;
- `graph` and `layout`: `catalogue_graph` and `layout` of the result;
- `peak MB`: the process's maximum resident memory (getrusage), after loading and at the end.

Then, at 2,000 entries, a naive pairwise loop (every pair scored in plain Python, as a
straightforward reading of the definition would do) beside the fast path, and the ratio.

The measurements are functions over a shared context (`CHILD_MEASURES`), so more can be added:
each takes the context, reads what earlier ones left there and adds its figures.

Usage: `python -m tests.bench [--sizes 1000,10000,100000] [--naive 2000] [--keep DIR]`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from graph_builder.graph import catalogue_graph, layout
from graph_builder.load import entry_paths, load_entries
from graph_builder.model import Entry
from graph_builder.neighbours import NeighbourSettings, structural_neighbours
from graph_builder.vocabulary import Vocabulary, default_vocabulary, parent_of

__all__ = [
    "CHILD_MEASURES",
    "COLUMNS",
    "main",
    "measure_frontmatter",
    "measure_layout",
    "measure_load",
    "measure_neighbours",
    "naive_comparison",
    "naive_neighbours",
    "synthetic_frontmatter",
    "write_catalogue",
]

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Context = dict[str, Any]

# ---------------------------------------------------------------------------------------------
# Synthetic catalogues
# ---------------------------------------------------------------------------------------------


def _popularity(count: int, skew: float) -> list[float]:
    """Zipf-like weights: a few common terms, a long tail of rare ones."""
    return [1.0 / (rank + 1) ** skew for rank in range(count)]


def synthetic_frontmatter(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """Tags and facts of `n` entries, drawn like a real catalogue's.

    Patterns (2-4) and relations (2-4) favour common terms; a third of the `cause` and
    `transform` relations are subtypes; 80% have one structure, 20% two; about 7% have no
    level, 5% no frame, 2% no structural tags at all; frames are Zipf-distributed over n / 40
    domains, so a few domains are large.
    """
    vocabulary = default_vocabulary()
    rng = random.Random(seed)
    patterns = sorted(vocabulary.embodied_patterns)
    parents = sorted(vocabulary.relation_parents())
    structures = sorted(vocabulary.structures)
    categories = sorted(vocabulary.categories)
    for items in (patterns, parents, structures, categories):
        rng.shuffle(items)
    frames = [f"domain-{i:05d}" for i in range(max(10, n // 40))]
    weights = {
        "patterns": _popularity(len(patterns), 0.8),
        "parents": _popularity(len(parents), 0.9),
        "structures": _popularity(len(structures), 1.0),
        "frames": _popularity(len(frames), 1.0),
    }

    def pick(items: Sequence[str], key: str, count: int) -> list[str]:
        chosen: list[str] = []
        while len(chosen) < count:
            item = rng.choices(items, weights[key])[0]
            if item not in chosen:
                chosen.append(item)
        return chosen

    out = []
    for i in range(n):
        slug = f"model-{i:06d}"
        facts: dict[str, Any] = {
            "slug": slug,
            "name": f"Model {i:06d}",
            "kind": rng.choice(["metaphor", "mental-model", "pattern", "archetype"]),
            "source_frame": None
            if rng.random() < 0.05
            else rng.choices(frames, weights["frames"])[0],
            "categories": rng.sample(categories, rng.choice([1, 2])),
            "related": [f"model-{rng.randrange(n):06d}" for _ in range(rng.choice([0, 2, 3]))],
        }
        if rng.random() >= 0.02:
            relations = []
            for parent in pick(parents, "parents", rng.choices([2, 3, 4], [0.4, 0.45, 0.15])[0]):
                subtypes = vocabulary.subtypes_of(parent)
                relations.append(
                    rng.choice(subtypes) if subtypes and rng.random() < 0.35 else parent
                )
            facts["embodied_patterns"] = pick(
                patterns, "patterns", rng.choices([2, 3, 4], [0.25, 0.55, 0.2])[0]
            )
            facts["relation_types"] = relations
            facts["structure"] = pick(structures, "structures", 1 if rng.random() < 0.8 else 2)
            level = rng.choices(["generic", "specific", "primitive", None], [65, 20, 8, 7])[0]
            if level:
                facts["abstraction_level"] = level
        out.append(facts)
    return out


def _flow(items: Sequence[str]) -> str:
    return "[" + ", ".join(items) + "]"


def entry_text(facts: dict[str, Any]) -> str:
    """A whole entry file for the facts, with a body the size of a real entry's."""
    lines = [
        "---",
        f"slug: {facts['slug']}",
        f"name: {facts['name']}",
        f'summary: "A synthetic model, {facts["name"]}, for measuring the pipeline at scale."',
        f"kind: {facts['kind']}",
    ]
    if facts["source_frame"]:
        lines.append(f"source_frame: {facts['source_frame']}")
    lines += [
        f"categories: {_flow(facts['categories'])}",
        "grounding: folk",
        f"related: {_flow(facts['related'])}",
        "author: bench",
        "created: '2026-01-01'",
        "updated: '2026-01-02'",
        "transfers:",
        "  - '[model] What holds in the source holds, with care, in the target.'",
        "  - '[source] The source domain supplies the intuition and the vocabulary.'",
        "limits:",
        "  - '[model] The analogy stops where the two domains differ in kind.'",
        "  - '[model] A vivid image can hide the part of the target it does not fit.'",
    ]
    for key in ("embodied_patterns", "relation_types"):
        if key in facts:
            lines.append(f"{key}: {_flow(facts[key])}")
    if "structure" in facts:
        structure = facts["structure"]
        lines.append(f"structure: {structure[0] if len(structure) == 1 else _flow(structure)}")
    if "abstraction_level" in facts:
        lines.append(f"abstraction_level: {facts['abstraction_level']}")
    lines += [
        "---",
        "",
        "## Transfers",
        "",
        "A paragraph that says what the model carries from its source domain into the domains",
        "it is applied to, long enough to look like the opening of a real entry in the catalogue.",
        "",
        "- **First move** -- what the source makes easy to see in the target.",
        "- **Second move** -- what the source makes easy to do in the target.",
        "",
        "## Limits",
        "",
        "- **Where it breaks** -- the part of the target the source does not fit.",
        "- **What it hides** -- the part of the target the image draws attention away from.",
        "",
        "## Expressions",
        "",
        '- "a phrase in use" -- what people mean when they say it.',
        '- "another phrase" -- and what that one means.',
        "",
    ]
    return "\n".join(lines)


def write_catalogue(folder: Path, n: int, seed: int = 0) -> None:
    """Write `n` synthetic entry files into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for facts in synthetic_frontmatter(n, seed):
        (folder / f"{facts['slug']}.md").write_text(entry_text(facts), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Measurements (run in a fresh process per size)
# ---------------------------------------------------------------------------------------------


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
    start = time.perf_counter()
    result = load_entries(ctx["folder"])
    ctx["load s"] = time.perf_counter() - start
    ctx["load/yaml"] = ctx["load s"] / ctx["read+yaml s"] if ctx.get("read+yaml s") else None
    ctx["entries"] = result.entries
    ctx["count"] = len(result.entries)
    ctx["peak MB after load"] = _peak_mb()


def measure_neighbours(ctx: Context) -> None:
    start = time.perf_counter()
    ctx["lists"] = structural_neighbours(ctx["entries"], default_vocabulary())
    ctx["neighbours s"] = time.perf_counter() - start


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
    ("neighbours s", "neighbours s", "{:.2f}"),
    ("edges", "edges", "{:,}"),
    ("graph s", "graph s", "{:.2f}"),
    ("layout s", "layout s", "{:.2f}"),
    ("peak MB after load", "peak MB (load)", "{:,.0f}"),
    ("peak MB", "peak MB (end)", "{:,.0f}"),
]


def _child(folder: Path) -> None:
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
    return figures


# ---------------------------------------------------------------------------------------------
# The naive loop
# ---------------------------------------------------------------------------------------------


def _naive_score(a: Entry, b: Entry, vocabulary: Vocabulary, s: NeighbourSettings) -> float:
    def weighted_jaccard(x: set[str], y: set[str], weight: Callable[[str], float]) -> float:
        union = sum(weight(parent_of(t)) for t in x | y)
        if not union:
            return 0.0
        exact = sum(weight(parent_of(t)) for t in x & y)
        left_x, left_y = x - y, y - x
        partial = 0.0
        for parent in {parent_of(t) for t in left_x} & {parent_of(t) for t in left_y}:
            pairs = min(
                sum(parent_of(t) == parent for t in left_x),
                sum(parent_of(t) == parent for t in left_y),
            )
            partial += pairs * s.sibling_credit * weight(parent)
        return (exact + partial) / union

    patterns = weighted_jaccard(
        set(a.embodied_patterns), set(b.embodied_patterns), vocabulary.pattern_weight
    )
    relations = weighted_jaccard(
        set(a.relation_types), set(b.relation_types), vocabulary.relation_weight
    )
    sa, sb = set(a.structure), set(b.structure)
    structure = len(sa & sb) / len(sa | sb) if sa | sb else 0.0
    level = 1.0 if a.abstraction_level and a.abstraction_level == b.abstraction_level else 0.0
    total = (
        s.pattern_factor * patterns
        + s.relation_factor * relations
        + s.structure_factor * structure
        + s.level_factor * level
    )
    return round(total, 6)


def naive_neighbours(
    entries: Sequence[Entry], vocabulary: Vocabulary, s: NeighbourSettings = NeighbourSettings()
) -> dict[str, tuple[list[str], list[str]]]:
    """Every pair scored in plain Python floats, then sorted: the O(n²) baseline."""
    takers = [e for e in entries if e.has_structure]
    out = {}
    for a in takers:
        cross: list[tuple[float, str]] = []
        same: list[tuple[float, str]] = []
        for b in takers:
            if b.slug == a.slug:
                continue
            score = _naive_score(a, b, vocabulary, s)
            if score >= s.threshold:
                in_domain = a.source_frame is not None and a.source_frame == b.source_frame
                (same if in_domain else cross).append((-score, b.slug))
        cross.sort()
        same.sort()
        out[a.slug] = (
            [slug for _, slug in cross[: s.cross_domain_k]],
            [slug for _, slug in same[: s.same_domain_k]],
        )
    return out


def naive_comparison(n: int, workdir: Path) -> dict[str, Any]:
    """The naive loop and the fast path over the same `n` loaded entries, and the ratio."""
    folder = workdir / f"naive-{n}"
    write_catalogue(folder, n, seed=1)
    entries = load_entries(folder).entries
    vocabulary = default_vocabulary()
    start = time.perf_counter()
    naive = naive_neighbours(entries, vocabulary)
    naive_s = time.perf_counter() - start
    # The fast path is short enough to be disturbed by anything else the machine does: the
    # best of three runs.
    fast_times = []
    for _ in range(3):
        start = time.perf_counter()
        fast = structural_neighbours(entries, vocabulary)
        fast_times.append(time.perf_counter() - start)
    fast_s = min(fast_times)
    same = sum(
        1
        for slug, (cross, in_domain) in naive.items()
        if cross == [x.slug for x in fast[slug].cross_domain]
        and in_domain == [x.slug for x in fast[slug].same_domain]
    )
    return {"n": n, "naive s": naive_s, "fast s": fast_s, "agree": same, "compared": len(naive)}


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------


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


def machine() -> str:
    return (
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"numpy {np.__version__}"
    )


def main(argv: Sequence[str] | None = None) -> int:
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
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        _child(args.child)
        return 0
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="mma-bench-") as tmp:
        workdir = args.keep or Path(tmp)
        rows = []
        for n in sizes:
            print(f"measuring {n:,} entries ...", file=sys.stderr, flush=True)
            rows.append(measure_size(n, workdir))
        if rows:
            print()
            print(format_table(rows))
            print("(times in seconds; peak MB = max resident memory of the measuring process)")
        if args.naive:
            print(f"naive comparison at {args.naive:,} entries ...", file=sys.stderr, flush=True)
            naive = naive_comparison(args.naive, workdir)
            print()
            print(
                f"naive pairwise loop at {naive['n']:,} entries: {naive['naive s']:.1f} s; "
                f"fast path (best of 3): {naive['fast s']:.2f} s; "
                f"{naive['naive s'] / naive['fast s']:.0f}x "
                f"faster; same lists for {naive['agree']:,} of {naive['compared']:,} entries"
            )
            print(
                "(a list can differ only where a total lies exactly half-way between two "
                "6-decimal values: float sums round those by accident, the fast path exactly)"
            )
    if args.browser:
        # The graphs in headless Chromium (bench_browser.py): page weight, explorer first draw.
        from tests.bench_browser import report

        print(f"graphs in a browser at {args.browser:,} entries ...", file=sys.stderr, flush=True)
        print()
        print("\n".join(report(args.browser)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
