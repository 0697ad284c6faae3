"""Exporters: one module per format. Format quirks stay inside them."""

from .gexf import read_gexf, write_gexf
from .graphml import read_graphml, write_graphml
from .html import write_html
from .json import read_json, write_json

__all__ = ["read_gexf", "read_graphml", "read_json", "write_gexf", "write_graphml", "write_html", "write_json"]
