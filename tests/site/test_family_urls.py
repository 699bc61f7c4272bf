"""Family addresses last: adding an entry keeps every family's URL, and an address a family no
longer has (it split or merged) leads on to where its members went."""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

import pytest

from graph_builder.site.build import SiteBuild, build_site
from graph_builder.site.outputs import GeneratedPage

FIXTURE_ENTRIES = Path(__file__).resolve().parent.parent / "fixtures" / "site" / "entries"


def family_addresses(site: SiteBuild) -> dict[str, str]:
    """`families/<x>/` -> "page" for a family page, or the address a redirect leads to."""
    found: dict[str, str] = {}
    for output in site.outputs:
        if isinstance(output, GeneratedPage):
            match = re.fullmatch(r"families/([a-z0-9-]+)\.md", output.uri)
            if match and match[1] != "index":
                found[f"families/{match[1]}/"] = "page"
            continue
        match = re.fullmatch(r"families/([a-z0-9-]+)/index\.html", output.uri)
        if match:
            html = output.content.decode("utf-8")
            target = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', html)
            assert target is not None, output.uri
            here = f"families/{match[1]}/"
            found[here] = posixpath.normpath(posixpath.join(here, target[1])) + "/"
    return found


def build(entries: Path) -> SiteBuild:
    site = build_site(entries)
    assert site.pages, [d.format() for d in site.diagnostics]
    return site


@pytest.fixture
def entries(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE_ENTRIES, tmp_path / "entries"))


def _add(entries: Path, slug: str, source: str, replace: dict[str, str]) -> None:
    text = (entries / f"{source}.md").read_text(encoding="utf-8")
    text = text.replace(f"slug: {source}", f"slug: {slug}").replace("2026-", "2027-")
    for old, new in replace.items():
        text = text.replace(old, new)
    (entries / f"{slug}.md").write_text(text, encoding="utf-8")


def test_an_unrelated_entry_changes_no_family_address(entries: Path) -> None:
    before = family_addresses(build(entries))
    assert [a for a, kind in before.items() if kind == "page"]
    _add(
        entries,
        "lone-newcomer",
        "phoenix",
        {
            "[splitting, path, force]": "[attraction, merging]",
            "relation_types: [transform, restore]": "relation_types: [translate, select]",
            "structure: cycle": "structure: emergence",
            "source_frame: mythology": "source_frame: astronomy",
        },
    )
    after = family_addresses(build(entries))
    pages_before = {a for a, kind in before.items() if kind == "page"}
    assert pages_before <= {a for a, kind in after.items() if kind == "page"}


def test_every_old_family_address_still_answers_after_entries_join(entries: Path) -> None:
    before = family_addresses(build(entries))
    # Three walled gardens join the boundary family and change its most telling pattern (so
    # its name), and the two cycle families merge once they are in (worked out by running it).
    for number in range(3):
        _add(
            entries,
            f"walled-garden-{number}",
            "hostile-entry",
            {
                "[container, boundary]": "[center-periphery, boundary, container]",
                "[prevent, contain]": "[select, contain]",
                "source_frame: computer-security": f"source_frame: gardening-{number}",
            },
        )
    after = family_addresses(build(entries))
    pages = {a for a, kind in after.items() if kind == "page"}
    assert len(pages) < len([a for a, kind in before.items() if kind == "page"])  # a merge
    for address in [a for a, kind in before.items() if kind == "page"]:
        assert address in after, f"{address} is gone"
        assert after[address] == "page" or after[address] in pages, (address, after[address])
    # The boundary family grew and changed its name, but not its address.
    assert after["families/hostile-code-spans/"] == "page"
