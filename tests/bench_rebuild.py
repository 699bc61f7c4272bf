"""The serve rebuild: the prose sites of `n` entries under `mkdocs serve` -> the seconds from an
edit of one entry's prose until the served page shows it, for the project's site and the plain
one, and their ratio.

Each site runs under the real `mkdocs serve --livereload` on a free loopback port (MkDocs 1.6
watches files only with live reload on: `--no-livereload` serves the first build and never
rebuilds). Once the first build is served, one entry gets a sentence with a new word at the end
of its Origin Story (in the plain site, the same page), and the page is fetched until the word
is in it. The time includes the server noticing the change: its watcher polls every 0.5 s. Each
site is edited `EDITS` times with a different word; the median is reported, with the CPU
seconds the server process spent from the edit to the page (Linux's /proc). The project's site
is also served with `--dirty` (`make preview`), where a rebuild renders only the pages that
changed (`plugin/dirty.py`); the plain site's figure stays that of a full rebuild, the one
MkDocs promises to be exact.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
from pathlib import Path
from typing import Any

from tests.bench_prose import write_plain_prose_site, write_project_prose_site
from tests.loopback import OPENER, free_port

__all__ = ["REBUILD_SIZE", "edit_prose", "measure_rebuilds", "rebuild_report"]

#: Catalogue size of the rebuild figures (`--rebuild`).
REBUILD_SIZE = 1000

#: Edits per site, each with its own word.
EDITS = 3

_MKDOCS = Path(sys.executable).parent / "mkdocs"
_FIRST_BUILD_SECONDS = 600.0
_REBUILD_SECONDS = 300.0
_TICK = os.sysconf("SC_CLK_TCK")


def _fetch(url: str) -> str | None:
    try:
        with OPENER.open(url, timeout=_REBUILD_SECONDS) as response:
            body: bytes = response.read()
            return body.decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds of a running process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def edit_prose(path: Path, sentence: str) -> None:
    """Append `sentence` to the last paragraph of the Origin Story in `path` (or to the file's
    last paragraph when it has no References after it)."""
    text = path.read_text(encoding="utf-8")
    marker = "\n\n## References"
    at = text.find(marker)
    if at < 0:
        at = len(text.rstrip("\n"))
    path.write_text(f"{text[:at]} {sentence}{text[at:]}", encoding="utf-8")


def _wait(url: str, word: str, server: subprocess.Popen[bytes], limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"mkdocs serve exited with {server.returncode} before {url}")
        body = _fetch(url)
        if body is not None and word in body:
            return
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not show {word!r} within {limit:.0f} s")


def _stop(server: subprocess.Popen[bytes]) -> None:
    # SIGINT is Ctrl-C: the server shuts down and removes its temporary site folder.
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=30)


def measure_rebuilds(
    root: Path, source: Path, slug: str, words: list[str], *, dirty: bool = False
) -> dict[str, Any]:
    """Serve the site in `root` (with `--dirty` when asked), then for each word edit `source`
    and time until the page of `slug` shows the word: the seconds and server CPU seconds of
    each edit."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/entries/{slug}/"
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [
                str(_MKDOCS),
                "serve",
                "--livereload",
                *(["--dirty"] if dirty else []),
                "--dev-addr",
                f"127.0.0.1:{port}",
            ],
            cwd=root,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
        try:
            start = time.perf_counter()
            _wait(url, "</html>", server, _FIRST_BUILD_SECONDS)
            first = time.perf_counter() - start
            seconds, cpu = [], []
            for word in words:
                # Let the watcher settle, so each edit is one change seen on its own.
                time.sleep(1.0)
                before = _process_cpu(server.pid)
                start = time.perf_counter()
                edit_prose(source, f"The bench marks this page with {word}.")
                _wait(url, word, server, _REBUILD_SECONDS)
                seconds.append(time.perf_counter() - start)
                cpu.append(_process_cpu(server.pid) - before)
        except (RuntimeError, TimeoutError):
            log.seek(0)
            sys.stderr.write(log.read().decode("utf-8", "replace")[-4000:])
            raise
        finally:
            _stop(server)
    return {"first": first, "seconds": seconds, "cpu": cpu}


def rebuild_report(n: int, workdir: Path) -> list[str]:
    """Both sites of `n` prose entries served and edited `EDITS` times; the medians and ratio."""
    project, plain = workdir / f"serve-{n}", workdir / f"serve-plain-{n}"
    written = write_project_prose_site(project, n)
    write_plain_prose_site(plain, written)
    slug = written[n // 2][0]["slug"]
    sources = {
        "plugin": (project, project / "entries" / f"{slug}.md", False),
        "plain": (plain, plain / "docs" / "entries" / f"{slug}.md", False),
        "dirty": (project, project / "entries" / f"{slug}.md", True),
    }
    names = {"plugin": "plugin", "plain": "plain Material", "dirty": "plugin, --dirty"}
    results = {}
    for label, (root, source, dirty) in sources.items():
        print(f"serve rebuild: {names[label]}, {n:,} entries ...", file=sys.stderr, flush=True)
        words = [f"rebuildmark{label}{k}q{time.time_ns() % 10**6}" for k in range(EDITS)]
        results[label] = measure_rebuilds(root, source, slug, words, dirty=dirty)
    median = {label: statistics.median(r["seconds"]) for label, r in results.items()}
    lines = []
    for label, r in results.items():
        name = names[label]
        edits = ", ".join(f"{s:.2f}" for s in r["seconds"])
        cpu = ", ".join(f"{s:.2f}" for s in r["cpu"])
        lines.append(
            f"serve  {n:>6,} entries, {name}: edit to served page {median[label]:5.2f} s "
            f"(median of {edits} s; server CPU {cpu} s; first build served after "
            f"{r['first']:.1f} s)"
        )
    ratio = median["plugin"] / median["plain"]
    cpu_ratio = statistics.median(results["plugin"]["cpu"]) / statistics.median(
        results["plain"]["cpu"]
    )
    lines.append(
        f"serve  {n:>6,} entries: rebuild ratio plugin / plain {ratio:.2f} in time, "
        f"{cpu_ratio:.2f} in server CPU (each time includes up to 0.5 s for the watcher to "
        "notice the edit)"
    )
    lines.append(
        f"serve  {n:>6,} entries, with --dirty (make preview): plugin / plain "
        f"{median['dirty'] / median['plain']:.2f} in time"
    )
    return lines
