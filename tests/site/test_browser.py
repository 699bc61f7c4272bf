"""The graphs in a real browser: headless Chromium (Debian's) driven by Playwright.

One fixture site is built for the module, with Material's instant navigation switched on (the
harder case: pages swap without a reload), and served from 127.0.0.1. Every page runs behind a
guard that aborts any request for another host and collects console errors, page errors,
unhandled promise rejections and dialogs; each test ends by asserting there were none.

Expected counts come from the fixture catalogue by hand: the seed entry has the 8 published
cross-domain neighbours (it is the only psychotherapy entry, so no same-domain ones) and 3
related entries, all written, so its graph shows 1 + 8 + 3 = 12 entries. The fixture has 14
entries: 5 metaphors, 7 entries tagged with `transform` or one of its subtypes.

Screenshots of the entry page and the explorer, light and dark and on a phone, are written to
screenshots/ for a person to look at.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from graph_builder.core.vocabulary import default_vocabulary
from graph_builder.site import entry_graph, explorer
from tests.browser_support import (
    Chromium,
    NetworkGuard,
    graph_page,
    require_chromium,
    serve,
    write_graph_pages,
)
from tests.seed import SEED, SEED_NEIGHBOURS, SEED_RELATED

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "site"
SCREENSHOTS = ROOT / "screenshots"
HOSTILE_NAME = 'Evil <script>alert("name")</script> & "Co" </script>'
ENTRY_COUNT = 14
READY = ".mma-graph[data-graph-ready]"


# ------------------------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="module")
def chromium() -> Chromium:
    return require_chromium()


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, chromium: Chromium
) -> Iterator[tuple[Path, str]]:
    """The fixture catalogue built once with `navigation.instant` added, and served.

    The server starts first: instant navigation follows only the links its sitemap lists, and
    matches them by host and port, so the site is built with the served address as site_url.
    """
    src = tmp_path_factory.mktemp("browser-fixture") / "src"
    shutil.copytree(FIXTURE, src, ignore=shutil.ignore_patterns("site"))
    site_dir = tmp_path_factory.mktemp("browser-site")
    with serve(site_dir) as url:
        config_file = src / "mkdocs.yml"
        config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
        config["theme"].setdefault("features", []).append("navigation.instant")
        config["site_url"] = url
        config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        build(load_config(str(config_file), site_dir=str(site_dir)))
        yield site_dir, url


@pytest.fixture(scope="module")
def site(served: tuple[Path, str]) -> Path:
    return served[0]


@pytest.fixture(scope="module")
def base_url(served: tuple[Path, str]) -> str:
    return served[1]


@pytest.fixture(scope="module")
def browser(chromium: Chromium) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = chromium.launch(playwright)
        yield instance
        instance.close()


# Reports every promise rejection no code handled, from every page and frame of a context, to
# the watch in Python (a binding, so a report survives the page's navigations). Chromium's
# `pageerror` reports most of them too, but not as a promise of Playwright's; this does not
# depend on it.
REPORT_REJECTIONS = """
window.addEventListener("unhandledrejection", (event) => {
    const reason = event.reason;
    window.__mmaUnhandledRejection(String((reason && reason.stack) || reason));
});
"""


class Watch:
    """What a page did that it should not: errors, dialogs, requests that left the site."""

    def __init__(self, base_url: str) -> None:
        self.guard = NetworkGuard(base_url)
        self.errors: list[str] = []
        self.dialogs: list[str] = []

    def attach(self, context: Any) -> None:
        self.guard.install(context)
        # A script that runs from entry text would call alert(); record it before any page code.
        context.add_init_script(
            "window.__alerts = []; window.alert = (m) => { window.__alerts.push(String(m)); };"
        )
        context.expose_binding(
            "__mmaUnhandledRejection",
            lambda source, reason: self.errors.append(f"unhandledrejection: {reason}"),
        )
        context.add_init_script(REPORT_REJECTIONS)
        context.on("page", self.attach_page)

    def attach_page(self, page: Any) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on("dialog", self._dialog)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def check(self, page: Any) -> None:
        assert self.guard.blocked == [], "requests left 127.0.0.1"
        assert self.errors == []
        assert self.dialogs == []
        assert page.evaluate("window.__alerts") == []


def open_context(browser: Any, base_url: str, **options: Any) -> tuple[Any, Watch]:
    context = browser.new_context(base_url=base_url, **options)
    context.set_default_timeout(10_000)
    watch = Watch(base_url)
    watch.attach(context)
    return context, watch


@pytest.fixture
def session(browser: Any, base_url: str) -> Iterator[tuple[Any, Watch]]:
    """A desktop page (1280x900, reduced motion so focus moves are immediate) and its watch."""
    context, watch = open_context(
        browser, base_url, viewport={"width": 1280, "height": 900}, reduced_motion="reduce"
    )
    page = context.new_page()
    yield page, watch
    watch.check(page)
    context.close()


def graph_data(site: Path) -> nx.Graph:
    data = json.loads((site / "graph.json").read_text(encoding="utf-8"))
    return nx.node_link_graph(data, edges="edges")


def counts(page: Any, selector: str = READY) -> tuple[int, int]:
    block = page.locator(selector).first
    return int(block.get_attribute("data-graph-nodes")), int(
        block.get_attribute("data-graph-edges")
    )


def point_of(page: Any, slug: str) -> dict[str, float]:
    """Where a node is drawn, in viewport pixels, after scrolling the graph into view."""
    page.locator(".mma-graph__canvas").first.scroll_into_view_if_needed()
    point = page.evaluate(
        "([slug]) => window.mmaGraph.pointOf(document.querySelector('.mma-graph'), slug)", [slug]
    )
    assert point is not None, f"{slug} is not drawn"
    return point  # type: ignore[no-any-return]


def touch(page: Any, frames: list[list[tuple[float, float]]]) -> None:
    """Play a touch gesture through the DevTools protocol: one list of finger points per frame."""
    cdp = page.context.new_cdp_session(page)

    def points(frame: list[tuple[float, float]]) -> list[dict[str, float]]:
        return [{"x": px, "y": py, "id": i} for i, (px, py) in enumerate(frame)]

    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": points(frames[0])})
    for frame in frames[1:]:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": points(frame)})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def screenshot(page: Any, name: str, *, full_page: bool = False) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)


def set_scheme(page: Any, scheme: str) -> None:
    """Switch Material's palette with its own toggle until the body carries `scheme`."""
    for _ in range(2):
        if page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme:
            return
        page.locator("form[data-md-component=palette] label:visible").first.click()
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme


