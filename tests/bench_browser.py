"""Browser-side figures of the graphs: an entry page's weight, the explorer's time to first draw.

- `entry_page_weight(site_dir, slug)`: the bytes a reader downloads for one entry page: its
  HTML, the graph data inside it, and the shared graph assets (counted once: every page loads
  them from the same URL, so a browser fetches them once per site);
- `explorer_first_draw(n)`: a synthetic catalogue of `n` entries goes through the real
  pipeline (neighbours, catalogue graph, layout, explorer data), is served from 127.0.0.1, and
  headless Chromium reports when the first frame of the explorer was drawn (a Performance API
  mark set by graph.js) counted from the start of navigation; then the labels: how many are
  drawn at the first view and after each of a few zoom steps (×1.5 about the centre), how many
  pairs of them meet (always 0), and the milliseconds graph.js took to re-place them after a
  step (its own label pass) and to draw the whole frame.

Run alone with `python -m tests.bench_browser [N]`; `python -m tests.bench` prints the same
report (its `--browser N` option, 0 to skip).
"""

from __future__ import annotations

import gzip
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import default_vocabulary
from graph_builder.site import explorer, graph_assets
from tests.browser_support import find_chromium, serve, write_graph_pages

__all__ = ["entry_page_weight", "explorer_first_draw", "main", "report", "synthetic_entries"]

_DATA = re.compile(r'<script type="application/json" class="mma-graph__data">(.*?)</script>', re.S)


def _sizes(data: bytes) -> dict[str, int]:
    return {"bytes": len(data), "gzip": len(gzip.compress(data, 9))}


def entry_page_weight(site_dir: Path, slug: str) -> dict[str, Any]:
    """What one entry page weighs, split into the page's own bytes and the shared graph assets."""
    html = (site_dir / "entries" / slug / "index.html").read_bytes()
    match = _DATA.search(html.decode("utf-8"))
    data = match.group(1).encode("utf-8") if match else b""
    shared = {
        asset.uri: _sizes((site_dir / asset.uri).read_bytes())
        for asset in graph_assets.graph_assets()
    }
    return {
        "page": slug,
        "html": _sizes(html),
        "graph_data": _sizes(data),
        "graph_data_share": round(len(data) / len(html), 3),
        "shared_graph_assets": shared,
        "shared_total": {
            "bytes": sum(s["bytes"] for s in shared.values()),
            "gzip": sum(s["gzip"] for s in shared.values()),
        },
    }


def synthetic_entries(n: int, seed: int = 2000) -> list[Entry]:
    """`n` entries with random but valid structural tags, names and one-sentence summaries."""
    vocabulary = default_vocabulary()
    rng = random.Random(seed)
    patterns = sorted(vocabulary.embodied_patterns)
    relations = sorted(vocabulary.relation_types)
    structures = sorted(vocabulary.structures)
    levels = sorted(vocabulary.abstraction_levels)
    kinds = sorted(vocabulary.kinds)
    domains = [f"domain-{i:02d}" for i in range(60)]
    entries = []
    for i in range(n):
        slug = f"synthetic-{i:05d}"
        entries.append(
            Entry(
                path=f"entries/{slug}.md",
                slug=slug,
                name=f"Synthetic entry {i}",
                summary=(
                    "A made-up model that stands in for a real one, with a sentence about as "
                    f"long as a real summary, number {i}."
                ),
                kind=rng.choice(kinds),
                source_frame=rng.choice(domains),
                categories=("systems-thinking",),
                related=tuple(f"synthetic-{rng.randrange(n):05d}" for _ in range(3)),
                embodied_patterns=tuple(rng.sample(patterns, 3)),
                relation_types=tuple(rng.sample(relations, 2)),
                structure=(rng.choice(structures),),
                abstraction_level=rng.choice(levels),
            )
        )
    return entries


def _catalogue(n: int) -> tuple[nx.Graph, dict[str, Sequence[float]], dict[str, float]]:
    """The real pipeline on synthetic entries: the graph, its layout, and the seconds each took."""
    from graph_builder.analysis.catalogue import catalogue_graph, layout
    from graph_builder.analysis.neighbours import structural_neighbours

    entries = synthetic_entries(n)
    times: dict[str, float] = {}
    start = time.perf_counter()
    lists = structural_neighbours(entries, default_vocabulary())
    times["neighbours_s"] = time.perf_counter() - start
    start = time.perf_counter()
    graph = catalogue_graph(entries, lists)
    times["graph_s"] = time.perf_counter() - start
    start = time.perf_counter()
    positions = layout(graph, seed=1)
    times["layout_s"] = time.perf_counter() - start
    return graph, positions, times


