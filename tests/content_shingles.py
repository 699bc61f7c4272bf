"""Word shingles for the originality guard: normalised 10-word windows of a text, hashed.

The seed document's sentences are not ours to keep in the repository, so the fixture holds only
the hashes of its 10-word windows; an entry that shares any window with it fails the test.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

WINDOW = 10
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")


def words(text: str) -> list[str]:
    """Lower-case words, typographic quotes folded, so punctuation cannot hide a copy."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return _WORD.findall(text)


_QUOTED_TITLE = re.compile(r'"[^"\n]+"|“[^”\n]+”')


def without_cited_titles(entry_text: str) -> str:
    """An entry file without the quoted titles of the works its References list cites.

    A title is a bibliographic fact, not our prose: citing a paper by its exact title (as the
    seed document also does) is no copy of the seed's sentences.
    """
    out: list[str] = []
    in_references = False
    for line in entry_text.splitlines():
        if line.startswith("## "):
            in_references = line.strip() == "## References"
        elif in_references and line.startswith("- "):
            line = _QUOTED_TITLE.sub(" ", line)
        out.append(line)
    return "\n".join(out)


def shingle_hashes(text: str, window: int = WINDOW) -> set[str]:
    """The hashes of every run of `window` consecutive words of `text`."""
    w = words(text)
    return {
        hashlib.sha256(" ".join(w[i : i + window]).encode()).hexdigest()[:16]
        for i in range(len(w) - window + 1)
    }


if (
    __name__ == "__main__"
):  # python -m tests.content_shingles SEED > tests/fixtures/seed-shingles.txt
    for digest in sorted(shingle_hashes(Path(sys.argv[1]).read_text(encoding="utf-8"))):
        print(digest)