# ------------------------------------------------------------------------------------------
# the watch itself


def test_the_watch_sees_an_unhandled_rejection(session: tuple[Any, Watch]) -> None:
    page, watch = session
    page.goto(f"entries/{SEED}/")
    page.evaluate("() => { Promise.reject(new Error('nobody handles this')); }")
    page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 100))")
    assert any(
        error.startswith("unhandledrejection: Error: nobody handles this") for error in watch.errors
    ), watch.errors
    watch.errors.clear()  # seen; the session's own check at the end must pass


# ------------------------------------------------------------------------------------------
# entry page


def test_seed_page_draws_its_neighbourhood(session: tuple[Any, Watch], site: Path) -> None:
    page, watch = session
    page.goto(f"entries/{SEED}/")
    page.wait_for_selector(READY)
    nodes, edges = counts(page)
    assert nodes == 1 + len(SEED_NEIGHBOURS) + len(SEED_RELATED) == 12
    # Every edge of the whole graph among those twelve entries, once (cross-checked with
    # /graph.json, which the same build wrote).
    members = {SEED, *SEED_NEIGHBOURS, *SEED_RELATED}
    whole = nx.Graph(graph_data(site))
    assert edges == whole.subgraph(members).number_of_edges()
    assert edges >= 11
    drawn = page.evaluate("window.mmaGraph.all()[0].nodeView.getIds()")
    assert sorted(drawn) == sorted(members)
    canvas = page.locator(".mma-graph__canvas canvas")
    assert "Rupture and Repair" in (canvas.get_attribute("aria-label") or "")
    assert page.locator(".mma-graph__skip").inner_text() == "Skip graph"
    local = [url for url in watch.guard.requested if url.endswith(".js")]
    assert sum(url.endswith("/assets/graph/vis-network.min.js") for url in local) == 1


def test_clicking_a_neighbour_opens_its_page(session: tuple[Any, Watch]) -> None:
    page, _ = session
    page.goto(f"entries/{SEED}/")
    page.wait_for_selector(READY)
    point = point_of(page, "phoenix")
    page.mouse.move(point["x"], point["y"])
    tooltip = page.locator(".mma-graph__tooltip")
    tooltip.wait_for(state="visible")
    assert tooltip.locator(".mma-graph__tooltip-name").inner_text() == "Phoenix"
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url("**/entries/phoenix/")
    page.wait_for_selector(READY)
    assert page.locator(READY).get_attribute("data-graph-focus") == "phoenix"


def test_keyboard_moves_through_the_nodes_and_enter_opens_one(session: tuple[Any, Watch]) -> None:
    page, _ = session
    page.goto(f"entries/{SEED}/")
    page.wait_for_selector(READY)
    # One tab stop: the labelled canvas, not vis-network's own frame inside it.
    assert page.locator(".mma-graph .vis-network").get_attribute("tabindex") == "-1"
    page.locator(".mma-graph__skip").focus()
    for _ in range(3):  # skip link, depth button, re-centre button, then the canvas
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className").startswith("mma-graph__canvas")
    page.keyboard.press("ArrowRight")  # the entry itself
    page.keyboard.press("ArrowRight")  # its best neighbour
    block = page.locator(READY)
    assert block.get_attribute("data-graph-selected") == "phoenix"
    assert page.locator(".mma-graph__tooltip-name").inner_text() == "Phoenix"
    assert page.locator(".mma-graph__status").inner_text().startswith("Phoenix")
    page.keyboard.press("ArrowLeft")
    assert block.get_attribute("data-graph-selected") == SEED
    page.keyboard.press("End")
    last = block.get_attribute("data-graph-selected")
    assert last in SEED_RELATED
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/entries/{last}/")


def test_depth_two_adds_the_neighbours_of_neighbours(
    session: tuple[Any, Watch], site: Path
) -> None:
    page, _ = session
    page.goto(f"entries/{SEED}/")
    page.wait_for_selector(READY)
    button = page.locator(".mma-graph__depth")
    button.click()
    page.wait_for_function("document.querySelector('.mma-graph__depth').ariaPressed === 'true'")
    whole = nx.Graph(graph_data(site))
    inner = {SEED, *SEED_NEIGHBOURS, *SEED_RELATED}
    reach = inner | {other for slug in inner for other in whole.neighbors(slug)}
    nodes, edges = counts(page)
    assert nodes == len(reach)
    assert edges == whole.subgraph(reach).number_of_edges()
    assert_labels_apart(page, min_px=12)
    button.click()
    page.wait_for_function("document.querySelector('.mma-graph__depth').ariaPressed === 'false'")
    assert counts(page)[0] == 12


