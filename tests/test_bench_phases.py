"""The phase split of a build: every phase is timed where it runs, and the phases add up."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests import phase_clock
from tests.bench_phases import PER_PAGE, page_lines, page_split, phase_lines, timed_build
from tests.bench_prose import write_plain_prose_site, write_project_prose_site
from tests.phase_clock import PAGES, PHASES


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("phases")
    write_plain_prose_site(root / "plain", write_project_prose_site(root / "project", 8))
    return root


@pytest.fixture(scope="module")
def figures(sites: Path) -> dict[str, dict[str, float]]:
    return {
        "plugin": timed_build(sites / "project", plugin=True),
        "plain": timed_build(sites / "plain", plugin=False),
    }


def test_each_build_is_split_into_every_phase_and_the_rest(
    figures: dict[str, dict[str, float]],
) -> None:
    for timed in figures.values():
        assert list(timed) == [*PHASES, "the rest", "total", PAGES]
        assert sum(timed[p] for p in PHASES) + timed["the rest"] == pytest.approx(timed["total"])
        # Every site runs the engine, the theme and search; the rest holds Python's start-up.
        for phase in ("Markdown", "theme templates", "search plugin", "writing pages", "the rest"):
            assert timed[phase] > 0, phase


def test_only_the_project_s_site_spends_time_in_the_plugin(
    figures: dict[str, dict[str, float]],
) -> None:
    assert figures["plugin"]["plugin on_files (build_site)"] > 0
    assert figures["plugin"]["plugin page hooks"] > 0
    assert figures["plain"]["plugin on_files (build_site)"] == 0
    assert figures["plain"]["plugin page hooks"] == 0


def test_a_plain_build_that_loads_the_plugin_is_refused(sites: Path) -> None:
    # Timed as plain, the project's site would count the plugin's imports as plain Material's.
    with pytest.raises(subprocess.CalledProcessError) as raised:
        timed_build(sites / "project", plugin=False)
    assert "the plain site's build loaded graph_builder" in raised.value.stderr


def test_the_table_gives_what_the_plugin_s_site_adds_in_each_phase() -> None:
    phases = dict.fromkeys(PHASES, 0.0)
    plugin = {**phases, "Markdown": 3.0, "the rest": 1.0, "total": 4.0}
    plain = {**phases, "Markdown": 1.0, "the rest": 1.0, "total": 2.0}
    lines = phase_lines(10, {"plugin": plugin, "plain": plain})
    markdown = next(line for line in lines if line.strip().startswith("Markdown"))
    assert markdown.split()[1:] == ["3.00", "1.00", "+2.00", "100%"]
    assert lines[-2] == "  ratio of the totals: 2.00"


def test_the_table_gives_the_plugin_s_own_share_and_the_ratio_without_it() -> None:
    # Worked by hand: the plugin's own work is 1.0 + 0.5 of a 6.0 s build (25%); without it
    # the build would take 4.5 s against the plain site's 3.0 s, a ratio of 1.50.
    phases = dict.fromkeys(PHASES, 0.0)
    plugin = {
        **phases,
        "plugin on_files (build_site)": 1.0,
        "plugin page hooks": 0.5,
        "Markdown": 3.0,
        "the rest": 1.5,
        "total": 6.0,
    }
    plain = {**phases, "Markdown": 1.5, "the rest": 1.5, "total": 3.0}
    lines = phase_lines(10, {"plugin": plugin, "plain": plain})
    assert lines[-1] == (
        "  the plugin's own work: 1.50 s, 25% of its build (target 10%); "
        "with none of it, the ratio would be 1.50"
    )


def test_a_timed_call_inside_another_counts_for_the_inner_phase_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [0.0]
    monkeypatch.setattr(phase_clock.time, "process_time", lambda: now[0])
    clock = phase_clock.PhaseClock()

    def write() -> None:
        now[0] += 2.0

    timed_write = clock.timed(write, "writing pages")

    def search() -> None:
        now[0] += 1.0
        timed_write()
        now[0] += 0.5

    clock.timed(search, "search plugin")()
    timed_write()
    assert clock.spent["search plugin"] == 1.5
    assert clock.spent["writing pages"] == 4.0


def test_the_pages_rendered_are_counted(figures: dict[str, dict[str, float]]) -> None:
    # The plain site: a home page and 8 entry pages. The project's: the 8 entry pages, the
    # home page, the entries index, 7 facet indexes and a page per facet value, vocabulary,
    # graph, shape, the insight pages... at least the 8 entries and 10 index pages more.
    assert figures["plain"][PAGES] == 9
    assert figures["plugin"][PAGES] >= 18


def test_a_once_a_page_phase_is_split_into_more_pages_and_heavier_pages() -> None:
    # Worked by hand: plain 100 pages at 2 ms (0.2 s); plugin 150 pages at 3 ms (0.45 s).
    # The 50 extra pages at the plain 2 ms add 0.1 s; 150 pages 1 ms heavier add 0.15 s.
    plugin = {"theme templates": 0.45, PAGES: 150.0}
    plain = {"theme templates": 0.2, PAGES: 100.0}
    more, heavier = page_split(plugin, plain, "theme templates")
    assert more == pytest.approx(0.1)
    assert heavier == pytest.approx(0.15)


def test_the_per_page_table_adds_the_splits_of_its_phases() -> None:
    plugin = {**dict.fromkeys(PER_PAGE, 0.0), "theme templates": 0.45, PAGES: 150.0}
    plain = {**dict.fromkeys(PER_PAGE, 0.0), "theme templates": 0.2, PAGES: 100.0}
    lines = page_lines({"plugin": plugin, "plain": plain})
    templates = next(line for line in lines if line.strip().startswith("theme templates"))
    assert templates.split()[2:] == ["3.00", "2.00", "+0.10", "+0.15"]
    assert lines[-1] == (
        "  these phases add +0.10 s for the extra pages and +0.15 s for the weight of each page"
    )
