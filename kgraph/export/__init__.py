"""Exporters: one module per format. Format quirks stay inside them."""

from .gexf import read_gexf, write_gexf
from .graphml import read_graphml, write_graphml
from .html import write_html
from .js import write_js
from .json import read_json, write_json
from .tables import write_edges_csv, write_nodes_csv

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
