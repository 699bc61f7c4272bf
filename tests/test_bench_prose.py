"""The bench's prose catalogue is a valid catalogue, and its plain site carries the same prose."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_builder.core.model import Severity
from graph_builder.site.build import build_site
from tests.bench_catalogue import real_bodies, write_prose_catalogue
from tests.bench_prose import (
    prose_lines,
    prose_row,
    write_plain_prose_site,
    write_project_prose_site,
)
from tests.bench_rebuild import edit_prose
from tests.bench_site import BuildTime


def test_prose_catalogue_builds_without_errors(tmp_path: Path) -> None:
    written = write_prose_catalogue(tmp_path / "entries", 30)
    result = build_site(tmp_path / "entries")
    assert [d.format() for d in result.of(Severity.ERROR)] == []
    assert len(result.entries) == 30
    # The bodies are the repository's own, cycled in the order of their file names.
    bodies = real_bodies()
    assert [body for _, body in written] == [bodies[i % len(bodies)] for i in range(30)]
    assert written[0][1] != written[1][1]


def test_the_plain_site_page_holds_the_entry_s_name_summary_and_body(tmp_path: Path) -> None:
    written = write_project_prose_site(tmp_path / "project", 12)
    write_plain_prose_site(tmp_path / "plain", written)
    facts, body = written[7]
    page = (tmp_path / "plain" / "docs" / "entries" / f"{facts['slug']}.md").read_text("utf-8")
    assert page.startswith(f"# {facts['name']}\n\nA synthetic model, {facts['name']},")
    assert body.strip() in page
    entry = (tmp_path / "project" / "entries" / f"{facts['slug']}.md").read_text("utf-8")
    assert entry.endswith(body.strip() + "\n")
    config = (tmp_path / "plain" / "mkdocs.yml").read_text("utf-8")
    assert "  - pymdownx.superfences\n" in config
    assert "not_in_nav" in config


def test_an_edit_ends_the_origin_story(tmp_path: Path) -> None:
    path = tmp_path / "entry.md"
    path.write_text("## Origin Story\n\nIt began.\n\n## References\n\n- A book.\n", "utf-8")
    edit_prose(path, "Then it grew.")
    assert path.read_text("utf-8") == (
        "## Origin Story\n\nIt began. Then it grew.\n\n## References\n\n- A book.\n"
    )


def test_the_report_keeps_user_and_system_time_apart() -> None:
    # Plugin: 6.0 + 2.0 and 5.5 + 3.0 s; plain: 3.0 + 1.0 and 3.2 + 0.5 s (user + system).
    builds = {
        "plugin": [BuildTime(9.0, 8.0, 2.0), BuildTime(9.5, 8.5, 3.0)],
        "plain": [BuildTime(4.1, 4.0, 1.0), BuildTime(4.0, 3.7, 0.5)],
    }
    row = prose_row(1000, builds)
    # The least CPU of each: 8.0 and 3.7 s, 8.0 / 3.7 = 2.16; 8 ms and 3.7 ms per entry.
    assert (row["plugin"], row["plain"]) == (8.0, 3.7)
    assert row["ratio"] == pytest.approx(2.162, abs=1e-3)
    # The least user time of each is 5.5 and 3.0 s (from other builds than the least CPU).
    assert row["user"] == {"plugin": 5.5, "plain": 3.0}
    assert row["user ratio"] == pytest.approx(5.5 / 3.0)
    assert row["system"] == {"plugin": 2.0, "plain": 0.5}
    first, second = prose_lines([row])
    assert "plugin   8.0 s CPU (8.0 ms/entry) | plain Material   3.7 s CPU (3.7 ms/entry)" in first
    assert "ratio 2.16 (limit 1.5, aim 1.3) | runs, s CPU: plugin 8.0 / 8.5; plain 4.0 / 3.7" in (
        first
    )
    assert second == (
        "prose  1,000 entries, user and system apart: user plugin 5.5 s, plain 3.0 s, "
        "ratio 1.83 | system (files and folders) plugin 2.0 s, plain 0.5 s"
    )
