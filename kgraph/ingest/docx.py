"""Word files (.docx): paragraphs and tables as text, in document order, with the title and
creation date of the document's core properties (python-docx). One article per file."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from ..records import Article
from ._read import ReadContext, Unusable
from ._text import first_line_title, make_article, one_line
from ._zip import check_zip


def read_docx(fh: BinaryIO, ctx: ReadContext) -> Iterator[Article]:
    """One article: the document's paragraphs (a blank line between them), and its tables a row per line."""
    check_zip(fh, "DOCX", "word/document.xml")
    doc, text = _open(fh)
    if not text.strip():
        raise Unusable("no text", "the document holds no text")
    props = doc.core_properties
    created = props.created
    date = created.date().isoformat() if created is not None else None
    yield make_article(
        ctx,
        text,
        title=one_line(props.title) or first_line_title(text),
        date=date,
        date_source="metadata" if date else None,
    )


def _open(fh: BinaryIO) -> tuple[Any, str]:
    """(the python-docx Document, its text)."""
    import docx

    try:
        doc = docx.Document(fh)
        return doc, _text(doc)
    except Exception as e:  # noqa: BLE001  (a damaged part makes python-docx and lxml raise anything)
        raise Unusable("corrupt", f"damaged DOCX file ({type(e).__name__}: {' '.join(str(e).split())[:120]})") from None


def _text(doc: Any) -> str:
    from docx.table import Table

    blocks: list[str] = []
    for block in doc.iter_inner_content():
        text = "\n".join(_rows(block)) if isinstance(block, Table) else block.text
        if text.strip():
            blocks.append(text)
    return "\n\n".join(blocks)


def _rows(table: Any) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if text and (not cells or cells[-1] != text):  # a merged cell comes back once per column
                cells.append(text)
        if cells:
            yield "\t".join(cells)
