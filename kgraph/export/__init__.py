"""Exporters: one module per format. Format quirks stay inside them.

The names below are imported when first used, not with the package: loading a graph.json
(`kgraph.export.json`) needs neither lxml nor the page's link statistics (scipy).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .gexf import read_gexf, write_gexf
    from .graphml import read_graphml, write_graphml
    from .html import write_html
    from .js import write_js
    from .json import read_json, write_json
    from .tables import write_edges_csv, write_nodes_csv

#: Each public name and the module (of this package) that defines it.
_HOMES = {
    "read_gexf": "gexf",
    "write_gexf": "gexf",
    "read_graphml": "graphml",
    "write_graphml": "graphml",
    "write_html": "html",
    "write_js": "js",
    "read_json": "json",
    "write_json": "json",
    "write_edges_csv": "tables",
    "write_nodes_csv": "tables",
}

__all__ = [
    "read_gexf",
    "read_graphml",
    "read_json",
    "write_edges_csv",
    "write_gexf",
    "write_graphml",
    "write_html",
    "write_js",
    "write_json",
    "write_nodes_csv",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
