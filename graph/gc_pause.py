"""A pause of CPython's cyclic garbage collector around allocation-heavy work.

Loading 10^6 relationships or analysing a 5×10^4-organisation region keeps millions of objects
alive (records, property dicts, graph adjacency). Each automatic collection of the oldest
generation walks all of them and frees nothing: this work creates no reference cycles, so
reference counting already frees what it drops. Measured: about 10 s of a 45 s analysis
(``analytics``), and about a quarter of a 10^6-relationship load into the embedded store. The
collector's previous state is restored on exit and any cyclic garbage is collected by the next
regular pass. The switch is process-wide: two threads pausing at once may end one pause early
(slower, never wrong).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for one call (also usable as a decorator)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
