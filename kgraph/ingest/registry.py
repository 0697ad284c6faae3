"""Which reader reads a file: chosen by its suffix, then by its first bytes.

Each reader is a function ``(binary file, ReadContext) -> Iterator[Article]`` in a module
of its own. A suffix alone decides for most formats; the first 8 KB decide between a CSV
and a GDELT GKG file (tab-separated, no header), and whether an ``.xml`` file is a feed. A
file named on its own with another suffix is sniffed (PDF, zip-based office file, HTML,
feed), and read as text otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from ..records import Article
from ._read import ReadContext
from .docx import read_docx
from .feed import read_feed
from .gdelt import is_gkg, read_gkg
from .html import read_html
from .jsonl import read_jsonl
from .pdf import read_pdf
from .plain import read_markdown, read_text_file
from .table import read_csv, read_tsv, read_xlsx

ReadFunction = Callable[[BinaryIO, ReadContext], Iterator[Article]]


@dataclass(frozen=True)
class Reader:
    """A format: its name (as skipped.csv and the README call it), the suffixes that select
    it, and the function that reads it."""

    name: str
    suffixes: tuple[str, ...]
    read: ReadFunction


READERS: tuple[Reader, ...] = (
    Reader("text", (".txt",), read_text_file),
    Reader("markdown", (".md", ".markdown"), read_markdown),
    Reader("jsonl", (".jsonl",), read_jsonl),
    Reader("html", (".html", ".htm", ".xhtml"), read_html),
    Reader("pdf", (".pdf",), read_pdf),
    Reader("docx", (".docx",), read_docx),
    Reader("feed", (".rss", ".atom", ".xml"), read_feed),
    Reader("csv", (".csv",), read_csv),
    Reader("tsv", (".tsv", ".tab"), read_tsv),
    Reader("xlsx", (".xlsx",), read_xlsx),
    Reader("gdelt", (".gkg.csv",), read_gkg),
)
_BY_NAME = {r.name: r for r in READERS}
#: Every suffix a folder search reads.
SUFFIXES = tuple(s for r in READERS for s in r.suffixes)
#: Suffixes of files holding one article per line or row (counted by lines for the progress bar).
LINE_SUFFIXES = (".jsonl", ".csv", ".tsv", ".tab")
_FEED_MARKS = (b"<rss", b"<feed", b"<rdf:rdf")
_HTML_MARKS = (b"<!doctype html", b"<html")


def describe_suffixes() -> str:
    """'.txt, .md, ... and .xlsx' for messages."""
    shown = [s for s in SUFFIXES if s not in (".markdown", ".xhtml", ".tab", ".gkg.csv")]
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def choose(name: str, head: bytes, *, named: bool) -> Reader | None:
    """The reader of a file called `name` whose first bytes are `head`; None when a
    folder's file is not one kgraph reads (an .xml file that is no feed). `named`: the user
    named the file itself, so any suffix is read."""
    lower = name.lower()
    probe = head[:4096].lower()
    if lower.endswith((".csv", ".tsv", ".tab")) and is_gkg(head):
        return _BY_NAME["gdelt"]
    for reader in READERS:
        if lower.endswith(reader.suffixes):
            if reader.name == "feed" and lower.endswith(".xml") and not any(m in probe for m in _FEED_MARKS):
                return _BY_NAME["text"] if named else None
            return reader
    if not named:
        return None
    return _sniff(head, probe)


def _sniff(head: bytes, probe: bytes) -> Reader:
    start = probe.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"%pdf"):
        return _BY_NAME["pdf"]
    if head.startswith(b"PK\x03\x04"):
        return _BY_NAME["xlsx"] if b"xl/" in head else _BY_NAME["docx"]
    if is_gkg(head):
        return _BY_NAME["gdelt"]
    if start.startswith(b"<?xml") or start.startswith(b"<"):
        if any(m in probe for m in _FEED_MARKS):
            return _BY_NAME["feed"]
        if any(m in probe for m in _HTML_MARKS):
            return _BY_NAME["html"]
    return _BY_NAME["text"]
