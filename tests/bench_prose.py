"""The prose floor: a catalogue of real prose -> the project's site and a plain Material site of
the same prose, each built by `mkdocs build`, as CPU seconds, ms per entry and their ratio.

Both sites hold the same `n` entries (`bench_catalogue.write_prose_catalogue`: drawn front
matter, the bodies of the repository's entries). The project's site builds them with the
plugin; the plain one has a page per entry (`plain_prose_page`: the name as its heading, the
summary, the body unchanged), ten of them in the nav and the rest outside it. Both use the
project's Markdown extensions, the search plugin and Material without web fonts, so the ratio
is what the plugin's pages cost over MkDocs rendering the same words.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.bench_catalogue import ProseEntry, summary_of, write_prose_catalogue
from tests.bench_site import SITE_NAV, BuildTime, mkdocs_build, site_config

__all__ = [
    "PROSE_SIZES",
    "measure_prose",
    "plain_prose_page",
    "prose_lines",
    "prose_report",
    "prose_row",
    "write_plain_prose_site",
    "write_project_prose_site",
]

#: Catalogue sizes of the prose floor (`--prose`).
PROSE_SIZES = (250, 1000)

#: Entries of the plain site listed in its nav (with the home page, about the project's ten).
_PLAIN_NAV_ENTRIES = 9

#: The plugin's cost over the plain site at the largest size: the limit and the aim.
RATIO_LIMIT, RATIO_AIM = 1.5, 1.3

#: The most the plugin's CPU per entry may grow from the smallest size to the largest.
GROWTH_LIMIT = 1.2


def write_project_prose_site(root: Path, n: int) -> list[ProseEntry]:
    """The project's site of `n` prose entries in `root` (entries/, an empty docs/, mkdocs.yml
    with the plugin at its defaults). Returns the entries written."""
    written = write_prose_catalogue(root / "entries", n)
    (root / "docs").mkdir(parents=True, exist_ok=True)
    config = site_config("  - graph-builder\n", SITE_NAV, superfences=True)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return written


def plain_prose_page(facts: dict[str, Any], body: str) -> str:
    """An entry as a plain Markdown page: its name as the heading, its summary, its body."""
    return f"# {facts['name']}\n\n{summary_of(facts)}\n\n{body.rstrip()}\n"


def write_plain_prose_site(root: Path, written: Sequence[ProseEntry]) -> None:
    """The floor in `root`: a page per entry under docs/entries/, a home page, a small nav."""
    pages = root / "docs" / "entries"
    pages.mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Plain\n", encoding="utf-8")
    for facts, body in written:
        (pages / f"{facts['slug']}.md").write_text(plain_prose_page(facts, body), "utf-8")
    nav = "nav:\n  - Home: index.md\n"
    nav += "".join(
        f"  - {facts['name']}: entries/{facts['slug']}.md\n"
        for facts, _ in written[:_PLAIN_NAV_ENTRIES]
    )
    # The rest are pages of the site all the same; MkDocs only stops listing them.
    config = site_config("", nav, superfences=True) + "not_in_nav: |\n  /entries/\n"
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")


def measure_prose(n: int, workdir: Path, rounds: int = 3) -> dict[str, Any]:
    """Build both sites of `n` prose entries `rounds` times each and keep each one's least CPU
    time (other work on the machine only ever adds to it; with two rounds the plain site's
    least time still moved by a fifth from one run of the bench to the next).

    The order alternates, plugin then plain, then plain then plugin, so a machine that slows
    down or speeds up during the run favours neither.
    """
    project, plain = workdir / f"prose-{n}", workdir / f"prose-plain-{n}"
    write_plain_prose_site(plain, write_project_prose_site(project, n))
    sites = {"plugin": project, "plain": plain}
    builds: dict[str, list[BuildTime]] = {label: [] for label in sites}
    for round_ in range(rounds):
        order = list(sites) if round_ % 2 == 0 else list(sites)[::-1]
        for label in order:
            print(f"prose floor: {label}, {n:,} entries ...", file=sys.stderr, flush=True)
            builds[label].append(mkdocs_build(sites[label]))
    return prose_row(n, builds)


def prose_row(n: int, builds: dict[str, list[BuildTime]]) -> dict[str, Any]:
    """The figures of one size from its builds: the least CPU of each site, and apart from it
    the least user and the least system time (each least on its own, so they need not add up
    to the CPU figure)."""
    least = {label: min(b.cpu for b in runs) for label, runs in builds.items()}
    user = {label: min(b.user for b in runs) for label, runs in builds.items()}
    system = {label: min(b.system for b in runs) for label, runs in builds.items()}
    return {
        "entries": n,
        "plugin": least["plugin"],
        "plain": least["plain"],
        "runs": {label: [b.cpu for b in runs] for label, runs in builds.items()},
        "ratio": least["plugin"] / least["plain"],
        "plugin ms/entry": 1000 * least["plugin"] / n,
        "plain ms/entry": 1000 * least["plain"] / n,
        "user": user,
        "system": system,
        "user ratio": user["plugin"] / user["plain"],
    }


def prose_lines(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Two lines per size (CPU, then user and system apart), then the growth of the CPU per
    entry from the first size to the last."""
    lines = []
    for r in rows:
        runs = "; ".join(
            f"{label} " + " / ".join(f"{s:.1f}" for s in times)
            for label, times in r["runs"].items()
        )
        lines.append(
            f"prose {r['entries']:>6,} entries: plugin {r['plugin']:5.1f} s CPU "
            f"({r['plugin ms/entry']:.1f} ms/entry) | plain Material {r['plain']:5.1f} s CPU "
            f"({r['plain ms/entry']:.1f} ms/entry) | ratio {r['ratio']:.2f} "
            f"(limit {RATIO_LIMIT}, aim {RATIO_AIM}) | runs, s CPU: {runs}"
        )
        user, system = r["user"], r["system"]
        lines.append(
            f"prose {r['entries']:>6,} entries, user and system apart: user plugin "
            f"{user['plugin']:.1f} s, plain {user['plain']:.1f} s, ratio {r['user ratio']:.2f} "
            f"| system (files and folders) plugin {system['plugin']:.1f} s, plain "
            f"{system['plain']:.1f} s"
        )
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        growth = last["plugin ms/entry"] / first["plugin ms/entry"]
        plain_growth = last["plain ms/entry"] / first["plain ms/entry"]
        lines.append(
            f"prose ms/entry at {last['entries']:,} vs {first['entries']:,}: plugin "
            f"x{growth:.2f} (limit {GROWTH_LIMIT}), plain Material x{plain_growth:.2f}"
        )
    return lines


def prose_report(sizes: Sequence[int], workdir: Path) -> list[str]:
    """`prose_lines` of a measurement at each size."""
    return prose_lines([measure_prose(n, workdir) for n in sizes])
