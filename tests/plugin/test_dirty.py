"""`mkdocs serve --dirty`: a rebuild renders only what changed, and leaves the site as a clean
build of the same files would be, its search index included (`plugin/dirty.py`)."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from mkdocs.structure.files import File

from graph_builder.plugin.dirty import OutputChanges, home_first, plan, remove_outputs
from graph_builder.site.holdout import PageText
from graph_builder.site.outputs import GeneratedFile, GeneratedPage

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "site"
PLUGIN_LOGGER = "mkdocs.plugins.graph_builder.plugin.plugin"


def test_one_changed_page_is_rendered_alone_unless_it_holds_others() -> None:
    assert plan(["entries/phoenix.md"]).pages == {"entries/phoenix.md"}
    assert plan([]).pages == frozenset()  # nothing changed: nothing rendered
    # Two pages, a section index (its address holds its section's), the home page (it holds
    # every page), a hand-written page (it may be in the nav) or the settings: every page.
    two = plan(["entries/a.md", "entries/b.md"])
    assert (two.pages, two.changed, two.reason) == (
        None,
        ("entries/a.md", "entries/b.md"),
        "2 pages changed",
    )
    assert plan(["domains/index.md"]).reason == "the section index domains/index.md changed"
    assert plan(["index.md"]).pages is None
    by_hand = plan(["entries/a.md"], iter(["about.md"]))
    assert (by_hand.pages, by_hand.reason) == (None, "1 page under docs/ changed")
    settings = plan(["entries/a.md"], settings_changed=True)
    assert (settings.pages, settings.reason) == (None, "the configuration file changed")


def _page(uri: str, text: str) -> GeneratedPage:
    return GeneratedPage(uri=uri, text=PageText(skeleton=text))


def test_outputs_are_compared_with_the_last_build_s_at_the_same_uri() -> None:
    changes = OutputChanges()
    assert changes.first
    page, data = _page("entries/a.md", "# A\n"), GeneratedFile(uri="graph.json", content=b"{}")
    assert changes.update({"entries/a.md": (page, "/s/a"), "graph.json": (data, "/s/g")}) == []
    assert not changes.first
    assert not changes.changed(_page("entries/a.md", "# A\n"))  # equal, if not the same object
    assert changes.changed(_page("entries/a.md", "# A, edited\n"))
    assert changes.changed(_page("entries/b.md", "# A\n"))
    assert not changes.changed(GeneratedFile(uri="graph.json", content=b"{}"))
    assert changes.changed(GeneratedFile(uri="graph.json", content=b"[]"))
    # The next build has no graph.json: where the last one wrote it is returned, once.
    assert changes.update({"entries/a.md": (page, "/s/a")}) == ["/s/g"]
    assert changes.update({"entries/a.md": (page, "/s/a")}) == []


def test_the_settings_count_as_changed_first_then_when_their_bytes_change(tmp_path: Path) -> None:
    changes, config = OutputChanges(), tmp_path / "mkdocs.yml"
    config.write_text("site_name: A\n", encoding="utf-8")
    assert changes.settings_changed(str(config))
    assert not changes.settings_changed(str(config))
    config.write_text("site_name: B\n", encoding="utf-8")
    assert changes.settings_changed(str(config))
    config.unlink()
    assert changes.settings_changed(str(config))
    assert changes.settings_changed(None)


def test_the_home_page_goes_first_and_the_rest_keep_their_order() -> None:
    files = [
        File(uri, src_dir=None, dest_dir="/site", use_directory_urls=True)
        for uri in ("about.md", "entries/a.md", "index.md", "entries/index.md")
    ]
    assert [f.src_uri for f in home_first(files)] == [
        "index.md",
        "about.md",
        "entries/a.md",
        "entries/index.md",
    ]


def test_removing_outputs_takes_emptied_folders_but_never_the_site_folder(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "entries" / "gone").mkdir(parents=True)
    (site / "entries" / "kept").mkdir(parents=True)
    for path in ("index.html", "entries/gone/index.html", "entries/kept/index.html"):
        (site / path).write_text("x", encoding="utf-8")
    (site / "entries" / "kept" / "data.json").write_text("{}", encoding="utf-8")
    removed = remove_outputs(
        site,
        [
            str(site / "entries/gone/index.html"),
            str(site / "entries/kept/index.html"),
            str(site / "index.html"),
            str(site / "never-written.html"),
        ],
    )
    assert sorted(p.relative_to(site).as_posix() for p in removed) == [
        "entries/gone/index.html",
        "entries/kept/index.html",
        "index.html",
    ]
    assert not (site / "entries" / "gone").exists()
    assert (site / "entries" / "kept" / "data.json").is_file()  # a folder still in use stays
    assert site.is_dir()


# -- a serve session, in a process of its own ------------------------------------------------
# MkDocs keeps a plugin with `on_startup` (this one, Material's search) for the whole process,
# with its state: the session runs in a child so no other test meets a plugin left dirty.


def dirty_session(src: str, site: str, report: str) -> None:
    """Build the site at `src` into `site` as `mkdocs serve --dirty` does, first and after each
    of three edits, and write the plugin's dirty-build log lines of each build to `report`
    (JSON)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from tests.bench_rebuild import edit_prose

    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "dirty build:" in record.getMessage():
                lines.append(record.getMessage().split("dirty build: ", 1)[1])

    logging.getLogger(PLUGIN_LOGGER).addHandler(Keep())
    logging.getLogger(PLUGIN_LOGGER).setLevel(logging.INFO)
    os.chdir(src)
    entries = Path(src) / "entries"
    edits = {
        "first": lambda: None,
        "name": lambda: (entries / "phoenix.md").write_text(
            (entries / "phoenix.md")
            .read_text(encoding="utf-8")
            .replace('name: "Phoenix"', 'name: "Phoenix Renamed"'),
            encoding="utf-8",
        ),
        "delete": lambda: (entries / "hansei.md").unlink(),
        # Last, so the page it renders alone is the one compared with a clean build.
        "prose": lambda: edit_prose(entries / "phoenix.md", "Edited while served."),
    }
    logged: dict[str, list[str]] = {}
    for step, edit in edits.items():
        edit()
        config = load_config("mkdocs.yml", site_dir=site)
        if step == "first":
            config.plugins.on_startup(command="serve", dirty=True)
        lines.clear()
        build(config, serve_url="http://127.0.0.1:8000/", dirty=True)
        logged[step] = list(lines)
    Path(report).write_text(json.dumps(logged), encoding="utf-8")


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _search_docs(root: Path) -> list[str]:
    docs = json.loads((root / "search" / "search_index.json").read_text("utf-8"))["docs"]
    return sorted(json.dumps(doc, sort_keys=True) for doc in docs)


