"""graph.graphml: the whole graph for networkx, Gephi and other GraphML readers.

GraphML has no list type: list attributes are written as one string joined with " | "
(a " | " inside an item is written " ¦ "), and nested values as JSON strings. Characters
that XML 1.0 forbids are removed. `read_graphml` turns all of it back.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import OutputError
from ..graph import EDGE_LIST_ATTRS, NODE_LIST_ATTRS
from ._atomic import atomic_path

SEP = " | "
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Graph attributes stored as JSON strings.
GRAPH_JSON_ATTRS = ("inputs", "articles")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold."""
    return _XML_FORBIDDEN.sub("", text)


def _flat(value: Any) -> Any:
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, (list, tuple)):
        return SEP.join(xml_safe(str(v)).replace(SEP, " ¦ ") for v in value)
    if isinstance(value, dict):
        return xml_safe(json.dumps(value, ensure_ascii=False, sort_keys=True))
    return value


def to_graphml_graph(g: nx.Graph) -> nx.Graph:
    """A copy of `g` with every attribute a GraphML scalar (the caller's graph is untouched)."""
    h = nx.Graph()
    h.graph.update({k: _flat(v) for k, v in g.graph.items()})
    for n in sorted(g.nodes):
        h.add_node(xml_safe(n), **{k: _flat(v) for k, v in g.nodes[n].items()})
    for a, b in sorted(tuple(sorted(e)) for e in g.edges):
        h.add_edge(xml_safe(a), xml_safe(b), **{k: _flat(v) for k, v in g.edges[a, b].items()})
    return h


def write_graphml(g: nx.Graph, path: str | os.PathLike[str]) -> Path:
    """Write `g` to `path` as GraphML, atomically."""
    h = to_graphml_graph(g)
    with atomic_path(path) as tmp:
        nx.write_graphml(h, tmp, encoding="utf-8", prettyprint=True)
    return Path(path)


def _unflat(attrs: dict[str, Any], list_attrs: tuple[str, ...]) -> None:
    for k in list_attrs:
        v = attrs.get(k)
        if isinstance(v, str):
            attrs[k] = v.split(SEP) if v else []


def read_graphml(path: str | os.PathLike[str]) -> nx.Graph:
    """Read a graph written by `write_graphml`, lists and nested values restored."""
    try:
        g = nx.read_graphml(path)
    except (OSError, ValueError, KeyError, nx.NetworkXError) as e:
        raise OutputError(f"cannot read graph '{path}': {e} (rebuild it with 'kgraph build')") from None
    except Exception as e:  # lxml/ElementTree parse errors have no common base
        raise OutputError(f"cannot read graph '{path}': {e} (rebuild it with 'kgraph build')") from None
    for k in GRAPH_JSON_ATTRS:
        v = g.graph.get(k)
        if isinstance(v, str):
            try:
                g.graph[k] = json.loads(v)
            except ValueError:
                pass
    for _, d in g.nodes(data=True):
        _unflat(d, NODE_LIST_ATTRS)
    for _, _, d in g.edges(data=True):
        _unflat(d, EDGE_LIST_ATTRS)
    return g
