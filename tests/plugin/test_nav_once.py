"""The theme's nav, rendered once for the pages it does not list (`plugin/nav_once.py`): the
site is byte for byte what it is when every page renders its own nav."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import get_navigation

from graph_builder.plugin import nav_once

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "site"


def build_child(src: str, site: str, report: str, cached: str) -> None:
    """Build the site at `src` into `site`, with the nav rendered once per key or (`cached`
    "no") by the theme for every page; write how often the theme's nav template ran."""
    from mkdocs.commands.build import build

    runs: list[nav_once.NavOnce] = []
    install = nav_once.install

    def counted(env: jinja2.Environment) -> nav_once.NavOnce:
        runs.append(install(env))
        return runs[-1]

    nav_once.install = counted if cached == "yes" else lambda env: nav_once.NavOnce()
    os.chdir(src)
    build(load_config("mkdocs.yml", site_dir=site))
    Path(report).write_text(json.dumps([run.theme_renders for run in runs]), encoding="utf-8")


def _build(src: Path, site: Path, *, cached: bool) -> list[int]:
    report = site.with_suffix(".json")
    child = (
        "import sys\nfrom tests.plugin.test_nav_once import build_child\n"
        "build_child(*sys.argv[1:])\n"
    )
    subprocess.run(
        [sys.executable, "-c", child, str(src), str(site), str(report), "yes" if cached else "no"],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
        capture_output=True,
    )
    renders: list[int] = json.loads(report.read_text("utf-8"))
    return renders


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_the_site_is_the_same_with_the_nav_rendered_once_per_kind_of_page(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(FIXTURE, src, ignore=shutil.ignore_patterns("site"))
    assert _build(src, tmp_path / "each", cached=False) == []
    [renders] = _build(src, tmp_path / "once", cached=True)
    each, once = _tree(tmp_path / "each"), _tree(tmp_path / "once")
    assert sorted(each) == sorted(once)
    assert [path for path in each if each[path] != once[path]] == []
    # The site's pages, not the redirects from old family addresses, which have no nav.
    pages = [
        path for path in once if path.endswith("index.html") and b"md-nav--primary" in once[path]
    ]
    # The pages the fixture's nav lists render their own nav (each marks itself as the page
    # open); so does 404.html, which is no page. The nav's links point the same way from two
    # other pages when they are as deep and in the same folder of the nav, or in none:
    # entries/a/ and entries/b/ share one rendering, and so do families/a/ and contribute/tagging/.
    listed = {_html_of(uri) for uri in _nav_uris(src)}
    assert listed <= set(pages)
    nav_folders = {path.split("/")[0] for path in listed if "/" in path}
    groups = {
        (folder if folder in nav_folders else None, path.count("/"))
        for path in set(pages) - listed
        for folder in [path.split("/")[0]]
    }
    assert {("entries", 2), ("kinds", 2), (None, 1), (None, 2)} <= groups
    assert renders == len(listed) + 1 + len(groups)
    assert renders < len(pages) / 3


def _html_of(uri: str) -> str:
    """Where MkDocs writes the page of a Markdown file (`use_directory_urls`)."""
    stem = uri.removesuffix(".md").removesuffix("index").rstrip("/")
    return f"{stem}/index.html" if stem else "index.html"


def _nav_uris(src: Path) -> list[str]:
    """The Markdown files the fixture's nav lists (`- Name: file.md`)."""
    lines = (src / "mkdocs.yml").read_text("utf-8").split("nav:\n", 1)[1].splitlines()
    uris = [line.rsplit(": ", 1)[1] for line in lines if line.strip().endswith(".md")]
    assert "index.md" in uris and "about.md" in uris
    return uris


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, nav_once.Key | None]:
    """The key of each page of a small site, by URL: its nav lists three pages, one of them
    deep inside `b/x/`."""
    (tmp_path / "docs").mkdir()
    yml = (
        f"site_name: T\ndocs_dir: {tmp_path / 'docs'}\n"
        "nav:\n  - Home: index.md\n  - A: a/index.md\n  - S:\n    - Deep: b/x/deep.md\n"
    )
    config = load_config(config_file=io.StringIO(yml))
    uris = ["index.md", "a/index.md", "b/x/deep.md", "a/one.md", "a/two.md", "b/x.md", "b/y.md"]
    files = Files([File(uri, None, str(tmp_path), use_directory_urls=True) for uri in uris])
    nav = get_navigation(files, config)
    cache = nav_once.NavOnce()
    pages = [file.page for file in files if file.page is not None]
    return {page.url: cache.key(page, nav, config) for page in pages}


def test_a_key_is_where_the_nav_links_point_from_the_page(
    keys: dict[str, nav_once.Key | None],
) -> None:
    # The nav's pages render their own nav: it marks them as the page open.
    assert keys[""] is None and keys["a/"] is None and keys["b/x/deep/"] is None
    # Two pages of one folder: every link points the same way from both (the home page, A,
    # Deep, and the logo's link to the home page).
    assert keys["a/one/"] == keys["a/two/"] == ("../..", "../", "../../b/x/deep/", "../..")
    # b/x/ holds a page of the nav (b/x/deep/), its sibling b/y/ does not: not the same links.
    assert keys["b/x/"] == ("../..", "../../a/", "deep/", "../..")
    assert keys["b/y/"] == ("../..", "../../a/", "../x/deep/", "../..")
