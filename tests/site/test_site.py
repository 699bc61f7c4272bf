"""End-to-end: build the fixture site (and the repository's own) with MkDocs and read the HTML.

The fixture catalogue (tests/fixtures/site/) holds the seed entry, its 8 published structural
neighbours and its 3 related entries with their real structural tags, plus one hostile entry
whose every field tries to inject HTML. One build is shared by the whole module.
"""

from __future__ import annotations

import gc
import html
import json
import logging
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import Files, get_files
from mkdocs.structure.pages import Page

from graph_builder.analysis.neighbours import structural_neighbours
from graph_builder.cli.main import main as cli_main
from graph_builder.core.load import load_entries
from graph_builder.core.vocabulary import default_vocabulary
from graph_builder.site.build import build_site as site_build
from graph_builder.site.graph_style import EDGE_STYLES
from tests.seed import SEED_NEIGHBOURS
from tests.site.references import same_text

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "site"
BIN = Path(sys.executable).parent


def build_site(config_file: Path, site_dir: Path) -> Path:
    """Build in-process with --strict (any MkDocs warning fails the build)."""
    config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
    build(config)
    return site_dir


def copy_fixture(target: Path) -> Path:
    shutil.copytree(FIXTURE, target, ignore=shutil.ignore_patterns("site"))
    return target


@pytest.fixture(scope="module")
def fixture_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_fixture(tmp_path_factory.mktemp("fixture") / "src")


