"""Reading a small text file the user names (an --aliases file) without trusting it.

`Path.read_text` on a FIFO waits forever for a writer, and on /dev/zero or a huge file reads
until memory runs out. `read_small_text` opens without blocking, refuses what is not a
regular file, and never reads more than `limit` bytes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def read_small_text(path: str | os.PathLike[str], *, limit: int, encoding: str = "utf-8-sig") -> str:
    """The text of the regular file `path`, at most `limit` bytes.

    Raises FileNotFoundError when it does not exist, OSError (with a message a user can act
    on) when it is not a regular file or larger than `limit`, UnicodeDecodeError when it is
    not in `encoding`.
    """
    fd = os.open(Path(path), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        regular = stat.S_ISREG(os.fstat(fd).st_mode)
    except OSError:
        os.close(fd)
        raise
    if not regular:
        os.close(fd)
        raise OSError("not a regular file (a folder, FIFO or device)")
    with os.fdopen(fd, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise OSError(f"larger than {limit // 1024:,} KB; is it the right file?")
    return data.decode(encoding)
