"""Atomic file writes: a file is either the old one or the complete new one, never half."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import OutputError

TMP_PREFIX = ".kgraph-tmp-"


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it replaces `path` in one step.

    On any error (or Ctrl-C) the temporary file is removed and `path` is untouched.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=target.suffix, dir=target.parent)
        os.close(fd)
    except OSError as e:
        raise OutputError(f"cannot write to '{target.parent}': {e.strerror or e} (choose another folder with -o)") from None
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write `text` as UTF-8 to `path` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def remove_stale_temps(folder: str | os.PathLike[str]) -> None:
    """Remove temporary files a killed build left in `folder`."""
    d = Path(folder)
    if d.is_dir():
        for p in d.glob(TMP_PREFIX + "*"):
            p.unlink(missing_ok=True)