def test_a_dirty_session_renders_what_changed_and_ends_as_a_clean_build(tmp_path: Path) -> None:
    src, site, clean = tmp_path / "src", tmp_path / "served", tmp_path / "clean"
    shutil.copytree(FIXTURE, src, ignore=shutil.ignore_patterns("site"))
    # Two nav items without a title, a generated page and a hand-written one: the nav of every
    # page shows their titles, which come from the pages themselves.
    config = src / "mkdocs.yml"
    text = config.read_text("utf-8")
    for titled in ("  - About: about.md\n", "  - Vocabulary: vocabulary/index.md\n"):
        assert titled in text
        text = text.replace(titled, "  - " + titled.split(": ", 1)[1])
    config.write_text(text, encoding="utf-8")
    report = tmp_path / "report.json"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    child = (
        "import sys\nfrom tests.plugin.test_dirty import dirty_session\n"
        "dirty_session(*sys.argv[1:])\n"
    )
    subprocess.run(
        [sys.executable, "-c", child, str(src), str(site), str(report)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    logged = json.loads(report.read_text("utf-8"))
    assert logged["first"] == []  # the first build writes everything and says nothing
    # A prose edit: the one page, nothing else (the feed and llms.txt carry summaries only).
    [prose] = logged["prose"]
    assert prose.startswith("1 of ") and prose.endswith(" rendered or written again")
    # A new name shows on other pages (links, facets, neighbours' graphs): every page.
    every = ", so every page is rendered again (the home page first: search keeps each page once)"
    assert logged["name"][0].endswith(f" pages changed{every}")
    assert logged["delete"][0].endswith(f" pages changed{every}")
    served_site = _tree(site)
    assert "Edited while served." in served_site["entries/phoenix/index.html"].decode("utf-8")
    assert "Phoenix Renamed" in served_site["entries/phoenix/index.html"].decode("utf-8")
    assert "entries/hansei/index.html" not in served_site  # a deleted entry's page goes

    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(clean)],
        cwd=src,
        env=env,
        check=True,
        capture_output=True,
    )
    clean_site = _tree(clean)
    index = "search/search_index.json"
    assert sorted(served_site) == sorted(clean_site)
    assert [p for p in clean_site if p != index and served_site[p] != clean_site[p]] == []
    # The index lists each page's sections once, the same as a clean build's, in another order.
    # (sorted with their repeats: a page left twice in the index would show here).
    assert _search_docs(site) == _search_docs(clean)
