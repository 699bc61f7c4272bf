"""The collector's settings around a build: changed inside, as they were after, errors too."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph_builder.core.collector import (
    HeapSetAside,
    full_collections_paused,
    young_collections_spaced,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def thresholds() -> Iterator[tuple[int, int, int]]:
    """Python's defaults for the length of a test, whatever ran before it."""
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield (700, 10, 10)
    gc.set_threshold(*saved)


def test_full_passes_wait_inside_and_come_back_after(thresholds: tuple[int, int, int]) -> None:
    with full_collections_paused():
        young, middle, old = gc.get_threshold()
        assert (young, middle) == (700, 10)
        assert old > 1_000_000  # a count of middle collections no build reaches
    assert gc.get_threshold() == thresholds
    with pytest.raises(RuntimeError), full_collections_paused():
        raise RuntimeError("a build that fails")
    assert gc.get_threshold() == thresholds


def test_young_passes_are_spaced_inside_and_come_back_after(
    thresholds: tuple[int, int, int],
) -> None:
    with young_collections_spaced():
        assert gc.get_threshold() == (50_000, 10, 10)
    assert gc.get_threshold() == thresholds
    # A threshold already higher is kept, not lowered.
    gc.set_threshold(80_000, 10, 10)
    with pytest.raises(RuntimeError), young_collections_spaced():
        assert gc.get_threshold() == (80_000, 10, 10)
        raise RuntimeError("a build that fails")
    assert gc.get_threshold() == (80_000, 10, 10)


def test_a_heap_set_aside_is_put_back_once() -> None:
    before = gc.get_freeze_count()
    heap = HeapSetAside()
    heap.put_back()  # nothing set aside: nothing to put back
    assert gc.get_freeze_count() == before
    kept = [object() for _ in range(10)]
    heap.set_aside()
    assert gc.get_freeze_count() >= before + len(kept)
    heap.put_back()
    heap.put_back()
    assert gc.get_freeze_count() == 0


def test_a_process_that_set_its_heap_aside_ends_with_it_set_aside() -> None:
    # atexit runs its handlers last registered first: the check, registered before the heap is
    # first set aside, runs after the handler that sets it aside at exit.
    script = (
        "import atexit, gc\n"
        "from graph_builder.core.collector import HeapSetAside\n"
        "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count() > 0))\n"
        "heap = HeapSetAside()\n"
        "heap.set_aside(); heap.put_back(); heap.set_aside(); heap.put_back()\n"
        "print('frozen after the build:', gc.get_freeze_count() > 0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.splitlines() == ["frozen after the build: False", "frozen at exit: True"]
