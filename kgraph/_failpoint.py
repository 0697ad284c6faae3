"""A test hook to stop a build at an exact moment, so tests can interrupt it there.

When the environment variable ``KGRAPH_TEST_PAUSE`` equals the name of a point the
build reaches (``read:<file name>``, ``write:<output name>``, ``commit:<output name>``),
the build writes that name to the file named by ``KGRAPH_TEST_PAUSE_FILE`` and waits
for a signal. Otherwise a point costs one dictionary lookup.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

#: Signals received while they were held back (see `kgraph.export._atomic`).
held: list[int] = []


def failpoint(name: str) -> None:
    """Pause here when KGRAPH_TEST_PAUSE names this point (see the module docstring)."""
    if os.environ.get("KGRAPH_TEST_PAUSE") != name:
        return
    seen = len(held)  # before the marker: a signal may come as soon as it exists
    marker = os.environ.get("KGRAPH_TEST_PAUSE_FILE")
    if marker:
        Path(marker).write_text(name, encoding="utf-8")
    while len(held) == seen:  # a signal either raises here, or (while held back) lands in `held`
        time.sleep(0.01)
