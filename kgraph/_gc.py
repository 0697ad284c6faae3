"""Keeping Python's cyclic garbage collector out of the way of a large build.

The collector's full passes walk every container object alive; they come more often as a
process allocates, so a build that loads a model (several hundred thousand objects) and then
makes a graph of millions of lists and dicts spends much of its time in them. Reference
counting, which frees almost everything kgraph makes, is not affected by either helper.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def frozen() -> Iterator[None]:
    """Leave the objects alive now out of the collector's passes until the block ends.

    Also keeps forked worker processes from copying the memory pages of those objects
    (which the collector would otherwise write to).
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def paused() -> Iterator[None]:
    """No collector passes during the block: for code that builds many containers but no
    reference cycles (graphs of dicts, lists and strings). The collector runs again after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
