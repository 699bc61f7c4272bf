"""Exports (JSON, GraphML, GEXF) and the `export`, `explain` and `neighbours` commands."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph_builder.analysis.neighbours import NeighbourLists, structural_neighbours
from graph_builder.analysis.similarity import NeighbourSettings
from graph_builder.cli.main import main
from graph_builder.cli.neighbour_text import suggest
from graph_builder.core.characters import printable
from graph_builder.core.load import load_entries
from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import default_vocabulary
from graph_builder.opendata.export import (
    export_catalogue,
    export_json,
    export_json_chunks,
)
from graph_builder.plugin.config import options_from_mkdocs_yml
from graph_builder.site.build import SiteBuild, build_site
from tests.entries import make_entry
from tests.neighbour_reference import corpora, seed_entries

VOCABULARY = default_vocabulary()


def tiny_entries() -> list[Entry]:
    return [
        make_entry("b", frame="war", patterns=["flow"], structure=["cycle"], name='B "<&>"'),
        make_entry(
            "a",
            frame="sea",
            patterns=["flow", "link"],
            relations=["transform/refinement"],
            structure=["cycle"],
            level="generic",
            related=["b", "ghost"],
            kind="metaphor",
        ),
        make_entry("c", frame="sea", relations=["transform"], level="generic"),
        make_entry("d"),
    ]


def test_json_contract_with_hand_computed_scores() -> None:
    entries = tiny_entries()
    data = json.loads(export_json(entries, structural_neighbours(entries, VOCABULARY)))
    assert [e["slug"] for e in data["entries"]] == ["a", "b", "c", "d"]
    a = data["entries"][0]
    assert a == {
        "slug": "a",
        "name": "A",
        "kind": "metaphor",
        "source_frame": "sea",
        "categories": [],
        "embodied_patterns": ["flow", "link"],
        "relation_types": ["transform/refinement"],
        "structure": ["cycle"],
        "abstraction_level": "generic",
        "related": ["b", "ghost"],
        "neighbours": {
            # a-b: 0.35 * 0.9/1.8 + 0.2 = 0.375
            "cross_domain": [
                {
                    "slug": "b",
                    "score": 0.375,
                    "shared_patterns": ["flow"],
                    "shared_relations": [],
                    "sibling_relations": [],
                    "shared_structures": ["cycle"],
                    "level_match": False,
                }
            ],
            # a-c: relations 0.3 * 0.3 / 0.6 = 0.15 -> 0.35 * 0.15 + 0.1 = 0.1525 < 0.25
            "same_domain": [],
        },
    }
    assert data["entries"][1]["name"] == 'B "<&>"'
    assert data["entries"][3]["neighbours"] == {"cross_domain": [], "same_domain": []}
    assert data["entries"][3]["source_frame"] is None


def test_sibling_pairs_reach_the_json() -> None:
    entries = tiny_entries()
    lists = structural_neighbours(entries, VOCABULARY, NeighbourSettings(threshold=0.1))
    data = json.loads(export_json(entries, lists))
    same = data["entries"][0]["neighbours"]["same_domain"]
    assert same == [
        {
            "slug": "c",
            "score": 0.1525,
            "shared_patterns": [],
            "shared_relations": [],
            "sibling_relations": [["transform/refinement", "transform"]],
            "shared_structures": [],
            "level_match": True,
        }
    ]


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf"])
def test_exports_are_byte_identical_across_runs(fmt: str) -> None:
    entries = seed_entries()
    first = export_catalogue(entries, structural_neighbours(entries, VOCABULARY), fmt)
    second = export_catalogue(
        list(reversed(entries)), structural_neighbours(list(reversed(entries)), VOCABULARY), fmt
    )
    assert first == second
    assert first.endswith("\n")


def _json_the_old_way(entries: list[Entry], lists: Mapping[str, NeighbourLists]) -> str:
    """The JSON export as it was written before it streamed: one dict, one `json.dumps`."""
    out = []
    first = {}
    for entry in sorted(entries, key=lambda e: (e.slug, e.path)):
        first.setdefault(entry.slug, entry)
    for entry in first.values():
        own = lists.get(entry.slug, NeighbourLists())
        out.append(
            {
                "slug": entry.slug,
                "name": entry.name,
                "kind": entry.kind,
                "source_frame": entry.source_frame,
                "categories": list(entry.categories),
                "embodied_patterns": list(entry.embodied_patterns),
                "relation_types": list(entry.relation_types),
                "structure": list(entry.structure),
                "abstraction_level": entry.abstraction_level,
                "related": list(entry.related),
                "neighbours": {
                    side: [
                        {
                            "slug": n.slug,
                            "score": round(n.score.total, 6),
                            "shared_patterns": list(n.score.shared_patterns),
                            "shared_relations": list(n.score.shared_relations),
                            "sibling_relations": [list(p) for p in n.score.sibling_relations],
                            "shared_structures": list(n.score.shared_structures),
                            "level_match": n.score.level_match,
                        }
                        for n in getattr(own, side)
                    ]
                    for side in ("cross_domain", "same_domain")
                },
            }
        )
    return json.dumps({"entries": out}, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _odd_entries() -> list[Entry]:
    """Text JSON escapes or indents differently: quotes, a newline and a tab, non-ASCII, a
    duplicate slug (the first by path is exported), and entries without any neighbours."""
    return [
        *tiny_entries(),
        make_entry("e", frame="sea", patterns=["flow"], structure=["cycle"], name='É"\\\n\tπ'),
        make_entry("e", frame="war", patterns=["link"], structure=["cycle"], path="z/e.md"),
        make_entry(
            "ñ", frame="sea", patterns=["flow", "link"], structure=["cycle"], level="generic"
        ),
    ]


@pytest.mark.parametrize(
    ("catalogue", "threshold"),
    [("none", 0.25), ("one", 0.25), ("tiny", 0.1), ("odd", 0.1), ("seed", 0.25)],
)
def test_streamed_json_is_the_old_json_dumps_byte_for_byte(
    catalogue: str, threshold: float
) -> None:
    entries = {
        "none": [],
        "one": tiny_entries()[:1],
        "tiny": tiny_entries(),
        "odd": _odd_entries(),
        "seed": seed_entries(),
    }[catalogue]
    lists = structural_neighbours(entries, VOCABULARY, NeighbourSettings(threshold=threshold))
    expected = _json_the_old_way(entries, lists)
    chunks = list(export_json_chunks(entries, lists))
    assert "".join(chunks) == expected
    assert export_json(entries, lists) == expected
    assert all(chunk.endswith("\n") for chunk in chunks)  # whole lines, as `emit` escapes them
    assert len(chunks) == (1 if not entries else len({e.slug for e in entries}) + 2)


@given(corpus=corpora(), text=st.data())
def test_written_json_is_json_dumps_for_any_text(corpus: list[Entry], text: st.DataObject) -> None:
    """Names, kinds, frames, categories and related slugs are contributor text: any string."""
    entries = [
        replace(
            entry,
            name=text.draw(st.text()),
            kind=text.draw(st.text(max_size=4)),
            categories=tuple(text.draw(st.lists(st.text(max_size=4), max_size=2))),
            related=tuple(text.draw(st.lists(st.text(max_size=4), max_size=2))),
        )
        for entry in corpus
    ]
    settings = NeighbourSettings(threshold=0.1, workers=1)
    lists = structural_neighbours(entries, VOCABULARY, settings)
    assert export_json(entries, lists) == _json_the_old_way(entries, lists)


def test_export_command_streams_the_same_bytes(
    site_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    built = options_from_mkdocs_yml(site_folder / "mkdocs.yml")
    entries = list(load_entries(built.entries_dir).entries)
    expected = _json_the_old_way(
        entries, structural_neighbours(entries, VOCABULARY, built.settings)
    )
    out = site_folder / "export.json"
    assert main(["export", "--output", str(out)]) == 0
    assert out.read_bytes() == expected.encode("utf-8")
    capsys.readouterr()
    assert main(["export"]) == 0
    assert capsys.readouterr().out == expected


def test_unknown_format_fails_loudly() -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        export_catalogue([], {}, "dot")


def test_graphml_round_trip_keeps_escaped_text_and_scalars(tmp_path: Path) -> None:
    entries = tiny_entries()
    path = tmp_path / "g.graphml"
    text = export_catalogue(entries, structural_neighbours(entries, VOCABULARY), "graphml")
    path.write_text(text, encoding="utf-8")
    back = nx.read_graphml(path)
    assert sorted(back.nodes) == ["a", "b", "c", "d"]
    assert back.nodes["b"]["name"] == 'B "<&>"'
    # The site's schema: facets under `tags_`, lists joined by "; ", a missing value left out.
    assert back.nodes["a"]["tags_embodied_patterns"] == "flow; link"
    assert back.nodes["a"]["tags_abstraction_level"] == "generic"
    assert "source_frame" not in back.nodes["d"]
    assert "embodied_patterns" not in back.nodes["a"]
    assert back.edges["a", "b"]["weight"] == 0.375
    assert back.edges["a", "b"]["kind"] == "cross"
    assert back.edges["a", "b"]["related"] is True


def test_gexf_round_trip_dated_by_the_entries_alone(tmp_path: Path) -> None:
    entries = tiny_entries()
    text = export_catalogue(entries, structural_neighbours(entries, VOCABULARY), "gexf")
    assert "lastmodifieddate" not in text  # no entry is dated, and no clock is read
    path = tmp_path / "g.gexf"
    path.write_text(text, encoding="utf-8")
    back = nx.read_gexf(path)
    assert sorted(back.nodes) == ["a", "b", "c", "d"]
    assert back.nodes["b"]["name"] == 'B "<&>"'
    assert back.edges["a", "b"]["weight"] == 0.375


def test_printable_and_suggest() -> None:
    assert printable("Zeno\u2019s paradox") == "Zeno\u2019s paradox"
    assert printable("evil\x1b[31mred") == "evil\\x1b[31mred"
    assert suggest("phenix", ["hansei", "phoenix"]) == "phoenix"
    assert suggest("zzz", ["hansei", "phoenix"]) is None


# ---------------------------------------------------------------------------------------------
# The commands
# ---------------------------------------------------------------------------------------------


def write_entry(folder: Path, slug: str, body: str) -> None:
    (folder / f"{slug}.md").write_text(f"---\nslug: {slug}\n{body}---\n\n## Transfers\n\nx\n")


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    folder = tmp_path / "entries"
    folder.mkdir()
    write_entry(
        folder,
        "rupture-and-repair",
        "name: Rupture and Repair\nsource_frame: psychotherapy\n"
        "embodied_patterns: [link, splitting, iteration]\n"
        "relation_types: [restore, transform/refinement, cause/accumulate]\n"
        "structure: cycle\nabstraction_level: generic\n",
    )
    write_entry(
        folder,
        "phoenix",
        "name: Phoenix\nsource_frame: mythology\nembodied_patterns: [splitting, path, force]\n"
        "relation_types: [transform, restore]\nstructure: cycle\nabstraction_level: generic\n",
    )
    write_entry(folder, "untagged", "name: Untagged\n")
    return folder


def test_export_command_writes_json(
    catalogue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out" / "graph.json"
    assert main(["export", "--entries", str(catalogue), "--output", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    seed = next(e for e in data["entries"] if e["slug"] == "rupture-and-repair")
    assert seed["neighbours"]["cross_domain"][0]["slug"] == "phoenix"
    assert seed["neighbours"]["cross_domain"][0]["score"] == 0.623575
    assert "wrote" in capsys.readouterr().out
    assert main(["export", "--entries", str(catalogue), "--format", "graphml"]) == 0
    assert capsys.readouterr().out.startswith("<?xml")


def test_export_reports_unreadable_files_and_exports_the_rest(
    catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (catalogue / "broken.md").write_text("---\nslug: broken\nname: [unclosed\n---\n")
    assert main(["export", "--entries", str(catalogue)]) == 1
    captured = capsys.readouterr()
    assert re.search(r"broken\.md:\d+: error: .*\[yaml-syntax\]", captured.err)
    slugs = [e["slug"] for e in json.loads(captured.out)["entries"]]
    assert slugs == ["phoenix", "rupture-and-repair", "untagged"]


def test_neighbours_command(catalogue: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["neighbours", "rupture-and-repair", "--entries", str(catalogue)]) == 0
    out = capsys.readouterr().out
    assert "Cross-domain neighbours (top 8, score >= 0.25):" in out
    assert "1. 0.623575  Phoenix (phoenix, mythology)" in out
    assert "relations: restore, transform/refinement~transform" in out
    assert main(["neighbours", "untagged", "--entries", str(catalogue)]) == 0
    assert "takes no part" in capsys.readouterr().out


def test_explain_command(catalogue: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "rupture-and-repair", "phoenix", "--entries", str(catalogue)]) == 0
    out = capsys.readouterr().out
    assert "score 0.623575 (shown as 0.624)" in out
    assert "relations  0.631818 x   0.35 = 0.221136" in out
    assert "siblings: transform/refinement ~ transform" in out
    assert "only A:   iteration (1), link (0.9)" in out
    assert "phoenix is #1 of rupture-and-repair's cross-domain neighbours" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["neighbours", "phenix"],
        ["explain", "rupture-and-repair", "phenix"],
    ],
)
def test_unknown_slug_is_one_clear_line(
    argv: list[str], catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*argv, "--entries", str(catalogue)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "error: no entry 'phenix'" in err
    assert "(did you mean 'phoenix'?)" in err


def test_export_exports_an_entry_with_a_loader_warning_and_succeeds(
    catalogue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    untagged = catalogue / "untagged.md"
    text = untagged.read_text(encoding="utf-8")
    untagged.write_text(text.replace("---\n\n", "---\n\nA stray paragraph.\n\n", 1))
    assert main(["export", "--entries", str(catalogue)]) == 0
    captured = capsys.readouterr()
    assert re.search(r"untagged\.md:\d+: warning: .*\[text-before-sections\]", captured.err)


# ---------------------------------------------------------------------------------------------
# The commands and the site: one configuration, one writer per format
# ---------------------------------------------------------------------------------------------

FIXTURE_SITE = Path(__file__).parent.parent / "fixtures" / "site"
SEED = "rupture-and-repair"


@pytest.fixture
def site_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture site, made the working folder: its mkdocs.yml is ./mkdocs.yml."""
    folder = shutil.copytree(FIXTURE_SITE, tmp_path / "atlas")
    monkeypatch.chdir(folder)
    return folder