def wait_until(page: Any, done: Any, what: str) -> None:
    """Let Playwright run the page's events (route handlers too) until `done()` holds."""
    for _ in range(200):
        if done():
            return
        page.wait_for_timeout(25)
    pytest.fail(f"waited 5 s for {what}")


@pytest.mark.parametrize("leave", ["navigate", "remove"])
def test_leaving_before_depth_two_arrives_is_quiet(session: tuple[Any, Watch], leave: str) -> None:
    """The graph goes after "Show depth 2" (instant navigation, or its block removed) while
    explorer.json is still on its way: when it arrives, the old graph does nothing at all."""
    page, watch = session
    held: list[Any] = []
    page.route("**/graph/explorer.json", lambda route: held.append(route))
    page.goto(f"entries/{SEED}/")
    page.wait_for_selector(READY)
    page.evaluate("window.__oldGraph = window.mmaGraph.all()[0]")
    page.locator(".mma-graph__depth").click()
    wait_until(page, lambda: bool(held), "the request for explorer.json")
    if leave == "navigate":
        page.locator("article a[href$='/phoenix/']").first.click()
        page.wait_for_url("**/entries/phoenix/")
        page.wait_for_selector(".mma-graph[data-graph-focus='phoenix'][data-graph-ready]")
    else:
        page.evaluate("document.querySelector('.mma-graph').remove()")
    with page.expect_request_finished(lambda request: request.url.endswith("explorer.json")):
        held[0].continue_()
    # The response's JSON is parsed and the promises settle within a few tasks.
    page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 200))")
    assert watch.errors == []
    old = page.evaluate("[window.__oldGraph.depth, window.__oldGraph.nodes.length]")
    assert old == [1, 1 + len(SEED_NEIGHBOURS) + len(SEED_RELATED)]
    if leave == "navigate":
        assert page.evaluate("window.mmaGraph.all().length") == 1
        assert counts(page)[0] == page.evaluate("window.mmaGraph.all()[0].nodes.length")


def test_instant_navigation_redraws_the_graph(session: tuple[Any, Watch]) -> None:
    page, _ = session
    page.goto(f"entries/{SEED}/")
    page.wait_for_selector(READY)
    page.evaluate("window.__samePage = true")
    page.locator("article a[href$='/phoenix/']").first.click()
    page.wait_for_url("**/entries/phoenix/")
    page.wait_for_selector(".mma-graph[data-graph-focus='phoenix'][data-graph-ready]")
    # Still the same document: Material swapped the content and document$ redrew the graph.
    assert page.evaluate("window.__samePage") is True
    assert page.evaluate("window.mmaGraph.all().length") == 1


def test_vis_network_loads_only_where_a_graph_is_drawn(session: tuple[Any, Watch]) -> None:
    page, watch = session
    page.goto("vocabulary/")
    page.wait_for_load_state("networkidle")
    vis = "/assets/graph/vis-network.min.js"
    assert not [url for url in watch.guard.requested if url.endswith(vis)]
    assert page.evaluate("typeof window.vis") == "undefined"
    # An entry page fetches the library, once, and draws its graph with it.
    page.goto(f"entries/{SEED}/")
    page.wait_for_selector(READY)
    assert sum(url.endswith(vis) for url in watch.guard.requested) == 1


def test_without_javascript_a_graph_points_to_the_lists(browser: Any, base_url: str) -> None:
    context, _ = open_context(browser, base_url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"entries/{SEED}/")
        note = page.locator(".mma-graph__nojs")
        assert note.is_visible()
        assert "the lists below carry the same links" in note.inner_text()
        for part in (".mma-graph__toolbar button", ".mma-graph__canvas", ".mma-graph__skip"):
            assert not page.locator(part).first.is_visible(), part
        page.goto("graph/")
        assert page.locator(".mma-graph__nojs").is_visible()
        assert not page.locator(".mma-graph__search").is_visible()
    finally:
        context.close()


def test_with_javascript_the_no_script_line_is_hidden(session: tuple[Any, Watch]) -> None:
    page, _ = session
    page.goto(f"entries/{SEED}/")
    page.wait_for_selector(READY)
    assert not page.locator(".mma-graph__nojs").is_visible()


# ------------------------------------------------------------------------------------------
# explorer


def test_explorer_draws_every_entry(session: tuple[Any, Watch], site: Path) -> None:
    page, _ = session
    page.goto("graph/")
    page.wait_for_selector(READY)
    whole = nx.Graph(graph_data(site))
    assert whole.number_of_nodes() == ENTRY_COUNT
    assert counts(page) == (ENTRY_COUNT, whole.number_of_edges())
    assert (
        page.locator(".mma-graph__status")
        .inner_text()
        .startswith(f"Showing {ENTRY_COUNT} of {ENTRY_COUNT} entries")
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": "metaphor"}, 5),
        ({"kind": "metaphor", "structure": "cycle"}, 4),
        ({"relation": "transform"}, 7),
    ],
)
def test_explorer_filters_reduce_the_drawn_nodes(
    session: tuple[Any, Watch], site: Path, filters: dict[str, str], expected: int
) -> None:
    page, _ = session
    page.goto("graph/")
    page.wait_for_selector(READY)
    for name, value in filters.items():
        page.select_option(f"select[data-graph-filter={name}]", value)
    page.wait_for_function(
        f"document.querySelector('.mma-graph').dataset.graphNodes === '{expected}'"
    )
    shown = set(page.evaluate("window.mmaGraph.all()[0].nodeView.getIds()"))
    whole = nx.Graph(graph_data(site))
    assert counts(page)[1] == whole.subgraph(shown).number_of_edges()
    page.locator(".mma-graph__reset").click()
    page.wait_for_function(
        f"document.querySelector('.mma-graph').dataset.graphNodes === '{ENTRY_COUNT}'"
    )


