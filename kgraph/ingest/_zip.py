"""Office files (DOCX, XLSX) are zip archives: their central directory is checked before any
member is unpacked, so a zip bomb is refused without being inflated.

The sizes checked are those the directory declares; Python's zipfile (which python-docx and
openpyxl read through) stops inflating a member at its declared size, so a member that lies
about its size cannot give more.
"""

from __future__ import annotations

import zipfile
from typing import BinaryIO

from ._read import Unusable

#: The most bytes the members of one office file may unpack to, all together.
MAX_UNZIPPED = 256 * 1024 * 1024
#: A member larger than 1 MB packed more tightly than this is a bomb, not a document.
MAX_RATIO = 200
MAX_MEMBERS = 10_000


def check_zip(fh: BinaryIO, kind: str, required: str) -> None:
    """Raise Unusable ("corrupt" or "zip bomb") unless `fh` is a zip archive holding
    `required` (e.g. word/document.xml) whose members unpack to a bounded size."""
    head = fh.read(4)
    fh.seek(0)
    if head != b"PK\x03\x04":
        raise Unusable("corrupt", f"not a {kind} file (not a zip archive)")
    try:
        with zipfile.ZipFile(fh) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as e:
        raise Unusable("corrupt", f"damaged or truncated {kind} file ({e})") from None
    finally:
        fh.seek(0)
    if len(infos) > MAX_MEMBERS:
        raise Unusable("zip bomb", f"{len(infos):,} parts in one {kind} file; not unpacked")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED:
        raise Unusable(
            "zip bomb",
            f"its parts unpack to {total / 2**20:,.0f} MB (more than {MAX_UNZIPPED // 2**20} MB); not unpacked",
        )
    for i in infos:
        if i.file_size > 2**20 and i.file_size > MAX_RATIO * max(1, i.compress_size):
            raise Unusable(
                "zip bomb",
                f"part '{i.filename[:80]}' unpacks {i.file_size // max(1, i.compress_size):,} times its packed size; "
                "not unpacked",
            )
    if required not in {i.filename for i in infos}:
        raise Unusable("corrupt", f"not a {kind} file (no {required})")
