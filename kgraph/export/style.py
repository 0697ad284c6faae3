"""How entities are drawn, in one place for every output: the colours of entity types and of
communities, and the position, size and colour of each node in the files Gephi and the
JavaScript libraries open (GraphML, GEXF, graphology, cytoscape.js).

The page (graph.html) takes the same colours; the positions are kgraph's layout
(`kgraph.layout`), computed again only for a graph saved without one. The graph itself holds
neither colours nor sizes.

>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_node("person:a", type="person", article_count=4, x=0.0, y=1.0)
>>> g.add_node("place:b", type="place", article_count=1, x=2.0, y=3.0)
>>> g.add_node("thing:c", type="thing", x=4.0, y=5.0)
>>> [(s.size, type_color(t)) for s, t in zip(node_styles(g).values(), ("person", "place", "thing"))]
[(48.0, '#e15759'), (28.0, '#4e79a7'), (8.0, '#9c9c9c')]
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..layout import has_layout, layout

#: Node colour of each entity type.
TYPE_COLORS = {"person": "#e15759", "place": "#4e79a7", "organization": "#59a14f"}
#: Grey, for entity types without a colour of their own.
OTHER_COLOR = "#9c9c9c"
#: The colours of communities (the page's "colour by community"), in order of community size.
COMMUNITY_COLORS = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
    "#86bcb6", "#d37295", "#8cd17d", "#b6992d", "#499894", "#f1ce63", "#a0cbe8",
)  # fmt: skip
#: Node sizes (Gephi units) for the least and the most mentioned entity.
MIN_SIZE, MAX_SIZE = 8.0, 48.0


def type_color(entity_type: object) -> str:
    """The colour of an entity type, as ``#rrggbb``."""
    return TYPE_COLORS.get(str(entity_type), OTHER_COLOR)


@dataclass(frozen=True)
class NodeStyle:
    """How Gephi draws a node: position, size and colour."""

    x: float
    y: float
    size: float
    r: int
    g: int
    b: int


def _rgb(color: str) -> tuple[int, int, int]:
    h = color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def node_styles(g: nx.Graph) -> dict[Hashable, NodeStyle]:
    """Position (the node's x/y, or a fresh `layout` when the graph has none), a size that
    grows with the square root of the article count, and the colour of the entity type."""
    pos = {n: (float(d["x"]), float(d["y"])) for n, d in g.nodes(data=True)} if has_layout(g) else layout(g)
    counts = {n: _count(d.get("article_count")) for n, d in g.nodes(data=True)}
    top = max(counts.values(), default=0.0) or 1.0
    styles = {}
    for n, d in g.nodes(data=True):
        r, gr, b = _rgb(type_color(d.get("type")))
        size = round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt(counts[n] / top), 2)
        styles[n] = NodeStyle(pos[n][0], pos[n][1], size, r, gr, b)
    return styles


def _count(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 else 0.0
