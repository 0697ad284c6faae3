"""graph.gexf: the graph in Gephi's native format (GEXF 1.2), laid out, sized and coloured.

Each node carries ``viz:position`` (the layout), ``viz:size`` (grows with the article count)
and ``viz:color`` (the colour of its entity type); its label is the node's ``label`` and each
edge's ``weight`` is the number of shared articles. Every other attribute is a declared
column: lists (aliases, article ids, sentences) use GEXF's ``liststring`` type, written the
way Gephi parses it (``["first item", "second \\"quoted\\" item"]``), so Gephi shows them as
lists. Like graph.graphml the file is well-formed whatever the articles hold, has unique ids,
one type per column, and is written as a stream, atomically.

The file is GEXF 1.2 (``1.2draft``), the version every reader knows: Gephi, Gephi Lite and
graphology-gexf read 1.2 and 1.3 alike, but networkx before 3.6 reads 1.2 only, and kgraph
uses nothing that 1.3 added. Colours are written with ``a="1"``: graphology-gexf makes
``rgba(r,g,b,<a>)`` of them, and Gephi Lite accepts a one-digit alpha only (``1.0`` is
dropped, and the node turns grey).

When at least half of the articles are dated (`DYNAMIC_MIN_DATED`), the file is dynamic, as
Gephi's importer (``ImporterGEXF``) reads time: ``mode="dynamic" timeformat="date"
timerepresentation="timestamp"`` on the graph, and in each node and edge a ``<spells>`` with
one ``<spell timestamp="YYYY-MM-DD"/>`` per distinct date of its articles. Dates only, never
date-times (a date-time in a ``date`` graph fails to parse: Gephi issue #649), never
``start``/``end`` spells (an interval whose start equals its end failed silently: #666; and
``start``/``end`` under ``timerepresentation="timestamp"`` is an import error). Gephi's
timeline then shows each link on the days of its articles; ``weight`` stays the total count,
and ``first_seen``, ``last_seen`` and ``dates`` stay columns. graphology-gexf ignores spells;
networkx reads a spell's ``start`` and ``end`` only, so it sees each timestamp spell as
``(None, None)``: the dates are in the ``dates`` column for both. `read_gexf` drops the spells.
With fewer dated articles the file is static, exactly as before.

GEXF has no graph attributes: the article titles and provenance stay in graph.json and
graph.graphml. `read_gexf` reads the nodes and edges back.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections.abc import Callable, Hashable, Mapping
from functools import partial
from itertools import repeat
from pathlib import Path
from typing import Any, TextIO

import networkx as nx
from lxml import etree

from .. import __version__, _runtime
from ..articles import is_table
from ..errors import OutputError
from ..timeline import article_dates
from ._atomic import atomic_path
from ._columns import Column, EdgeTable, Joined, write_lines
from ._xml import Kind, attr, column_kinds, encoder, number, plain_attr, sorted_nodes, xml_safe
from .style import node_styles

NS = "http://www.gexf.net/1.2draft"
VIZ = "http://www.gexf.net/1.2draft/viz"
#: Node attributes that GEXF holds in its own fields rather than in columns.
_NODE_FIELDS = ("label", "x", "y")
_EDGE_FIELDS = ("weight",)
#: graph.gexf is dynamic (Gephi's timeline plays it) when at least this share of the articles is dated.
DYNAMIC_MIN_DATED = 0.5
_TYPES: dict[Kind, str] = {
    "boolean": "boolean",
    "int": "integer",
    "long": "long",
    "double": "double",
    "string": "string",
    "list": "liststring",
    "json": "string",
}

__all__ = ["read_gexf", "write_gexf"]


def liststring(items: Any) -> str:
    """A list in the syntax Gephi parses for ``liststring`` values (also a JSON array).

    >>> print(liststring(['Ned Price', 'say "hi", [ok]', 'a\\\\b']))
    ["Ned Price", "say \\"hi\\", [ok]", "a\\\\b"]
    """
    items = list(map(str, items))
    if not items:
        return "[]"
    joined = '", "'.join(items)
    if "\\" not in joined and joined.count('"') == 2 * (len(items) - 1):
        return '["' + joined + '"]'  # nothing to escape (the common case)
    return "[" + ", ".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in items) + "]"


def write_gexf(g: nx.Graph, path: str | os.PathLike[str], *, table: EdgeTable | None = None) -> Path:
    """Write `g` to `path` as GEXF 1.2 that Gephi opens laid out, sized and coloured; atomically.

    `g` is not changed. Nodes without ``x``/``y`` get a fresh `kgraph.layout.layout`.
    `table` is the edge table of `g` when a save shares one among its writers.
    """
    table = table if table is not None else EdgeTable(g).prepare()
    times = _Times.of(g)
    styles = node_styles(g)
    node_kinds = column_kinds((d for _, d in g.nodes(data=True)), skip=_NODE_FIELDS)
    edge_kinds = {k: kind for k, kind in table.kinds.items() if k not in _EDGE_FIELDS}
    ids = _node_ids(g)
    escaped = {n: attr(i) for n, i in ids.items()}  # once per node, not once per edge end
    node_cols, edge_cols = _columns(node_kinds), _columns(edge_kinds)
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        w = fh.write
        w('<?xml version="1.0" encoding="UTF-8"?>\n')
        w(
            f'<gexf xmlns="{NS}" xmlns:viz="{VIZ}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xsi:schemaLocation="{NS} {NS}/gexf.xsd" version="1.2">\n'
        )
        w(_meta(g))
        w(
            '  <graph defaultedgetype="undirected" mode="dynamic" timeformat="date" timerepresentation="timestamp">\n'
            if times
            else '  <graph defaultedgetype="undirected" mode="static">\n'
        )
        for scope, kinds in (("node", node_kinds), ("edge", edge_kinds)):
            w(f'    <attributes class="{scope}" mode="static">\n')
            for name, kind in kinds.items():
                w(f'      <attribute id="{attr(name)}" title="{attr(name)}" type="{_TYPES[kind]}"/>\n')
            w("    </attributes>\n")
        w(f'    <nodes count="{g.number_of_nodes()}">\n')
        for n in sorted_nodes(g):
            d, s = g.nodes[n], styles[n]
            label = d.get("label")
            w(f'      <node id="{escaped[n]}" label="{attr(str(label)) if label is not None else escaped[n]}">\n')
            w(_values(d, node_cols))
            if times:
                w(times.spells(d.get("article_ids")))
            w(f'        <viz:size value="{number(s.size)}"/>\n')
            w(f'        <viz:position x="{number(s.x)}" y="{number(s.y)}" z="0.0"/>\n')
            w(f'        <viz:color r="{s.r}" g="{s.g}" b="{s.b}" a="1"/>\n')
            w("      </node>\n")
        w("    </nodes>\n")
        w(f'    <edges count="{g.number_of_edges()}">\n')
        with _runtime.paused():  # many short-lived tuples and lists, no cycles: no collector passes
            _write_edges(fh, table, escaped, edge_cols, times)
        w("    </edges>\n  </graph>\n</gexf>\n")
    return Path(path)


def _write_edges(
    fh: TextIO,
    table: EdgeTable,
    ids: Mapping[Hashable, str],
    columns: list[tuple[str, str, Callable[[Any], str]]],
    times: _Times | None,
) -> None:
    """The <edge> elements, a chunk at a time and a column at a time (`kgraph.export._columns`):
    the same text as `_values` and `_Times.spells` give edge by edge."""
    weights = Column(_weight)
    cells = []
    for name, opening, encode in columns:
        element = partial(_element, opening, encode)
        lists = (
            Joined(f"{opening}[&quot;", "&quot;, &quot;", '&quot;]"/>\n', f'{opening}[]"/>\n')
            if table.kinds[name] == "list"
            else None
        )  # a liststring of items that need no escape, its quotes written &quot;
        cells.append((name, Column(element, joined=lists, plain=_plain_items if lists else None)))
    i = 0
    for chunk, found in table.chunks():
        extras = weights.cells(found["weight"]) if "weight" in found else repeat("")
        heads = []
        for (a, b, _), extra in zip(chunk, extras):
            heads.append(f'      <edge id="{i}" source="{ids[a]}" target="{ids[b]}"{extra}>\n')
            i += 1
        if cells:
            bodies = map("".join, zip(*(column.cells(found[name]) for name, column in cells)))
            values = [f"        <attvalues>\n{body}        </attvalues>\n" if body else "" for body in bodies]
        else:
            values = [""] * len(chunk)
        if times:
            spells = [times.spells(articles) for articles in found.get("article_ids", repeat(None, len(chunk)))]
            write_lines(fh, map("".join, zip(heads, values, spells, repeat("      </edge>\n"))))
        else:
            write_lines(fh, map("".join, zip(heads, values, repeat("      </edge>\n"))))


def _weight(weight: Any) -> str:
    """An edge's weight as the attribute Gephi reads (none for a value that is not a number)."""
    return f' weight="{number(weight)}"' if isinstance(weight, (int, float)) and not isinstance(weight, bool) else ""


