"""Text and Markdown files: one article each, its first line (a Markdown file's ``# heading``)
the title. Markdown syntax is blanked out before NER (`kgraph.ingest.markdown`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from ..records import Article
from ._read import ReadContext, read_text
from ._text import TITLE_MAX, first_line_title, make_article
from .markdown import strip_markdown

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")


def read_text_file(fh: BinaryIO, ctx: ReadContext) -> Iterator[Article]:
    """A plain text file (also any file named on its own whose content is not sniffed as another format)."""
    text = read_text(fh, ctx)
    yield make_article(ctx, text, title=first_line_title(text))


def read_markdown(fh: BinaryIO, ctx: ReadContext) -> Iterator[Article]:
    """A Markdown file: the first heading (or first line) is the title; the text NER sees has
    the syntax blanked out."""
    text = read_text(fh, ctx)
    yield make_article(ctx, strip_markdown(text), title=markdown_title(text))


def markdown_title(text: str) -> str | None:
    """The first non-blank line, without its heading marks.

    >>> markdown_title("\\n## Talks in *Doha* ##\\n\\nBody")
    'Talks in Doha'
    """
    for line in text.splitlines():
        if not line.strip():
            continue
        m = _MD_HEADING.match(line.strip())
        if m:
            return " ".join(strip_markdown(m.group(1)).split()) or None
        line = line.strip()
        return line if len(line) <= TITLE_MAX else None
    return None