def test_explorer_colours_by_family(session: tuple[Any, Watch], site: Path) -> None:
    page, watch = session
    page.goto("graph/")
    page.wait_for_selector(READY)
    data = json.loads((site / "graph" / "explorer.json").read_text(encoding="utf-8"))
    legend = {item["key"]: item for item in data["legend"]["family"]}
    family_of = {node["id"]: node["family"] for node in data["nodes"]}
    assert len(legend) >= 2
    page.check('input[name="mma-graph-colour"][value="family"]')
    shown = page.locator(".mma-graph__legend--kinds li").all_inner_texts()
    assert shown == [f"{item['label']} ({item['count']})" for item in data["legend"]["family"]]
    # Every dot takes its family's colour (grey for none), as the page draws it.
    fills = page.evaluate(
        """() => Object.fromEntries(window.mmaGraph.all()[0].nodes.get()
              .map((n) => [n.id, n.color.background]))"""
    )
    for slug, fill in fills.items():
        expected = legend.get(family_of[slug]) or legend["*"]
        assert fill == expected["color"], slug
    page.check('input[name="mma-graph-colour"][value="kind"]')
    kinds = [item["label"] for item in data["legend"]["kind"]]
    assert [
        t.rsplit(" (", 1)[0] for t in page.locator(".mma-graph__legend--kinds li").all_inner_texts()
    ] == kinds
    watch.check(page)


def test_explorer_search_focuses_the_node(session: tuple[Any, Watch]) -> None:
    page, _ = session
    page.goto("graph/")
    page.wait_for_selector(READY)
    page.select_option("select[data-graph-filter=kind]", "metaphor")  # Ouroboros is hidden
    page.fill("#mma-graph-search", "ouro")
    page.press("#mma-graph-search", "Enter")
    block = page.locator(".mma-graph")
    page.wait_for_function("document.querySelector('.mma-graph').dataset.graphSelected")
    assert block.get_attribute("data-graph-selected") == "ouroboros"
    assert int(block.get_attribute("data-graph-nodes")) == ENTRY_COUNT  # filters cleared
    centred = page.evaluate(
        """() => {
            const g = window.mmaGraph.all()[0];
            const view = g.network.getViewPosition();
            const node = g.network.getPositions(['ouroboros']).ouroboros;
            return [g.network.getSelectedNodes(), Math.hypot(view.x - node.x, view.y - node.y)];
        }"""
    )
    assert centred[0] == ["ouroboros"]
    assert centred[1] < 1.0
    details = page.locator(".mma-graph__details-name")
    assert details.inner_text() == "Ouroboros"
    assert details.get_attribute("href").endswith("/entries/ouroboros/")
    point = point_of(page, "ouroboros")
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url("**/entries/ouroboros/")


# ------------------------------------------------------------------------------------------
# hostile text, phone, colours


def test_hostile_entry_is_text_everywhere(session: tuple[Any, Watch]) -> None:
    page, watch = session
    page.goto("entries/hostile-entry/")
    page.wait_for_selector(READY)
    page.locator(".mma-graph__canvas").focus()
    page.keyboard.press("Home")
    tooltip = page.locator(".mma-graph__tooltip")
    assert tooltip.locator(".mma-graph__tooltip-name").inner_text() == HOSTILE_NAME
    summary = tooltip.locator(".mma-graph__tooltip-summary").inner_text()
    assert '<img src=x onerror=alert("summary")>' in summary
    assert tooltip.locator("img, script").count() == 0
    assert page.locator("article img[src=x], article script:not([type])").count() == 0
    # In the explorer: the search finds it by its name, and the details panel shows it as text.
    page.goto("graph/")
    page.wait_for_selector(READY)
    page.fill("#mma-graph-search", "Evil <script>")
    page.press("#mma-graph-search", "Enter")
    page.wait_for_function("document.querySelector('.mma-graph').dataset.graphSelected")
    assert page.locator(".mma-graph__details-name").inner_text() == HOSTILE_NAME
    assert page.locator(".mma-graph__details img, .mma-graph__details script").count() == 0
    names = page.evaluate(
        "Array.from(document.querySelectorAll('#mma-graph-names option')).map(o => o.value)"
    )
    assert HOSTILE_NAME in names
    assert not any(url.rstrip("/").endswith("/x") for url in watch.guard.requested)


