"""nodes.csv and edges.csv: the graph as two tables, for pandas, spreadsheets and Neo4j.

One row per entity (``id`` first) and one row per link (``source``, ``target`` first), the
attributes of the graph contract in its order, then any other attribute by name. Lists are
joined with ``" | "`` as in graph.graphml (a ``|`` or ``\\`` inside an item gets a ``\\``),
nested values are JSON, numbers are plain numbers, and text that a spreadsheet would run as
a formula gets a leading quote (`kgraph.export.csv.safe_cell`). Rows are sorted like the
other files; both are UTF-8, written atomically.

>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_node("person:a", label="A", type="person", aliases=["A", "Mr | A"], article_count=2, x=-1.5)
>>> g.add_node("place:b", label="=B", type="place", aliases=[], article_count=1, x=2.0)
>>> g.add_edge("person:a", "place:b", weight=2, article_ids=["d1", "d2"])
>>> header, rows = node_rows(g)
>>> header
['id', 'label', 'type', 'article_count', 'aliases', 'x']
>>> list(rows)
[['person:a', 'A', 'person', 2, 'A | Mr \\\\| A', -1.5], ['place:b', '=B', 'place', 1, '', 2.0]]
>>> header, rows = edge_rows(g)
>>> header, list(rows)
(['source', 'target', 'weight', 'article_ids'], [['person:a', 'place:b', 2, 'd1 | d2']])
"""

from __future__ import annotations

import json
import os
from collections.abc import Hashable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from ._xml import join_list, sorted_edges, sorted_nodes
from .csv import write_csv

SEP = " | "
#: The columns of the graph contract, in the order the tables list them (when present).
NODE_COLUMNS = ("id", "label", "type", "article_count", "mention_count", "aliases", "article_ids", "x", "y")
EDGE_COLUMNS = ("source", "target", "weight", "sentence_count", "article_ids", "sentences", "sentence_article_ids")

__all__ = ["edge_rows", "node_rows", "write_edges_csv", "write_nodes_csv"]


def _header(first: tuple[str, ...], rows: Iterable[Mapping[str, Any]], taken: int) -> list[str]:
    """The `taken` key columns, then the contract's columns that some row has, then the rest by name."""
    seen: set[str] = set()
    for d in rows:
        seen.update(map(str, d))
    return [*first[:taken], *(c for c in first[taken:] if c in seen), *sorted(seen - set(first))]


def _cell(value: Any) -> Any:
    t = type(value)
    if t is str or t is int or t is float or value is None:  # the common cases first
        return value
    if isinstance(value, (list, tuple)):
        return join_list(value, SEP)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _row(key: list[Hashable], d: Mapping[str, Any], columns: list[str]) -> list[Any]:
    return [*map(str, key), *(_cell(d.get(c)) for c in columns)]


def node_rows(g: nx.Graph) -> tuple[list[str], Iterator[list[Any]]]:
    """The header of nodes.csv and its rows, one per node, made as they are read (cells
    before formula quoting)."""
    header = _header(NODE_COLUMNS, (d for _, d in g.nodes(data=True)), 1)
    columns = header[1:]
    return header, (_row([n], g.nodes[n], columns) for n in sorted_nodes(g))


def edge_rows(g: nx.Graph) -> tuple[list[str], Iterator[list[Any]]]:
    """The header of edges.csv and its rows, one per edge (cells before formula quoting)."""
    header = _header(EDGE_COLUMNS, (d for _, _, d in g.edges(data=True)), 2)
    columns = header[2:]
    return header, (_row([a, b], d, columns) for a, b, d in sorted_edges(g))


def write_nodes_csv(g: nx.Graph, path: str | os.PathLike[str]) -> Path:
    """Write nodes.csv of `g` to `path`, atomically."""
    return write_csv(path, *node_rows(g))


def write_edges_csv(g: nx.Graph, path: str | os.PathLike[str]) -> Path:
    """Write edges.csv of `g` to `path`, atomically."""
    return write_csv(path, *edge_rows(g))
