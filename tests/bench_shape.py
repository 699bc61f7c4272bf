"""Browser-side figures of "find by shape" (/shape/): the data's weight, the time to a new list.

A synthetic catalogue of `n` entries (bench_browser.synthetic_entries, with 1-3 categories
each) goes through `shape.shape_data`; the page's own block, script and stylesheet are written
into a plain page (no MkDocs, as browser_support.graph_page does for the graphs), served from
127.0.0.1 and driven by headless Chromium:

- `data`: the bytes of `shape/entries.json`, raw and gzipped (what a static host sends);
- `change -> list`: the reader ticks or unticks one tag; from the `change` event to the list
  rebuilt in the DOM (the page's own handler runs synchronously), and to the next frame painted
  after it (requestAnimationFrame, then a task), over a series of different changes: median and
  worst.

Run alone with `python -m tests.bench_shape [N]`; `python -m tests.bench` prints the same
report (its `--shape N` option, 0 to skip).
"""

from __future__ import annotations

import dataclasses
import gzip
import random
import re
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from graph_builder.core.vocabulary import default_vocabulary
from graph_builder.site import shape
from tests.bench_browser import synthetic_entries
from tests.browser_support import find_chromium, serve

__all__ = ["main", "report", "shape_figures"]

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Find by shape</title>
<link rel="stylesheet" href="../assets/shape/shape.css">
</head>
<body><main class="md-typeset">
{block}
</main>
<script src="../assets/shape/shape.js"></script>
</body>
</html>
"""

# One change and the time until the list is rebuilt, then until the next frame is painted.
_CHANGE = """async ([name, value]) => {
    const input = document.querySelector(`input[name="${name}"][value="${value}"]`);
    const start = performance.now();
    input.checked = !input.checked;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    const listed = performance.now();
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    return [listed - start, performance.now() - start,
            Number(document.querySelector(".gb-shape").dataset.shapeResults)];
}"""


def write_shape_site(root: Path, n: int, seed: int = 2000) -> Path:
    """The shape page, its data for `n` synthetic entries and its assets under `root`."""
    rng = random.Random(seed)
    categories = sorted(default_vocabulary().categories)
    entries = [
        dataclasses.replace(e, categories=tuple(rng.sample(categories, rng.randint(1, 3))))
        for e in synthetic_entries(n, seed)
    ]
    markdown = shape.shape_page_markdown(entries, default_vocabulary())
    block = re.search(r'<section class="gb-shape".*</section>', markdown, re.S)
    assert block is not None
    for uri, content in shape.shape_files(entries, default_vocabulary()):
        path = root / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    page = root / "shape" / "index.html"
    page.write_text(_PAGE.format(block=block.group(0)), encoding="utf-8")
    return root / shape.SHAPE_DATA_URI


def shape_figures(n: int, changes: int = 40) -> dict[str, Any]:
    """Data size and change-to-list times at `n` entries (see the module's docstring)."""
    from playwright.sync_api import sync_playwright

    chromium = find_chromium()
    if isinstance(chromium, str):
        raise RuntimeError(chromium)
    vocabulary = default_vocabulary()
    rng = random.Random(7)
    toggles = [("patterns", t) for t in vocabulary.embodied_patterns] + [
        ("relations", t) for t in vocabulary.relation_types
    ]
    with tempfile.TemporaryDirectory(prefix="mma-shape-bench-") as tmp:
        root = Path(tmp)
        data = write_shape_site(root, n).read_bytes()
        with serve(root) as url, sync_playwright() as playwright:
            browser = chromium.launch(playwright)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(
                url + "shape/?patterns=link,splitting,iteration"
                "&relations=restore,transform/refinement,cause/accumulate"
                "&structure=cycle&level=generic"
            )
            page.wait_for_selector(".gb-shape[data-shape-ready]")
            first_results = int(page.locator(".gb-shape").get_attribute("data-shape-results"))
            # Warm-up: the first calls compile the scoring code.
            for name, value in toggles[:4]:
                page.evaluate(_CHANGE, [name, value])
            listed: list[float] = []
            painted: list[float] = []
            results: list[int] = []
            for _ in range(changes):
                name, value = rng.choice(toggles)
                to_list, to_paint, count = page.evaluate(_CHANGE, [name, value])
                listed.append(to_list)
                painted.append(to_paint)
                results.append(count)
            browser.close()
    return {
        "n": n,
        "bytes": len(data),
        "gzip": len(gzip.compress(data, 9)),
        "listed median": statistics.median(listed),
        "listed max": max(listed),
        "painted median": statistics.median(painted),
        "painted max": max(painted),
        "results median": statistics.median(results),
        "seed shape results": first_results,
        "changes": changes,
    }


def report(n: int) -> list[str]:
    """The figures as lines of text."""
    f = shape_figures(n)
    return [
        f"find by shape at {f['n']:,} entries:",
        f"  data: shape/entries.json {f['bytes'] / 1024:.0f} KiB "
        f"({f['gzip'] / 1024:.0f} KiB gzipped), {f['bytes'] / f['n']:.0f} bytes per entry",
        f"  change -> list rebuilt: median {f['listed median']:.1f} ms, "
        f"worst {f['listed max']:.1f} ms; -> next frame painted: median "
        f"{f['painted median']:.1f} ms, worst {f['painted max']:.1f} ms "
        f"({f['changes']} changes; median {f['results median']:.0f} entries scored above 0, "
        "the first 50 listed)",
    ]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    n = int(args[0]) if args else 2000
    print("\n".join(report(n)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