def test_phone_viewport_is_usable(browser: Any, base_url: str) -> None:
    context, watch = open_context(
        browser,
        base_url,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    try:
        for url in (f"entries/{SEED}/", "graph/"):
            page.goto(url)
            page.wait_for_selector(READY)
            if "entries" in url:
                page.locator(".mma-graph").scroll_into_view_if_needed()
            overflow = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
            assert overflow[0] <= overflow[1], f"{url} scrolls sideways: {overflow}"
            screenshot(page, f"{'entry' if 'entries' in url else 'explorer'}-phone.png")
        # The domain map keeps its names legible: it scrolls within its frame, not the page.
        page.goto("domains/")
        drawing = page.evaluate(
            """() => {
                const svg = document.querySelector('svg.gb-insight-graph');
                const wrap = svg.parentElement;
                return [document.scrollingElement.scrollWidth, window.innerWidth,
                        svg.getBoundingClientRect().width / svg.viewBox.baseVal.width,
                        wrap.scrollWidth > wrap.clientWidth];
            }"""
        )
        assert drawing[0] <= drawing[1], f"domains/ scrolls sideways: {drawing}"
        assert drawing[2] * 12 >= 10 and drawing[3], drawing  # 12 px names drawn at 10 px or more
        page.goto(f"entries/{SEED}/")
        page.wait_for_selector(READY)
        page.locator(".mma-graph__canvas").scroll_into_view_if_needed()
        # The ring turns round in the upright canvas: Phoenix (top) and Ouroboros (right) sit
        # at the same distance from the entry.
        ring = page.evaluate(
            """(seed) => {
                const p = window.mmaGraph.all()[0].network.getPositions();
                const d = (id) => Math.hypot(p[id].x - p[seed].x, p[id].y - p[seed].y);
                return [d('phoenix'), d('ouroboros')];
            }""",
            SEED,
        )
        assert ring[0] == pytest.approx(ring[1], rel=0.01)
        # No two labels meet, though a round ring sets neighbours closer side by side.
        block = page.locator(READY)
        assert counts(page)[0] == 12
        assert block.get_attribute("data-labels-overlapping") == "0"
        assert int(block.get_attribute("data-labels-visible")) >= 8
        view = "window.mmaGraph.all()[0].network"
        box = page.locator(".mma-graph__canvas").bounding_box()
        x, y = box["x"] + 60, box["y"] + 60
        before = page.evaluate(f"[{view}.getViewPosition(), {view}.getScale()]")
        touch(page, [[(x + 8 * i, y + 4 * i)] for i in range(12)])  # one-finger pan
        moved = page.evaluate(f"[{view}.getViewPosition(), {view}.getScale()]")
        assert moved[0] != before[0] and moved[1] == before[1]
        touch(page, [[(x - 5 * i, y), (x + 40 + 5 * i, y)] for i in range(12)])  # pinch open
        zoomed = page.evaluate(f"{view}.getScale()")
        assert zoomed > moved[1] * 1.5
        page.locator(".mma-graph__fit").tap()  # "Re-centre" brings the whole ring back
        assert page.evaluate(f"{view}.getScale()") == pytest.approx(before[1], rel=0.01)
        point = point_of(page, "hansei")
        page.touchscreen.tap(point["x"], point["y"])
        page.wait_for_url("**/entries/hansei/")
        watch.check(page)
    finally:
        context.close()


def test_colours_follow_the_scheme_and_screenshots(session: tuple[Any, Watch]) -> None:
    page, _ = session
    read = """() => {
        const g = window.mmaGraph.all()[0];
        const style = getComputedStyle(g.container);
        const edge = g.edges.get()[0];
        return {
            font: g.network.body.nodes[g.order[0]].options.font.color,
            fg: style.getPropertyValue('--mma-graph-fg').trim(),
            edge: edge.color.color,
            cross: style.getPropertyValue('--mma-graph-edge-' + edge.kind).trim(),
        };
    }"""
    for url, name in ((f"entries/{SEED}/", "entry"), ("graph/", "explorer")):
        page.goto(url)
        page.wait_for_selector(READY)
        set_scheme(page, "default")
        light = page.evaluate(read)
        assert light["font"] == light["fg"] and light["edge"] == light["cross"]
        if name == "entry":  # the explorer's controls sit at the top of its page
            page.locator(".mma-graph").scroll_into_view_if_needed()
        screenshot(page, f"{name}-light.png", full_page=name == "explorer")
        set_scheme(page, "slate")
        dark = page.evaluate(read)
        assert dark["font"] == dark["fg"] and dark["edge"] == dark["cross"]
        assert dark["font"] != light["font"] and dark["edge"] != light["edge"]
        screenshot(page, f"{name}-dark.png", full_page=name == "explorer")


# ------------------------------------------------------------------------------------------
# one graph fails, the others draw

FAILED_ENTRY = "This graph could not be drawn; the lists below carry the same links."
FAILED_EXPLORER = "This graph could not be drawn; every entry page lists the same links."
INLINE_DATA = re.compile(
    r'(<script type="application/json" class="mma-graph__data">).*?(</script>)'
)


def broken_block(whole: nx.Graph, broken: str, root: Path) -> tuple[str, str]:
    """A graph block whose data is broken as `broken` says, and the message it should show.

    `entry-*` breaks an entry graph's inline data; `explorer-*` points an explorer at
    `root/entries/two/broken.json` and writes the broken data there.
    """
    kind, _, damage = broken.partition("-")
    if kind == "entry":
        block = entry_graph.entry_graph_html(
            entry_graph.entry_graph_data(whole, "phoenix"), name="Phoenix"
        )
        data = {"not-json": '[{"nodes": [', "no-nodes": '[{"focus": "phoenix"}]'}[damage]
        return INLINE_DATA.sub(lambda m: m.group(1) + data + m.group(2), block), FAILED_ENTRY
    data = {"not-json": "<!doctype html><p>Not found</p>", "no-nodes": '{"nodes": 3}'}[damage]
    (root / "entries" / "two" / "broken.json").write_text(data, encoding="utf-8")
    return explorer.explorer_html(
        whole, data_url="broken.json", vocabulary=default_vocabulary()
    ), FAILED_EXPLORER


@pytest.mark.parametrize(
    "broken", ["entry-not-json", "entry-no-nodes", "explorer-not-json", "explorer-no-nodes"]
)
def test_a_broken_graph_leaves_the_next_one_drawn(
    browser: Any, tmp_path: Path, site: Path, broken: str
) -> None:
    """A page of two graphs, the first one's data broken: the first says so in its own box and
    is marked with data-graph-error, the second draws, and nothing reaches the console."""
    whole = graph_data(site)
    write_graph_pages(tmp_path, whole, nx.circular_layout(whole))
    (tmp_path / "entries" / "two").mkdir(parents=True)
    first, message = broken_block(whole, broken, tmp_path)
    second = entry_graph.entry_graph_html(entry_graph.entry_graph_data(whole, SEED), name="Seed")
    (tmp_path / "entries" / "two" / "index.html").write_text(
        graph_page("Two graphs", first + second, root="../../"), encoding="utf-8"
    )
    with serve(tmp_path) as url:
        context, watch = open_context(browser, url, viewport={"width": 1000, "height": 800})
        page = context.new_page()
        try:
            page.goto("entries/two/")
            page.wait_for_selector(f".mma-graph[data-graph-focus='{SEED}'][data-graph-ready]")
            bad = page.locator(".mma-graph").first
            page.wait_for_selector(".mma-graph[data-graph-error]")
            assert bad.get_attribute("data-graph-error")
            assert bad.get_attribute("data-graph-ready") is None
            assert bad.locator(".mma-graph__canvas").inner_text() == message
            assert bad.locator("canvas").count() == 0
            # No dead tab stop or controls left where the drawing would be.
            assert bad.locator(".mma-graph__canvas").get_attribute("tabindex") is None
            assert bad.locator("button:visible, input:visible, select:visible").count() == 0
            assert page.locator(".mma-graph[data-graph-error]").count() == 1
            assert counts(page)[0] == len(list(nx.Graph(whole).neighbors(SEED))) + 1
            watch.check(page)
        finally:
            context.close()


def test_graphs_say_so_when_vis_network_does_not_load(
    browser: Any, tmp_path: Path, site: Path
) -> None:
    whole = graph_data(site)
    write_graph_pages(tmp_path, whole, nx.circular_layout(whole), entries=[SEED])
    with serve(tmp_path) as url:
        context, watch = open_context(browser, url, viewport={"width": 1000, "height": 800})
        page = context.new_page()
        # An empty script: the page's own code runs, the library it draws with is missing.
        page.route("**/vis-network.min.js", lambda route: route.fulfill(body=""))
        try:
            for path, message in ((f"entries/{SEED}/", FAILED_ENTRY), ("graph/", FAILED_EXPLORER)):
                page.goto(path)
                block = page.locator(".mma-graph[data-graph-error]")
                block.wait_for()
                assert block.get_attribute("data-graph-error") == "Error: vis-network did not load"
                assert block.locator(".mma-graph__canvas").inner_text() == message
            watch.check(page)
        finally:
            context.close()


# ------------------------------------------------------------------------------------------
# without Material


def test_graphs_start_without_material(browser: Any, tmp_path: Path, site: Path) -> None:
    """A plain page (no Material, so no document$) starts the graphs on DOMContentLoaded."""
    whole = graph_data(site)
    write_graph_pages(tmp_path, whole, nx.circular_layout(whole), entries=[SEED])
    with serve(tmp_path) as url:
        context, watch = open_context(browser, url, viewport={"width": 1000, "height": 800})
        page = context.new_page()
        try:
            page.goto(f"entries/{SEED}/")
            page.wait_for_selector(READY)
            assert counts(page)[0] == len(list(nx.Graph(whole).neighbors(SEED))) + 1
            assert page.evaluate("typeof window.document$") == "undefined"
            page.goto("graph/")
            page.wait_for_selector(READY)
            assert counts(page)[0] == ENTRY_COUNT
            watch.check(page)
        finally:
            context.close()


# ------------------------------------------------------------------------------------------
# The insight drawings of the real catalogue


@pytest.fixture(scope="module")
def catalogue_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's own site, built from entries/ as `make serve` builds it."""
    site_dir = tmp_path_factory.mktemp("catalogue-site")
    build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site_dir)))
    return site_dir