def _element(opening: str, encode: Callable[[Any], str], value: Any) -> str:
    return f'{opening}{encode(value)}"/>\n'


def _plain_items(items: list[str]) -> bool:
    """Whether list items need no escape, in the liststring or in the attribute."""
    joined = " ".join(items)
    return "\\" not in joined and plain_attr(joined)


class _Times:
    """The dates of a graph's articles, for the spells of a dynamic GEXF (see the module docstring)."""

    def __init__(self, dates: dict[str, str]) -> None:
        self.dates = dates

    @classmethod
    def of(cls, g: nx.Graph) -> _Times | None:
        """The dates of `g`'s articles if at least `DYNAMIC_MIN_DATED` of them are dated, else None."""
        dates = article_dates(g)
        articles = g.graph.get("articles")
        total = len(articles) if is_table(articles) else 0
        return cls(dates) if dates and len(dates) >= DYNAMIC_MIN_DATED * total else None

    def spells(self, article_ids: Any) -> str:
        """The ``<spells>`` of an element: one timestamp per distinct date of its articles."""
        ids = article_ids if isinstance(article_ids, (list, tuple)) else ()
        days = sorted({self.dates[i] for i in ids if i in self.dates})
        if not days:
            return ""
        spells = "".join(f'          <spell timestamp="{day}"/>\n' for day in days)
        return f"        <spells>\n{spells}        </spells>\n"