def explorer_first_draw(n: int = 2000, runs: int = 3) -> dict[str, Any]:
    """Milliseconds from navigation start to the explorer's first frame, for `n` entries.

    The first run fills the browser's cache; the figure reported is the median of the runs
    after it, with the first run's given apart (a first visit).
    """
    from playwright.sync_api import sync_playwright

    chromium = find_chromium()
    if isinstance(chromium, str):
        return {"skipped": chromium}
    graph, positions, times = _catalogue(n)
    start = time.perf_counter()
    data = explorer.explorer_data(graph, positions)
    text = explorer.explorer_json(data).encode("utf-8")
    times["explorer_data_s"] = time.perf_counter() - start
    marks: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_graph_pages(root, graph, positions)
        with serve(root) as base_url, sync_playwright() as playwright:
            browser = chromium.launch(playwright)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for _ in range(runs + 1):
                page.goto(base_url + "graph/")
                page.wait_for_selector(".mma-graph[data-graph-ready]", timeout=120_000)
                marks.append(
                    page.evaluate(
                        """() => ({
                            loaded: performance.getEntriesByName('mma-graph-loaded:explorer')[0]
                                .startTime,
                            drawn: performance.getEntriesByName('mma-graph-drawn:explorer')[0]
                                .startTime,
                            nodes: Number(document.querySelector('.mma-graph')
                                .dataset.graphNodes),
                        })"""
                    )
                )
            zoom = page.evaluate(_ZOOM_STEPS)
            browser.close()
    assert all(m["nodes"] == graph.number_of_nodes() for m in marks)
    warm = marks[1:]
    return {
        "entries": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "explorer_json": _sizes(text),
        "first_visit_ms": round(marks[0]["drawn"]),
        "first_draw_ms": round(statistics.median(m["drawn"] for m in warm)),
        "data_loaded_ms": round(statistics.median(m["loaded"] for m in warm)),
        "draw_after_data_ms": round(statistics.median(m["drawn"] - m["loaded"] for m in warm)),
        "labels_first_view": zoom["first"],
        "labels_per_step": zoom["labels"],
        "labels_overlapping_max": max(zoom["overlapping"]),
        "label_place_ms": round(statistics.median(zoom["place"]), 1),
        "label_place_max_ms": round(max(zoom["place"]), 1),
        "zoom_frame_ms": round(statistics.median(zoom["frame"]), 1),
        **{k: round(v, 2) for k, v in times.items()},
    }


# Zoom in about the centre in steps of ×1.5, drawing each frame at once (vis-network's redraw
# is synchronous), and read what graph.js measured of its own label pass and of the frame.
_ZOOM_STEPS = """() => {
    const g = window.mmaGraph.all()[0];
    const network = g.network;
    network.redraw();
    const result = {first: g.labelStats.visible, labels: [], place: [], frame: [],
                    overlapping: [g.labelStats.overlapping]};
    for (let step = 0; step < 6; step += 1) {
        network.moveTo({scale: network.getScale() * 1.5, animation: false});
        const start = performance.now();
        network.redraw();
        result.frame.push(performance.now() - start);
        result.place.push(g.labelStats.ms);
        result.labels.push(g.labelStats.visible);
        result.overlapping.push(g.labelStats.overlapping);
    }
    return result;
}"""


def _site_for_weight() -> tuple[Path, str]:
    """Build the repository's own site into a temporary folder; return it and the seed slug."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = Path(__file__).resolve().parent.parent
    site_dir = Path(tempfile.mkdtemp(prefix="atlas-weight-"))
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir)))
    return site_dir, "rupture-and-repair"


def report(n: int = 2000) -> list[str]:
    """Both measurements as lines of text: the seed page of the repository's own site, and the
    explorer at `n` synthetic entries."""
    site_dir, slug = _site_for_weight()
    weight = entry_page_weight(site_dir, slug)
    data, html = weight["graph_data"], weight["html"]
    shared = weight["shared_total"]
    lines = [
        f"entry page weight ({slug}): html {html['bytes']:,} B ({html['gzip']:,} B gzip), of "
        f"which graph data {data['bytes']:,} B ({data['gzip']:,} B gzip, "
        f"{weight['graph_data_share']:.0%}); shared graph assets, fetched once per site: "
        f"{shared['bytes']:,} B ({shared['gzip']:,} B gzip)",
    ]
    draw = explorer_first_draw(n)
    if "skipped" in draw:
        return [*lines, f"explorer first draw: skipped ({draw['skipped']})"]
    size = draw["explorer_json"]
    lines += [
        f"explorer at {draw['entries']:,} entries and {draw['edges']:,} edges: first draw "
        f"{draw['first_draw_ms']:,} ms after navigation start (first visit "
        f"{draw['first_visit_ms']:,} ms; data in at {draw['data_loaded_ms']:,} ms, drawn "
        f"{draw['draw_after_data_ms']:,} ms later); explorer.json {size['bytes']:,} B "
        f"({size['gzip']:,} B gzip), written in {draw['explorer_data_s']:.2f} s",
        f"explorer labels at 1280x900: {draw['labels_first_view']} at the first view, then "
        f"{', '.join(str(n) for n in draw['labels_per_step'])} after each zoom step of x1.5; "
        f"overlapping pairs at most {draw['labels_overlapping_max']}; re-placing them after a "
        f"step takes {draw['label_place_ms']} ms (median; at most {draw['label_place_max_ms']} "
        f"ms), the whole frame {draw['zoom_frame_ms']} ms",
    ]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    print("\n".join(report(int(args[0]) if args else 2000)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