def test_insight_drawings_keep_their_labels_apart(browser: Any, catalogue_site: Path) -> None:
    # The domain map and every family graph: as Chromium lays the text out, no label meets
    # another label or a dot, and every label stays inside its drawing.
    families = [
        p
        for p in (catalogue_site / "families").glob("*/index.html")
        if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")  # an old address
    ]
    pages = ["domains/", *sorted(f"families/{p.parent.name}/" for p in families)]
    assert len(pages) >= 5
    with serve(catalogue_site) as url:
        context, watch = open_context(browser, url)
        page = context.new_page()
        try:
            for path in pages:
                page.goto(path)
                found = page.evaluate(
                    """() => {
                        const svg = document.querySelector('svg.gb-insight-graph');
                        const view = svg.viewBox.baseVal;
                        const texts = Array.from(svg.querySelectorAll('text'));
                        const dots = Array.from(svg.querySelectorAll('circle'));
                        const box = (el) => el.getBBox();
                        const meet = (p, q) => p.x < q.x + q.width && q.x < p.x + p.width
                            && p.y < q.y + q.height && q.y < p.y + p.height;
                        const out = [];
                        texts.forEach((t, i) => {
                            const b = box(t);
                            if (b.x < view.x || b.y < view.y || b.x + b.width > view.width
                                || b.y + b.height > view.height) {
                                out.push(['outside', t.textContent]);
                            }
                            texts.slice(i + 1).forEach((u) => {
                                if (meet(b, box(u))) out.push([t.textContent, u.textContent]);
                            });
                            dots.forEach((d) => {
                                if (meet(b, box(d))) out.push([t.textContent, 'dot']);
                            });
                        });
                        return [texts.length, dots.length, out];
                    }"""
                )
                # Most dots keep their names; a name is left out only where it would cover
                # another, so a new entry that crowds a drawing fails nothing. A family has at
                # least two members (Louvain places a lone entry nowhere).
                assert found[1] >= 2 and found[0] >= 0.6 * found[1], path
                assert found[2] == [], path
            watch.check(page)
        finally:
            context.close()


