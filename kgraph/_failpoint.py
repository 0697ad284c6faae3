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

from ._runtime import held_count


def failpoint(name: str) -> None:
    """Pause here when KGRAPH_TEST_PAUSE names this point (see the module docstring)."""
    if os.environ.get("KGRAPH_TEST_PAUSE") != name:
        return
    seen = held_count()  # before the marker: a signal may come as soon as it exists
    marker = os.environ.get("KGRAPH_TEST_PAUSE_FILE")
    if marker:
        Path(marker).write_text(name, encoding="utf-8")
    while held_count() == seen:  # a signal either raises here, or (while signals are held back) is counted
        time.sleep(0.01)
