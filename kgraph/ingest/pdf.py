"""PDF files: one article per page with text, by pypdfium2 (PDFium; Apache/BSD licensed).

The document's Title and CreationDate (its info dictionary) are each page's title and date;
a page's source is ``path:page N``. PDFium reads the file through its handle, object by
object, so a 200 MB PDF is never held in memory. A PDF without any text (a scan) is one
"no text layer" row, a password-protected one "encrypted", a damaged one "corrupt".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from ..records import Article
from . import _read
from ._read import ReadContext, Unusable
from ._text import first_line_title, make_article, one_line

_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")
#: The most pages read of one PDF (a book-length document is not a news article).
MAX_PDF_PAGES = 2000


def read_pdf(fh: BinaryIO, ctx: ReadContext) -> Iterator[Article]:
    """The pages of a PDF that have text, each an article (id ``base:pN``)."""
    import pypdfium2 as pdfium

    if not fh.read(1024).lstrip(b"\0\t\n\r\f ").startswith(b"%PDF"):
        raise Unusable("corrupt", "not a PDF (it does not start with %PDF)")
    fh.seek(0)
    try:
        pdf = pdfium.PdfDocument(fh)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise Unusable("encrypted", "the PDF needs a password; save an unprotected copy") from None
        raise Unusable("corrupt", f"PDFium cannot open it ({_short(e)})") from None
    try:
        yield from _pages(pdf, ctx)
    finally:
        pdf.close()


def _pages(pdf: Any, ctx: ReadContext) -> Iterator[Article]:
    import pypdfium2 as pdfium

    meta = _metadata(pdf)
    title = one_line(meta.get("Title"))
    date = _iso_date(meta.get("CreationDate"))
    total = len(pdf)
    found = 0
    budget = _read.MAX_ARTICLE_BYTES  # characters of text kept from the whole document
    for n in range(min(total, MAX_PDF_PAGES)):
        try:
            page = pdf[n]
            try:
                textpage = page.get_textpage()
                text = textpage.get_text_range()
                textpage.close()
            finally:
                page.close()
        except pdfium.PdfiumError as e:
            ctx.note("corrupt", f"page {n + 1} cannot be read ({_short(e)}); the other pages kept", n + 1)
            continue
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            continue
        if len(text) > budget:
            ctx.note("too large", f"text stops at page {n + 1}: more than {_read.MAX_ARTICLE_BYTES // 2**20} MB")
            break
        budget -= len(text)
        found += 1
        yield make_article(
            ctx,
            text,
            id=f"{ctx.base_id}:p{n + 1}" if total > 1 else ctx.base_id,
            where=f"page {n + 1}",
            title=title or first_line_title(text),
            date=date,
            date_source="metadata" if date else None,
        )
    if total > MAX_PDF_PAGES:
        ctx.note("too large", f"{total} pages: the first {MAX_PDF_PAGES} were read")
    if not found:
        pages = f"{total} page{'s' if total != 1 else ''}"
        raise Unusable("no text layer", f"no text layer (scanned?): {pages} without text; run OCR on it first")


def _metadata(pdf: Any) -> dict[str, str]:
    try:
        return {k: v for k, v in pdf.get_metadata_dict(skip_empty=True).items() if isinstance(v, str)}
    except Exception:  # noqa: BLE001  (a damaged info dictionary: the text is still worth reading)
        return {}


def _iso_date(value: object) -> str | None:
    """A PDF date (D:YYYYMMDDHHmmSS...) as YYYY-MM-DD, or None.

    >>> _iso_date("D:20210315120000+01'00'"), _iso_date("D:2021"), _iso_date("yesterday")
    ('2021-03-15', None, None)
    """
    m = _PDF_DATE.match(str(value or ""))
    if not m or not m.group(2) or not m.group(3):
        return None
    y, mo, d = m.group(1), m.group(2), m.group(3)
    if not ("01" <= mo <= "12" and "01" <= d <= "31"):
        return None
    return f"{y}-{mo}-{d}"


def _short(e: Exception) -> str:
    return " ".join(str(e).split())[:120] or type(e).__name__
