"""graph.graphml: the whole graph for Gephi, networkx, igraph and other GraphML readers.

What Gephi's importer needs, and this writer guarantees:

- well-formed XML whatever the articles hold: characters XML 1.0 forbids (control characters,
  lone surrogates) are dropped, markup characters are escaped;
- unique node ids (the entity ids) and unique edge ids (``e0``, ``e1``, ... in sorted order),
  all valid ``xs:NMTOKEN`` values as the GraphML schema requires: a character that is not an
  XML name character (scripts newer than Unicode 2.0 such as Ge'ez or Myanmar, emoji, spaces)
  is written ``_xHHHH_`` (see `kgraph.export._nmtoken`; `read_graphml` gives the ids back);
- one declared type per attribute (``int``/``long``/``double``/``boolean``/``string``);
- keys named the way Gephi maps them to its own properties: ``label``, ``weight`` (edges), and
  presentation keys added here only: ``x``, ``y`` (the layout), ``size`` (grows with the
  article count), ``r``, ``g``, ``b`` (integers, the colour of the entity type). The other
  attributes (type, aliases, counts, article ids, sentences) become Data Laboratory columns.

GraphML has no list type: a list is written as one string joined with " | " (a backslash or a
pipe inside an item gets a backslash before it); graph-level lists and dicts are written as JSON. The graph
attribute ``kgraph_encoding`` records which attributes were encoded so, and which were added
for presentation, so `read_graphml` gives back the graph that was written.

The file is written as a stream (no copy of the graph), atomically.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Hashable, Mapping
from functools import lru_cache, partial
from itertools import repeat
from pathlib import Path
from typing import Any, TextIO

import networkx as nx
from lxml import etree

from .. import _runtime
from ..articles import ArticleTable
from ..errors import OutputError
from ..graph import EDGE_LIST_ATTRS, NODE_LIST_ATTRS
from ..layout import has_layout
from ._atomic import atomic_path
from ._columns import Column, EdgeTable, Joined, write_lines
from ._nmtoken import from_nmtoken, to_nmtoken
from ._xml import (
    Kind,
    attr,
    column_kinds,
    encoder,
    join_list,
    plain_text,
    sorted_nodes,
    split_list,
    text,
    to_json,
    xml_safe,
)
from .style import node_styles

SEP = " | "
NS = "http://graphml.graphdrawing.org/xmlns"
#: The graph attribute that says how attributes were encoded (read by `read_graphml`).
ENCODING_ATTR = "kgraph_encoding"
#: Node attributes this writer adds for Gephi; not part of the graph.
STYLE_ATTRS = ("size", "r", "g", "b")
#: Graph attributes stored as JSON strings by files that have no `ENCODING_ATTR`.
GRAPH_JSON_ATTRS = ("inputs", "articles")

_TYPES: dict[Kind, str] = {
    "boolean": "boolean",
    "int": "int",
    "long": "long",
    "double": "double",
    "string": "string",
    "list": "string",
    "json": "string",
}

__all__ = ["read_graphml", "write_graphml", "xml_safe"]


def write_graphml(g: nx.Graph, path: str | os.PathLike[str], *, table: EdgeTable | None = None) -> Path:
    """Write `g` to `path` as GraphML that Gephi opens laid out, sized and coloured; atomically.

    `g` is not changed. Nodes without ``x``/``y`` get a fresh `kgraph.layout.layout`.
    `table` is the edge table of `g` when a save shares one among its writers.
    """
    table = table if table is not None else EdgeTable(g).prepare()
    styles = node_styles(g)
    added = [] if has_layout(g) else ["x", "y"]  # positions made for the file only
    node_rows = [g.nodes[n] for n in g.nodes]
    node_kinds = column_kinds(node_rows, skip=(*STYLE_ATTRS, "x", "y"))
    node_kinds.update({"x": "double", "y": "double", "size": "double", "r": "int", "g": "int", "b": "int"})
    node_kinds = dict(sorted(node_kinds.items()))
    edge_kinds = table.kinds
    graph_attrs = {k: v for k, v in g.graph.items() if k != ENCODING_ATTR}
    graph_kinds = column_kinds([graph_attrs])
    graph_kinds = {k: ("json" if kind == "list" else kind) for k, kind in graph_kinds.items()}
    encoding = {
        "list": {"node": _named(node_kinds, "list"), "edge": _named(edge_kinds, "list")},
        "json": {"graph": _named(graph_kinds, "json")},
        "style": {"node": [*STYLE_ATTRS, *added]},
        "separator": SEP,
        "escape": "\\",
        "ids": "nmtoken",
    }
    graph_kinds[ENCODING_ATTR] = "string"
    graph_attrs[ENCODING_ATTR] = json.dumps(encoding, sort_keys=True)

    node_ids = {n: attr(i) for n, i in _node_ids(g).items()}  # escaped once per node, not once per edge end
    node_keys = {k: to_nmtoken(k) for k in node_kinds}
    edge_keys = {k: to_nmtoken(f"edge_{k}" if k in node_keys else k) for k in edge_kinds}
    graph_keys = {k: to_nmtoken(f"graph_{k}") for k in graph_kinds}
    node_cols, edge_cols, graph_cols = (
        _columns(keys, kinds)
        for keys, kinds in ((node_keys, node_kinds), (edge_keys, edge_kinds), (graph_keys, graph_kinds))
    )
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        w = fh.write
        w('<?xml version="1.0" encoding="UTF-8"?>\n')
        w(
            f'<graphml xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xsi:schemaLocation="{NS} {NS}/1.0/graphml.xsd">\n'
        )
        for scope, keys, kinds in (
            ("node", node_keys, node_kinds),
            ("edge", edge_keys, edge_kinds),
            ("graph", graph_keys, graph_kinds),
        ):
            for name, kid in keys.items():
                w(
                    f'  <key id="{attr(kid)}" for="{scope}" attr.name="{attr(name)}" attr.type="{_TYPES[kinds[name]]}"/>\n'
                )
        w('  <graph id="G" edgedefault="undirected">\n')
        _write_graph_data(w, graph_attrs, graph_cols, graph_kinds)
        for n in sorted_nodes(g):
            s = styles[n]
            row = {**g.nodes[n], "x": s.x, "y": s.y, "size": s.size, "r": s.r, "g": s.g, "b": s.b}
            w(f'    <node id="{node_ids[n]}">\n{_data("      ", row, node_cols)}    </node>\n')
        with _runtime.paused():  # many short-lived tuples and lists, no cycles: no collector passes
            _write_edges(fh, table, node_ids, edge_cols)
        w("  </graph>\n</graphml>\n")
    return Path(path)


def _write_edges(
    fh: TextIO, table: EdgeTable, node_ids: Mapping[Hashable, str], columns: list[tuple[str, str, Callable[[Any], str]]]
) -> None:
    """The <edge> elements, a chunk at a time and a column at a time (`kgraph.export._columns`):
    the same text as `_data` gives edge by edge."""
    cells = []
    for name, opening, encode in columns:
        element = partial(_element, f"      {opening}", encode)
        kind = table.kinds[name]
        lists = Joined(f"      {opening}", SEP, "</data>\n", f"      {opening}</data>\n") if kind == "list" else None
        cells.append((name, Column(element, joined=lists, plain=_plain_items if lists else None)))
    i = 0
    for chunk, found in table.chunks():
        heads = []
        for a, b, _ in chunk:
            heads.append(f'    <edge id="e{i}" source="{node_ids[a]}" target="{node_ids[b]}">\n')
            i += 1
        columns_text = [column.cells(found[name]) for name, column in cells]
        write_lines(fh, map("".join, zip(heads, *columns_text, repeat("    </edge>\n"))))


def _element(opening: str, encode: Callable[[Any], str], value: Any) -> str:
    return f"{opening}{encode(value)}</data>\n"


def _plain_items(items: list[str]) -> bool:
    """Whether list items need no escape: no separator, no backslash, no markup."""
    joined = " ".join(items)
    return "|" not in joined and "\\" not in joined and plain_text(joined)


def _columns(keys: Mapping[str, str], kinds: Mapping[str, Kind]) -> list[tuple[str, str, Callable[[Any], str]]]:
    """(attribute name, opening <data> tag, value encoder to escaped text) for each column."""
    joined = partial(join_list, sep=SEP)
    return [(name, f'<data key="{attr(kid)}">', encoder(kinds[name], joined, text)) for name, kid in keys.items()]


def _data(indent: str, row: Mapping[str, Any], columns: list[tuple[str, str, Callable[[Any], str]]]) -> str:
    parts = []
    for name, opening, encode in columns:
        v = row.get(name)
        if v is not None:
            parts.append(f"{indent}{opening}{encode(v)}</data>\n")
    return "".join(parts)


#: Items of a large graph attribute (the articles' metadata) turned into text at a time.
_GRAPH_CHUNK = 4096


def _write_graph_data(
    w: Callable[[str], object],
    attrs: Mapping[str, Any],
    columns: list[tuple[str, str, Callable[[Any], str]]],
    kinds: Mapping[str, Kind],
) -> None:
    """The graph's <data> lines, as `_data` gives them; a JSON attribute that is a dict of
    many items (a million articles' metadata) written a chunk of items at a time, never
    as one string (JSON's text and its escaping go character by character)."""
    for column in columns:
        name, opening, _ = column
        v = attrs.get(name)
        if (
            kinds[name] == "json"
            and isinstance(v, (dict, ArticleTable))
            and len(v) > _GRAPH_CHUNK
            and all(type(k) is str for k in v)
        ):
            keys = sorted(v)  # as json's sort_keys
            w(f"    {opening}{{")
            for start in range(0, len(keys), _GRAPH_CHUNK):
                part = to_json({k: v[k] for k in keys[start : start + _GRAPH_CHUNK]})[1:-1]
                w(text((", " if start else "") + part))
            w("}</data>\n")
        else:
            w(_data("    ", attrs, [column]))


def _named(kinds: Mapping[str, Kind], kind: Kind) -> list[str]:
    return [k for k, v in kinds.items() if v == kind]


def _node_ids(g: nx.Graph) -> dict[Hashable, str]:
    """Each node's id as written; two nodes may not end up with one id."""
    ids: dict[Hashable, str] = {}
    seen: dict[str, Hashable] = {}
    for n in g.nodes:
        nid = to_nmtoken(xml_safe(str(n)))
        if nid == "" or nid in seen:
            other = f" and {seen[nid]!r}" if nid in seen else ""
            raise OutputError(
                f"node {n!r}{other} cannot have a unique GraphML id: give every node a distinct, non-empty text id"
            )
        seen[nid] = n
        ids[n] = nid
    return ids


def read_graphml(path: str | os.PathLike[str]) -> nx.Graph:
    """Read a graph written by `write_graphml`: lists and nested values restored, the
    presentation attributes (size, colour; positions the graph did not have) left out."""
    try:
        g = nx.read_graphml(path)
    except Exception as e:  # noqa: BLE001  (lxml/ElementTree parse errors have no common base)
        raise OutputError(f"cannot read graph '{path}': {e} (rebuild it with 'kgraph build')") from None
    for k in ("node_default", "edge_default"):
        if not g.graph.get(k):
            g.graph.pop(k, None)
    encoding = _encoding(g.graph.pop(ENCODING_ATTR, None))
    sep = encoding.get("separator", SEP)
    escaped = encoding.get("escape") == "\\"
    for k in encoding["json"]["graph"]:
        v = g.graph.get(k)
        if isinstance(v, str):
            try:
                g.graph[k] = json.loads(v)
            except ValueError:
                pass
    node_lists, style = encoding["list"]["node"], encoding["style"]["node"]
    edge_lists = encoding["list"]["edge"]
    if not _keeps_empty_data():
        _restore_empty(path, g, node_lists, edge_lists)
    for _, d in g.nodes(data=True):
        for k in style:
            d.pop(k, None)
        _split(d, node_lists, sep, escaped)
    for _, _, d in g.edges(data=True):
        d.pop("id", None)
        _split(d, edge_lists, sep, escaped)
    if encoding.get("ids") == "nmtoken" and any("_x" in str(n) for n in g):
        g = nx.relabel_nodes(g, {n: from_nmtoken(str(n)) for n in g})
    return g


@lru_cache(maxsize=1)
def _keeps_empty_data() -> bool:
    """Does the installed networkx read ``<data key="k"></data>`` as "" (3.6 does) or drop it (3.2 does)?"""
    doc = (
        f'<graphml xmlns="{NS}"><key id="k" for="node" attr.name="k" attr.type="string"/>'
        '<graph edgedefault="undirected"><node id="n"><data key="k"></data></node></graph></graphml>'
    )
    return "k" in nx.parse_graphml(doc).nodes["n"]


def _restore_empty(path: str | os.PathLike[str], g: nx.Graph, node_lists: list[str], edge_lists: list[str]) -> None:
    """Put back as "" the empty list values (empty lists) that an older networkx dropped."""
    names = {"node": set(node_lists), "edge": set(edge_lists)}
    keys: dict[str, str] = {}
    edges = {d.get("id"): (a, b) for a, b, d in g.edges(data=True)}
    for _, el in etree.iterparse(str(path), tag=(f"{{{NS}}}key", f"{{{NS}}}data")):
        if el.tag == f"{{{NS}}}key":
            if el.get("attr.name") in names.get(el.get("for") or "", ()):
                keys[el.get("id") or ""] = el.get("attr.name") or ""
            continue
        name, parent = keys.get(el.get("key") or ""), el.getparent()
        if name and not el.text and parent is not None:
            if parent.tag == f"{{{NS}}}node" and parent.get("id") in g:
                g.nodes[parent.get("id")].setdefault(name, "")
            elif parent.tag == f"{{{NS}}}edge" and parent.get("id") in edges:
                g.edges[edges[parent.get("id")]].setdefault(name, "")


def _encoding(raw: Any) -> dict[str, Any]:
    """The encoding a file declares, or the one files without the declaration used."""
    if isinstance(raw, str):
        try:
            found = json.loads(raw)
            if isinstance(found, dict):
                return found
        except ValueError:
            pass
    return {
        "list": {"node": list(NODE_LIST_ATTRS), "edge": list(EDGE_LIST_ATTRS)},
        "json": {"graph": list(GRAPH_JSON_ATTRS)},
        "style": {"node": []},
        "separator": SEP,
    }


def _split(attrs: dict[str, Any], names: list[str], sep: str, escaped: bool) -> None:
    for k in names:
        v = attrs.get(k)
        if isinstance(v, str):
            attrs[k] = split_list(v, sep) if escaped else (v.split(sep) if v else [])
