"""Tables with a text column: CSV, TSV and Excel (.xlsx) files, one article per row.

The columns are the user's (`--text-column`, `--title-column`, `--date-column`,
`--id-column`, `--url-column`, the names GraphRAG uses) or else guessed from common header
names (`GUESSES`). A row's source is ``path:row N``, N the row number a spreadsheet shows
(the header is row 1); its id is the id column's value, else ``base:N``. A date column is
kept as written (``date_source="field"``). A table without a text column is one
"no text column" row listing its headers; a CSV that breaks (an unclosed quote) keeps the
rows before the break and reports the row it broke at.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import InputError
from ..records import Article
from . import _read
from ._read import BINARY_PROBE, BOMS, ReadContext, Unusable, display_path, open_regular
from ._text import make_article, one_line
from ._zip import check_zip

#: The option each column comes from, in the order they are looked up.
COLUMNS = ("text", "title", "date", "id", "url")
#: Header names tried, in order, for a column the user did not name (compared without case,
#: spaces, "-" or "_").
GUESSES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "fulltext", "articletext", "article", "story", "bodytext", "maintext"),
    "title": ("title", "headline", "heading", "subject"),
    "date": ("date", "published", "publishdate", "publisheddate", "publishedat", "pubdate", "datetime", "created"),
    "id": ("id", "articleid", "docid", "documentid", "uid", "guid", "identifier"),
    "url": ("url", "link", "sourceurl", "uri", "href"),
}
TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx")


def _key(name: object) -> str:
    return "".join(ch for ch in str(name or "").lower() if ch.isalnum())


def pick_columns(headers: Sequence[object], given: Mapping[str, str | None]) -> dict[str, int]:
    """{column: index in `headers`} for the columns found: those `given` by name (exact, else
    without case), the others guessed. A given column that is missing is left out.

    >>> pick_columns(["ID", "Headline", "Body Text"], {"text": None})
    {'text': 2, 'title': 1, 'id': 0}
    """
    names = [str(h).strip() if h is not None else "" for h in headers]
    keys = [_key(h) for h in names]
    found: dict[str, int] = {}
    for col in COLUMNS:
        want = given.get(col)
        if want:
            index = names.index(want) if want in names else (keys.index(_key(want)) if _key(want) in keys else -1)
        else:
            index = next((keys.index(g) for g in GUESSES[col] if g in keys), -1)
        if index >= 0 and index not in found.values():
            found[col] = index
    return found


def no_text_column(headers: Sequence[object], where: str = "") -> str:
    """The detail of a "no text column" row."""
    listed = ", ".join(repr(str(h)) for h in headers if h not in (None, "")) or "none"
    return f"no text column{where} among the headers ({listed}); pass --text-column NAME"


def read_csv(fh: BinaryIO, ctx: ReadContext, *, delimiter: str | None = None) -> Iterator[Article]:
    """The rows of a CSV (or, with `delimiter` a tab, TSV) file with text, each an article."""
    with _csv_rows(fh, delimiter) as rows:
        yield from _articles(rows, ctx)


def read_tsv(fh: BinaryIO, ctx: ReadContext) -> Iterator[Article]:
    """The rows of a tab-separated file with text, each an article."""
    return read_csv(fh, ctx, delimiter="\t")


def read_xlsx(fh: BinaryIO, ctx: ReadContext) -> Iterator[Article]:
    """The rows of every sheet of an Excel workbook, each an article; a sheet without a text
    column is one "no text column" row (named by its sheet)."""
    check_zip(fh, "XLSX", "xl/workbook.xml")
    with _workbook(fh) as book:
        sheets = book.worksheets
        for sheet in sheets:
            rows = _guarded(sheet.iter_rows(values_only=True), "corrupt")
            yield from _articles(rows, ctx, sheet=sheet.title if len(sheets) > 1 else None)


def _articles(rows: Iterator[Sequence[object]], ctx: ReadContext, *, sheet: str | None = None) -> Iterator[Article]:
    prefix = f"{sheet}:" if sheet else ""
    in_sheet = f" in sheet '{sheet}'" if sheet else ""
    headers = next(rows, None)
    if headers is None:
        if sheet:
            return  # an empty sheet beside others
        raise Unusable("empty", "no rows")
    cols = pick_columns(headers, ctx.columns)
    if "text" not in cols:
        ctx.note("no text column", no_text_column(headers, in_sheet))
        return
    empty = 0
    number = 1
    for number, row in enumerate(rows, 2):
        text = _cell(row, cols.get("text"), keep_lines=True)
        if not text:
            empty += 1
            continue
        date = _cell(row, cols.get("date"))
        yield make_article(
            ctx,
            text,
            id=_cell(row, cols.get("id")) or f"{ctx.base_id}:{prefix}{number}",
            where=f"{prefix}row {number}",
            line=number,
            title=_cell(row, cols.get("title")),
            date=date,
            date_source="field" if date else None,
            url=_cell(row, cols.get("url")),
        )
    if number == 1:
        ctx.note("empty", f"a header row and no rows{in_sheet}")
    elif empty:
        ctx.note("no text", f"{empty} row(s){in_sheet} with an empty text column not used")


def _cell(row: Sequence[object], index: int | None, *, keep_lines: bool = False) -> str | None:
    if index is None or index >= len(row):
        return None
    value = row[index]
    if isinstance(value, dt.datetime):
        value = value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    elif isinstance(value, dt.date):
        value = value.isoformat()
    if keep_lines:
        text = str(value).strip() if value is not None else ""
        return _read.clean_text(text) or None
    return one_line(value)


@contextmanager
def _csv_rows(fh: BinaryIO, delimiter: str | None) -> Iterator[Iterator[Sequence[object]]]:
    head = fh.read(BINARY_PROBE)
    codec = next((c for bom, c, _n in BOMS if head.startswith(bom)), None)
    if codec is None:
        if b"\x00" in head:
            raise Unusable("binary", "binary file (it holds NUL bytes)")
        codec = "utf-8" if _is_utf8(head) else "cp1252"
    elif codec == "utf-8":
        codec = "utf-8-sig"
    fh.seek(0)
    text = io.TextIOWrapper(fh, encoding=codec, errors="replace", newline="")
    if delimiter is None:
        first = text.readline()
        delimiter = max(",;\t|", key=first.count) if first.strip() else ","
        text.seek(0)
    old = csv.field_size_limit()
    csv.field_size_limit(_read.MAX_ARTICLE_BYTES)
    try:
        reader = csv.reader(text, delimiter=delimiter, strict=True)
        yield _guarded(reader, "invalid CSV", reader)
    finally:
        csv.field_size_limit(old)
        text.detach()


def _is_utf8(head: bytes) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return True
    except UnicodeDecodeError:
        return False


def _guarded(rows: Iterable[Sequence[object]], reason: str, reader: object = None) -> Iterator[Sequence[object]]:
    """`rows`, with a parsing error turned into Unusable(reason) naming the row it broke at."""
    it = iter(rows)
    number = 0
    while True:
        number += 1
        try:
            row = next(it)
        except StopIteration:
            return
        except csv.Error as e:
            line = getattr(reader, "line_num", None)
            raise Unusable(reason, f"row {number}: {e} (an unclosed quote?); the rows before it kept", line) from None
        except Exception as e:  # noqa: BLE001  (a damaged sheet makes openpyxl raise anything)
            raise Unusable(
                reason, f"row {number} cannot be read ({type(e).__name__}); the rows before it kept"
            ) from None
        yield row


@contextmanager
def _workbook(fh: BinaryIO) -> Iterator[Any]:
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it ignores
            book = openpyxl.load_workbook(fh, read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001  (a damaged part makes openpyxl and lxml raise anything)
        raise Unusable("corrupt", f"damaged XLSX file ({type(e).__name__})") from None
    try:
        yield book
    finally:
        book.close()


def headers(path: Path) -> list[str]:
    """The header row of a table file (the first sheet's, for a workbook); [] when it has none
    or cannot be read (reading it reports why)."""
    try:
        with open_regular(path) as fh:
            if path.name.lower().endswith(".xlsx"):
                check_zip(fh, "XLSX", "xl/workbook.xml")
                with _workbook(fh) as book:
                    first = next(book.worksheets[0].iter_rows(values_only=True, max_row=1), ())
            else:
                with _csv_rows(fh, "\t" if path.name.lower().endswith(".tsv") else None) as rows:
                    first = next(rows, [])
    except (OSError, Unusable, IndexError, ValueError):
        return []
    return [str(h).strip() for h in first if h not in (None, "")]


def check_columns(files: Iterable[Path], given: Mapping[str, str | None]) -> None:
    """Raise InputError when a column the user named is missing from a table file, listing
    that file's headers (a typo in --text-column should stop the build before NER)."""
    named = {col: name for col, name in given.items() if name}
    if not named:
        return
    for f in files:
        if not f.name.lower().endswith(TABLE_SUFFIXES):
            continue
        found = headers(f)
        if not found:
            continue
        cols = pick_columns(found, named)
        for col, name in named.items():
            if col not in cols:
                listed = ", ".join(repr(h) for h in found)
                raise InputError(
                    f"no column '{name}' (--{col}-column) in '{display_path(f)}'; its headers are: {listed}"
                )
