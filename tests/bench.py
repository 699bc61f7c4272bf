"""`make bench`: synthetic catalogues at scale -> timings, ratios and peak memory, as a table.

For each size (1,000 / 10,000 / 100,000 entries by default) the bench writes a synthetic
catalogue of real entry files into a temporary folder, then measures in a fresh Python process
(so the peak memory is that size's alone):

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
  memory: load, neighbours and the JSON written entry by entry (aim at 100,000: <= 4 GiB).

Then, at 2,000 entries, a naive pairwise loop (every pair scored in plain Python, as a
straightforward reading of the definition would do) beside the fast path, and the ratio.

The measurements are functions over a shared context (`CHILD_MEASURES`), so more can be added:
each takes the context, reads what earlier ones left there and adds its figures.

Last, `--site` (250 and 2,000 entries by default): the whole site built with the plugin by the
`mkdocs` command, against a plain Material site of as many same-sized pages (the floor MkDocs
sets), as build seconds, CPU ms per entry, site MB and the ratio of the two (see
`measure_site_build`).

`--shape` (2,000 entries by default): the find-by-shape page's data size and the time from a
change of the shape to the updated list, in headless Chromium (bench_shape.py).

Usage: `python -m tests.bench [--sizes 1000,10000,100000] [--naive 2000] [--keep DIR]
[--site 250,2000] [--shape 2000]`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from graph_builder.analysis.catalogue import catalogue_graph, layout
from graph_builder.analysis.neighbours import structural_neighbours
from graph_builder.analysis.similarity import NeighbourSettings
from graph_builder.core.load import entry_paths, load_entries
from graph_builder.core.model import Entry
from graph_builder.core.validate import validate_entries
from graph_builder.core.vocabulary import Vocabulary, default_vocabulary, parent_of

__all__ = [
    "CHILD_MEASURES",
    "COLUMNS",
    "main",
    "measure_export",
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
        kind = rng.choice(["metaphor", "mental-model", "pattern", "archetype"])
        # A metaphor must name its frame (`missing-source-frame`): only the others go without.
        frameless = rng.random() < 0.05 and kind != "metaphor"
        facts: dict[str, Any] = {
            "slug": slug,
            "name": f"Model {i:06d}",
            "kind": kind,
            "source_frame": None if frameless else rng.choices(frames, weights["frames"])[0],
            "categories": rng.sample(categories, rng.choice([1, 2])),
            # Drawn as before, then an entry's own slug dropped (`self-related` is an error).
            "related": [
                f"model-{j:06d}"
                for j in [rng.randrange(n) for _ in range(rng.choice([0, 2, 3]))]
                if j != i
            ],
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
    return figures | measure_export(folder, workdir / f"export-{n}.json")


def _export_child(folder: Path, output: Path) -> None:
    """Run `graph-builder export` over `folder` in this process; print its time and peak MB."""
    from graph_builder.cli.main import main as graph_builder

    start = time.perf_counter()
    code = graph_builder(["export", "--entries", str(folder), "--output", str(output)])
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
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    output.unlink(missing_ok=True)
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
    parser.add_argument(
        "--site",
        default=",".join(str(n) for n in SITE_SIZES),
        help="catalogue sizes of the site builds with the plugin (0: skip)",
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
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--attribute", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--export", type=Path, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.export is not None:
        _export_child(*args.export)
        return 0
    if args.child is not None:
        _child(args.child)
        return 0
    if args.attribute is not None:
        print(json.dumps(_attribute_build(args.attribute)))
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
    if args.shape:
        # Find by shape in headless Chromium (bench_shape.py): data size, change -> new list.
        from tests.bench_shape import report as shape_report

        print(f"find by shape at {args.shape:,} entries ...", file=sys.stderr, flush=True)
        print()
        print("\n".join(shape_report(args.shape)))
    if args.insights:
        # The structural insights' share of the build (measure_insight_share).
        with tempfile.TemporaryDirectory(prefix="mma-insight-bench-") as tmp:
            print()
            print("\n".join(insight_report(args.insights, args.keep or Path(tmp))))
    site_sizes = [
        int(n.replace("_", "")) for n in args.site.split(",") if n.strip() not in ("", "0")
    ]
    if site_sizes:
        # The whole site with the plugin against a plain Material site (measure_site_build).
        with tempfile.TemporaryDirectory(prefix="mma-site-bench-") as tmp:
            print()
            print("\n".join(site_benches(site_sizes, args.keep or Path(tmp))))
    return 0


# ---------------------------------------------------------------------------------------------
# Site builds: the whole published site with the plugin, against the floor MkDocs sets
# ---------------------------------------------------------------------------------------------

#: Catalogue sizes of the site-build figures (`--site`).
SITE_SIZES = (250, 2000)

_SITE_NAV = """nav:
  - Home: index.md
  - Entries: entries/index.md
  - Browse:
      - Kinds: kinds/index.md
      - Domains: domains/index.md
      - Categories: categories/index.md
      - Embodied patterns: patterns/index.md
      - Relation types: relations/index.md
      - Structures: structures/index.md
      - Abstraction levels: levels/index.md
  - Vocabulary: vocabulary/index.md
  - Graph: graph/index.md
  - Insights: insights/index.md