# ------------------------------------------------------------------------------------------
# The explorer of the real catalogue, as a reader sees it

LABELS = """() => {
    const g = window.mmaGraph.all()[0];
    const block = g.container;
    return {
        visible: Number(block.dataset.labelsVisible),
        overlapping: Number(block.dataset.labelsOverlapping),
        size: g.labelStats.size,
        scale: g.network.getScale(),
    };
}"""


def labels(page: Any) -> dict[str, float]:
    return page.evaluate(LABELS)  # type: ignore[no-any-return]


def assert_labels_apart(page: Any, *, min_px: int) -> dict[str, float]:
    shown = labels(page)
    assert shown["overlapping"] == 0, shown
    assert shown["visible"] >= 1 and shown["size"] >= min_px, shown
    return shown


def zoom_in(page: Any, factor: float) -> None:
    """Zoom about the canvas's centre, as the wheel or a pinch would, and draw the frame."""
    page.evaluate(
        """(factor) => {
            const network = window.mmaGraph.all()[0].network;
            network.moveTo({scale: network.getScale() * factor, animation: false});
            network.redraw();
        }""",
        factor,
    )


READERS = {
    # viewport, the phone's settings, the smallest label size in CSS px, labels at first view
    "desktop": ({"width": 1280, "height": 900}, {}, 12, 25),
    "phone": (
        {"width": 390, "height": 844},
        {"device_scale_factor": 2, "is_mobile": True, "has_touch": True},
        11,
        12,
    ),
}


@pytest.mark.parametrize("reader", sorted(READERS))
def test_explorer_is_a_map_of_the_catalogue(
    browser: Any, catalogue_site: Path, reader: str
) -> None:
    viewport, device, min_px, min_labels = READERS[reader]
    with serve(catalogue_site) as url:
        context, watch = open_context(browser, url, viewport=viewport, **device)
        page = context.new_page()
        try:
            page.goto("graph/")
            page.wait_for_selector(READY)
            box = page.locator(".mma-graph__canvas").bounding_box()
            # The map fills the window below the header.
            assert box["width"] >= 0.85 * viewport["width"], box
            assert box["height"] >= 0.6 * viewport["height"], box
            assert box["y"] + box["height"] <= viewport["height"], box
            # The controls fold away: open on the desktop, folded on the phone.
            toggle = page.locator(".mma-graph__toggle")
            opened = toggle.get_attribute("aria-expanded")
            assert opened == ("true" if reader == "desktop" else "false")
            toggle.click()
            assert toggle.get_attribute("aria-expanded") != opened
            assert page.locator("#mma-graph-search").is_visible() == (opened == "false")
            toggle.click()
            first = assert_labels_apart(page, min_px=min_px)
            assert first["visible"] >= min_labels, first
            # Zooming in about the centre: of the nodes still in view afterwards, more are
            # labelled than were before (nodes that leave the view take their labels along).
            stay = page.evaluate(
                """(factor) => {
                    const g = window.mmaGraph.all()[0];
                    const w = g.canvas.clientWidth, h = g.canvas.clientHeight;
                    return g.drawnBoxes.filter((box) => {
                        const p = g.network.canvasToDOM(g.network.getPositions([box.id])[box.id]);
                        const x = w / 2 + (p.x - w / 2) * factor;
                        const y = h / 2 + (p.y - h / 2) * factor;
                        return x >= 0 && x <= w && y >= 0 && y <= h;
                    }).length;
                }""",
                1.6,
            )
            zoom_in(page, 1.6)
            closer = assert_labels_apart(page, min_px=min_px)
            assert closer["visible"] > stay, (first, stay, closer)
            zoom_in(page, 2.0)
            assert_labels_apart(page, min_px=min_px)
            # A filter draws fewer dots, fitted again; the labels are placed again too.
            total = counts(page)[0]
            if opened == "false":
                toggle.click()
            page.select_option("select[data-graph-filter=kind]", "metaphor")
            page.wait_for_function(
                f"document.querySelector('.mma-graph').dataset.graphNodes !== '{total}'"
            )
            filtered = assert_labels_apart(page, min_px=min_px)
            assert filtered["visible"] >= min(counts(page)[0], min_labels) // 2, filtered
            page.locator(".mma-graph__reset").click()
            page.wait_for_function(
                f"document.querySelector('.mma-graph').dataset.graphNodes === '{total}'"
            )
            if opened == "false":
                toggle.click()
            assert labels(page)["visible"] == first["visible"]
            for scheme in ("default", "slate"):
                set_scheme(page, scheme)
                page.evaluate("window.mmaGraph.all()[0].network.redraw()")
                assert_labels_apart(page, min_px=min_px)
                light = "light" if scheme == "default" else "dark"
                screenshot(page, f"explorer-{reader}-{light}.png")
            watch.check(page)
        finally:
            context.close()


