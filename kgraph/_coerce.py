"""Values read from a graph file, made into the type a reader expects.

A graph kgraph wrote holds the right types; a graph another program wrote, or a GraphML
reader's strings, may not. These turn any value into the type asked for, with a fixed answer
for what is missing or not a number, so readers never raise on a malformed attribute. Every
module that reads graph attributes uses these (one rule for what "not a number" gives).

>>> as_int("3"), as_int(None), as_int("x", default=-1)
(3, 0, -1)
>>> as_float("0.5"), as_float("inf"), as_float(None)
(0.5, None, None)
>>> as_count("2.0"), as_count(-3), as_count(float("nan"))
(2.0, 0.0, 0.0)
>>> as_bool("True"), as_bool(1), as_bool("no"), as_text(""), as_text(7)
(True, True, False, None, '7')
"""

from __future__ import annotations

import math
from typing import Any


def as_int(value: Any, default: int = 0) -> int:
    """`value` as an int, `default` when it is missing or not a whole number."""
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return default


def as_float(value: Any) -> float | None:
    """`value` as a finite float, None when it is missing or not a number."""
    try:
        x = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return x if math.isfinite(x) else None


def as_count(value: Any) -> float:
    """`value` as a positive finite float (a count or a weight), 0.0 otherwise."""
    x = as_float(value)
    return x if x is not None and x > 0 else 0.0


def as_bool(value: Any) -> bool:
    """`value` as a bool: True, 1 and "true" (any case) are true, as GraphML readers may hand them back."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1")
    return bool(value) if isinstance(value, (bool, int, float)) else False


def as_text(value: Any) -> str | None:
    """`value` as a string, None when it is missing or empty."""
    return None if value is None or value == "" else str(value)
