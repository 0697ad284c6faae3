"""graph.json: the whole graph as networkx node-link JSON, every attribute at full fidelity.

The edge list is named ``edges`` (networkx 3.4's name; earlier versions call the keyword that
names it ``link``, and `read_json` passes whichever the installed networkx takes).
"""

from __future__ import annotations

import inspect
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice, repeat
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import networkx as nx

from .. import _runtime
from ..articles import ArticleTable, json_default
from ..errors import OutputError

if TYPE_CHECKING:
    from ._columns import Edge, EdgeTable


def to_json_data(g: nx.Graph) -> dict[str, Any]:
    """The node-link dict of `g`, nodes and edges sorted so the file diffs cleanly."""
    data = nx.node_link_data(g, **_edges_named("edges", nx.node_link_data))
    data["nodes"].sort(key=lambda n: n["id"])
    for e in data["edges"]:
        if e["source"] > e["target"]:
            e["source"], e["target"] = e["target"], e["source"]
    data["edges"].sort(key=lambda e: (e["source"], e["target"]))
    return data


def write_json(g: nx.Graph, path: str | os.PathLike[str], *, table: EdgeTable | None = None) -> Path:
    """Write `g` to `path` as node-link JSON, atomically: one node or edge a line.

    The same document as `to_json_data`, written as a stream (no copy of the graph), each
    line by the json module's C encoder (`indent` would switch to its pure-Python one,
    several times slower on large graphs); the edges' values a column at a time
    (`_write_edges`). `table`: the edge table of `g` when a save shares one among its
    writers (its order is this file's when every node id is a str).
    """
    from ._atomic import atomic_path  # writing only: reading a graph (a query) needs none of it

    # a lone surrogate (no UTF can encode one, and two in a row would read back as one
    # character) is written as U+FFFD, as ingestion reads one
    raw = json.JSONEncoder(ensure_ascii=False, default=json_default).encode
    encode = without_lone_surrogates(raw)
    nodes = sorted(g.nodes(data=True), key=itemgetter(0))
    if table is not None and all(type(n) is str for n in g):
        chunks: Iterable[tuple[list[Edge], Mapping[str, Sequence[Any]] | None]] = table.chunks()
        # (sorted by (str(u), str(v)) with str(u) <= str(v): this file's order)
    else:
        from ._columns import CHUNK

        edges = sorted(((u, v, d) if u <= v else (v, u, d) for u, v, d in g.edges(data=True)), key=itemgetter(0, 1))
        chunks = ((edges[start : start + CHUNK], None) for start in range(0, len(edges), CHUNK))
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        fh.writelines(_head(g, encode))
        fh.write(', "nodes": [\n')
        fh.writelines(f"{',' if i else ''}{encode({**d, 'id': n})}\n" for i, (n, d) in enumerate(nodes))
        fh.write('], "edges": [\n')
        with _runtime.paused():  # many short-lived tuples and lists, no cycles: no collector passes
            _write_edges(fh, chunks, raw)
        fh.write("]}\n")
    return Path(path)


#: Items of a large graph attribute (``articles``: one per article) encoded at once.
_HEAD_CHUNK = 4096


def _head(g: nx.Graph, encode: Callable[[object], str]) -> Iterator[str]:
    """``encode({"directed": ..., "multigraph": ..., "graph": g.graph})`` without its closing
    brace, in pieces: a graph attribute that is a dict of many items (the articles' metadata, a
    million of them in a large corpus) a chunk of items at a time, never as one string."""
    yield f'{{"directed": {encode(g.is_directed())}, "multigraph": {encode(g.is_multigraph())}, "graph": '
    attrs = g.graph
    if not all(type(k) is str for k in attrs):  # json's own rules for other keys
        yield encode(attrs)
        return
    yield "{"
    for i, (key, value) in enumerate(attrs.items()):
        yield f"{', ' if i else ''}{encode(key)}: "
        if type(value) is ArticleTable or (type(value) is dict and len(value) > _HEAD_CHUNK):
            items = iter(value.items())
            yield "{"
            for start in range(0, len(value), _HEAD_CHUNK):
                yield (", " if start else "") + encode(dict(islice(items, _HEAD_CHUNK)))[1:-1]
            yield "}"
        else:
            yield encode(value)
    yield "}"


