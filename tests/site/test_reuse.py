"""A build handed the last build's memo (`reuse.BuildMemo`, as under `mkdocs serve`) gives the
same outputs as a fresh build, and computes again only what an edit can change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph_builder.site.build import SiteBuild, build_site
from graph_builder.site.index import SiteOptions
from graph_builder.site.reuse import BuildMemo

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "site" / "entries"


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    folder = tmp_path / "entries"
    shutil.copytree(FIXTURE, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def page(build: SiteBuild, uri: str) -> str:
    return next(p.markdown for p in build.pages if p.uri == uri)


def test_a_prose_edit_renders_one_page_and_keeps_the_rest(catalogue: Path) -> None:
    memo = BuildMemo()
    first = build_site(catalogue, memo=memo)
    assert not memo.structure_reused
    assert memo.pages_rendered == len(first.entries) > 10

    edit(catalogue / "phoenix.md", "carries from its source", "carries from ash and flame")
    again = build_site(catalogue, memo=memo)
    assert memo.structure_reused
    assert memo.pages_rendered == 1
    assert memo.files.parsed == 1
    assert "carries from ash and flame" in page(again, "entries/phoenix.md")
    assert again.outputs == build_site(catalogue).outputs

    build_site(catalogue, memo=memo)
    assert memo.structure_reused and memo.pages_rendered == 0


def test_a_front_matter_edit_computes_everything_again(catalogue: Path) -> None:
    memo = BuildMemo()
    first = build_site(catalogue, memo=memo)
    # Hansei lists Phoenix among its neighbours: a new name must reach Hansei's page too.
    assert "Phoenix</bdi>" in page(first, "entries/hansei.md")
    edit(catalogue / "phoenix.md", 'name: "Phoenix"', 'name: "Firebird"')
    renamed = build_site(catalogue, memo=memo)
    assert not memo.structure_reused
    assert "Firebird</bdi>" in page(renamed, "entries/hansei.md")
    assert renamed.outputs == build_site(catalogue).outputs

    edit(catalogue / "phoenix.md", "structure: cycle", "structure: hierarchy")
    retagged = build_site(catalogue, memo=memo)
    assert not memo.structure_reused
    assert retagged.neighbours != renamed.neighbours
    assert retagged.outputs == build_site(catalogue).outputs


def test_other_site_options_compute_everything_again(catalogue: Path) -> None:
    memo = BuildMemo()
    build_site(catalogue, memo=memo)
    options = SiteOptions(edit_url="https://example.org/edit/main/entries/")
    edited = build_site(catalogue, options=options, memo=memo)
    assert not memo.structure_reused
    assert "https://example.org/edit/main/entries/phoenix.md" in page(edited, "entries/phoenix.md")
    assert edited.outputs == build_site(catalogue, options=options).outputs
