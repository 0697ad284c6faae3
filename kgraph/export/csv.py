"""CSV files for review (aliases.csv, skipped.csv), safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from ._atomic import atomic_path

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one starting with = + - @ gets a leading quote.

    >>> safe_cell("=HYPERLINK(1)"), safe_cell("Taliban")
    ("'=HYPERLINK(1)", 'Taliban')
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(path: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    """Write rows under `header` to `path` (UTF-8, atomic, formula-safe)."""
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            for row in rows:
                w.writerow([safe_cell(v) for v in row])
    return Path(path)