def test_explorer_hover_lights_the_neighbourhood(browser: Any, catalogue_site: Path) -> None:
    """Hovering a node keeps it and its neighbours bright, dims the rest, shows only their
    labels, and puts the tooltip beside the pointer, clear of the node."""
    with serve(catalogue_site) as url:
        context, watch = open_context(browser, url, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        try:
            page.goto("graph/")
            page.wait_for_selector(READY)
            # The best linked node in view, some nodes that are not its neighbours, and how far
            # each one's centre pixel is from the background.
            probe = """([hub, others]) => {
                const g = window.mmaGraph.all()[0];
                const canvas = g.canvas.querySelector('canvas');
                const ctx = canvas.getContext('2d');
                const ratio = canvas.width / canvas.clientWidth;
                // The background as the canvas paints it (any CSS colour syntax).
                const swatch = document.createElement('canvas').getContext('2d');
                swatch.fillStyle = g.colours.bg;
                swatch.fillRect(0, 0, 1, 1);
                const back = swatch.getImageData(0, 0, 1, 1).data;
                const contrast = (id) => {
                    const p = g.network.canvasToDOM(g.network.getPositions([id])[id]);
                    const d = ctx.getImageData(Math.round(p.x * ratio), Math.round(p.y * ratio),
                        1, 1).data;
                    return Math.abs(d[0] - back[0]) + Math.abs(d[1] - back[1])
                        + Math.abs(d[2] - back[2]);
                };
                return [contrast(hub), others.map(contrast)];
            }"""
            chosen = page.evaluate(
                """() => {
                    const g = window.mmaGraph.all()[0];
                    const net = g.network;
                    const w = g.canvas.clientWidth, h = g.canvas.clientHeight;
                    const inView = (id) => {
                        const p = net.canvasToDOM(net.getPositions([id])[id]);
                        return p.x > w * 0.45 && p.x < w - 40 && p.y > 40 && p.y < h - 40;
                    };
                    const ids = g.rankedIds().filter(inView);
                    const hub = ids[0];
                    // From the data: the explorer draws its edges itself, not vis-network.
                    const near = new Set(g.edges.get().flatMap((e) =>
                        e.from === hub ? [e.to] : e.to === hub ? [e.from] : []));
                    const others = ids.filter((id) => id !== hub && !near.has(id)).slice(0, 12);
                    return [hub, others, near.size];
                }"""
            )
            hub, others, neighbours = chosen
            assert len(others) >= 8
            before = page.evaluate(probe, [hub, others])
            point = point_of(page, hub)
            page.mouse.move(point["x"], point["y"])
            block = page.locator(READY)
            page.wait_for_function(
                f"document.querySelector('.mma-graph').dataset.graphHover === '{hub}'"
            )
            after = page.evaluate(probe, [hub, others])
            assert after[0] >= 0.9 * before[0]  # the hovered node stays bright
            faded = [a < 0.5 * b for a, b in zip(after[1], before[1], strict=True) if b > 60]
            assert faded and sum(faded) >= 0.8 * len(faded), (before, after)
            # Only the neighbourhood is labelled, and its labels still never meet.
            shown = assert_labels_apart(page, min_px=12)
            assert shown["visible"] <= neighbours + 1
            tooltip = page.locator(".mma-graph__tooltip")
            tooltip.wait_for(state="visible")
            tip = tooltip.bounding_box()
            radius = page.evaluate(
                f"""() => {{ const g = window.mmaGraph.all()[0];
                    return g.network.body.nodes['{hub}'].options.size * g.network.getScale(); }}"""
            )
            clear = (
                tip["x"] >= point["x"] + radius
                or tip["x"] + tip["width"] <= point["x"] - radius
                or tip["y"] >= point["y"] + radius
                or tip["y"] + tip["height"] <= point["y"] - radius
            )
            assert clear, (tip, point, radius)
            canvas = page.locator(".mma-graph__canvas").bounding_box()
            assert (
                tip["x"] >= canvas["x"] and tip["x"] + tip["width"] <= canvas["x"] + canvas["width"]
            )
            screenshot(page, "explorer-desktop-hover.png")
            # Away from the node, everything is bright again.
            page.mouse.move(canvas["x"] + 5, canvas["y"] + canvas["height"] - 5)
            page.wait_for_function("!document.querySelector('.mma-graph').dataset.graphHover")
            again = page.evaluate(probe, [hub, others])
            assert again[1] == pytest.approx(before[1], abs=30)
            assert block.get_attribute("data-labels-overlapping") == "0"
            page.mouse.click(point["x"], point["y"])
            page.wait_for_url("**/entries/*/")
            watch.check(page)
        finally:
            context.close()


def test_entry_graph_of_the_catalogue_keeps_labels_at_depth_two(
    browser: Any, catalogue_site: Path
) -> None:
    with serve(catalogue_site) as url:
        context, watch = open_context(browser, url, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        try:
            page.goto("entries/rupture-and-repair/")
            page.wait_for_selector(READY)
            first = assert_labels_apart(page, min_px=12)
            page.locator(".mma-graph__depth").click()
            page.wait_for_function(
                "document.querySelector('.mma-graph__depth').ariaPressed === 'true'"
            )
            deep = assert_labels_apart(page, min_px=12)
            assert deep["visible"] >= first["visible"] // 2
            zoom_in(page, 2.0)
            assert_labels_apart(page, min_px=12)
            page.locator(".mma-graph").scroll_into_view_if_needed()
            screenshot(page, "entry-depth2-desktop.png")
            watch.check(page)
        finally:
            context.close()
