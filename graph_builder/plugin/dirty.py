"""The last build's outputs -> what a `--dirty` build renders and writes again.

`mkdocs serve --dirty` renders and writes only the files whose `is_modified()` is true, and
MkDocs counts every generated file as modified, so a dirty rebuild rendered every generated
page anyway. The plugin compares each output with the one at the same URI in the last build of
this process instead (`OutputChanges`): a prose edit changes one entry's page, so one page is
rendered and written again, not a thousand.

Material's search keeps its index across dirty builds and, for the pages a build renders,
drops the old sections of the first one only, with every address under it (its "hack" for
dirty reload). So a dirty build renders either at most one page that is no section index, or
every page with the home page first, whose address is under every other: then the index is
always whole and has each page once (`plan`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation

from graph_builder.site.outputs import GeneratedFile, GeneratedPage

__all__ = [
    "DirtyBuild",
    "DirtyPlan",
    "GeneratedOutput",
    "Output",
    "OutputChanges",
    "home_first",
    "plan",
    "read_kept_nav_pages",
    "remove_outputs",
]

Output = GeneratedPage | GeneratedFile

#: The page whose address (the site's root) holds every other page's.
HOME_URI = "index.md"


class GeneratedOutput(File):
    """A generated file that a dirty build may leave as the last build wrote it (`kept`)."""

    kept: bool = False

    @classmethod
    def of(
        cls, config: MkDocsConfig, uri: str, *, content: str | bytes, inclusion: InclusionLevel
    ) -> GeneratedOutput:
        """`File.generated`, typed as what it makes: an instance of this class."""
        file = cls.generated(config, uri, content=content, inclusion=inclusion)
        if not isinstance(file, GeneratedOutput):
            raise TypeError(f"File.generated made a {type(file).__name__} for {uri}")
        return file

    def is_modified(self) -> bool:
        return not self.kept


class OutputChanges:
    """The outputs of the last build in this process and where they were written, by URI."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[Output, str]] = {}
        self._settings: bytes | None = None

    def settings_changed(self, config_file: str | None) -> bool:
        """Whether the configuration file's bytes differ from the last call's (and remember
        them); True the first time, and whenever the file cannot be read."""
        try:
            digest = hashlib.blake2b(Path(config_file or "").read_bytes(), digest_size=16).digest()
        except OSError:
            self._settings = None
            return True
        changed, self._settings = digest != self._settings, digest
        return changed

    @property
    def first(self) -> bool:
        """Whether no build has been remembered yet."""
        return not self._last

    def changed(self, output: Output) -> bool:
        """Whether `output` is new or differs from the last build's output at its URI."""
        last = self._last.get(output.uri)
        return last is None or last[0] != output

    def update(self, written: dict[str, tuple[Output, str]]) -> list[str]:
        """Remember this build's outputs and where each went (`written`); returns where the
        last build wrote the outputs this build no longer has."""
        gone = sorted(path for uri, (_, path) in self._last.items() if uri not in written)
        self._last = written
        return gone


@dataclass(frozen=True, slots=True)
class DirtyPlan:
    """What one dirty build renders again.

    Attributes:
        pages: the URIs of the generated pages to render again; None for every page, the
            hand-written ones too, with the home page first.
        changed: the URIs of the pages, generated or hand-written, that changed.
        reason: why every page is rendered again, for the log ("" when not).
    """

    pages: frozenset[str] | None
    changed: tuple[str, ...]
    reason: str = ""


def _is_section_index(uri: str) -> bool:
    return uri == HOME_URI or uri.endswith("/index.md")


def plan(
    generated: Iterable[str], hand_written: Iterable[str] = (), *, settings_changed: bool = False
) -> DirtyPlan:
    """Render again only the changed page when there is at most one, it is a generated page
    and no section index (whose address holds its section's pages), and the settings are the
    last build's; otherwise render every page.

    A hand-written page may be in the nav, whose titles every page shows, and the settings
    (mkdocs.yml) shape every page, so a change to either renders them all.

    Args:
        generated: the URIs of the generated pages that changed since the last build.
        hand_written: the URIs of the pages under docs/ that MkDocs finds modified.
        settings_changed: whether the configuration file changed since the last build.
    """
    written_by_hand = tuple(hand_written)
    changed = tuple(sorted({*generated, *written_by_hand}))
    if settings_changed:
        reason = "the configuration file changed"
    elif written_by_hand:
        reason = f"{_pages(len(written_by_hand))} under docs/ changed"
    elif len(changed) > 1:
        reason = f"{_pages(len(changed))} changed"
    elif any(_is_section_index(uri) for uri in changed):
        reason = f"the section index {changed[0]} changed"
    else:
        return DirtyPlan(pages=frozenset(changed), changed=changed)
    return DirtyPlan(pages=None, changed=changed, reason=reason)


