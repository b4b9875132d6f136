"""Python's cyclic garbage collector paused while a replication builds and runs its cases.

A replication keeps thousands of generated cases and assessments alive until it ends (a national year: 5,000
cases, about 200 MiB), and every full collection walks all of them: on a national year the collector took
about 40 % of the time (docs/performance.md). What a replication drops is freed by reference counting as before;
the few reference cycles it leaves (SimPy processes and their events) wait for the next collection after it.
Pausing changes no result: nothing in the model depends on when memory is reclaimed.

>>> import gc
>>> with paused_cycle_collection():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Pause:
    """How many callers (any thread, nested or not) have paused the collector, and whether it ran before them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.enabled_before = True


_PAUSE = _Pause()


@contextmanager
def paused_cycle_collection() -> Iterator[None]:
    """Pause automatic cyclic collection for the ``with`` block; resume it when the last such block ends, if it ran
    before the first one began (a caller who disabled it keeps it disabled)."""
    with _PAUSE.lock:
        if _PAUSE.depth == 0:
            _PAUSE.enabled_before = gc.isenabled()
            gc.disable()
        _PAUSE.depth += 1
    try:
        yield
    finally:
        with _PAUSE.lock:
            _PAUSE.depth -= 1
            if _PAUSE.depth == 0 and _PAUSE.enabled_before:
                gc.enable()
