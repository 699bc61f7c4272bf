"""`mkdocs serve` rebuilds when a file under entries/ is edited, added or deleted.

Starts a real server on a free loopback port over a copy of the fixture site, and polls the
served HTML (bounded waits) until each change shows. The server is always stopped.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.loopback import OPENER, free_port

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "site"
MKDOCS = Path(sys.executable).parent / "mkdocs"
WAIT_SECONDS = 60.0


def fetch(url: str) -> tuple[int, str]:
    try:
        with OPENER.open(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def wait_for(url: str, done: Callable[[int, str], bool], server: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, "mkdocs serve exited"
        status, body = fetch(url)
        if done(status, body):
            return body
        time.sleep(0.25)
    raise AssertionError(f"{url} did not show the change within {WAIT_SECONDS:.0f} s")


@pytest.fixture
def served(
    tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[str, Path, subprocess.Popen[bytes]]]:
    """`mkdocs serve` over a copy of the fixture site; with `--dirty` when the test's
    parameter asks (`make preview`)."""
    dirty = ["--dirty"] if getattr(request, "param", False) else []
    src = tmp_path / "site-src"
    shutil.copytree(FIXTURE, src, ignore=shutil.ignore_patterns("site"))
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [str(MKDOCS), "serve", "--livereload", *dirty, "--dev-addr", f"127.0.0.1:{port}", "-q"],
        cwd=src,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}", src, server
    finally:
        # Ctrl-C, as a maintainer stops it: the server then removes its temporary site folder.
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@pytest.mark.parametrize("served", [False, True], ids=["clean", "dirty"], indirect=True)
def test_serve_rebuilds_on_edit_add_and_delete(
    served: tuple[str, Path, subprocess.Popen[bytes]],
) -> None:
    base, src, server = served
    entry = src / "entries" / "phoenix.md"
    page = f"{base}/entries/phoenix/"
    before = wait_for(page, lambda status, _: status == 200, server)
    assert "Phoenix as a fixture" in before

    entry.write_text(
        entry.read_text(encoding="utf-8").replace("Phoenix as a fixture", "Phoenix, edited live"),
        encoding="utf-8",
    )
    after = wait_for(page, lambda _, body: "Phoenix, edited live" in body, server)
    assert "Phoenix as a fixture" not in after

    added = src / "entries" / "new-arrival.md"
    added.write_text(
        entry.read_text(encoding="utf-8")
        .replace("slug: phoenix", "slug: new-arrival")
        .replace('name: "Phoenix"', 'name: "New Arrival"'),
        encoding="utf-8",
    )
    new_page = f"{base}/entries/new-arrival/"
    assert "New Arrival" in wait_for(new_page, lambda status, _: status == 200, server)

    added.unlink()
    wait_for(new_page, lambda status, _: status == 404, server)


def test_a_scaffolded_draft_shows_its_problems_and_the_rest_keeps_serving(
    served: tuple[str, Path, subprocess.Popen[bytes]],
) -> None:
    base, src, server = served
    existing = f"{base}/entries/phoenix/"
    wait_for(existing, lambda status, _: status == 200, server)
    graph_builder = Path(sys.executable).parent / "graph-builder"
    scaffold = subprocess.run(
        [str(graph_builder), "new", "Test Model", "--kind", "mental-model", "--no-input"],
        cwd=src,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert scaffold.returncode == 0, scaffold.stderr
    draft = src / "entries" / "test-model.md"
    assert draft.is_file()

    # The draft's placeholders are errors: its page lists them as `check` prints them ...
    draft_page = f"{base}/entries/test-model/"
    body = wait_for(draft_page, lambda status, _: status == 200, server)
    assert re.search(r"entries/test-model\.md:\d+: error: ", html.unescape(body))
    assert "Draft: test-model" in body
    # ... while every other page still answers, with its content.
    status, body = fetch(existing)
    assert status == 200 and "Phoenix as a fixture" in body
    status, _ = fetch(f"{base}/entries/")
    assert status == 200

    draft.unlink()
    wait_for(draft_page, lambda status, _: status == 404, server)
    assert fetch(existing)[0] == 200
