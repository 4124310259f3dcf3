"""Pause Python's cyclic garbage collector around bulk work.

Building or loading a graph creates millions of small containers and no
reference cycles; the collector would traverse all of them again and again
(up to a third of the run time on a thousand interviews) for nothing.

A one-shot command (:func:`one_shot`, set by ``verlicht`` on the command line) also *freezes* what a paused
stretch made when it ends: otherwise the first allocation after the pause makes the collector walk the whole
loaded graph and its rows once more, generation by generation (0.15–0.3 s of `gaps` on the worst-case
workspace). A notebook keeps the plain pause, so that no cycle made in it outlives its use there.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_freeze = False
_kept: list[object] = []  # what a one-shot command leaves to the operating system to free (see keep)


def one_shot() -> None:
    """This process runs one command and ends: let paused stretches freeze what they made (see above)."""
    global _freeze
    _freeze = True


def keep(value: object) -> object:
    """In a one-shot process, hold ``value`` until the process ends, so that it is never freed object by
    object (the loaded graph, the rows printed); elsewhere nothing happens. Returns ``value``."""
    if _freeze:
        _kept.append(value)
    return value


@contextmanager
def gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _freeze:
            gc.freeze()  # moves every tracked object out of the collector's way; refcounting still frees them
        if enabled:
            gc.enable()
