"""Helpers for the browser tests and the browser benchmarks: Chromium, a local server, a guard.

- `find_chromium()` names the browser: `$MMA_CHROMIUM` (a path, or `playwright` for Playwright's
  own build), else `chromium` on the `PATH` (Debian's package); `require_chromium()` skips (or,
  under CI, fails) when there is none, and `launch_chromium()` starts it;
- `serve(root)` serves a folder on 127.0.0.1 from a thread and yields its base URL;
- `NetworkGuard` routes every request of a page and aborts any that leaves the local server;
- `write_graph_pages(...)` writes a site without MkDocs: the graph assets, the explorer page and
  its data, and entry pages, for measuring the page code at a scale no fixture site reaches;
- `graph_page(...)` is the plain page those are written in, for a test's own graph blocks.
"""

from __future__ import annotations

import contextlib
import functools
import html
import http.server
import os
import shutil
import threading
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph_builder.core.vocabulary import default_vocabulary
from graph_builder.site import entry_graph, explorer, graph_assets

#: Environment variable naming the browser: a path to a Chromium binary, or `playwright`.
CHROMIUM_ENV = "MMA_CHROMIUM"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class Chromium:
    """The browser the tests drive: a binary, or Playwright's own build (`path` None)."""

    path: Path | None

    def launch(self, playwright: Any) -> Any:
        executable = str(self.path) if self.path is not None else None
        return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


def find_chromium() -> Chromium | str:
    """The browser to use, or why there is none.

    `$MMA_CHROMIUM` first (the same suite runs where Chromium lives elsewhere, or where only
    Playwright's own build is installed, as on GitHub's runners), then `chromium` on the `PATH`.
    """
    named = os.environ.get(CHROMIUM_ENV, "").strip()
    if named == "playwright":
        return Chromium(path=None)
    if named:
        path = Path(named)
        if path.is_file() and os.access(path, os.X_OK):
            return Chromium(path=path)
        return f"${CHROMIUM_ENV} names {named}, which is not an executable file"
    found = shutil.which("chromium")
    if found:
        return Chromium(path=Path(found))
    return (
        f"no browser: install Debian's chromium (apt-get install chromium), or set "
        f"${CHROMIUM_ENV} to a Chromium binary or to `playwright` (python -m playwright install "
        "chromium)"
    )


def require_chromium() -> Chromium:
    """The browser; skip without one, but fail under CI, where it must be installed."""
    found = find_chromium()
    if isinstance(found, Chromium):
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(found)
    pytest.skip(found)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        # Let the browser cache shared assets as a real static host would.
        if self.path.startswith("/assets/"):
            self.send_header("Cache-Control", "max-age=3600")
        super().end_headers()


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve `root` on a free port of 127.0.0.1 until the block ends; yields `http://…/`."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class NetworkGuard:
    """Routes every request of a browser context; anything not for `base_url`'s host is aborted.

    `blocked` lists the URLs that tried to leave, `requested` every local URL asked for.
    """

    base_url: str
    blocked: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)

    def install(self, context: Any) -> None:
        context.route("**/*", self._handle)

    def _handle(self, route: Any) -> None:
        url = route.request.url
        ours = urllib.parse.urlsplit(self.base_url)
        theirs = urllib.parse.urlsplit(url)
        if theirs.scheme in ("data", "blob") or (
            theirs.scheme == ours.scheme and theirs.netloc == ours.netloc
        ):
            self.requested.append(url)
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{title}</title>
<link rel="stylesheet" href="{root}assets/graph/graph.css">
</head>
<body>
<main>
<h1>{title}</h1>
{body}
</main>
<script src="{root}assets/graph/vis-network.min.js"></script>
<script src="{root}assets/graph/graph.js"></script>
</body>
</html>
"""


def graph_page(title: str, body: str, *, root: str) -> str:
    """A plain HTML page (no MkDocs, no Material) holding `body` and loading the graph assets.

    `title` is HTML (escape a name first); `root` is the relative way up to the site's root
    (`"../"` for `/graph/`), where the assets are.
    """
    return _PAGE.format(title=title, root=root, body=body)


def write_graph_pages(
    root: Path,
    graph: nx.Graph,
    positions: Mapping[str, Sequence[float]],
    *,
    entries: Iterable[str] = (),
) -> dict[str, Path]:
    """Write the graph assets, `/graph/` with its data, and `/entries/<slug>/` for `entries`.

    Returns the written files by role: `explorer`, `explorer_json`, and `entry:<slug>`.
    """
    written: dict[str, Path] = {}
    for asset in graph_assets.graph_assets():
        path = root / asset.uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(asset.content)
    data = explorer.explorer_data(graph, positions)
    (root / "graph").mkdir(parents=True, exist_ok=True)
    written["explorer_json"] = root / "graph" / "explorer.json"
    written["explorer_json"].write_text(explorer.explorer_json(data), encoding="utf-8")
    written["explorer"] = root / "graph" / "index.html"
    written["explorer"].write_text(
        graph_page(
            "Graph", explorer.explorer_html(graph, vocabulary=default_vocabulary()), root="../"
        ),
        encoding="utf-8",
    )
    for slug in entries:
        name = str(graph.nodes[slug].get("name") or slug)
        body = entry_graph.entry_graph_html(entry_graph.entry_graph_data(graph, slug), name=name)
        path = root / "entries" / slug / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(graph_page(html.escape(name), body, root="../../"), encoding="utf-8")
        written[f"entry:{slug}"] = path
    return written
