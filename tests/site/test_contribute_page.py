"""The Contribute page as the repository publishes it: the guide's numbered steps stay one list,
and the commands inside them stay code blocks (fences inside list items)."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURE_ENTRIES = Path(__file__).resolve().parent.parent / "fixtures" / "site" / "entries"


class Blocks(HTMLParser):
    """The text of every `<pre>` and of every inline `<code>` (one outside a `<pre>`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pre: list[str] = []
        self.inline: list[str] = []
        self.in_pre = 0
        self.in_code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre":
            self.in_pre += 1
            self.pre.append("")
        elif tag == "code" and not self.in_pre:
            self.in_code += 1
            self.inline.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self.in_pre -= 1
        elif tag == "code" and self.in_code:
            self.in_code -= 1

    def handle_data(self, data: str) -> None:
        if self.in_pre:
            self.pre[-1] += data
        elif self.in_code:
            self.inline[-1] += data


@pytest.fixture(scope="module")
def contribute(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The Contribute page of a build with the repository's mkdocs.yml, docs and guide."""
    source = tmp_path_factory.mktemp("contribute")
    for name in ("mkdocs.yml", "CONTRIBUTING.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "docs", source / "docs")
    shutil.copytree(FIXTURE_ENTRIES, source / "entries")
    build(load_config(str(source / "mkdocs.yml"), site_dir=str(source / "site")))
    html = (source / "site" / "contribute" / "index.html").read_text(encoding="utf-8")
    return html[html.index("<article") : html.index("</article>")]


def test_the_commands_are_code_blocks_not_inline_code(contribute: str) -> None:
    blocks = Blocks()
    blocks.feed(contribute)
    assert any(text.startswith(".venv/bin/graph-builder new") for text in blocks.pre)
    # The multi-line command keeps its lines; no fence's language tag shows as text.
    assert any("--source-frame psychotherapy" in t and "\\\n" in t for t in blocks.pre)
    assert not [t for t in blocks.inline if re.match(r"(sh|text|yaml)\s", t)]
    assert not [t for t in blocks.inline if "graph-builder new" in t and "\\" in t]


def test_the_steps_are_one_numbered_list(contribute: str) -> None:
    steps = contribute.split('id="add-an-entry-step-by-step"')[1].split("<h2")[0]
    assert len(re.findall(r"<ol\b", steps)) == 1
    assert re.findall(r"<strong>([^<]+)</strong>", steps)[:3] == [
        "Fork and clone",
        "Scaffold the entry.",
        "Fill it in.",
    ]
