"""The graph as the JSON that JavaScript graph libraries load: graphology (and sigma.js),
cytoscape.js, and d3-force. graph.json stays networkx's node-link JSON; these are written on
demand (`kgraph export --format ...`, `KnowledgeGraph.export`).

Every format keeps every attribute (lists stay lists) and adds what its library draws with:

- ``graphology``: the format of ``Graph.from`` / ``graph.import`` (``nodes[].key``,
  ``nodes[].attributes``, ``edges[].source``/``target``), with the node attributes sigma.js
  draws (``x``, ``y``, ``size``, ``color``, ``label``). The entity type is ``entity_type``
  here: sigma.js reads a node's ``type`` as the name of its drawing program and stops on
  ``person``.
- ``cytoscape``: cytoscape.js's ``cy.json()`` shape, ``{elements: {nodes, edges}, style,
  layout}``, each element's attributes in ``data`` (plus ``name``, the label, which Cytoscape
  desktop shows) and each node's ``position``; ``cytoscape({container, ...data})`` draws the
  graph laid out, coloured and labelled.
- ``d3``: the d3 force-graph pattern, ``{nodes: [{id, ...}], links: [{source, target,
  value, ...}]}`` with ``group`` (the entity type) and ``value`` (the weight) that the d3
  gallery's examples colour and draw with; networkx reads it back with
  ``node_link_graph(data, edges="links")``.

Positions, sizes and colours are those of graph.gexf (`kgraph.export.style.node_styles`). The
files are written as a stream, one node or edge a line, atomically.

>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_node("person:a", label="A", type="person", article_count=1, x=0.0, y=1.0)
>>> g.add_node("place:b", label="B", type="place", article_count=2, x=1.0, y=0.0)
>>> g.add_edge("person:a", "place:b", weight=2)
>>> js_data(g, "d3")["links"]
[{'weight': 2, 'source': 'person:a', 'target': 'place:b', 'value': 2}]
>>> node = js_data(g, "graphology")["nodes"][0]
>>> node["key"], node["attributes"]["entity_type"], node["attributes"]["color"], "type" in node["attributes"]
('person:a', 'person', '#e15759', False)
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Hashable, Iterator
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from ..articles import json_default
from ..errors import ConfigError
from ._atomic import atomic_path
from ._xml import sorted_edges, sorted_nodes
from .json import without_lone_surrogates
from .style import NodeStyle, node_styles

JsFormat = Literal["graphology", "cytoscape", "d3"]
JS_FORMATS: tuple[JsFormat, ...] = ("graphology", "cytoscape", "d3")

__all__ = ["JS_FORMATS", "JsFormat", "js_data", "write_js"]


def _hex(s: NodeStyle) -> str:
    return f"#{s.r:02x}{s.g:02x}{s.b:02x}"


def _graphology(g: nx.Graph, styles: dict[Hashable, NodeStyle]) -> tuple[dict[str, Any], Iterator[Any], Iterator[Any]]:
    head = {
        "options": {"type": "undirected", "multi": False, "allowSelfLoops": True},
        "attributes": g.graph,
    }

    def node(n: Hashable) -> dict[str, Any]:
        attrs = {k: v for k, v in g.nodes[n].items() if k != "type"}
        s = styles[n]
        if "type" in g.nodes[n]:
            attrs["entity_type"] = g.nodes[n]["type"]
        attrs.update(x=s.x, y=s.y, size=s.size, color=_hex(s))
        attrs.setdefault("label", str(n))
        return {"key": str(n), "attributes": attrs}

    nodes = (node(n) for n in sorted_nodes(g))
    edges = (
        {"key": f"e{i}", "source": str(a), "target": str(b), "undirected": True, "attributes": d}
        for i, (a, b, d) in enumerate(sorted_edges(g))
    )
    return head, nodes, edges


#: The cytoscape.js style that draws the data as graph.gexf does: colour, size, label, weight.
CYTOSCAPE_STYLE = [
    {
        "selector": "node",
        "style": {
            "background-color": "data(color)",
            "width": "data(size)",
            "height": "data(size)",
            "label": "data(label)",
        },
    },
    {"selector": "edge", "style": {"width": "mapData(weight, 1, 20, 1, 8)", "line-color": "#cccccc"}},
]


def _cytoscape(g: nx.Graph, styles: dict[Hashable, NodeStyle]) -> tuple[dict[str, Any], Iterator[Any], Iterator[Any]]:
    head = {"data": g.graph, "style": CYTOSCAPE_STYLE, "layout": {"name": "preset"}}

    def node(n: Hashable) -> dict[str, Any]:
        s = styles[n]
        label = g.nodes[n].get("label", str(n))
        data = {**g.nodes[n], "id": str(n), "label": label, "name": label, "size": s.size, "color": _hex(s)}
        return {"data": data, "position": {"x": s.x, "y": s.y}}

    nodes = (node(n) for n in sorted_nodes(g))
    edges = (
        {"data": {**d, "id": f"e{i}", "source": str(a), "target": str(b)}}
        for i, (a, b, d) in enumerate(sorted_edges(g))
    )
    return head, nodes, edges


def _d3(g: nx.Graph, styles: dict[Hashable, NodeStyle]) -> tuple[dict[str, Any], Iterator[Any], Iterator[Any]]:
    head = {"directed": False, "multigraph": False, "graph": g.graph}

    def node(n: Hashable) -> dict[str, Any]:
        d = g.nodes[n]
        return {**d, "id": str(n), "group": d.get("type", "")}

    nodes = (node(n) for n in sorted_nodes(g))
    edges = ({**d, "source": str(a), "target": str(b), "value": d.get("weight", 1)} for a, b, d in sorted_edges(g))
    return head, nodes, edges


_LAYOUTS: dict[str, tuple[Callable[..., tuple[dict[str, Any], Iterator[Any], Iterator[Any]]], str, str]] = {
    "graphology": (_graphology, "nodes", "edges"),
    "cytoscape": (_cytoscape, "nodes", "edges"),
    "d3": (_d3, "nodes", "links"),
}


def _parts(g: nx.Graph, fmt: str) -> tuple[dict[str, Any], Iterator[Any], Iterator[Any], str, str]:
    if fmt not in _LAYOUTS:
        raise ConfigError(f"unknown format {fmt!r}: choose one of {', '.join(JS_FORMATS)}")
    make, nodes_name, edges_name = _LAYOUTS[fmt]
    styles = node_styles(g) if fmt != "d3" else {}
    head, nodes, edges = make(g, styles)
    return head, nodes, edges, nodes_name, edges_name


def js_data(g: nx.Graph, fmt: JsFormat) -> dict[str, Any]:
    """The document of format `fmt` for `g`, as a dict (`write_js` writes the same)."""
    head, nodes, edges, nodes_name, edges_name = _parts(g, fmt)
    if fmt == "cytoscape":
        return {**head, "elements": {nodes_name: list(nodes), edges_name: list(edges)}}
    return {**head, nodes_name: list(nodes), edges_name: list(edges)}


def write_js(g: nx.Graph, path: str | os.PathLike[str], fmt: JsFormat) -> Path:
    """Write `g` to `path` as the JSON of `fmt` (graphology, cytoscape or d3), atomically."""
    head, nodes, edges, nodes_name, edges_name = _parts(g, fmt)
    # a lone surrogate (no UTF can encode one, and two in a row would read back as one
    # character) is written as U+FFFD, as ingestion reads one
    encode = without_lone_surrogates(json.JSONEncoder(ensure_ascii=False, default=json_default).encode)
    opening = encode(head)[:-1] + (', "elements": {' if fmt == "cytoscape" else ", ")
    closing = "]}}\n" if fmt == "cytoscape" else "]}\n"
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        fh.write(f'{opening}"{nodes_name}": [\n')
        fh.writelines(f"{',' if i else ''}{encode(x)}\n" for i, x in enumerate(nodes))
        fh.write(f'], "{edges_name}": [\n')
        fh.writelines(f"{',' if i else ''}{encode(x)}\n" for i, x in enumerate(edges))
        fh.write(closing)
    return Path(path)
