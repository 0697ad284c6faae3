"""CSV files (aliases.csv, skipped.csv, and the tables of `kgraph.export.tables`), safe to open
in a spreadsheet."""

from __future__ import annotations

import csv
import math
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import cast

from ._atomic import atomic_path

#: A cell starting with one of these (after any white space) is read as a formula by
#: Excel, LibreOffice or Google Sheets (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_SURROGATES = re.compile("[\ud800-\udfff]")
_FORMULA_CHARS = "".join(_FORMULA_START)


def _encodable(text: str) -> bool:
    """Whether UTF-8 can hold `text` (it has no lone surrogate): for a long text many times
    faster than a regular expression that looks for one."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one starting with = + - @ (or a tab or line
    break, or white space before one of those) gets a leading quote. Lone surrogates,
    which UTF-8 cannot hold, become U+FFFD.

    A finite number is written as it is: a number cell is no formula, and a spreadsheet or
    pandas reads ``-2.5`` as a number only without the quote.

    >>> safe_cell("=HYPERLINK(1)"), safe_cell("Taliban"), safe_cell("  @SUM(A1)"), safe_cell(-2.5), safe_cell("-2")
    ("'=HYPERLINK(1)", 'Taliban', "'  @SUM(A1)", '-2.5', "'-2")
    """
    t = type(value)
    if t is str:
        text = cast(str, value)
    elif (t is int or t is float) and math.isfinite(value):  # type: ignore[arg-type]
        return str(value)
    else:
        text = "" if value is None else str(value)
    head = text.lstrip(" ")[:1]
    if not (head and head in _FORMULA_CHARS) and _encodable(text):  # the common case: nothing to change
        return text
    text = _SURROGATES.sub("\ufffd", text)
    return "'" + text if text.lstrip(" ").startswith(_FORMULA_START) else text


def write_csv(path: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    """Write rows under `header` to `path` (UTF-8, atomic, formula-safe)."""
    return write_safe_rows(path, header, ([safe_cell(v) for v in row] for row in rows))


def write_safe_rows(path: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Sequence[str]]) -> Path:
    """Write rows of cells already made safe (`safe_cell`) under `header` to `path` (UTF-8, atomic)."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([safe_cell(h) for h in header])
        w.writerows(rows)
    return Path(path)
