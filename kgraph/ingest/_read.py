"""Bytes -> text, with bounds: opening only regular files, sniffing for binary data before
reading, a size limit per article, decoding with fallbacks, and the reasons a reader gives up.

Every reader of the package uses these, so each format keeps the same protections: a FIFO is
never opened, a file of NUL bytes is skipped after its first 8 KB, and no file larger than
`MAX_ARTICLE_BYTES` is read whole.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass, field
from typing import BinaryIO

from ..records import Skipped

#: The largest text file or JSONL line read as one article (no news article comes close).
MAX_ARTICLE_BYTES = 100 * 1024 * 1024
BINARY_PROBE = 8192
READ_CHUNK = 1 << 20
_CONTROLS = re.compile("[\x00-\x1f\x7f]")
_SURROGATES = re.compile("[\ud800-\udfff]")

# Byte order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
#: Encodings read without a note.
PLAIN_ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-32")


class NotRegular(OSError):
    """The path is a FIFO, socket, device or folder: reading it could block or fail."""


class TooLarge(OSError):
    """A file or line larger than MAX_ARTICLE_BYTES: not read further."""


class Binary(ValueError):
    """A file whose first bytes show it is not text: not read further."""


class Unusable(Exception):
    """A reader gives up on a file (or on the rest of it): one `Skipped` row with this reason."""

    def __init__(self, reason: str, detail: str, line: int | None = None) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        self.line = line


@dataclass
class ReadContext:
    """What a reader needs besides the path: how to name the file, its default id, where
    its notes go, and the user's column names for tables."""

    source: str
    base_id: str
    sink: list[Skipped]
    columns: dict[str, str | None] = field(default_factory=dict)

    def note(self, reason: str, detail: str, line: int | None = None) -> None:
        """Record a skipped part of the file, or a note about it."""
        self.sink.append(Skipped(source=self.source, reason=reason, detail=detail, line=line))


def display_path(path: str | os.PathLike[str]) -> str:
    """`path` as text that every output can hold: undecodable bytes become U+FFFD and
    control characters (a newline in a file name) become visible escapes.

    >>> display_path("caf\\udce9\\n.txt")
    'caf�\\\\x0a.txt'
    """
    raw = os.fsencode(path)
    text = raw.decode("utf-8", errors="replace")
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def clean_text(text: str) -> str:
    """`text` with lone surrogates (which no UTF file can hold) replaced by U+FFFD.

    >>> clean_text("a\\ud800b")
    'a�b'
    """
    return _SURROGATES.sub("\ufffd", text)


def why(e: OSError) -> str:
    """The short reason of an OS error ('Permission denied')."""
    return e.strerror or str(e)


def open_regular(f: str | os.PathLike[str]) -> BinaryIO:
    """Open `f` for reading bytes, refusing anything but a regular file (a FIFO would block)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(f, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegular("not a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bounded(fh: BinaryIO, limit: int | None = None) -> bytes:
    """The bytes of a text file; raises Binary after reading only its first 8 KB when they
    hold a NUL byte and no byte order mark, and TooLarge without reading a file larger than
    `limit` (default MAX_ARTICLE_BYTES)."""
    limit = MAX_ARTICLE_BYTES if limit is None else limit
    head = fh.read(BINARY_PROBE)
    if b"\x00" in head and not any(head.startswith(bom) for bom, _codec, _name in BOMS):
        raise Binary("binary file (it holds NUL bytes; UTF-16 text needs a byte order mark)")
    size = os.fstat(fh.fileno()).st_size
    if size > limit:
        raise TooLarge(too_large(size, limit))
    rest = fh.read(limit + 1 - len(head))  # the file may have grown since
    if len(head) + len(rest) > limit:
        raise TooLarge(too_large(len(head) + len(rest), limit))
    return head + rest


def too_large(size: int, limit: int | None = None) -> str:
    """The detail of a "too large" row."""
    limit = MAX_ARTICLE_BYTES if limit is None else limit
    return (
        f"{size / 2**20:,.0f} MB, more than the {limit // 2**20} MB one article may have; "
        "split it into articles (one file each, or JSONL lines)"
    )


def decode(data: bytes) -> tuple[str, str]:
    """Decode file bytes; returns (text, encoding used). Raises ValueError for binary data.

    A byte order mark (UTF-8, UTF-16, UTF-32) decides; otherwise UTF-8, then UTF-8 with a
    few bad bytes replaced (when most of the file is valid UTF-8), then cp1252, then latin-1.

    >>> decode("Café".encode("cp1252"))
    ('Café', 'cp1252')
    >>> decode(b"\\xef\\xbb\\xbfHi")
    ('Hi', 'utf-8-sig')
    """
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return body.decode(codec), name
            except UnicodeDecodeError:
                text = body.decode(codec, errors="replace")
                return text, f"{name} with undecodable bytes replaced"
    if b"\x00" in data:
        raise ValueError("binary file (it holds NUL bytes; UTF-16 text needs a byte order mark)")
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = decode_legacy(data)
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, len(text) // 100):
        raise ValueError("binary file (not text in any supported encoding)")
    return text, encoding


def decode_legacy(data: bytes) -> tuple[str, str]:
    """Bytes that are not clean UTF-8: UTF-8 with a few bytes replaced, cp1252 or latin-1."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    if good > bad:  # UTF-8 with a few broken bytes, not a legacy encoding
        return text, f"utf-8 with {bad} undecodable byte sequence(s) replaced"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def read_text(fh: BinaryIO, ctx: ReadContext) -> str:
    """The decoded text of a text-like file (bounded, sniffed), with a note when it needed a
    legacy encoding. Raises Unusable for an empty or binary file."""
    data = read_bounded(fh)
    if not data.strip():
        raise Unusable("empty", "only white space" if data else "0 bytes")
    try:
        text, encoding = decode(data)
    except ValueError as e:
        raise Unusable("binary", str(e)) from None
    if not text.strip():
        raise Unusable("empty", "only white space")
    if encoding not in PLAIN_ENCODINGS:
        ctx.note("encoding fallback", f"read as {encoding}; file kept")
    return text
