"""Where the difference goes: the two prose sites of `bench_prose` -> the CPU time of each phase of
one `mkdocs build`, side by side, and what each phase adds over plain Material.

The prose floor (`--prose`) gives one ratio; this splits both builds into the phases MkDocs runs
them in, so the part of the gap that is the plugin's own work (`on_files`, its page hooks) is
told apart from MkDocs working harder on more or larger pages (Markdown, the theme's templates,
the search plugin, writing) and from the files the site has beyond pages (writing them, and
cleaning them out of the site folder before the next build). Each build runs in a fresh process
(`phase_clock`), timed by wrapping the functions that do each phase (`PHASES`); the phases are
disjoint, and what none of them covers (imports, reading the configuration, the nav, links) is
"the rest". For the phases that run once a page (`PER_PAGE`), what the plugin's site adds is
split in two: the work of its extra pages (facets, families, insights) at the plain site's cost
per page, and the extra cost of each of its pages over a plain one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from tests.bench_prose import write_plain_prose_site, write_project_prose_site
from tests.phase_clock import PAGES, PHASES, PLUGIN_PHASES

__all__ = [
    "OWN_SHARE_TARGET",
    "PER_PAGE",
    "measure_phases",
    "page_lines",
    "page_split",
    "phase_lines",
    "phases_report",
    "timed_build",
]

#: The phases that work once on each page MkDocs renders, which `page_lines` splits per page.
PER_PAGE = ("Markdown", "theme templates", "search plugin")

#: The most of its build the plugin's own work should take at 1,000 entries.
OWN_SHARE_TARGET = 0.10

#: Timed builds of each site; each site's figures are those of its build with the least CPU
#: time. An untimed build of each comes first, so every timed one cleans out a built site, as
#: every build but a fresh clone's first does (and the files it reads are in the page cache).
ROUNDS = 2


def timed_build(root: Path, *, plugin: bool) -> dict[str, float]:
    """One timed build of the site in `root` (with the plugin or not), in a fresh process that
    has loaded none of the bench (`phase_clock`)."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.phase_clock", str(root), "plugin" if plugin else "plain"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def measure_phases(n: int, workdir: Path) -> dict[str, dict[str, float]]:
    """Both prose sites of `n` entries, built once untimed and `ROUNDS` times timed each,
    alternating: each site's phases in its timed build with the least total CPU time."""
    project, plain = workdir / f"phases-{n}", workdir / f"phases-plain-{n}"
    write_plain_prose_site(plain, write_project_prose_site(project, n))
    sites = {"plugin": project, "plain": plain}
    runs: dict[str, list[dict[str, float]]] = {label: [] for label in sites}

    def build(label: str) -> dict[str, float]:
        return timed_build(sites[label], plugin=label == "plugin")

    for label in sites:
        build(label)
    for round_ in range(ROUNDS):
        for label in list(sites) if round_ % 2 == 0 else list(sites)[::-1]:
            print(f"phases: {label}, {n:,} entries ...", file=sys.stderr, flush=True)
            runs[label].append(build(label))
    return {label: min(times, key=lambda r: r["total"]) for label, times in runs.items()}


def phase_lines(n: int, figures: dict[str, dict[str, float]]) -> list[str]:
    """The table: each phase's CPU seconds in both builds and what the plugin's site adds."""
    plugin, plain = figures["plugin"], figures["plain"]
    lines = [
        f"phases of one build, {n:,} prose entries (CPU s, the least of {ROUNDS} builds each)",
        f"  {'phase':<30} {'plugin':>7} {'plain':>7} {'added':>7} {'share of added':>15}",
    ]
    added = plugin["total"] - plain["total"]
    for phase in (*PHASES, "the rest", "total"):
        extra = plugin[phase] - plain[phase]
        share = f"{extra / added:.0%}" if phase != "total" and added > 0 else ""
        lines.append(
            f"  {phase:<30} {plugin[phase]:7.2f} {plain[phase]:7.2f} {extra:+7.2f} {share:>15}"
        )
    lines.append(f"  ratio of the totals: {plugin['total'] / plain['total']:.2f}")
    own = sum(plugin[phase] for phase in PLUGIN_PHASES)
    lines.append(
        f"  the plugin's own work: {own:.2f} s, {own / plugin['total']:.0%} of its build "
        f"(target {OWN_SHARE_TARGET:.0%}); with none of it, the ratio would be "
        f"{(plugin['total'] - own) / plain['total']:.2f}"
    )
    return lines


def page_split(
    plugin: dict[str, float], plain: dict[str, float], phase: str
) -> tuple[float, float]:
    """What the plugin's site adds in a once-a-page phase, in seconds, as (its extra pages at
    the plain site's cost per page, its pages times their extra cost each): the two add up to
    the phase's time in the plugin's build minus its time in the plain one."""
    extra_pages = (plugin[PAGES] - plain[PAGES]) * plain[phase] / plain[PAGES]
    return extra_pages, plugin[phase] - plain[phase] - extra_pages


def page_lines(figures: dict[str, dict[str, float]]) -> list[str]:
    """The once-a-page phases per page rendered, and what each adds split by `page_split`."""
    plugin, plain = figures["plugin"], figures["plain"]
    label = f"per page rendered (ms; plugin {plugin[PAGES]:,.0f} pages, plain {plain[PAGES]:,.0f})"
    lines = [
        f"  {label:<56} {'plugin':>7} {'plain':>7} {'added by more pages':>20} "
        f"{'by heavier pages':>17}"
    ]
    from_more = from_heavier = 0.0
    for phase in PER_PAGE:
        more, heavier = page_split(plugin, plain, phase)
        from_more += more
        from_heavier += heavier
        mine, theirs = 1000 * plugin[phase] / plugin[PAGES], 1000 * plain[phase] / plain[PAGES]
        lines.append(f"  {phase:<56} {mine:7.2f} {theirs:7.2f} {more:+20.2f} {heavier:+17.2f}")
    lines.append(
        f"  these phases add {from_more:+.2f} s for the extra pages and {from_heavier:+.2f} s "
        "for the weight of each page"
    )
    return lines


def phases_report(sizes: Sequence[int], workdir: Path) -> list[str]:
    """The phase table of each size, with its per-page split, a blank line apart."""
    lines: list[str] = []
    for n in sizes:
        figures = measure_phases(n, workdir)
        lines += [*([""] if lines else []), *phase_lines(n, figures), *page_lines(figures)]
    return lines
