"""Process-wide state a build touches, in one place: Python's cyclic garbage collector.

The collector's full passes walk every container object alive; they come more often as a
process allocates, so a build that loads a model (several hundred thousand objects) and then
makes a graph of millions of lists and dicts spends much of its time in them. Reference
counting, which frees almost everything kgraph makes, is not affected by either helper.

Each helper puts back what it found and changes nothing it did not set: a host application
that froze objects itself (`gc.freeze()`) or disabled the collector keeps that state. There is
no module-level state: what a block changed travels in the object it yields.

(Signals and child processes are handled where they are made: `kgraph.cli` for the signals of
a command, `kgraph._workers` and `kgraph.export._fork` for the processes kgraph starts, and
`kgraph.export._atomic` for the signals held while a set of outputs is renamed into place.)
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


class Freeze:
    """What `frozen` did: whether this block froze objects (so may freeze more, and undo it)."""

    def __init__(self, owned: bool) -> None:
        self.owned = owned

    def more(self) -> None:
        """Leave the objects made since the block started out of the collector's passes too
        (the model, once loaded): only if this block froze, as only it will unfreeze them."""
        if self.owned:
            gc.freeze()


@contextmanager
def frozen() -> Iterator[Freeze]:
    """Leave the objects alive now out of the collector's passes until the block ends.

    Also keeps forked worker processes from copying the memory pages of those objects
    (which the collector would otherwise write to). If objects are frozen already (the host
    application froze them), nothing is frozen or unfrozen here: `gc.unfreeze()` would
    release the host's objects too.

    >>> import gc
    >>> gc.freeze()  # a host that froze its own objects
    >>> with frozen() as f:
    ...     f.owned
    False
    >>> gc.get_freeze_count() > 0  # still frozen, as the host left them
    True
    >>> gc.unfreeze()
    """
    if gc.get_freeze_count() > 0:
        yield Freeze(owned=False)
        return
    gc.freeze()
    try:
        yield Freeze(owned=True)
    finally:
        gc.unfreeze()


@contextmanager
def paused() -> Iterator[None]:
    """No collector passes during the block: for code that builds many containers but no
    reference cycles (graphs of dicts, lists and strings). The collector runs again after,
    if it ran before."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
