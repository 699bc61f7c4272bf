"""A production build: with `site_url` set, every address the site hands out is absolute.

Feed readers, the sitemap's crawlers and LLM tools read these files out of the site's context,
where a relative link leads nowhere; search engines take the canonical link of each page.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "site"
PUBLIC = "https://atlas.example/sub/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("deploy") / "src"
    shutil.copytree(FIXTURE, source, ignore=shutil.ignore_patterns("site"))
    config_file = source / "mkdocs.yml"
    config_file.write_text(
        config_file.read_text(encoding="utf-8") + f"site_url: {PUBLIC}\n", encoding="utf-8"
    )
    site_dir = source.parent / "site"
    build(load_config(str(config_file), site_dir=str(site_dir), strict=True))
    return site_dir


def test_the_feed_links_absolutely(site: Path) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.parse(site / "feed.xml").getroot()
    links = [link.get("href", "") for link in feed.iter(f"{atom}link")]
    assert len(links) > 10
    assert all(link.startswith(PUBLIC) for link in links), links
    assert f"{PUBLIC}entries/phoenix/" in links


def test_llms_txt_links_absolutely(site: Path) -> None:
    targets = re.findall(r"\]\(([^)]+)\)", (site / "llms.txt").read_text(encoding="utf-8"))
    assert len(targets) > 10
    assert all(target.startswith(PUBLIC) for target in targets), targets


def test_the_sitemap_lists_every_page_absolutely(site: Path) -> None:
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    sitemap = ElementTree.parse(site / "sitemap.xml").getroot()
    locations = [loc.text or "" for loc in sitemap.iter(f"{ns}loc")]
    assert f"{PUBLIC}entries/phoenix/" in locations and PUBLIC in locations
    assert all(location.startswith(PUBLIC) for location in locations)
    pages = [
        p
        for p in site.rglob("index.html")
        # The redirects of old family addresses are not pages of the site.
        if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")
    ]
    assert len(locations) == len(pages)


@pytest.mark.parametrize(("page", "url"), [("", ""), ("entries/phoenix", "entries/phoenix/")])
def test_every_page_names_its_canonical_address(site: Path, page: str, url: str) -> None:
    html = (site / page / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{PUBLIC}{url}">' in html
