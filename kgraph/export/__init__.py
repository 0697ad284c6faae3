"""Exporters: one module per format. Format quirks stay inside them."""

from .graphml import read_graphml, write_graphml
from .html import write_html
from .json import read_json, write_json

__all__ = ["read_graphml", "read_json", "write_graphml", "write_html", "write_json"]
