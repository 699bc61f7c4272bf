"""Dots of a small drawing -> where their labels go, by text width, without overlaps."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["LABEL_FONT", "Dot", "place_labels"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Dot:
    """One dot of a small SVG graph; `href` is already escaped (`urls.href`)."""

    key: str
    label: str
    href: str
    colour: str
    radius: float
    tooltip: str


#: Label font size of the SVG graphs, px; a label box is `_LABEL_HEIGHT` tall, its baseline
#: `_LABEL_ASCENT` below the top (as Chromium lays out 12 px sans-serif).
LABEL_FONT = 12.0
_LABEL_HEIGHT = 14.0
_LABEL_ASCENT = 11.0

# Character widths in ems, by class: narrow, wide, capital, digit, anything else; within 6% of
# DejaVu Sans as Chromium draws it, one of the widest sans-serif faces a reader may have.
_NARROW = frozenset("fijlrt.,:;'!|()[] -")
_WIDE = frozenset("mwMW@%")

_Box = tuple[float, float, float, float]  # left, top, right, bottom


def _label_width(text: str) -> float:
    return LABEL_FONT * sum(_char_width(c) for c in text)


def _char_width(c: str) -> float:
    if c in _NARROW:
        return 0.34
    if c in _WIDE:
        return 0.95
    if c.isupper():
        return 0.72
    return 0.66 if c.isdigit() else 0.6


class _Obstacles:
    """Boxes filed by the cells of a coarse grid, so a new box is checked against its
    neighbourhood only: a family graph has sixty dots and labels, and each label tries up to
    six spots."""

    def __init__(self, cell: float = 48.0) -> None:
        self.cell = cell
        self.cells: defaultdict[tuple[int, int], list[_Box]] = defaultdict(list)

    def _keys(self, box: _Box) -> Iterator[tuple[int, int]]:
        cell = self.cell
        for i in range(math.floor(box[0] / cell), math.floor(box[2] / cell) + 1):
            for j in range(math.floor(box[1] / cell), math.floor(box[3] / cell) + 1):
                yield i, j

    def add(self, box: _Box) -> None:
        for key in self._keys(box):
            self.cells[key].append(box)

    def meets(self, box: _Box) -> bool:
        """Whether `box` overlaps any box filed so far (touching edges do not count)."""
        left, top, right, bottom = box
        for key in self._keys(box):
            for x0, y0, x1, y1 in self.cells.get(key, ()):
                if x0 < right and left < x1 and y0 < bottom and top < y1:
                    return True
        return False


def place_labels(
    nodes: Sequence[Dot], placed: Mapping[str, tuple[float, float]], size: float
) -> dict[str, tuple[float, float, str]]:
    """Where each label goes, (x, baseline y, text-anchor), for the labels that fit.

    Greedy, largest dot first: a label tries below its dot, above, right, left, then a line
    further below or above, and takes the first spot that meets no label placed so far, no dot
    and no edge of the drawing. A label with no such spot is left out (its dot keeps the name
    as a tooltip): in a crowded drawing, overlapping names would make every one unreadable,
    and the best connected dots, placed first, keep theirs. Deterministic: the order and the
    spots are fixed.
    """
    obstacles = _Obstacles()
    for node in nodes:
        x, y = placed[node.key]
        r = node.radius + 1.0
        obstacles.add((x - r, y - r, x + r, y + r))
    spots: dict[str, tuple[float, float, str]] = {}
    for node in sorted(nodes, key=lambda n: (-n.radius, n.key)):
        x, y = placed[node.key]
        r = node.radius
        width = _label_width(node.label)
        candidates = (
            (x, y + r + 12.0, "middle"),
            (x, y - r - 5.0, "middle"),
            (x + r + 4.0, y + 4.0, "start"),
            (x - r - 4.0, y + 4.0, "end"),
            (x, y + r + 12.0 + _LABEL_HEIGHT, "middle"),
            (x, y - r - 5.0 - _LABEL_HEIGHT, "middle"),
        )
        for tx, ty, anchor in candidates:
            left = tx - width / 2 if anchor == "middle" else tx if anchor == "start" else tx - width
            box = (left, ty - _LABEL_ASCENT, left + width, ty - _LABEL_ASCENT + _LABEL_HEIGHT)
            inside = box[0] >= 0.0 and box[1] >= 0.0 and box[2] <= size and box[3] <= size
            if inside and not obstacles.meets(box):
                obstacles.add(box)
                spots[node.key] = (round(tx, 1) + 0.0, round(ty, 1) + 0.0, anchor)
                break
    return spots