def _pages(count: int) -> str:
    return f"{count:,} page{'s' if count != 1 else ''}"


def home_first(files: Sequence[File]) -> list[File]:
    """The files with the home page first, the rest in their order."""
    home = [file for file in files if file.src_uri == HOME_URI]
    return [*home, *(file for file in files if file.src_uri != HOME_URI)]


def remove_outputs(site_dir: Path, paths: Iterable[str]) -> list[Path]:
    """Delete the files at `paths` that exist, and each folder this leaves empty inside
    `site_dir` (one level up, never `site_dir` itself); returns the files deleted."""
    removed = []
    root = site_dir.resolve()
    for name in paths:
        path = Path(name)
        if not path.is_file():
            continue
        path.unlink()
        removed.append(path)
        folder = path.parent
        if folder.resolve() != root and root in folder.resolve().parents:
            with suppress(OSError):  # the folder still holds other files
                folder.rmdir()
    return removed


class DirtyBuild:
    """One dirty build's choice of the outputs it writes again.

    Made before the generated files join MkDocs' files (it plans, and removes the hand-written
    pages' outputs when every page is rendered); `mark` each generated file; `finish` after.
    The first build of the process writes every file and only remembers the outputs.
    """

    def __init__(
        self, changes: OutputChanges, files: Files, outputs: Sequence[Output], config: MkDocsConfig
    ) -> None:
        self._changes = changes
        self._site_dir = Path(config.site_dir)
        self._written: dict[str, tuple[Output, str]] = {}
        self._total = len(outputs)
        settings_changed = changes.settings_changed(config.config_file_path)
        self.plan: DirtyPlan | None = None
        if changes.first:
            return
        pages = (o.uri for o in outputs if isinstance(o, GeneratedPage) and changes.changed(o))
        by_hand = (f.src_uri for f in files.documentation_pages() if f.is_modified())
        self.plan = plan(pages, by_hand, settings_changed=settings_changed)
        if self.plan.pages is None:
            # The hand-written pages too: with their output gone, MkDocs renders them again.
            remove_outputs(self._site_dir, (f.abs_dest_path for f in files.documentation_pages()))

    def mark(self, file: GeneratedOutput, output: Output) -> None:
        """Keep `file`'s output from the last build when it is unchanged and still there."""
        self._written[output.uri] = (output, file.abs_dest_path)
        if self.plan is None:
            return
        if isinstance(output, GeneratedPage):
            again = self.plan.pages is None or output.uri in self.plan.pages
        else:
            again = self._changes.changed(output)
        file.kept = not again and Path(file.abs_dest_path).is_file()

    def finish(self, files: Files) -> tuple[Files, list[str]]:
        """Remember this build's outputs and remove those it no longer has; returns the files
        (the home page first when every page is rendered) and what to log."""
        remove_outputs(self._site_dir, self._changes.update(self._written))
        if self.plan is None:
            return files, []
        kept = sum(1 for f in files if isinstance(f, GeneratedOutput) and f.kept)
        lines = []
        if self.plan.pages is None:
            lines.append(
                f"dirty build: {self.plan.reason}, so every page is rendered again (the home "
                "page first: search keeps each page once)"
            )
            files = Files(home_first(list(files)))
        lines.append(
            f"dirty build: {self._total - kept:,} of {self._total:,} generated pages and files "
            "rendered or written again"
        )
        return files, lines


def read_kept_nav_pages(nav: Navigation, config: MkDocsConfig) -> int:
    """Read the source of each page in the nav that this dirty build does not render; returns
    how many.

    A page's title, when the nav gives it none, comes from the page itself, and MkDocs reads a
    page only to render it: in a dirty build every page rendered would otherwise show such a
    nav item as "None". Reading is cheap (the nav holds a few pages) and runs no page event.
    """
    read = 0
    for page in nav.pages:
        if page.markdown is None and not page.file.is_modified():
            page.read_source(config)
            read += 1
    return read
