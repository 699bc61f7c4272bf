"""The cyclic garbage collector around a build: fewer passes over objects that stay alive.

A build keeps nearly everything it makes (entries, graphs, pages' parts) until it ends, and
makes few reference cycles, so the collector's passes over it walk a growing heap and free
almost nothing. These helpers space the passes out, or set the heap aside, for as long as that
holds; reference counting frees objects as usual throughout.
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["HeapSetAside", "full_collections_paused", "young_collections_spaced"]


@contextmanager
def full_collections_paused() -> Iterator[None]:
    """Hold off the garbage collector's full passes while a catalogue is built or validated.

    A full pass walks every object alive, and one runs each time the objects kept since the
    last one reach a quarter of the heap: loading 100,000 entries triggered thirteen, over a
    quarter of the load time. Parsing leaves no reference cycles to collect, so full passes
    wait until the load is over (the young generations are still collected as usual), and the
    next one walks the catalogue once.
    """
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, _NEVER)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, old)


#: A threshold the count of young collections never reaches in practice.
_NEVER = 1 << 30


#: The cyclic collector's first threshold while a site is built (Python's default is 700).
_SPACED_YOUNG_THRESHOLD = 50_000


@contextmanager
def young_collections_spaced() -> Iterator[None]:
    """Collect the young generation less often while a site is built (`full_collections_paused`
    holds off the full passes; this spaces out the frequent ones).

    A build makes hundreds of thousands of dicts, lists and tuples (entries, pages' parts, graph
    data) and keeps most of them to its end, so the collector's frequent passes over them free
    nothing: at 1,000 entries they cost about a twentieth of the build. The first threshold is
    raised for the length of the build and put back after; the collector still runs, and
    nothing else about it changes.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], _SPACED_YOUNG_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


class HeapSetAside:
    """Keep the objects alive now out of the collector's passes until `put_back`.

    The MkDocs plugin sets the heap aside once it has built the site's pages and files: what it
    keeps (entries, graphs, pages) stays alive while MkDocs renders the pages, and each pass of
    the collector over the old generations would walk it again, freeing nothing: at 1,000
    entries that was about half the collector's time in the build. `gc.freeze` moves every
    object alive to a generation the collector does not walk; `put_back` returns them to the
    oldest generation, so garbage among them is collected after the build, and a long-running
    `mkdocs serve` does not keep a build's leftovers for good. Reference counting frees objects
    as usual in between.

    When the process ends, whatever is still alive is set aside for good (`atexit`): Python's
    shutdown otherwise walks the whole heap in several full passes, about 0.3 s after a build of
    1,000 entries, just before the operating system takes the memory back. Objects in
    reference cycles are then not finalized at exit, which Python never promises anyway.
    """

    #: Whether this process sets its heap aside when it ends (registered once, at first use).
    _at_exit = False

    def __init__(self) -> None:
        self._aside = False

    def set_aside(self) -> None:
        gc.freeze()
        self._aside = True
        if not HeapSetAside._at_exit:
            atexit.register(gc.freeze)
            HeapSetAside._at_exit = True

    def put_back(self) -> None:
        if self._aside:
            gc.unfreeze()
            self._aside = False
