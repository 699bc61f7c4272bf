"""Synthetic catalogues: drawn front matter -> entry files, with a stock body or real prose.

`synthetic_frontmatter` draws the tags and facts of a catalogue of any size as a real one is
distributed; `write_catalogue` writes them as entry files with a short stock body, and
`write_prose_catalogue` with the bodies of the repository's own entries, cycled in sorted
order, so the pages carry real prose (punctuation, emphasis, lists, about 760 words each).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import frontmatter

from graph_builder.core.vocabulary import default_vocabulary

__all__ = [
    "ENTRIES_DIR",
    "ProseEntry",
    "entry_text",
    "real_bodies",
    "site_frontmatter",
    "summary_of",
    "synthetic_frontmatter",
    "write_catalogue",
    "write_prose_catalogue",
]

#: The repository's entries, whose bodies the prose catalogue borrows.
ENTRIES_DIR = Path(__file__).resolve().parent.parent / "entries"


def _popularity(count: int, skew: float) -> list[float]:
    """Zipf-like weights: a few common terms, a long tail of rare ones."""
    return [1.0 / (rank + 1) ** skew for rank in range(count)]


def synthetic_frontmatter(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """Tags and facts of `n` entries, drawn like a real catalogue's.

    Patterns (2-4) and relations (2-4) favour common terms; a third of the `cause` and
    `transform` relations are subtypes; 80% have one structure, 20% two; about 7% have no
    level, 5% no frame, 2% no structural tags at all; frames are Zipf-distributed over n / 40
    domains, so a few domains are large.
    """
    vocabulary = default_vocabulary()
    rng = random.Random(seed)
    patterns = sorted(vocabulary.embodied_patterns)
    parents = sorted(vocabulary.relation_parents())
    structures = sorted(vocabulary.structures)
    categories = sorted(vocabulary.categories)
    for items in (patterns, parents, structures, categories):
        rng.shuffle(items)
    frames = [f"domain-{i:05d}" for i in range(max(10, n // 40))]
    weights = {
        "patterns": _popularity(len(patterns), 0.8),
        "parents": _popularity(len(parents), 0.9),
        "structures": _popularity(len(structures), 1.0),
        "frames": _popularity(len(frames), 1.0),
    }

    def pick(items: Sequence[str], key: str, count: int) -> list[str]:
        chosen: list[str] = []
        while len(chosen) < count:
            item = rng.choices(items, weights[key])[0]
            if item not in chosen:
                chosen.append(item)
        return chosen

    out = []
    for i in range(n):
        slug = f"model-{i:06d}"
        kind = rng.choice(["metaphor", "mental-model", "pattern", "archetype"])
        # A metaphor must name its frame (`missing-source-frame`): only the others go without.
        frameless = rng.random() < 0.05 and kind != "metaphor"
        facts: dict[str, Any] = {
            "slug": slug,
            "name": f"Model {i:06d}",
            "kind": kind,
            "source_frame": None if frameless else rng.choices(frames, weights["frames"])[0],
            "categories": rng.sample(categories, rng.choice([1, 2])),
            # Drawn as before, then an entry's own slug dropped (`self-related` is an error).
            "related": [
                f"model-{j:06d}"
                for j in [rng.randrange(n) for _ in range(rng.choice([0, 2, 3]))]
                if j != i
            ],
        }
        if rng.random() >= 0.02:
            relations = []
            for parent in pick(parents, "parents", rng.choices([2, 3, 4], [0.4, 0.45, 0.15])[0]):
                subtypes = vocabulary.subtypes_of(parent)
                relations.append(
                    rng.choice(subtypes) if subtypes and rng.random() < 0.35 else parent
                )
            facts["embodied_patterns"] = pick(
                patterns, "patterns", rng.choices([2, 3, 4], [0.25, 0.55, 0.2])[0]
            )
            facts["relation_types"] = relations
            facts["structure"] = pick(structures, "structures", 1 if rng.random() < 0.8 else 2)
            level = rng.choices(["generic", "specific", "primitive", None], [65, 20, 8, 7])[0]
            if level:
                facts["abstraction_level"] = level
        out.append(facts)
    return out


def _flow(items: Sequence[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _frontmatter_lines(facts: dict[str, Any]) -> list[str]:
    """The front matter of an entry file for the facts, between its two `---` lines."""
    lines = [
        "---",
        f"slug: {facts['slug']}",
        f"name: {facts['name']}",
        f'summary: "{summary_of(facts)}"',
        f"kind: {facts['kind']}",
    ]
    if facts["source_frame"]:
        lines.append(f"source_frame: {facts['source_frame']}")
    lines += [
        f"categories: {_flow(facts['categories'])}",
        "grounding: folk",
        f"related: {_flow(facts['related'])}",
        "author: bench",
        "created: '2026-01-01'",
        "updated: '2026-01-02'",
        "transfers:",
        "  - '[model] What holds in the source holds, with care, in the target.'",
        "  - '[source] The source domain supplies the intuition and the vocabulary.'",
        "limits:",
        "  - '[model] The analogy stops where the two domains differ in kind.'",
        "  - '[model] A vivid image can hide the part of the target it does not fit.'",
    ]
    for key in ("embodied_patterns", "relation_types"):
        if key in facts:
            lines.append(f"{key}: {_flow(facts[key])}")
    if "structure" in facts:
        structure = facts["structure"]
        lines.append(f"structure: {structure[0] if len(structure) == 1 else _flow(structure)}")
    if "abstraction_level" in facts:
        lines.append(f"abstraction_level: {facts['abstraction_level']}")
    return [*lines, "---", ""]


#: The body of a synthetic entry: the sections of a real entry, shorter than most.
_SYNTHETIC_BODY = [
    "## Transfers",
    "",
    "A paragraph that says what the model carries from its source domain into the domains",
    "it is applied to, long enough to look like the opening of a real entry in the catalogue.",
    "",
    "- **First move** -- what the source makes easy to see in the target.",
    "- **Second move** -- what the source makes easy to do in the target.",
    "",
    "## Limits",
    "",
    "- **Where it breaks** -- the part of the target the source does not fit.",
    "- **What it hides** -- the part of the target the image draws attention away from.",
    "",
    "## Expressions",
    "",
    '- "a phrase in use" -- what people mean when they say it.',
    '- "another phrase" -- and what that one means.',
    "",
]


def summary_of(facts: dict[str, Any]) -> str:
    """The one-sentence summary every synthetic entry carries."""
    return f"A synthetic model, {facts['name']}, for measuring the pipeline at scale."


def entry_text(facts: dict[str, Any], body: str | None = None) -> str:
    """A whole entry file for the facts: `body` after the front matter, or, without one, a
    short body with the sections of a real entry."""
    if body is None:
        return "\n".join(_frontmatter_lines(facts) + _SYNTHETIC_BODY)
    return "\n".join(_frontmatter_lines(facts)) + "\n" + body.rstrip("\n") + "\n"


def write_catalogue(folder: Path, n: int, seed: int = 0) -> None:
    """Write `n` synthetic entry files into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for facts in synthetic_frontmatter(n, seed):
        (folder / f"{facts['slug']}.md").write_text(entry_text(facts), encoding="utf-8")


