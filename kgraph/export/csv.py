"""CSV files for review (aliases.csv, skipped.csv), safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from ._atomic import atomic_path

#: A cell starting with one of these (after any white space) is read as a formula by
#: Excel, LibreOffice or Google Sheets (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_SURROGATES = re.compile("[\ud800-\udfff]")


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one starting with = + - @ (or a tab or line
    break, or white space before one of those) gets a leading quote. Lone surrogates,
    which UTF-8 cannot hold, become U+FFFD.

    >>> safe_cell("=HYPERLINK(1)"), safe_cell("Taliban"), safe_cell("  @SUM(A1)")
    ("'=HYPERLINK(1)", 'Taliban', "'  @SUM(A1)")
    """
    text = "" if value is None else _SURROGATES.sub("\ufffd", str(value))
    return "'" + text if text.lstrip(" ").startswith(_FORMULA_START) else text


def write_csv(path: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    """Write rows under `header` to `path` (UTF-8, atomic, formula-safe)."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for row in rows:
            w.writerow([safe_cell(v) for v in row])
    return Path(path)
