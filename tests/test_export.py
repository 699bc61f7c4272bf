"""Exports (JSON, GraphML, GEXF) and the `export`, `explain` and `neighbours` commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from graph_builder.analysis.catalogue import catalogue_graph
from graph_builder.analysis.neighbours import structural_neighbours
from graph_builder.analysis.similarity import NeighbourSettings
from graph_builder.cli.main import main
from graph_builder.core.model import Entry
from graph_builder.core.vocabulary import default_vocabulary
from graph_builder.opendata.export import (
    export_catalogue,
    export_gexf,
    export_graphml,
    export_json,
    printable,
    suggest,
)
from tests.test_neighbours import make_entry, seed_entries

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


def test_unknown_format_fails_loudly() -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        export_catalogue([], {}, "dot")


def test_graphml_round_trip_keeps_escaped_text_and_scalars(tmp_path: Path) -> None:
    entries = tiny_entries()
    graph = catalogue_graph(entries, structural_neighbours(entries, VOCABULARY))
    path = tmp_path / "g.graphml"
    path.write_text(export_graphml(graph), encoding="utf-8")
    back = nx.read_graphml(path)
    assert sorted(back.nodes) == ["a", "b", "c", "d"]
    assert back.nodes["b"]["name"] == 'B "<&>"'
    assert back.nodes["a"]["embodied_patterns"] == "flow, link"
    assert back.nodes["a"]["abstraction_level"] == "generic"
    assert back.nodes["d"]["source_frame"] == ""
    assert back.edges["a", "b"]["weight"] == 0.375
    assert back.edges["a", "b"]["kind"] == "cross"
    assert back.edges["a", "b"]["related"] is True


def test_gexf_round_trip_and_no_date(tmp_path: Path) -> None:
    entries = tiny_entries()
    graph = catalogue_graph(entries, structural_neighbours(entries, VOCABULARY))
    text = export_gexf(graph)
    assert "lastmodifieddate" not in text
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
