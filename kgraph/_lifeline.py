"""Child processes die with the process that started them.

A worker forked for NER or for writing files holds the build's pipes (and its output
folder's lock) open: if it outlived a main process killed outright (SIGKILL, an OOM kill),
a caller reading the build's output would wait forever. Linux can kill the child when its
parent dies (PR_SET_PDEATHSIG); elsewhere this does nothing.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with(parent: int) -> None:
    """In a child: ask to be killed when `parent` (the process that started it) dies, and
    leave at once if it is already gone."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)
