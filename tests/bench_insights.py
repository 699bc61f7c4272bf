"""The structural insights' share of the build: a synthetic catalogue -> CPU seconds of builds
with and without the insights and the open data, and of each insight stage.

`attribute_build` times the insights' own parts within one in-process build (run in a child:
`python -m tests.bench --attribute DIR`); `measure_insight_share` adds whole builds side by side
and the stages one by one; `insight_report` prints them against the budget (10%).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph_builder.analysis.catalogue import catalogue_graph
from graph_builder.core.vocabulary import default_vocabulary
from tests.bench_catalogue import write_catalogue
from tests.bench_site import SITE_NAV, mkdocs_build, site_config

__all__ = [
    "INSIGHT_SIZE",
    "attribute_build",
    "insight_report",
    "measure_insight_attribution",
    "measure_insight_share",
]

#: The repository: the children run from it.
_ROOT = Path(__file__).resolve().parent.parent

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


def attribute_build(folder: Path) -> dict[str, float]:
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
    """The insights' share of one build, attributed within the build (`attribute_build`).

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
            cwd=_ROOT,
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
        (folder / "mkdocs.yml").write_text(site_config(plugin, SITE_NAV), encoding="utf-8")
        folders[label] = folder
    builds: dict[str, list[float]] = {label: [] for label in folders}
    order = list(folders)
    for round_ in range(repeats):
        # Alternate the order, so a machine slowing down or speeding up favours no build.
        for label in order if round_ % 2 == 0 else order[::-1]:
            print(f"insights bench: {label}, {n:,} entries ...", file=sys.stderr, flush=True)
            builds[label].append(mkdocs_build(folders[label]).cpu)
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
