"""Where a build's time goes: the project's prose site of `n` entries -> the build under
cProfile, as the top functions by cumulative time and each part's share of the whole.

The site is `bench_prose.write_project_prose_site`'s, built in this process by MkDocs' own
`build` with a loaded configuration, so nothing but the build is profiled. The parts are
disjoint (graph_builder imports neither Markdown nor Jinja, and the search plugin reads each
page's HTML before the theme renders it):

- the plugin's `on_files`: graph_builder's `build_site` and handing its pages to MkDocs;
- Markdown: `markdown.core.Markdown.convert`, every page's Markdown to HTML;
- templates: jinja2's `Template.render`, the theme around every page;
- search: the search plugin's events (Material's own, which reads every rendered page and
  writes the index);
- the rest: MkDocs' own work (files, nav, links, writing) and the plugin's other hooks.

Shares are of the profiled build, whose calls cProfile slows down alike wherever they are.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
from collections.abc import Callable
from pathlib import Path

from tests.bench_prose import write_project_prose_site

__all__ = ["PARTS", "profile_report"]

#: How many functions the report lists.
TOP = 30

_Key = tuple[str, int, str]


def _function(*path: str, name: str) -> Callable[[_Key], bool]:
    """Matches a profiled function by the end of its file's path and its name's start."""

    def matches(key: _Key) -> bool:
        return Path(key[0]).parts[-len(path) :] == path and key[2].startswith(name)

    return matches


#: Each part: a name and which profiled functions make it up.
PARTS: dict[str, Callable[[_Key], bool]] = {
    "plugin on_files (build_site)": _function(
        "graph_builder", "plugin", "plugin.py", name="on_files"
    ),
    "Markdown (Markdown.convert)": _function("markdown", "core.py", name="convert"),
    "theme templates (Template.render)": _function("jinja2", "environment.py", name="render"),
    # Material replaces MkDocs' search plugin with its own; either may run.
    "search plugin": lambda key: (
        _function("material", "plugins", "search", "plugin.py", name="on_")(key)
        or _function("mkdocs", "contrib", "search", "__init__.py", name="on_")(key)
    ),
}


def _profile_build(root: Path) -> cProfile.Profile:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    here = Path.cwd()
    os.chdir(root)
    try:
        config = load_config("mkdocs.yml")
        profiler = cProfile.Profile()
        profiler.runcall(build, config)
    finally:
        os.chdir(here)
    return profiler


def profile_report(n: int, workdir: Path) -> list[str]:
    """Build the prose site of `n` entries under cProfile; the top functions and the shares."""
    root = workdir / f"profile-{n}"
    write_project_prose_site(root, n)
    profiler = _profile_build(root)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats(pstats.SortKey.CUMULATIVE).print_stats(TOP)
    # The table only: pstats opens with its own summary lines, kept above the table.
    table = out.getvalue().strip("\n").splitlines()
    entries: dict[_Key, tuple[int, int, float, float, object]] = stats.stats  # type: ignore[attr-defined]
    total = max(ct for _, _, _, ct, _ in entries.values())
    shares = {
        part: sum(ct for key, (_, _, _, ct, _) in entries.items() if matches(key))
        for part, matches in PARTS.items()
    }
    shares["the rest"] = total - sum(shares.values())
    lines = [f"profile of the project's prose site, {n:,} entries ({total:.1f} s under cProfile)"]
    lines += [
        f"  {part:<34} {seconds:6.2f} s  {seconds / total:6.1%}" for part, seconds in shares.items()
    ]
    lines += ["", f"top {TOP} functions by cumulative time:", *table]
    return lines