def site_frontmatter(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """`synthetic_frontmatter`, mended of the two errors it can draw, at which a site build
    stops: an entry related to itself, and a metaphor without a source frame."""
    out = synthetic_frontmatter(n, seed)
    for facts in out:
        facts["related"] = [slug for slug in facts["related"] if slug != facts["slug"]]
        if facts["kind"] == "metaphor" and not facts["source_frame"]:
            facts["source_frame"] = "bench-frame"
    return out


def real_bodies(folder: Path = ENTRIES_DIR) -> list[str]:
    """The body of every entry file in `folder` (the text after its front matter), sorted by
    file name."""
    return [frontmatter.load(path).content for path in sorted(folder.glob("*.md"))]


#: One entry of a prose catalogue: its facts (as `synthetic_frontmatter` draws them) and body.
ProseEntry = tuple[dict[str, Any], str]


def write_prose_catalogue(folder: Path, n: int, seed: int = 0) -> list[ProseEntry]:
    """Write `n` entry files into `folder`: the front matter of `site_frontmatter`, each body a
    real entry's, cycled in sorted order. Returns the facts and body of each, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    bodies = real_bodies()
    if not bodies:
        raise FileNotFoundError(f"no entry files in {ENTRIES_DIR} to borrow prose from")
    out = []
    for i, facts in enumerate(site_frontmatter(n, seed)):
        body = bodies[i % len(bodies)]
        (folder / f"{facts['slug']}.md").write_text(entry_text(facts, body), encoding="utf-8")
        out.append((facts, body))
    return out
