"""The bench's prose catalogue is a valid catalogue, and its plain site carries the same prose."""

from __future__ import annotations

from pathlib import Path

from graph_builder.core.model import Severity
from graph_builder.site.build import build_site
from tests.bench_catalogue import real_bodies, write_prose_catalogue
from tests.bench_prose import write_plain_prose_site, write_project_prose_site
from tests.bench_rebuild import edit_prose


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