def _write_edges(
    fh: TextIO,
    chunks: Iterable[tuple[list[Edge], Mapping[str, Sequence[Any]] | None]],
    raw: Callable[[object], str],
) -> None:
    """One line per edge, ``encode({**d, "source": u, "target": v})``: where a chunk's edges
    have the same attributes in the same order, written a column at a time
    (`kgraph.export._columns`: each distinct number or string encoded once, lists of plain
    strings joined; a chunk's columns given, or read here), the same text as the json module
    gives edge by edge."""
    from ._columns import Column, Joined, write_lines

    lists = Joined('["', '", "', '"]', "[]")  # a JSON list of strings that need no escape

    columns: dict[str, Column] = {}
    ends: dict[Any, str] = {}  # each node id's JSON, once
    start = 0
    for chunk, given in chunks:
        dicts = [d for _, _, d in chunk]
        orders = set(map(tuple, dicts))
        names = next(iter(orders)) if len(orders) == 1 else None
        if names is None or not all(type(k) is str for k in names) or {"source", "target"} & set(names):
            lines = [f",{raw({**d, 'source': u, 'target': v})}\n" for u, v, d in chunk]
        else:
            if given is not None:
                found: Iterable[Sequence[Any]] = [given[n] for n in names]
            elif len(names) > 1:
                found = zip(*map(itemgetter(*names), dicts))
            else:
                found = [[d[n] for d in dicts] for n in names]
            cells = []
            for name, values in zip(names, found):
                column = columns.get(name) or columns.setdefault(
                    name, Column(raw, missing="null", joined=lists, plain=_plain)
                )
                cells.append(column.cells(values))
            cells.append([ends.get(u) or ends.setdefault(u, raw(u)) for u, _, _ in chunk])
            cells.append([ends.get(v) or ends.setdefault(v, raw(v)) for _, v, _ in chunk])
            pieces: list[Iterable[str]] = []
            for j, (key, column_cells) in enumerate(zip([*names, "source", "target"], cells)):
                pieces += [repeat(f"{', ' if j else ',{'}{raw(key)}: "), column_cells]
            pieces.append(repeat("}\n"))
            lines = list(map("".join, zip(*pieces)))
        if not start and lines:
            lines[0] = lines[0][1:]  # no comma before the first line
        write_lines(fh, lines, _no_lone_surrogates)
        start += len(chunk)


def read_json(path: str | os.PathLike[str]) -> nx.Graph:
    """Read a graph written by `write_json`."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        return nx.node_link_graph(data, **_edges_named("edges", nx.node_link_graph))
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise OutputError(f"cannot read graph '{path}': {e} (rebuild it with 'kgraph build')") from None


def _edges_named(name: str, function: object) -> dict[str, str]:
    """The keyword argument that names the edge list `name` in networkx's node-link `function`:
    ``edges=`` from networkx 3.4 on, ``link=`` before."""
    return {"edges" if "edges" in inspect.signature(function).parameters else "link": name}  # type: ignore[arg-type]


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(encode: Callable[[object], str]) -> Callable[[object], str]:
    """`encode` with every lone surrogate of its output written as U+FFFD (no UTF can encode
    one, and two in a row would read back from JSON as one character)."""

    def safe(obj: object) -> str:
        return _no_lone_surrogates(encode(obj))

    return safe


def _no_lone_surrogates(text: str) -> str:
    if text.isascii():  # a check many times faster than a search, on a long line
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub("\ufffd", text)
    return text


#: The ASCII characters JSON strings hold as they are, and those it escapes.
_JSON_ASCII = bytes(c for c in range(0x20, 0x80) if chr(c) not in '"\\')
_JSON_SPECIAL = re.compile(r'[\x00-\x1f"\\]')


def _plain(items: list[str]) -> bool:
    """Whether list items are written in JSON as they are (no escape)."""
    text = " ".join(items)
    return text.isascii() and not text.encode("ascii").translate(None, _JSON_ASCII) or not _JSON_SPECIAL.search(text)
