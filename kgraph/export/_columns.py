"""The edges of a graph as columns: listed once per save, turned into text a column at a time.

graph.graphml, graph.gexf and edges.csv list the same edges in the same order
(`kgraph.export._xml.sorted_edges`), with one type per attribute
(`kgraph.export._xml.column_kinds`), and write each attribute of each edge as text. Done cell by
cell, with a function call or three per cell, that was most of the cost of saving a large graph
(three writers x 60,000 links x a dozen attributes on the news benchmark). Here:

- `EdgeTable` sorts the edges and finds the column types once; the writers of one save share it
  (`kgraph.export.files.graph_files`; a writer called alone makes its own);
- a `Column` turns the values of one attribute into text a chunk of edges at a time: each
  distinct number, string or flag once (the benchmark's 60,000 links have about 1,500 distinct
  values of a statistic), and lists whose items need no escaping joined as they are (`Joined`).

The text is exactly what the per-cell encoder gives (`Column` falls back to it for anything
else, and tests compare the two); the files are still written as streams, a chunk at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, islice
from operator import add, itemgetter
from typing import Any, TextIO

import networkx as nx

from .. import _runtime
from ._xml import Kind, kinds_of, sorted_edges

#: Edges turned into text at a time: large enough that a column's work is a few C loops,
#: small enough that a chunk's text is a few MB (the files are written as streams).
CHUNK = 8192
#: ... and at most this many items of the edges' lists (article ids, sentences) in a chunk,
#: unless one edge has more: a link named in a million articles is not turned into text with
#: 8,191 others.
CHUNK_ITEMS = 1 << 17
#: Lines joined into one string at a time for writing (about 100 KB of text).
WRITE_LINES = 1024
#: Tables of up to this many cells (edges x attributes) keep each chunk's columns for the
#: next writer: 8 bytes a cell (the values themselves are the graph's), 32 MB at most.
KEPT_CELLS = 4_000_000
#: Types whose equal values always have the same text (`bool` and `int` are apart: True == 1).
#: Floats too, but for 0.0 == -0.0, which are written apart: a chunk with a zero looks its
#: zeros up one by one.
_SCALARS = (str, int, bool, float)

Edge = tuple[Hashable, Hashable, dict[str, Any]]


class EdgeTable:
    """The edges of `g` in file order, their attributes a chunk at a time as columns, and the
    one type of each attribute.

    `g` must not change while the table is used (a save's writers only read it)."""

    def __init__(self, g: nx.Graph) -> None:
        self.graph = g
        self._kept: dict[tuple[int, int], dict[str, Sequence[Any]]] = {}  # (start, end) -> columns

    @cached_property
    def edges(self) -> list[Edge]:
        return list(sorted_edges(self.graph))

    @cached_property
    def names(self) -> list[str]:
        """Every edge attribute, sorted."""
        return sorted(set().union(*(d for _, _, d in self.edges)))

    @cached_property
    def _uniform(self) -> bool:
        """Whether every edge has every attribute (then a chunk's columns are read with
        `itemgetter` and `zip`, C loops, instead of one `dict.get` per cell)."""
        return set(map(len, (d for _, _, d in self.edges))) <= {len(self.names)}

    def chunks(self) -> Iterator[tuple[list[Edge], dict[str, Sequence[Any]]]]:
        """The edges a chunk at a time (`spans`), each chunk with its `columns`. A table of up to
        `KEPT_CELLS` cells keeps them: the next writer reads them again for free (and a
        writer forked after the first pass, `kinds`, finds them made)."""
        edges = self.edges
        keep = len(edges) * len(self.names) <= KEPT_CELLS
        for start, end in self.spans:
            chunk = edges[start:end]
            found = self._kept.get((start, end))
            if found is None:
                found = self.columns(chunk)
                if keep:
                    self._kept[(start, end)] = found
            yield chunk, found

    @cached_property
    def spans(self) -> list[tuple[int, int]]:
        """(start, end) of each chunk of `edges`: `CHUNK` edges, fewer where their lists
        hold more than `CHUNK_ITEMS` items together."""
        sizes = self._list_sizes()
        spans: list[tuple[int, int]] = []
        start = items = 0
        for i, n in enumerate(sizes):
            if i > start and (i - start >= CHUNK or items + n > CHUNK_ITEMS):
                spans.append((start, i))
                start, items = i, 0
            items += n
        if start < len(sizes):
            spans.append((start, len(sizes)))
        return spans

    def _list_sizes(self) -> list[int]:
        """How many items the lists of each edge hold together."""
        dicts = [d for _, _, d in self.edges]
        if self._uniform and dicts:  # C loops over the attributes that are lists on the first edge
            sizes = [0] * len(dicts)
            try:
                for name in (n for n in self.names if type(dicts[0][n]) is list):
                    sizes = list(map(add, sizes, map(len, map(itemgetter(name), dicts))))
                return sizes
            except TypeError:  # a value without a length: a hand-made graph
                pass
        return [sum(len(v) for v in d.values() if type(v) is list) for d in dicts]

    def columns(self, chunk: Sequence[Edge]) -> dict[str, Sequence[Any]]:
        """{attribute: its value on each edge of `chunk`, None where the edge has none}."""
        names = self.names
        if len(names) > 1 and self._uniform:
            return dict(zip(names, zip(*map(itemgetter(*names), (d for _, _, d in chunk)))))
        return {name: [d.get(name) for _, _, d in chunk] for name in names}

    def prepare(self) -> EdgeTable:
        """Sort the edges, read their columns (kept, if the table is small enough) and type
        them now; returns the table."""
        with _runtime.paused():  # a tuple an edge: collector passes would walk the whole heap
            _ = self.kinds
        return self

    @cached_property
    def kinds(self) -> dict[str, Kind]:
        """`column_kinds` of the edges' attributes."""
        types: dict[str, set[type]] = {name: set() for name in self.names}
        extremes: dict[str, list[int]] = {}  # the least and greatest value of a column of ints
        for _, columns in self.chunks():
            for name, column in columns.items():
                found = set(map(type, column))
                types[name] |= found
                if found == {int}:
                    extremes.setdefault(name, []).extend((min(column), max(column)))
        # ints out of 32 bits make a column "long": the extremes say if any is, when all are ints
        return kinds_of(
            types,
            lambda name: extremes[name] if types[name] == {int} else (d.get(name) for _, _, d in self.edges),
        )


@dataclass(frozen=True)
class Joined:
    """How a writer writes a list of str none of which needs escaping: ``prefix +
    sep.join(items) + suffix``, or `empty` for an empty list."""

    prefix: str
    sep: str
    suffix: str
    empty: str


def write_lines(fh: TextIO, lines: Iterable[str], fix: Callable[[str], str] | None = None) -> None:
    """Write `lines` (each with its line end) to `fh`, `WRITE_LINES` at a time, each batch's
    text through `fix` if given (a chunk's text in one string, megabytes, would take fresh
    memory pages each time, and the page faults cost more than the joins)."""
    it = iter(lines)
    while batch := list(islice(it, WRITE_LINES)):
        text = "".join(batch)
        fh.write(fix(text) if fix is not None else text)


class Column:
    """The text of one attribute's values, for one writer: ``encode(v)`` for each value,
    `missing` for None.

    Equal values of one type among `_SCALARS` (non-zero, for floats) are encoded once. For a
    column of lists, `joined` and `plain` may give a shortcut: for a list of str whose items
    `plain` says need no escaping, `joined` must give ``encode(v)``, and is used instead
    (checked once for all the lists of a chunk, else list by list).
    """

    def __init__(
        self,
        encode: Callable[[Any], str],
        *,
        missing: str = "",
        joined: Joined | None = None,
        plain: Callable[[list[str]], bool] | None = None,
    ) -> None:
        self.encode = encode
        self.missing = missing
        self.joined = joined
        self.plain = plain
        self._memo: dict[type, dict[Any, str]] = {}  # by type: True == 1, but their texts differ

    def cells(self, vals: Sequence[Any]) -> list[str]:
        """The text of each of `vals`."""
        types = set(map(type, vals))
        types.discard(type(None))
        if len(types) == 1:
            t = next(iter(types))
            if t in _SCALARS:
                return self._scalars(vals, self._memo.setdefault(t, {}), t is float)
            if self.joined is not None and self.plain is not None and t in (list, tuple):
                items = list(chain.from_iterable(v for v in vals if v is not None))
                if set(map(type, items)) <= {str}:
                    return self._lists(vals, self.plain(items))
        encode, missing = self.encode, self.missing
        return [missing if v is None else encode(v) for v in vals]

    def _lists(self, vals: Sequence[Any], plain: bool) -> list[str]:
        """The text of lists of str (or None): joined as they are if `plain` (all of them need
        no escaping), else each one joined if it needs none, encoded if it does."""
        assert self.joined is not None and self.plain is not None
        missing, encode, check = self.missing, self.encode, self.plain
        prefix, sep, suffix, empty = self.joined.prefix, self.joined.sep, self.joined.suffix, self.joined.empty
        if plain:
            return [missing if v is None else prefix + sep.join(v) + suffix if v else empty for v in vals]
        return [
            missing if v is None else empty if not v else prefix + sep.join(v) + suffix if check(v) else encode(v)
            for v in vals
        ]

    def _scalars(self, vals: Sequence[Any], memo: dict[Any, str], floats: bool) -> list[str]:
        """The text of each of `vals` (of one type among `_SCALARS`, or None): each distinct
        value encoded once, and remembered for the next chunks."""
        distinct = set(vals)
        distinct.discard(None)
        encode = self.encode
        for v in distinct.difference(memo):
            memo[v] = encode(v)
        memo[None] = self.missing
        if floats and 0.0 in distinct:  # 0.0 and -0.0: one key, two texts; zeros one by one
            return [memo[v] if v or v is None else encode(v) for v in vals]
        return list(map(memo.__getitem__, vals))


__all__ = ["CHUNK", "CHUNK_ITEMS", "KEPT_CELLS", "WRITE_LINES", "Column", "EdgeTable", "Joined", "write_lines"]
