"""One build of a site, timed by phase, in a process of its own: `python -m tests.phase_clock
ROOT plugin|plain` builds the site in ROOT and prints its CPU seconds by phase as a JSON line.

`bench_phases` runs it once a build. It imports nothing but the standard library before the
build starts, so a process's total is the build's and what the build itself imports: a plain
Material site's total holds no part of graph_builder, networkx or numpy (the bench's own
modules import all three, so its builds are not timed in a process that has loaded them).
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["PAGES", "PHASES", "PLUGIN_PHASES", "PhaseClock", "run_phases_child"]

#: Each phase: its name and the (module, class or "", function) whose calls make it up.
PHASES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "plugin on_files (build_site)": (
        ("graph_builder.plugin.plugin", "GraphBuilderPlugin", "on_files"),
    ),
    "plugin page hooks": tuple(
        ("graph_builder.plugin.plugin", "GraphBuilderPlugin", hook)
        for hook in ("on_page_markdown", "on_page_content", "on_post_page")
    ),
    "Markdown": (("markdown.core", "Markdown", "convert"),),
    "theme templates": (("jinja2.environment", "Template", "render"),),
    "search plugin": tuple(
        ("material.plugins.search.plugin", "SearchPlugin", hook)
        for hook in ("on_page_context", "on_post_build")
    ),
    "writing pages": (("mkdocs.utils", "", "write_file"),),
    "writing other files": (("mkdocs.structure.files", "File", "copy_file"),),
    "cleaning the site folder": (("mkdocs.utils", "", "clean_directory"),),
}

#: The phases that are the plugin's own code; the rest of the build is MkDocs, the theme and
#: search working on the pages and files the plugin hands them.
PLUGIN_PHASES = ("plugin on_files (build_site)", "plugin page hooks")

#: The key of a build's figures that holds how many pages it rendered (not a phase).
PAGES = "pages"


class PhaseClock:
    """CPU time by phase, each call's own: time spent in a timed call made inside another (the
    search plugin writing its index through `write_file`) counts for the inner phase only."""

    def __init__(self) -> None:
        self.spent = dict.fromkeys(PHASES, 0.0)
        self.pages = 0
        self._inner: list[float] = []  # per open call: CPU time of the timed calls inside it

    def timed(self, function: Callable[..., Any], phase: str) -> Callable[..., Any]:
        """`function`, its calls timed for `phase`."""

        # `wraps` keeps what MkDocs reads off a hook (its `event_priority`).
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._inner.append(0.0)
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.process_time() - start
                self.spent[phase] += elapsed - self._inner.pop()
                if self._inner:
                    self._inner[-1] += elapsed

        return timed

    def counted(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """`function`, each call counted as one page rendered (MkDocs' `Page.render`)."""

        @functools.wraps(function)
        def counted(*args: Any, **kwargs: Any) -> Any:
            self.pages += 1
            return function(*args, **kwargs)

        return counted


def run_phases_child(root: Path, *, plugin: bool) -> dict[str, float]:
    """Build the site in `root` in this process with every phase timed: CPU seconds by phase,
    "total" from the start of the process (imports included), "the rest", and how many pages
    MkDocs rendered (`PAGES`).

    `plugin` says whether the site uses the plugin: only then are its phases timed, since
    timing them imports it. A plain site whose build loads graph_builder all the same is an
    error, because its total would then hold the plugin's imports.
    """
    clock = PhaseClock()
    for phase, targets in PHASES.items():
        if phase in PLUGIN_PHASES and not plugin:
            continue
        for module_name, owner_name, name in targets:
            module = importlib.import_module(module_name)
            owner = getattr(module, owner_name) if owner_name else module
            setattr(owner, name, clock.timed(getattr(owner, name), phase))
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.structure.pages import Page

    Page.render = clock.counted(Page.render)  # type: ignore[method-assign]

    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    os.chdir(root)
    build(load_config("mkdocs.yml"))
    total = time.process_time()
    if not plugin and "graph_builder" in sys.modules:
        raise RuntimeError(f"{root}: the plain site's build loaded graph_builder")
    rest = total - sum(clock.spent.values())
    return {**clock.spent, "the rest": rest, "total": total, PAGES: float(clock.pages)}


if __name__ == "__main__":
    site, kind = sys.argv[1:]
    print(json.dumps(run_phases_child(Path(site), plugin={"plugin": True, "plain": False}[kind])))