"""

_FILLER = ("anchor", "bridge", "cascade", "drift", "ember", "garden", "harbor", "lantern")
_FILLER += ("mirror", "needle", "orbit", "prism", "ripple", "tether", "vessel", "weave")


def _site_config(plugins: str, nav: str) -> str:
    return (
        "site_name: Bench\ntheme:\n  name: material\n  font: false\n"
        "markdown_extensions:\n  - attr_list\n  - tables\n  - toc:\n      permalink: true\n"
        f"plugins:\n  - search\n{plugins}{nav}"
    )


def _mkdocs_build(root: Path) -> tuple[float, float]:
    """Build one site with the `mkdocs` command, as a user runs it: (wall, CPU) seconds.

    The ratios use CPU time (user + system of the build process): on a shared machine it moves
    far less than wall time when other work competes for the cores.
    """
    mkdocs = Path(sys.executable).parent / "mkdocs"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([str(mkdocs), "build", "-q"], cwd=root, env=env, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _tree_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def _plain_site(root: Path, pages: int, page_bytes: int) -> None:
    """The floor: `pages` Markdown pages of prose, `page_bytes` each, and a ten-item nav."""
    (root / "docs" / "pages").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Plain\n", encoding="utf-8")
    filler = random.Random(0)
    for i in range(pages):
        body = [f"# Page {i}", ""]
        while sum(len(line) + 1 for line in body) < page_bytes:
            body += [" ".join(filler.choice(_FILLER) for _ in range(40)).capitalize() + ".", ""]
        (root / "docs" / "pages" / f"p{i:05d}.md").write_text("\n".join(body), encoding="utf-8")
    nav = "nav:\n  - Home: index.md\n"
    nav += "".join(f"  - Section {k}: pages/p{k:05d}.md\n" for k in range(min(10, pages)))
    # Pages outside the nav are part of the site; MkDocs just stops listing them at each build.
    config = _site_config("", nav) + "not_in_nav: |\n  /pages/\n"
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")


def measure_site_build(n: int, workdir: Path, options: str = "") -> dict[str, Any]:
    """Build a synthetic catalogue of `n` entries with the plugin, and the floor beside it.

    The floor is a plain Material build of as many Markdown pages as the plugin generates, each
    the size of the plugin's average generated page, with a small nav: what MkDocs and Material
    cost for a site of that shape before any work of ours. `options` is YAML for the plugin's
    options, indented under it (e.g. to switch the insights off).
    """
    from graph_builder.site.build import build_site

    site = workdir / f"site-{n}-{len(options)}"
    (site / "entries").mkdir(parents=True)
    for facts in synthetic_frontmatter(n):
        # A site build stops at any entry error, so mend the two the generator can produce.
        facts["related"] = [slug for slug in facts["related"] if slug != facts["slug"]]
        if facts["kind"] == "metaphor" and not facts["source_frame"]:
            facts["source_frame"] = "bench-frame"
        path = site / "entries" / f"{facts['slug']}.md"
        path.write_text(entry_text(facts), encoding="utf-8")
    (site / "docs").mkdir()
    plugin = "  - graph-builder" + (f":\n{options}\n" if options else "\n")
    (site / "mkdocs.yml").write_text(_site_config(plugin, _SITE_NAV), encoding="utf-8")
    pages = build_site(site / "entries").pages
    page_bytes = sum(len(p.markdown.encode("utf-8")) for p in pages) // max(1, len(pages))
    plain = workdir / f"plain-{n}-{len(options)}"
    _plain_site(plain, len(pages), page_bytes)
    wall, cpu = _mkdocs_build(site)
    floor_wall, floor_cpu = _mkdocs_build(plain)
    return {
        "entries": n,
        "pages": len(pages),
        "wall": wall,
        "cpu": cpu,
        "ms_per_entry": 1000 * cpu / n,
        "site_mb": _tree_mb(site / "site"),
        "floor_wall": floor_wall,
        "floor_cpu": floor_cpu,
        "floor_mb": _tree_mb(plain / "site"),
        "ratio": cpu / floor_cpu,
    }


def site_report(
    sizes: Sequence[int], workdir: Path, options: str = "", label: str = "site"
) -> list[str]:
    """One line per catalogue size, and the growth of the cost per entry between the sizes."""
    rows = []
    lines = []
    for n in sizes:
        print(f"site build ({label}) at {n:,} entries ...", file=sys.stderr, flush=True)
        r = measure_site_build(n, workdir, options)
        rows.append(r)
        lines.append(
            f"{label:<5} {r['entries']:>6,} entries, {r['pages']:>5,} pages: "
            f"{r['wall']:5.1f} s ({r['cpu']:5.1f} s CPU), {r['ms_per_entry']:5.1f} ms CPU/entry, "
            f"{r['site_mb']:6.1f} MB | plain Material floor {r['floor_cpu']:5.1f} s CPU, "
            f"{r['floor_mb']:6.1f} MB | ratio {r['ratio']:.2f} (aim <= 1.3)"
        )
    if len(rows) > 1:
        growth = rows[-1]["ms_per_entry"] / rows[0]["ms_per_entry"]
        lines.append(
            f"{label:<5} ms per entry at {rows[-1]['entries']:,} vs {rows[0]['entries']:,}: "
            f"x{growth:.2f} (aim <= 1.2)"
        )
    return lines


def site_benches(sizes: Sequence[int], workdir: Path) -> list[str]:
    """The site as published (every part on), then the core (insights off), to attribute costs."""
    lines = site_report(sizes, workdir)
    lines += site_report(sizes, workdir, options="      insights: false", label="core")
    return lines


# ---------------------------------------------------------------------------------------------
# The structural insights' share of the build
# ---------------------------------------------------------------------------------------------

#: Catalogue size of the insight figures (`--insights`); the budget is 10% of the build there.
INSIGHT_SIZE = 2000

#: The plugin options of the three builds: everything, insights without open data, neither.
_INSIGHT_BUILDS = {
    "all": "",
    "insights": "      open_data: false",
    "none": "      insights: false\n      open_data: false",
}


def _cpu(call: Callable[[], object]) -> float:
    start = time.process_time()
    call()
    return time.process_time() - start


#: Folders of the pages that exist only because of the insights.
_INSIGHT_FOLDERS = ("families", "insights")


def _attribute_build(folder: Path) -> dict[str, float]:
    """Build the site in `folder` in this process, timing the insights' parts (CPU s).

    The parts: `build.compute_site_insights` and `build.site_insight_pages` (the insight
    computations, and the Markdown of the insight pages and of the parts they add to other
    pages) and MkDocs rendering the pages under `_INSIGHT_FOLDERS`, each timed where it runs;
    `total` is the whole build. Everything happens in one process within seconds, so a slower
    or faster machine moves both sides of the share alike, unlike two builds run one after the
    other.
    """
    import mkdocs.commands.build as mkdocs_build
    from mkdocs.config import load_config

    from graph_builder.site import build as pages

    parts = {"computations": 0.0, "pages rendered": 0.0}

    def timed_insights(step: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return step(*args, **kwargs)
            finally:
                parts["computations"] += time.process_time() - start

        return run

    def timed_page(step: Callable[..., Any]) -> Callable[..., Any]:
        def run(page: Any, *args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return step(page, *args, **kwargs)
            finally:
                if page.file.src_uri.startswith(tuple(f"{f}/" for f in _INSIGHT_FOLDERS)):
                    parts["pages rendered"] += time.process_time() - start

        return run

    for name in ("compute_site_insights", "site_insight_pages"):
        setattr(pages, name, timed_insights(getattr(pages, name)))
    for name in ("_populate_page", "_build_page"):
        setattr(mkdocs_build, name, timed_page(getattr(mkdocs_build, name)))
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    os.chdir(folder)
    config = load_config("mkdocs.yml")
    start = time.process_time()
    mkdocs_build.build(config)
    parts["total"] = time.process_time() - start
    return parts


def measure_insight_attribution(folder: Path, repeats: int = 3) -> dict[str, Any]:
    """The insights' share of one build, attributed within the build (`_attribute_build`).

    Runs `repeats` builds, each in a fresh process, and keeps the median share
    (insights' parts) / (total - insights' parts), the cost over the build without them.
    """
    runs = []
    for _ in range(repeats):
        print(f"insights bench: attributing {folder.name} ...", file=sys.stderr, flush=True)
        done = subprocess.run(
            [sys.executable, "-m", "tests.bench", "--attribute", str(folder)],
            check=True,
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    for run in runs:
        ours = run["computations"] + run["pages rendered"]
        run["share"] = ours / (run["total"] - ours)
    return sorted(runs, key=lambda run: run["share"])[len(runs) // 2] | {
        "shares": [run["share"] for run in runs]
    }


def measure_insight_share(n: int, workdir: Path, repeats: int = 5) -> dict[str, Any]:
    """What the insights and the open data add to a build of `n` synthetic entries (CPU s).

    Three kinds of figures. First, the share attributed within one build
    (`measure_insight_attribution`), the steadiest on a busy machine. Then whole builds by the
    `mkdocs` command: with everything on, with the insights but not the open data files, and
    with neither, `repeats` rounds in alternating order. Their share is the median over the
    rounds of (insights - none) / none, the two builds of a round having run side by side; the
    best CPU time of each build (other work on the machine only ever adds time) gives a second
    estimate, and open data = (all - insights) / none. Last, the stages
    in this process, each against the build with neither: the insight computations (families,
    bridges, domain map, surprising pairs, gaps), the Markdown of the insight pages and
    sections, and the open data files. The whole-build figure also holds what MkDocs spends
    rendering the extra pages.
    """
    from graph_builder.analysis.insights import (
        InsightSettings,
        bridges,
        compute_insights,
        domain_map,
        gaps,
        neighbour_lists_graph,
        structural_families,
        surprising_pairs,
    )
    from graph_builder.opendata.feeds import open_data_files
    from graph_builder.site.build import build_site
    from graph_builder.site.insight_pages import render_insight_pages
    from graph_builder.site.insight_sections import insight_parts

    root = workdir / f"insights-{n}"
    write_catalogue(root / "entries", n)
    folders = {}
    for label, options in _INSIGHT_BUILDS.items():
        folder = root / label
        (folder / "docs").mkdir(parents=True)
        plugin = "  - graph-builder:\n      entries_dir: ../entries\n"
        plugin += f"{options}\n" if options else ""
        (folder / "mkdocs.yml").write_text(_site_config(plugin, _SITE_NAV), encoding="utf-8")
        folders[label] = folder
    builds: dict[str, list[float]] = {label: [] for label in folders}
    order = list(folders)
    for round_ in range(repeats):
        # Alternate the order, so a machine slowing down or speeding up favours no build.
        for label in order if round_ % 2 == 0 else order[::-1]:
            print(f"insights bench: {label}, {n:,} entries ...", file=sys.stderr, flush=True)
            builds[label].append(_mkdocs_build(folders[label])[1])
    best = {label: min(times) for label, times in builds.items()}
    # Each round's builds ran side by side: their ratio is the least disturbed by the machine.
    rounds = [
        (with_ - without) / without
        for with_, without in zip(builds["insights"], builds["none"], strict=True)
    ]

    vocabulary = default_vocabulary()
    site = build_site(root / "entries", insights=None)
    entries = {entry.slug: entry for entry in site.entries}
    settings = InsightSettings()
    graph = neighbour_lists_graph(site.entries, site.neighbours)
    stages: dict[str, float] = {}
    families = structural_families(graph, entries, settings)
    stages["families"] = _cpu(lambda: structural_families(graph, entries, settings))
    stages["bridges"] = _cpu(lambda: bridges(graph, entries, families, settings))
    stages["domain map"] = _cpu(lambda: domain_map(graph, entries))
    stages["surprising"] = _cpu(
        lambda: surprising_pairs(graph, entries, families, site.neighbours, settings)
    )
    stages["gaps"] = _cpu(lambda: gaps(entries, vocabulary, settings))
    result = compute_insights(graph, entries, vocabulary, site.neighbours, settings)
    stages["pages"] = _cpu(
        lambda: (render_insight_pages(result, graph, entries), insight_parts(result, entries))
    )
    full = catalogue_graph(site.entries, site.neighbours)
    open_data = _cpu(
        lambda: open_data_files(full, site.entries, vocabulary, site_name="Bench", description="")
    )
    return {
        "entries": n,
        "families": len(result.families.families),
        "bridges exact": result.bridges.exact,
        "builds": best,
        "spread": {label: (min(times), max(times)) for label, times in builds.items()},
        "attributed": measure_insight_attribution(folders["insights"]),
        "round shares": rounds,
        "median share": statistics.median(rounds),
        "insights share": (best["insights"] - best["none"]) / best["none"],
        "open data share": (best["all"] - best["insights"]) / best["none"],
        "stages": stages,
        "stages share": sum(stages.values()) / best["none"],
        "open data": open_data,
    }


def insight_report(n: int, workdir: Path) -> list[str]:
    """The insight figures as lines of text (aim: the insights add at most 10% to the build)."""
    r = measure_insight_share(n, workdir)
    builds = r["builds"]
    stages = ", ".join(f"{name} {seconds:.2f}" for name, seconds in r["stages"].items())
    bridges = "exact" if r["bridges exact"] else "sampled"
    spread = ", ".join(
        f"{label} {low:.1f}-{high:.1f}" for label, (low, high) in r["spread"].items()
    )
    rounds = ", ".join(f"{share:+.1%}" for share in r["round shares"])
    a = r["attributed"]
    return [
        f"insights at {r['entries']:,} entries ({r['families']} families, {bridges} bridges): "
        f"they add {a['share']:+.1%} to the build (aim <= 10%), attributed within one build of "
        f"{a['total']:.1f} s CPU: computations and Markdown {a['computations']:.2f} s, MkDocs "
        f"rendering their pages {a['pages rendered']:.2f} s (median of "
        f"{', '.join(f'{x:+.1%}' for x in a['shares'])})",
        f"  whole builds side by side: {r['median share']:+.1%} (median of the rounds {rounds})",
        f"  best builds: {builds['none']:.1f} s CPU without, {builds['insights']:.1f} s with the "
        f"insights ({r['insights share']:+.1%}), {builds['all']:.1f} s with the open data too "
        f"({r['open data share']:+.1%} more); each build's range, s CPU: {spread}",
        f"insight stages, s CPU: {stages}; together {r['stages share']:.1%} of the build "
        f"without them, the part of the insights' cost that is ours rather than MkDocs "
        f"rendering the extra pages; open data files {r['open data']:.2f}",
    ]


if __name__ == "__main__":
    raise SystemExit(main())
