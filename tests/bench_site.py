"""Site builds: a synthetic catalogue -> the whole site built by `mkdocs build`, against a
plain Material site of as many same-sized pages (the floor MkDocs and Material set).

`mkdocs_build` times one build by the CPU of the `mkdocs` process; `site_config` and
`SITE_NAV` are the configuration every bench site shares, so the builds differ only in what
they are meant to compare.
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from tests.bench_catalogue import entry_text, site_frontmatter

__all__ = [
    "SITE_NAV",
    "SITE_SIZES",
    "BuildTime",
    "measure_site_build",
    "mkdocs_build",
    "site_benches",
    "site_config",
    "site_report",
    "tree_mb",
]


#: Catalogue sizes of the site-build figures (`--site`).
SITE_SIZES = (250, 2000)

SITE_NAV = """nav:
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


def site_config(plugins: str, nav: str, *, superfences: bool = False) -> str:
    """A bench site's mkdocs.yml: Material without web fonts, the search plugin and `plugins`
    after it, the project's Markdown extensions (`superfences`: with pymdownx.superfences too),
    and `nav`."""
    fences = "  - pymdownx.superfences\n" if superfences else ""
    return (
        "site_name: Bench\ntheme:\n  name: material\n  font: false\n"
        "markdown_extensions:\n  - attr_list\n  - tables\n  - toc:\n      permalink: true\n"
        f"{fences}plugins:\n  - search\n{plugins}{nav}"
    )


class BuildTime(NamedTuple):
    """One `mkdocs build`, in seconds: wall clock, CPU (user + system) and the system part."""

    wall: float
    cpu: float
    system: float

    @property
    def user(self) -> float:
        return self.cpu - self.system


def mkdocs_build(root: Path) -> BuildTime:
    """Build one site with the `mkdocs` command, as a user runs it.

    The ratios use CPU time (user + system of the build process): on a shared machine it moves
    far less than wall time when other work competes for the cores. The system part is kept
    apart as well: it is mostly the file system making and removing the site's files and
    folders, which depends on the machine far more than the Python code does.
    """
    mkdocs = Path(sys.executable).parent / "mkdocs"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([str(mkdocs), "build", "-q"], cwd=root, env=env, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    system = after.ru_stime - before.ru_stime
    return BuildTime(wall, (after.ru_utime - before.ru_utime) + system, system)


def tree_mb(path: Path) -> float:
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
    config = site_config("", nav) + "not_in_nav: |\n  /pages/\n"
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
    for facts in site_frontmatter(n):
        path = site / "entries" / f"{facts['slug']}.md"
        path.write_text(entry_text(facts), encoding="utf-8")
    (site / "docs").mkdir()
    plugin = "  - graph-builder" + (f":\n{options}\n" if options else "\n")
    (site / "mkdocs.yml").write_text(site_config(plugin, SITE_NAV), encoding="utf-8")
    pages = build_site(site / "entries").pages
    page_bytes = sum(len(p.markdown.encode("utf-8")) for p in pages) // max(1, len(pages))
    plain = workdir / f"plain-{n}-{len(options)}"
    _plain_site(plain, len(pages), page_bytes)
    wall, cpu, _ = mkdocs_build(site)
    floor_wall, floor_cpu, _ = mkdocs_build(plain)
    return {
        "entries": n,
        "pages": len(pages),
        "wall": wall,
        "cpu": cpu,
        "ms_per_entry": 1000 * cpu / n,
        "site_mb": tree_mb(site / "site"),
        "floor_wall": floor_wall,
        "floor_cpu": floor_cpu,
        "floor_mb": tree_mb(plain / "site"),
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
