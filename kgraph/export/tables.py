"""nodes.csv and edges.csv: the graph as two tables, for pandas, spreadsheets and Neo4j.

One row per entity (``id`` first) and one row per link (``source``, ``target`` first), the
attributes of the graph contract in its order, then any other attribute by name. Lists are
joined with ``" | "`` as in graph.graphml (a ``|`` or ``\\`` inside an item gets a ``\\``),
nested values are JSON, numbers are plain numbers, and text that a spreadsheet would run as
a formula gets a leading quote (`kgraph.export.csv.safe_cell`). Each column has one type over
all rows, as in graph.graphml (`kgraph.export._xml.column_kinds`): a column of whole numbers and
decimals is written as decimals. Rows are sorted like the other files; both are UTF-8,
written as a stream, atomically.

>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_node("person:a", label="A", type="person", aliases=["A", "Mr | A"], article_count=2, x=-1.5)
>>> g.add_node("place:b", label="=B", type="place", aliases=[], article_count=1, x=2.0)
>>> g.add_edge("person:a", "place:b", weight=2, article_ids=["d1", "d2"])
>>> header, rows = node_rows(g)
>>> header
['id', 'label', 'type', 'article_count', 'aliases', 'x']
>>> list(rows)
[['person:a', 'A', 'person', '2', 'A | Mr \\\\| A', '-1.5'], ['place:b', "'=B", 'place', '1', '', '2.0']]
>>> header, rows = edge_rows(g)
>>> header, list(rows)
(['source', 'target', 'weight', 'article_ids'], [['person:a', 'place:b', '2', 'd1 | d2']])
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from .. import _runtime
from ._atomic import atomic_path
from ._columns import WRITE_LINES, Column, EdgeTable, Joined
from ._xml import Kind, column_kinds, join_list, number, sorted_nodes
from .csv import _FORMULA_CHARS, _encodable, safe_cell, write_safe_rows

SEP = " | "
#: What makes `csv.writer` quote a cell: its delimiter, its quote character, a line break.
_CSV_SPECIAL = re.compile('[,"\r\n]')
#: Lists whose items need no escaping are joined as they are.
_JOINED = Joined("", SEP, "", "")
#: An item (one a line, after the first) that starts like a formula (`safe_cell`), or is blank
#: (the line break first: the search skips to each one).
_FORMULA_HEAD = re.compile("\n *(?:[=+@\t\r\n-]|\\Z)")
#: The columns of the graph contract, in the order the tables list them (when present).
NODE_COLUMNS = ("id", "label", "type", "article_count", "mention_count", "aliases", "article_ids", "x", "y")
EDGE_COLUMNS = ("source", "target", "weight", "sentence_count", "article_ids", "sentences", "sentence_article_ids")

__all__ = ["edge_rows", "node_rows", "write_edges_csv", "write_nodes_csv"]


def _header(first: tuple[str, ...], kinds: Mapping[str, Kind], taken: int) -> list[str]:
    """The `taken` key columns, then the contract's columns that some row has, then the rest by name."""
    return [*first[:taken], *(c for c in first[taken:] if c in kinds), *sorted(set(kinds) - set(first))]


def _double(value: Any) -> str:
    f = float(value)
    return repr(f) if math.isfinite(f) else safe_cell(number(f))


def _encoder(kind: Kind) -> Callable[[Any], str]:
    """Value of a column of `kind` -> its cell: numbers as they are, lists joined, text formula-safe."""
    if kind in ("int", "long"):
        return lambda v: str(int(v))
    if kind == "double":
        return _double
    if kind == "boolean":
        return lambda v: "true" if v else "false"
    if kind == "list":
        return lambda v: safe_cell(join_list(v, SEP))
    if kind == "json":
        return lambda v: safe_cell(json.dumps(v, ensure_ascii=False, sort_keys=True))
    return lambda v: safe_cell(json.dumps(v, ensure_ascii=False) if isinstance(v, (list, tuple, dict)) else v)


def _rows(
    keys: Iterable[tuple[Hashable, ...]],
    data: Callable[[tuple[Hashable, ...]], Mapping[str, Any]],
    columns: list[str],
    kinds: Mapping[str, Kind],
) -> Iterator[list[str]]:
    encoders = [(c, _encoder(kinds[c])) for c in columns]
    for key in keys:
        d = data(key)
        row = [safe_cell(str(k)) for k in key]
        for c, encode in encoders:
            v = d.get(c)
            row.append("" if v is None else encode(v))
        yield row