def _meta(g: nx.Graph) -> str:
    created = str(g.graph.get("created", ""))[:10]
    try:
        date = _dt.date.fromisoformat(created).isoformat()
    except ValueError:
        date = None
    opening = f'  <meta lastmodifieddate="{date}">\n' if date else "  <meta>\n"
    articles = g.graph.get("article_count")
    about = (
        f"entities of {articles} news articles, linked by the articles" if articles else "entities linked by articles"
    )
    return (
        f"{opening}    <creator>kgraph {attr(str(g.graph.get('kgraph_version', __version__)))}</creator>\n"
        f"    <description>{about} that mention them together</description>\n  </meta>\n"
    )


def _node_ids(g: nx.Graph) -> dict[Hashable, str]:
    ids: dict[Hashable, str] = {}
    seen: set[str] = set()
    for n in g.nodes:
        nid = xml_safe(str(n))
        if not nid or nid in seen:
            raise OutputError(f"node {n!r} cannot have a unique GEXF id: give every node a distinct, non-empty text id")
        seen.add(nid)
        ids[n] = nid
    return ids


def _columns(kinds: Mapping[str, Kind]) -> list[tuple[str, str, Callable[[Any], str]]]:
    """(attribute name, start of its <attvalue> tag, value encoder to escaped text) for each column."""
    return [
        (name, f'          <attvalue for="{attr(name)}" value="', encoder(kind, liststring, attr))
        for name, kind in kinds.items()
    ]


def _values(row: Mapping[str, Any], columns: list[tuple[str, str, Callable[[Any], str]]]) -> str:
    parts = []
    for name, opening, encode in columns:
        v = row.get(name)
        if v is not None:
            parts.append(f'{opening}{encode(v)}"/>\n')
    return "        <attvalues>\n" + "".join(parts) + "        </attvalues>\n" if parts else ""


def read_gexf(path: str | os.PathLike[str]) -> nx.Graph:
    """Read a graph written by `write_gexf` (with networkx): lists restored, the position as
    ``x``/``y``, size and colour left out, weights as numbers."""
    try:
        lists = _list_columns(path)
        m = nx.read_gexf(path)
    except Exception as e:  # noqa: BLE001  (lxml/ElementTree parse errors have no common base)
        raise OutputError(f"cannot read graph '{path}': {e} (rebuild it with 'kgraph build')") from None
    g: nx.Graph = nx.Graph()
    for n, d in m.nodes(data=True):
        attrs = {k: v for k, v in d.items() if k not in ("viz", "spells")}
        position = d.get("viz", {}).get("position")
        if position:
            attrs["x"], attrs["y"] = float(position["x"]), float(position["y"])
        _restore_lists(attrs, lists["node"])
        g.add_node(n, **attrs)
    for a, b, d in m.edges(data=True):
        attrs = {k: v for k, v in d.items() if k not in ("id", "spells")}
        w = attrs.get("weight")
        if isinstance(w, float) and w.is_integer():
            attrs["weight"] = int(w)
        _restore_lists(attrs, lists["edge"])
        g.add_edge(a, b, **attrs)
    return g


def _list_columns(path: str | os.PathLike[str]) -> dict[str, list[str]]:
    """Titles of the liststring columns of nodes and of edges, read from the file's header."""
    found: dict[str, list[str]] = {"node": [], "edge": []}
    for event, el in etree.iterparse(str(path), events=("start", "end"), tag=(f"{{{NS}}}attributes", f"{{{NS}}}nodes")):
        if el.tag == f"{{{NS}}}nodes":
            break
        if event == "start":
            continue
        scope = el.get("class")
        if scope in found:
            found[scope] += [a.get("title") or a.get("id") for a in el if a.get("type") == "liststring"]
    return found


def _restore_lists(attrs: dict[str, Any], names: list[str]) -> None:
    for k in names:
        v = attrs.get(k)
        if isinstance(v, str):
            attrs[k] = json.loads(v, strict=False) if v.startswith("[") else []