def plugin_build(config_file: Path) -> SiteBuild:
    """`build_site` called as the plugin calls it, with the options of a mkdocs.yml."""
    built = options_from_mkdocs_yml(config_file)
    return build_site(
        built.entries_dir, settings=built.settings, options=built.options, insights=built.insights
    )


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_is_the_site_open_data_byte_for_byte(
    fmt: str, site_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = {f.uri: f.content for f in plugin_build(site_folder / "mkdocs.yml").files}
    out = site_folder / f"export.{fmt}"
    assert main(["export", "--format", fmt, "--output", str(out)]) == 0
    assert out.read_bytes() == site[f"graph.{fmt}"]
    capsys.readouterr()
    assert main(["export", "--format", fmt]) == 0
    assert capsys.readouterr().out.encode("utf-8") == site[f"graph.{fmt}"]
    if fmt == "gexf":  # dated by the latest entry date, as the site's file is
        assert b'lastmodifieddate="2026-' in out.read_bytes()


def test_export_json_keeps_its_documented_shape(site_folder: Path) -> None:
    out = site_folder / "export.json"
    assert main(["export", "--output", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert list(data) == ["entries"]
    slugs = [e["slug"] for e in data["entries"]]
    assert slugs == sorted(slugs) and SEED in slugs
    for entry in data["entries"]:
        assert set(entry) == {
            "slug",
            "name",
            "kind",
            "source_frame",
            "categories",
            "embodied_patterns",
            "relation_types",
            "structure",
            "abstraction_level",
            "related",
            "neighbours",
        }
        assert set(entry["neighbours"]) == {"cross_domain", "same_domain"}
        for neighbour in (
            *entry["neighbours"]["cross_domain"],
            *entry["neighbours"]["same_domain"],
        ):
            assert set(neighbour) == {
                "slug",
                "score",
                "shared_patterns",
                "shared_relations",
                "sibling_relations",
                "shared_structures",
                "level_match",
            }


def test_the_site_and_the_commands_read_the_same_mkdocs_yml(
    site_folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = site_folder / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    plugin_line = "      featured: rupture-and-repair\n"
    assert plugin_line in text
    config.write_text(
        text.replace(plugin_line, plugin_line + "      threshold: 0.55\n      cross_domain_k: 3\n"),
        encoding="utf-8",
    )
    build = plugin_build(config)
    page = next(p.markdown for p in build.pages if p.uri == f"entries/{SEED}.md")
    across = page[page.index("### Across domains") :]
    across = across[: across.index("</ol>")]
    on_page = re.findall(r'<li><a href="\.\./([a-z0-9-]+)/">', across)
    assert on_page == ["phoenix", "hansei", "nemesis"]  # worked out: 3 of 5 scoring >= 0.55
    defaults = structural_neighbours(build.entries, VOCABULARY)[SEED]
    assert len(defaults.cross_domain) == 8  # what the commands printed before: not the site's

    assert main(["neighbours", SEED]) == 0
    out = capsys.readouterr().out
    assert "Cross-domain neighbours (top 3, score >= 0.55):" in out
    cross = out[: out.index("Same-domain")]
    assert re.findall(r"^ +\d+\. \d\.\d{6}  .*\(([a-z0-9-]+), ", cross, re.M) == on_page

    assert main(["export"]) == 0
    data = json.loads(capsys.readouterr().out)
    seed = next(e for e in data["entries"] if e["slug"] == SEED)
    assert [n["slug"] for n in seed["neighbours"]["cross_domain"]] == on_page

    assert main(["explain", SEED, "nemesis"]) == 0
    assert "nemesis is #3 of rupture-and-repair's cross-domain neighbours" in (
        capsys.readouterr().out
    )
    assert main(["explain", SEED, "ouroboros"]) == 0
    assert "ouroboros is not among rupture-and-repair's cross-domain neighbours (the 3rd" in (
        capsys.readouterr().out
    )

    generated = site_folder / "generated"
    assert main(["generate", "--output", str(generated)]) == 0
    capsys.readouterr()
    written = (generated / "entries" / f"{SEED}.md").read_text(encoding="utf-8")
    written = written[written.index("### Across domains") :]
    written = written[: written.index("</ol>")]
    assert re.findall(r'<li><a href="\.\./([a-z0-9-]+)/">', written) == on_page

    # --config-file from elsewhere reads the same file, and its entries_dir.
    elsewhere = site_folder / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["neighbours", SEED, "--config-file", str(config)]) == 0
    assert "(top 3, score >= 0.55)" in capsys.readouterr().out


def test_a_broken_mkdocs_yml_is_a_usage_error(
    site_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["neighbours", SEED, "--config-file", "missing.yml"]) == 2
    assert "missing.yml: cannot load the MkDocs config" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["neighbours", "rupture"], "(did you mean 'rupture-and-repair'?)"),
        (["explain", "rupture-and-repair", "phenix"], "(did you mean 'phoenix'?)"),
        (["explain", "rupture", "phoenix"], "(did you mean 'rupture-and-repair'?)"),
        (["explain", "rupture-and-repair", "nosuch"], "no slug is close: the slugs are the file"),
    ],
)
def test_every_command_taking_a_slug_says_what_was_meant(
    catalogue: Path, argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*argv, "--entries", str(catalogue)]) == 1
    assert said in capsys.readouterr().err


def test_an_export_that_fails_halfway_leaves_the_previous_file(
    catalogue: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "graph.json"
    out.write_text("previous\n", encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> object:
        yield '{\n  "entries": ['
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("graph_builder.opendata.export.export_chunks", broken)
    assert main(["export", "--entries", str(catalogue), "--output", str(out)]) == 1
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entries", "graph.json"]