def node_rows(g: nx.Graph) -> tuple[list[str], Iterator[list[str]]]:
    """The header of nodes.csv and its rows, one per node, made as they are read."""
    kinds = column_kinds(d for _, d in g.nodes(data=True))
    header = _header(NODE_COLUMNS, kinds, 1)
    nodes = g.nodes
    return header, _rows(((n,) for n in sorted_nodes(g)), lambda k: nodes[k[0]], header[1:], kinds)


def edge_rows(g: nx.Graph, *, table: EdgeTable | None = None) -> tuple[list[str], Iterator[list[str]]]:
    """The header of edges.csv and its rows, one per edge (`table`: the edge table of `g`
    when a save shares one among its writers)."""
    table = table if table is not None else EdgeTable(g).prepare()
    header = _header(EDGE_COLUMNS, table.kinds, 2)
    return header, _edge_rows(table, header[2:])


def _edge_rows(table: EdgeTable, header: list[str]) -> Iterator[list[str]]:
    """The rows of `_rows`, made a chunk at a time and a column at a time (`kgraph.export._columns`)."""
    for columns in _edge_columns(table, header):
        yield from map(list, zip(*columns))


def _edge_columns(table: EdgeTable, header: list[str]) -> Iterator[list[list[str]]]:
    """The cells of each chunk of edges, column by column: sources, targets, then `header`'s."""
    columns = []
    for c in header:
        kind = table.kinds[c]
        lists = kind == "list"
        columns.append(
            (c, Column(_encoder(kind), joined=_JOINED if lists else None, plain=_plain_items if lists else None))
        )
    ends: dict[Hashable, str] = {}
    for chunk, found in table.chunks():
        sources = [ends.get(a) or ends.setdefault(a, safe_cell(str(a))) for a, _, _ in chunk]
        targets = [ends.get(b) or ends.setdefault(b, safe_cell(str(b))) for _, b, _ in chunk]
        yield [sources, targets, *(column.cells(found[c]) for c, column in columns)]


def _plain_items(items: list[str]) -> bool:
    """Whether list items joined need no change: no backslash to add (`join_list`), nothing for
    `safe_cell` to do (no lone surrogate; no item that starts like a formula, or is blank)."""
    joined = "\n".join(items)
    first = joined.lstrip(" ")[:1]
    return (
        "|" not in joined
        and "\\" not in joined
        and _encodable(joined)
        and first not in _FORMULA_CHARS  # (and "" is in it: a blank first item)
        and not _FORMULA_HEAD.search(joined)
    )


def write_nodes_csv(g: nx.Graph, path: str | os.PathLike[str]) -> Path:
    """Write nodes.csv of `g` to `path`, atomically."""
    return write_safe_rows(path, *node_rows(g))


def write_edges_csv(g: nx.Graph, path: str | os.PathLike[str], *, table: EdgeTable | None = None) -> Path:
    """Write edges.csv of `g` to `path`, atomically (`table`: see `edge_rows`).

    The rows are those of `edge_rows`, written as `csv.writer` writes them (its default
    dialect: a cell holding a comma, a double quote or a line break is quoted, its quotes
    doubled; lines end with CR LF), but a column at a time rather than a cell at a time."""
    table = table if table is not None else EdgeTable(g).prepare()
    header = _header(EDGE_COLUMNS, table.kinds, 2)
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh, _runtime.paused():
        csv.writer(fh).writerow([safe_cell(h) for h in header])
        for columns in _edge_columns(table, header[2:]):
            quoted = list(map(_quoted, columns))
            for start in range(0, len(quoted[0]), WRITE_LINES):  # ~100 KB at a time (`write_lines`)
                rows = zip(*(cells[start : start + WRITE_LINES] for cells in quoted))
                fh.write("\r\n".join(map(",".join, rows)) + "\r\n")
    return Path(path)


def _quoted(cells: list[str]) -> list[str]:
    """`cells` as `csv.writer` writes them (minimal quoting, excel dialect)."""
    text = "".join(cells)
    if "," not in text and '"' not in text and "\n" not in text and "\r" not in text:
        return cells
    return ['"' + c.replace('"', '""') + '"' if _CSV_SPECIAL.search(c) else c for c in cells]