@pytest.fixture(scope="module")
def site(fixture_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(fixture_copy / "mkdocs.yml", tmp_path_factory.mktemp("built") / "site")


def redirect(path: Path) -> bool:
    """Whether a built file is a redirect page (an old family address), not a page of ours."""
    return 'http-equiv="refresh"' in path.read_text(encoding="utf-8")


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def article(html_text: str) -> str:
    """The page's content: what the generated Markdown became, without Material's chrome."""
    start = html_text.index('<article class="md-content__inner md-typeset">')
    return html_text[start : html_text.index("</article>", start)]


def section(html_text: str, heading_id: str) -> str:
    """From a heading with this id up to the next h2 (or the end of the article)."""
    rest = html_text.split(f'id="{heading_id}"', 1)[1]
    return re.split(r"<h2 ", rest, maxsplit=1)[0]


def hrefs(fragment: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', fragment)


def entry_slugs(fragment: str, prefix: str) -> list[str]:
    return [h[len(prefix) : -1] for h in hrefs(fragment) if h.startswith(prefix)]


# --- content --------------------------------------------------------------------------------


def test_seed_page_links_its_eight_neighbours_in_order_with_their_shared_tags(site: Path) -> None:
    across = section(article(page(site, "entries/rupture-and-repair")), "across-domains")
    items = re.findall(r"<li>(.*?)</li>", across, re.S)
    assert [hrefs(item)[0] for item in items] == [f"../{slug}/" for slug in SEED_NEIGHBOURS]
    shared = {hrefs(item)[0]: hrefs(item)[1:] for item in items}
    # Worked out by hand from the tags: seed = link, splitting, iteration; restore,
    # transform/refinement, cause/accumulate; cycle; generic.
    assert shared["../phoenix/"] == [
        "../../patterns/splitting/",
        "../../relations/restore/",
        "../../relations/transform/#refinement",
        "../../relations/transform/",
    ]
    assert shared["../nemesis/"] == [
        "../../patterns/link/",
        "../../relations/restore/",
        "../../relations/cause/#accumulate",
        "../../relations/cause/",
    ]
    assert shared["../pendulation/"] == [
        "../../patterns/iteration/",
        "../../relations/restore/",
        "../../relations/transform/#refinement",
        "../../relations/cause/#accumulate",
        "../../relations/cause/#constrain",
    ]
    assert shared["../sharpening-the-saw/"] == [
        "../../patterns/iteration/",
        "../../relations/restore/",
    ]
    assert shared["../slowing-down-to-speed-up/"] == [
        "../../relations/cause/#accumulate",
        "../../relations/restore/",
    ]
    # Every one of the eight shares the cycle structure and the generic level.
    assert all(item.endswith("cycle · same level (generic)") for item in items)
    assert (
        '>transform/refinement</a> ~ <a href="../../relations/transform/">transform</a> (sib'
        in items[0]
    )
    scores = re.findall(r'title="structural similarity ([0-9.]+)"', across)
    assert scores == ["0.624", "0.607", "0.591", "0.587", "0.547", "0.546", "0.524", "0.507"]
    assert "No source domain" not in items[-1] and "no source domain · Mental model" in items[-1]


def test_facet_page_lists_exactly_the_entries_with_the_tag(site: Path) -> None:
    iteration = article(page(site, "patterns/iteration"))
    assert sorted(entry_slugs(iteration, "../../entries/")) == [
        "hansei",
        "ouroboros",
        "pendulation",
        "rupture-and-repair",
        "sharpening-the-saw",
        "zenos-paradox",
    ]
    assert ">6 entries<" in iteration
    patterns = article(page(site, "patterns"))
    assert '<a href="iteration/">Iteration</a> (6)' in patterns
    mythology = article(page(site, "domains/mythology"))
    assert entry_slugs(mythology, "../../entries/") == ["nemesis", "ouroboros", "phoenix"]


def test_relation_subtypes_are_listed_on_the_parent_page(site: Path) -> None:
    cause = article(page(site, "relations/cause"))
    assert entry_slugs(section(cause, "accumulate"), "../../entries/") == [
        "rupture-and-repair",
        "slowing-down-to-speed-up",
    ]
    assert entry_slugs(section(cause, "constrain"), "../../entries/") == ["pendulation"]
    assert sorted(entry_slugs(section(cause, "cause"), "../../entries/")) == [
        "antifragile",
        "creative-destruction",
        "nemesis",
        "zenos-paradox",
    ]


def test_dangling_related_slug_shows_not_yet_written(site: Path) -> None:
    related = section(article(page(site, "entries/phoenix")), "related-entries")
    assert hrefs(related) == []
    for slug in ("tantalus", "elysium", "karma"):
        assert f'{slug} <span class="gb-missing">not yet written</span>' in related


def test_referenced_by_lists_related_and_neighbour_entries(site: Path, fixture_copy: Path) -> None:
    seed = article(page(site, "entries/rupture-and-repair"))
    referenced = section(seed, "referenced-by")
    related_line, neighbour_line = re.findall(r"<li>(.*?)</li>", referenced, re.S)
    # Listed as related by: the hostile entry and Therapeutic Alliance (A-Z by name).
    assert related_line.startswith("Listed as related by:")
    assert hrefs(related_line) == ["../hostile-entry/", "../therapeutic-alliance/"]
    loaded = load_entries(fixture_copy / "entries")
    lists = structural_neighbours(loaded.entries, default_vocabulary())
    names = {e.slug: e.name for e in loaded.entries}
    expected = sorted(
        (
            slug
            for slug, nl in lists.items()
            if "rupture-and-repair" in {n.slug for n in (*nl.cross_domain, *nl.same_domain)}
        ),
        key=lambda s: names[s].casefold(),
    )
    assert len(expected) >= 8
    assert neighbour_line.startswith("A structural neighbour of:")
    assert hrefs(neighbour_line) == [f"../{slug}/" for slug in expected]


def test_entry_page_meta_description_edit_link_and_credits(site: Path) -> None:
    html_text = page(site, "entries/rupture-and-repair")
    assert (
        '<meta name="description" content="Rupture and Repair as a fixture: one sentence that '
        'stands in for the real summary.">' in html_text
    )
    assert "<title>Rupture and Repair - Atlas Fixture</title>" in html_text
    content = article(html_text)
    assert (
        '<a class="gb-edit" href="https://example.org/atlas/edit/main/entries/'
        'rupture-and-repair.md">Edit this entry</a>' in content
    )
    assert "Written by fixture-author." in content
    assert '<a href="../../kinds/mental-model/">Mental model</a>' in content
    assert '<a href="../../domains/psychotherapy/">Psychotherapy</a>' in content


def test_home_page_features_the_seed(site: Path) -> None:
    home = article((site / "index.html").read_text(encoding="utf-8"))
    featured = section(home, "featured-rupture-and-repair")
    assert hrefs(featured) == [f"entries/{slug}/" for slug in SEED_NEIGHBOURS] + [
        "entries/rupture-and-repair/"
    ]
    assert (site / "graph" / "index.html").is_file()
    assert (site / "vocabulary" / "index.html").is_file()


def test_navigation_names_section_pages_only(site: Path) -> None:
    html_text = page(site, "entries/phoenix")
    nav = html_text[html_text.index('<nav class="md-nav md-nav--primary"') :]
    nav = nav[: nav.index("</nav>\n</div>") if "</nav>\n</div>" in nav else len(nav)]
    assert "entries/rupture-and-repair/" not in nav
    assert "../../patterns/" in nav and "../../vocabulary/" in nav
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="entries/phoenix/"' not in home.split('<div class="md-content"')[0]


def test_light_and_dark_palettes_are_offered(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    schemes = re.findall(r'data-md-color-scheme="(\w+)"', home)
    assert {"default", "slate"} <= set(schemes)
    assert home.count('name="__palette"') == 2


def test_search_index_finds_an_entry_by_name_summary_and_expression(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = [d for d in index["docs"] if d["location"].startswith("entries/rupture-and-repair/")]
    assert docs[0]["title"] == "Rupture and Repair"
    text = " ".join(d["text"] for d in docs)
    assert "one sentence that stands in for the real summary" in text
    assert "clearing the air" in text
    # Our own paragraphs skip Markdown but not search: the claims and the facts line.
    assert "The second place Rupture and Repair breaks." in text
    assert "Psychotherapy" in text and "fixture-author" in text
    # The credits' lines stay apart: search drops their line breaks.
    assert "Written by fixture-author. Entry created" in text
    # Neighbour names are links in excluded lists: Therapeutic Alliance is only related here.
    assert "Therapeutic Alliance" not in text
    # The sections of links are left out whole; the page's table of contents keeps them.
    titles = [d["title"] for d in docs]
    assert titles[:2] == ["Rupture and Repair", "Transfers"]
    for heading in ("Structural neighbours", "Across domains", "Related entries", "Referenced by"):
        assert heading not in titles
        slug = heading.lower().replace(" ", "-")
        assert f'<a href="#{slug}" class="md-nav__link">' in page(
            site, "entries/rupture-and-repair"
        )


def test_search_index_leaves_out_graph_controls_legends_and_drawings(site: Path) -> None:
    # Every graph block and drawing, and the shape link, is marked data-search-exclude; the
    # whole block must be left out, not only its text up to the first inner closing tag.
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))

    def text_of(prefix: str) -> str:
        return " ".join(
            d["title"] + " " + d["text"] for d in index["docs"] if d["location"].startswith(prefix)
        )

    widget_words = ["Skip graph", "Show depth 2", "Re-centre", "Clear filters", "Colour by"]
    widget_words += ["Find entries shaped like this"]
    widget_words += [style.label for style in EDGE_STYLES.values()]
    for prefix in ("entries/rupture-and-repair/", "graph/"):
        text = text_of(prefix)
        assert text, prefix
        assert [w for w in widget_words if w in text] == [], prefix
    assert "Rupture and Repair" in page(site, "entries/rupture-and-repair")
    family_pages = sorted(
        p.parent
        for p in (site / "families").glob("*/index.html")
        if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")  # an old address
    )
    assert family_pages
    for folder in family_pages:
        html_text = (folder / "index.html").read_text(encoding="utf-8")
        assert "<svg" in html_text
        # The drawing's labels are entry names; each is a member listed (and left out) beside it.
        labels = {html.unescape(t) for t in re.findall(r"<text [^>]*>([^<]+)</text>", html_text)}
        assert labels
        text = text_of(folder.relative_to(site).as_posix() + "/")
        assert text and [name for name in labels if name in text] == []


# --- escaping -------------------------------------------------------------------------------

# The hostile entry's text, as a reader must see it (the page's text once parsed).
HOSTILE_TEXT = [
    'Evil <script>alert("name")</script> & "Co" </script>',
    '<img src=x onerror=alert("summary")> & "quotes" </script> {: onclick="alert(5)"} '
    "[link](javascript:alert(6)).",
    'model <script>alert("transfer")</script> & </script> "claim"',
    'model <img src=x onerror=alert("limit")> & "limit"',
    'Written by <script>alert("author")</script> & co.',
    'Contributors: <img src=x onerror=alert("contributor")>.',
    '<script>alert("label")</script> — a move text with </script> & "quotes".',
    "“<script>alert('expression')</script>” — a gloss with <img src=x onerror=alert(\"gloss\")>.",
    '<script>alert("reference")</script> </script> & "Title" (2020).',
    '<div onclick="alert(8)">a raw block</div>',
    '[x](javascript:alert(9)){: onclick="alert(10)"}.',
    "![pixel](https://tracker.invalid/pixel.png)",
]


class TextCollector(HTMLParser):
    """The text of a fragment, entities decoded, as a reader sees it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


class TagCollector(HTMLParser):
    """Every start tag of a page with its attributes, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def built_html(site: Path) -> Iterator[tuple[Path, str]]:
    for path in sorted(site.rglob("*.html")):
        yield path, path.read_text(encoding="utf-8")


def test_hostile_entry_appears_as_text_on_its_page(site: Path) -> None:
    content = article(page(site, "entries/hostile-entry"))
    text = TextCollector()
    text.feed(content)
    shown = " ".join("".join(text.parts).split())
    for fragment in HOSTILE_TEXT:
        assert fragment in shown
    # The only elements inside the entry's own text are the ones the format allows.
    assert "<strong>&#60;script&#62;" in content
    assert '<a href="https://tracker.invalid/pixel.png" rel="nofollow">' in content


def test_hostile_entry_injects_no_markup_anywhere(site: Path) -> None:
    pages_with_name = 0
    for path, html_text in built_html(site):
        tags = TagCollector()
        tags.feed(html_text)
        assert "img" not in {tag for tag, _ in tags.tags}, path
        for tag, attrs in tags.tags:
            assert not [a for a in attrs if a.startswith("on")], (path, tag, attrs)
            assert not [v for v in attrs.values() if v.strip().startswith("javascript:")], path
        assert not re.search(r"<script>[^<]*alert", html_text), path
        # Every <script> is Material's own (inline bootstrap code, its config, a local file) or
        # the graphs' (their local scripts, a page's graph data as JSON) or find by shape's.
        for tag in re.findall(r"<script\b[^>]*>", html_text):
            assert tag in (
                "<script>",
                '<script id="__config" type="application/json">',
                '<script type="application/json" class="mma-graph__data">',
            ) or (
                re.fullmatch(
                    r'<script src="[./]*assets/(javascripts|graph|shape)/[\w./-]+"\s*>', tag
                )
            ), (path, tag)
        if "Evil &lt;script&gt;" in html_text:
            pages_with_name += 1
    # Its own page, the seed's page (related by), the A-Z index and its facet pages.
    assert pages_with_name >= 6
    head = page(site, "entries/hostile-entry").split("</head>")[0]
    assert (
        "<title>Evil &lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt; &amp; &quot;Co&quot; "
        "&lt;/script&gt; - Atlas Fixture</title>" in head
    )
    assert 'content="A summary with &lt;img src=x onerror=alert(&quot;summary&quot;)&gt;' in head


# Code spans that tried to become markup through the old escaping (a parsed attribute list,
# a live `javascript:` link, a tracking pixel), as a reader must see them.
CODE_SPAN_TEXT = [
    '![x](x){: onerror="alert(11)"}',
    "*not emphasis*",
    "__not strong__",
    "<!--gb-held-0-->",
    "double `tick` span",
    "[l](javascript:alert(16))",
    "![t](https://tracker.invalid/t.gif){: width=1}",
    ":smile:",
    "==mark==",
    "[x](javascript:alert(17))",
    "![p](https://tracker.invalid/p.gif)",
    "<script>alert(18)</script>",
]


class CodeCollector(HTMLParser):
    """The text of every `<code>` element, and any element found inside one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.codes: list[str] = []
        self.nested: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.nested.append(tag)
        if tag == "code":
            self.depth += 1
            self.codes.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "code":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.codes[-1] += data


def test_nothing_inside_a_code_span_is_parsed(site: Path) -> None:
    for url in ("entries/hostile-code-spans", "entries/hostile-entry", "entries", ""):
        collector = CodeCollector()
        collector.feed(article(page(site, url)))
        assert collector.nested == [], url
    collector = CodeCollector()
    collector.feed(article(page(site, "entries/hostile-code-spans")))
    shown = " ".join(collector.codes)
    for fragment in CODE_SPAN_TEXT:
        assert fragment in shown, fragment
    # The summary is our own HTML: its code spans are text, backticks and all.
    summary = (
        "Code spans that try `[a](javascript:alert(12))` and `![p](https://tracker.invalid/s.gif)`."
    )
    text = TextCollector()
    text.feed(article(page(site, "entries/hostile-code-spans")))
    shown = "".join(text.parts)
    assert summary in shown
    assert 'A claim with `{: onclick="alert(14)"}` in code.' in shown
    assert "A limit with `<img src=x onerror=alert(15)>` in code." in shown
    # The name, with its code span, is text in the page title and the heading.
    head = page(site, "entries/hostile-code-spans").split("</head>")[0]
    assert "<title>Twin `![x](x){: onerror=&quot;alert(11)&quot;}` *and* `&lt;b&gt;`" in head


def test_no_indented_or_quoted_line_becomes_a_code_block(site: Path) -> None:
    content = article(page(site, "entries/hostile-code-spans"))
    assert "<pre" not in content
    text = TextCollector()
    text.feed(content)
    shown = " ".join("".join(text.parts).split())
    assert "indented four spaces: not a code block" in shown
    assert "quoted and indented: not a code block" in shown


def test_open_data_carries_contributor_text_as_text(site: Path) -> None:
    from xml.etree import ElementTree

    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.parse(site / "feed.xml").getroot()
    tags = {element.tag for element in feed.iter()}
    assert tags <= {
        f"{atom}{t}"
        for t in (
            "feed",
            "title",
            "subtitle",
            "id",
            "updated",
            "link",
            "author",
            "name",
            "entry",
            "summary",
            "category",
            "generator",
            "content",
            "published",
            "contributor",
        )
    }
    titles = [e.text for e in feed.iter(f"{atom}title")]
    assert 'Evil <script>alert("name")</script> & "Co" </script>' in titles
    llms = (site / "llms.txt").read_text(encoding="utf-8")
    # llms.txt is Markdown: read as a Markdown engine would, its text forms no element but the
    # list of links it writes itself.
    tags = TagCollector()
    tags.feed(markdown.markdown(llms))
    assert {tag for tag, _ in tags.tags} <= {"h1", "h2", "p", "blockquote", "ul", "li", "a"}
    assert all(a["href"].startswith(("entries/", "https://", "")) for t, a in tags.tags if t == "a")
    assert not [a for t, a in tags.tags if t == "a" and "javascript" in a.get("href", "")]
    # The graph data keeps names as text; graph.js puts them on the canvas with textContent.
    explorer = (site / "graph" / "explorer.json").read_text("utf-8")
    assert 'Twin `![x](x){: onerror=\\"alert(11)\\"}` *and* `\\u003cb\\u003e`' in explorer


def test_hostile_entry_is_text_in_the_search_index(site: Path) -> None:
    raw = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    index = json.loads(raw)
    for doc in index["docs"]:
        for field in ("title", "text"):
            assert "<script" not in doc[field] and "<img" not in doc[field], doc["location"]
    hostile = [d for d in index["docs"] if d["location"].startswith("entries/hostile-entry/")]
    assert hostile[0]["title"].startswith('Evil &lt;script&gt;alert("name")')
    assert "&lt;script&gt;alert('expression')&lt;/script&gt;" in " ".join(
        d["text"] for d in hostile
    )


def test_every_internal_link_resolves(site: Path) -> None:
    """Our HTML blocks carry final URLs that MkDocs does not check: check them all here."""
    broken: list[str] = []
    ids: dict[Path, set[str]] = {}
    for path, html_text in built_html(site):
        if path.name == "404.html":  # MkDocs writes root-relative links there, for any depth
            continue
        for url in re.findall(r'<a [^>]*href="([^"]*)"', html_text):
            parts = urlsplit(html.unescape(url))
            if parts.scheme or parts.netloc or not (parts.path or parts.fragment):
                continue
            target = (path.parent / parts.path).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{path.relative_to(site)}: {url}")
                continue
            if parts.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = set(re.findall(r'\sid="([^"]+)"', target.read_text("utf-8")))
                if parts.fragment not in ids[target]:
                    broken.append(f"{path.relative_to(site)}: {url} (no such anchor)")
    assert broken == []


# --- requests -------------------------------------------------------------------------------

# Attributes through which a browser fetches something by itself (a plain <a href> does not).
_FETCHING = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}
_FETCHING_LINK_RELS = {"stylesheet", "preload", "modulepreload", "prefetch", "icon", "manifest"}
_FETCHING_LINK_RELS |= {"preconnect", "dns-prefetch", "apple-touch-icon", "shortcut"}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")


class ResourceCollector(HTMLParser):
    """Every URL a page makes the browser load: fetching attributes, CSS in style attributes
    and <style> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        for name in _FETCHING.get(tag, ()):
            if values.get(name):
                self.urls += [part.split()[0] for part in values[name].split(",") if part.strip()]
        if tag == "link" and set(values.get("rel", "").lower().split()) & _FETCHING_LINK_RELS:
            self.urls.append(values.get("href", ""))
        if "style" in values:
            self.urls += [a or b for a, b in _CSS_URL.findall(values["style"])]
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls += [a or b for a, b in _CSS_URL.findall(data)]


def _external(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme not in ("", "data")


def test_no_file_makes_the_browser_request_another_host(site: Path) -> None:
    found: list[tuple[str, str]] = []
    for path, html_text in built_html(site):
        collector = ResourceCollector()
        collector.feed(html_text)
        found += [(str(path), u) for u in collector.urls if _external(u)]
        # Material's bundle fetches repository facts from a forge's API only when the page
        # shows a repository (repo_url), and loads Mermaid from a CDN only for a diagram.
        assert 'data-md-component="source"' not in html_text
        assert 'class="mermaid"' not in html_text
    for path in sorted([*site.rglob("*.css"), *site.rglob("*.js")]):
        text = path.read_text(encoding="utf-8")
        found += [(str(path), a or b) for a, b in _CSS_URL.findall(text) if _external(a or b)]
    assert found == []


def test_the_scanner_catches_a_fetching_tag() -> None:
    collector = ResourceCollector()
    collector.feed(
        '<a href="https://ok.example/">link</a><img src="https://bad.example/x.png">'
        '<link rel="stylesheet" href="//cdn.example/x.css"><div style="background:url(x.png)">'
    )
    assert [u for u in collector.urls if _external(u)] == [
        "https://bad.example/x.png",
        "//cdn.example/x.css",
    ]


# --- builds ---------------------------------------------------------------------------------


def test_two_builds_are_byte_identical(site: Path, fixture_copy: Path, tmp_path: Path) -> None:
    again = build_site(fixture_copy / "mkdocs.yml", tmp_path / "again")
    # MkDocs stamps the build date into sitemap.xml (<lastmod>) and the gzip header of
    # sitemap.xml.gz; everything else must be equal byte for byte.
    stamped = {"sitemap.xml", "sitemap.xml.gz"}
    first = {p.relative_to(site) for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again) for p in again.rglob("*") if p.is_file()}
    assert first == second
    different = [
        str(rel)
        for rel in sorted(first)
        if str(rel) not in stamped and (site / rel).read_bytes() != (again / rel).read_bytes()
    ]
    assert different == []


# A hook that drops HTML comments, at a priority above the default as a minifier might take.
_STRIP_COMMENTS = """
import re
from mkdocs.plugins import event_priority

@event_priority(50)
def {event}(html, **kwargs):
    return re.sub(r"<!--.*?-->", "", html, flags=re.S)
"""


def _with_hook(fixture_copy: Path, target: Path, event: str) -> Path:
    """A copy of the fixture whose mkdocs.yml adds a hook that drops HTML comments."""
    source = copy_fixture(target)
    (source / "strip_comments.py").write_text(_STRIP_COMMENTS.format(event=event), "utf-8")
    config = (source / "mkdocs.yml").read_text(encoding="utf-8")
    (source / "mkdocs.yml").write_text(config + "\nhooks:\n  - strip_comments.py\n", "utf-8")
    return source


def test_another_plugins_post_page_hook_sees_the_restored_page(
    fixture_copy: Path, tmp_path: Path
) -> None:
    source = _with_hook(fixture_copy, tmp_path / "src", "on_post_page")
    built = build_site(source / "mkdocs.yml", tmp_path / "site")
    across = section(article(page(built, "entries/rupture-and-repair")), "across-domains")
    items = re.findall(r"<li>(.*?)</li>", across, re.S)
    assert [hrefs(item)[0] for item in items] == [f"../{slug}/" for slug in SEED_NEIGHBOURS]


_BANNER = """
def on_page_markdown(markdown, **kwargs):
    return "Banner line.\\n\\n" + markdown
"""


def test_another_plugins_markdown_hook_keeps_the_link_sections(
    fixture_copy: Path, tmp_path: Path
) -> None:
    # A hook that adds to every page's Markdown runs at the default priority, before the
    # plugin's marks go on: they stay the first lines the engine reads.
    source = copy_fixture(tmp_path / "src")
    (source / "banner.py").write_text(_BANNER, "utf-8")
    config = (source / "mkdocs.yml").read_text(encoding="utf-8")
    (source / "mkdocs.yml").write_text(config + "\nhooks:\n  - banner.py\n", "utf-8")
    built = build_site(source / "mkdocs.yml", tmp_path / "site")
    entry = article(page(built, "entries/rupture-and-repair"))
    assert "Banner line." in entry
    across = section(entry, "across-domains")
    items = re.findall(r"<li>(.*?)</li>", across, re.S)
    assert [hrefs(item)[0] for item in items] == [f"../{slug}/" for slug in SEED_NEIGHBOURS]


def test_a_plugin_that_drops_the_held_blocks_fails_the_build(
    fixture_copy: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = _with_hook(fixture_copy, tmp_path / "src", "on_page_content")
    with caplog.at_level(logging.ERROR, logger="mkdocs"), pytest.raises(Abort):
        build_site(source / "mkdocs.yml", tmp_path / "site")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "held blocks did not come back exactly once" in logged


FACET_FOLDERS = ("entries/", "kinds/", "domains/", "categories/", "patterns/", "relations/")
FACET_FOLDERS += ("structures/", "levels/", "vocabulary/")


def search_docs(site: Path, folders: tuple[str, ...]) -> list[dict[str, str]]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = [d for d in index["docs"] if d["location"].startswith(folders)]
    return sorted(docs, key=lambda d: (d["location"], d["title"]))


def test_generated_tree_builds_the_same_entry_pages_without_the_plugin(
    site: Path, fixture_copy: Path, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(fixture_copy / "docs", docs)
    code = cli_main(
        ["generate", "--config-file", str(fixture_copy / "mkdocs.yml"), "--output", str(docs)]
    )
    assert code == 0
    config = yaml.safe_load((fixture_copy / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = ["search"]
    config["extra_css"] = ["assets/graph-builder.css"]
    config["docs_dir"] = "docs"
    plain = tmp_path / "mkdocs.yml"
    plain.write_text(yaml.safe_dump(config), encoding="utf-8")
    other = build_site(plain, tmp_path / "site")
    entries = sorted(p.stem for p in (fixture_copy / "entries").glob("*.md"))
    assert len(entries) == 14
    # The plugin writes the prose's inert references as characters (text_runs): same text.
    for slug in entries:
        other_entry, entry = page(other, f"entries/{slug}"), page(site, f"entries/{slug}")
        assert same_text(article(other_entry)) == same_text(article(entry))
    for url in ("patterns/iteration", "relations/cause", "entries", "vocabulary", ""):
        assert article(page(other, url)) == article(page(site, url))
    # The plugin holds its long lists out of Markdown and search (a speed-up): same index.
    assert search_docs(other, FACET_FOLDERS) == search_docs(site, FACET_FOLDERS)


def build_without_plugin(src: Path, tmp_path: Path) -> Path:
    """The site `graph-builder generate` writes for `src`, built by plain MkDocs and search."""
    docs = tmp_path / "docs"
    shutil.copytree(src / "docs", docs)
    config_file = src / "mkdocs.yml"
    assert cli_main(["generate", "--config-file", str(config_file), "--output", str(docs)]) == 0
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["plugins"] = ["search"]
    config["extra_css"] = ["assets/graph-builder.css", "assets/graph/graph.css"]
    config["extra_javascript"] = ["assets/graph/vis-network.min.js", "assets/graph/graph.js"]
    config["docs_dir"] = "docs"
    plain = tmp_path / "mkdocs.yml"
    plain.write_text(yaml.safe_dump(config), encoding="utf-8")
    return build_site(plain, tmp_path / "site")


def test_every_page_and_the_search_index_match_a_build_without_the_plugin(
    site: Path, fixture_copy: Path, tmp_path: Path
) -> None:
    # The plugin holds list blocks, graph data and drawings (the family SVGs, the graph blocks)
    # out of Markdown, some out of search too, and an entry page's link sections out of search,
    # and puts them back: nothing may show it.
    other = build_without_plugin(fixture_copy, tmp_path)
    urls = sorted(
        p.parent.relative_to(site).as_posix() for p in site.rglob("index.html") if not redirect(p)
    )
    assert {"families", "graph", "insights", "entries/phoenix"} <= set(urls)
    family = next(u for u in urls if u.startswith("families/"))
    assert "<svg" in page(site, family) and "mma-graph__data" in page(site, "entries/phoenix")
    different = [
        u for u in urls if same_text(article(page(other, u))) != same_text(article(page(site, u)))
    ]
    assert different == []
    assert search_docs(other, ("",)) == search_docs(site, ("",))


def test_an_entry_without_tags_is_indexed_as_a_build_without_the_plugin_indexes_it(
    tmp_path: Path,
) -> None:
    # Without a Structure section its credits end the last link section, which search skips:
    # the run the plugin keeps from search must take them too, or they would join References.
    src = copy_fixture(tmp_path / "src")
    text = (src / "entries" / "phoenix.md").read_text(encoding="utf-8")
    untagged = re.sub(
        r"(?m)^(embodied_patterns|relation_types|structure|abstraction_level):.*\n", "", text
    )
    untagged = untagged.replace("slug: phoenix", "slug: ash").replace(
        'name: "Phoenix"', 'name: "Ash"'
    )
    (src / "entries" / "ash.md").write_text(untagged, encoding="utf-8")
    with_plugin = build_site(src / "mkdocs.yml", tmp_path / "site")
    other = build_without_plugin(src, tmp_path / "plain")
    assert "has no structural tags yet" in page(with_plugin, "entries/ash")
    assert 'id="structure"' not in page(with_plugin, "entries/ash")
    assert search_docs(other, ("entries/ash/",)) == search_docs(with_plugin, ("entries/ash/",))
    docs = search_docs(with_plugin, ("entries/ash/",))
    assert docs[0]["title"] == "Ash" and len(docs) > 2
    assert "fixture-author" not in " ".join(d["text"] for d in docs)
    assert same_text(article(page(other, "entries/ash"))) == same_text(
        article(page(with_plugin, "entries/ash"))
    )


def test_an_entry_error_fails_the_build_with_check_lines(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    src = copy_fixture(tmp_path / "src")
    phoenix = src / "entries" / "phoenix.md"
    phoenix.write_text(
        phoenix.read_text(encoding="utf-8").replace("kind: metaphor", "kind: metafor"),
        encoding="utf-8",
    )
    # In-process, MkDocs logs the plugin's error and aborts; the log holds the lines.
    with caplog.at_level(logging.ERROR, logger="mkdocs"), pytest.raises(Abort):
        build_site(src / "mkdocs.yml", tmp_path / "site")
    lines = "\n".join(r.getMessage() for r in caplog.records).splitlines()
    assert any(
        re.fullmatch(r".*entries/phoenix\.md:5: error: .*\[unknown-kind\]", ln) for ln in lines
    )
    assert lines[-1].startswith("1 error in ")
    # From the command line: exit code 1, the same line, and no traceback.
    run = subprocess.run(
        [
            str(BIN / "mkdocs"),
            "build",
            "-q",
            "-f",
            str(src / "mkdocs.yml"),
            "-d",
            str(tmp_path / "s"),
        ],
        capture_output=True,
        text=True,
        cwd=src,
        env={"PATH": str(BIN), "NO_MKDOCS_2_WARNING": "1", "HOME": str(tmp_path)},
        timeout=120,
    )
    assert run.returncode == 1
    assert "entries/phoenix.md:5: error: " in run.stderr
    assert "Traceback" not in run.stderr


def test_generate_writes_the_plugin_pages(
    fixture_copy: Path, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Run in the site's folder: generate takes the plugin's options from its ./mkdocs.yml.
    monkeypatch.chdir(fixture_copy)
    out = tmp_path / "out"
    assert cli_main(["generate", "--output", str(out)]) == 0
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md"))
    built = sorted(
        p.parent.relative_to(site).as_posix()
        for p in site.rglob("index.html")
        if p.parent != site / "about" and p.parent.name != "search" and not redirect(p)
    )
    as_urls = sorted(
        "." if w == "index.md" else w.removesuffix("/index.md").removesuffix(".md") for w in written
    )
    assert as_urls == built
    assert (out / "assets" / "graph-builder.css").is_file()


def plugin_files(config_file: Path) -> dict[str, bytes]:
    """Every file the plugin adds to a build of this mkdocs.yml, by URI (nothing is built), a
    page with the blocks it keeps apart from MkDocs back in their places."""
    config = load_config(str(config_file))
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(get_files(config), config=config)
    texts = config.plugins["graph-builder"]._texts  # what on_page_content and on_post_page use
    out = {}
    for f in files:
        if f.generated_by != "graph-builder":
            continue
        text = texts.get(f.src_uri)
        if text is None:
            out[f.src_uri] = f.content_bytes
            continue
        # MkDocs gets the skeleton; the runs and blocks come back as `PageText.markdown` has them.
        assert f.content_string == text.skeleton
        out[f.src_uri] = text.markdown.encode("utf-8")
    return out


def written_files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


INSIGHT_PAGES = {"families/index.md", "insights/index.md", "insights/bridges.md"}
INSIGHT_PAGES |= {"insights/surprising.md", "insights/gaps.md"}
OPEN_DATA = {"feed.xml", "llms.txt", "graph.graphml", "graph.gexf"}
GRAPH_FILES = {"graph.json", "graph/explorer.json", "assets/graph/graph.js"}


@pytest.mark.parametrize("insights", [True, False])
def test_generate_with_a_config_file_writes_exactly_the_plugin_files(
    tmp_path: Path, insights: bool
) -> None:
    config_file = copy_fixture(tmp_path / "src") / "mkdocs.yml"
    if not insights:
        text = config_file.read_text(encoding="utf-8")
        off = "  - graph-builder:\n      insights: false\n"
        config_file.write_text(text.replace("  - graph-builder:\n", off), encoding="utf-8")
    out = tmp_path / "out"
    assert cli_main(["generate", "--config-file", str(config_file), "--output", str(out)]) == 0
    expected = plugin_files(config_file)
    written = written_files(out)
    # The same files, byte for byte: pages, stylesheet, graph assets and data, open data.
    assert sorted(written) == sorted(expected)
    assert [uri for uri in sorted(written) if written[uri] != expected[uri]] == []
    assert OPEN_DATA | GRAPH_FILES | {"assets/graph-builder.css", "entries/phoenix.md"} <= set(
        written
    )
    families = {uri for uri in written if uri.startswith("families/")}
    llms = written["llms.txt"].decode("utf-8")
    if insights:
        assert set(written) >= INSIGHT_PAGES
        assert len(families) > 1  # the index and one page per family
        assert "(insights/bridges/)" in llms
    else:
        assert set(written).isdisjoint(INSIGHT_PAGES) and families == set()
        assert "insights/" not in llms
        # No family line on the entry pages either.
        assert "families/" not in written["entries/phoenix.md"].decode("utf-8")


def test_generate_reports_errors_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = tmp_path / "entries"
    entries.mkdir()
    (entries / "broken.md").write_text("---\nslug: [\n---\n", encoding="utf-8")
    assert cli_main(["generate", "--entries", str(entries), "--output", str(tmp_path / "o")]) == 1
    assert re.search(r"broken\.md:\d+: error: YAML error", capsys.readouterr().err)
    assert not (tmp_path / "o").exists()


def test_the_repository_site_builds_strict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    site = build_site(ROOT / "mkdocs.yml", tmp_path / "site")
    seed = article(page(site, "entries/rupture-and-repair"))
    across = section(seed, "across-domains")
    # The list the engine gives for the real catalogue (test_neighbours checks it against the
    # definition, pair by pair).
    entries = load_entries(ROOT / "entries").entries
    lists = structural_neighbours(entries, default_vocabulary(), only=["rupture-and-repair"])
    expected = [n.slug for n in lists["rupture-and-repair"].cross_domain]
    assert [h for h in hrefs(across) if h.count("/") == 2][:8] == [f"../{s}/" for s in expected]
    # The licences are stated in every page's footer; CONTRIBUTING.md is the Contribute page.
    assert "CC BY-SA 4.0" in page(site, "entries/rupture-and-repair")
    assert "MIT licence" in page(site, "")
    contribute = page(site, "contribute")
    shown = re.sub(r"<[^>]+>", "", contribute)  # the commands are highlighted code blocks
    assert "Editorial guide" in shown and "graph-builder new" in shown
    assert 'href="tagging/"' in contribute


def test_the_home_page_title_is_the_site_name_once(site: Path) -> None:
    head = page(site, "").split("</head>")[0]
    assert "<title>Atlas Fixture</title>" in head
    assert '<h1 id="atlas-fixture">Atlas Fixture' in page(site, "")


def test_a_dead_metaphor_reads_as_one_term(site: Path) -> None:
    facts = article(page(site, "entries/phoenix")).split('class="gb-facts">')[1].split("</p>")[0]
    assert facts.startswith('<a href="../../kinds/metaphor/">Dead metaphor</a>')
    assert "dead <a" not in facts


def test_the_heap_is_set_aside_while_pages_render_and_put_back_after(
    fixture_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # collector.HeapSetAside: what the plugin built stays out of the collector's passes while MkDocs
    # renders the pages, and is the collector's again once the build ends, or fails.
    frozen: list[int] = []
    render = Page.render

    def counting(self: Page, config: MkDocsConfig, files: Files) -> None:
        frozen.append(gc.get_freeze_count())
        render(self, config, files)

    monkeypatch.setattr(Page, "render", counting)
    build_site(fixture_copy / "mkdocs.yml", tmp_path / "site")
    assert len(frozen) > 20 and min(frozen) > 1000
    assert gc.get_freeze_count() == 0

    def failing(self: Page, config: MkDocsConfig, files: Files) -> None:
        if self.file.src_uri == "entries/phoenix.md":
            raise RuntimeError("a page that cannot be rendered")
        render(self, config, files)

    monkeypatch.setattr(Page, "render", failing)
    with pytest.raises(RuntimeError):
        build_site(fixture_copy / "mkdocs.yml", tmp_path / "again")
    assert gc.get_freeze_count() == 0


# Our blocks, as they start a line of a page: every one should reach MkDocs as a placeholder.
OUR_BLOCK_LINE = re.compile(
    r'^<(?:p class="gb-[a-z-]+"|[ou]l class="gb-[a-z-]+" data-search-exclude'
    r'|section class="mma-graph|div class="gb-insight-graph-wrap")',
    re.MULTILINE,
)


def test_every_block_of_ours_reaches_mkdocs_as_a_placeholder(fixture_copy: Path) -> None:
    # A writer that hands its block over as text, not as a HeldBlock, would still give the
    # same site, only slower: Markdown and search would parse it.
    result = site_build(fixture_copy / "entries")
    assert len(result.pages) > 100
    written = 0
    for page in result.pages:
        assert OUR_BLOCK_LINE.findall(page.text.skeleton) == [], page.uri
        written += len(OUR_BLOCK_LINE.findall(page.markdown))
    # The pattern does find them in the pages as written.
    assert written > 300
