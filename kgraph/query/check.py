"""Checking a graph read from a file before any question is asked of it.

A saved graph is input like any other: it may come from another tool, an older kgraph, or a
hand edit. `checked` turns it into a graph every query and exporter can use, or raises
OutputError in one line naming the node or link, the attribute and what was expected:

- what is missing is filled in with defaults (a plain networkx graph is queryable: a label
  is its id, a type comes from an id prefix such as ``person:``, else ``organization``);
- what is present but of the wrong kind is refused (a weight of ``Infinity``, a list that is
  a number, an `articles` table that is not a table);
- a directed graph or a multigraph is refused: kgraph's links have no direction and are one
  per pair;
- node ids are strings (whole-number ids are read as their text, unless that clashes);
- text is bounded: a label or name longer than `MAX_TEXT_CHARS` is cut (marked with "…").
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from typing import Any

import networkx as nx

from ..articles import ArticleTable
from ..errors import OutputError
from ..graph import EDGE_LIST_ATTRS, NODE_LIST_ATTRS
from ..records import ENTITY_TYPES, LABEL_TYPES

log = logging.getLogger("kgraph")

#: The longest label, alias or sentence kept from a loaded graph, in characters.
MAX_TEXT_CHARS = 10_000
_DEFAULT_TYPE = "organization"


class _Bad(Exception):
    """An attribute of the wrong kind: the message says what was expected."""


def checked(g: object, source: str) -> nx.Graph:
    """`g` (read from `source`) as a valid kgraph graph, or OutputError in one line."""

    def refuse(what: str) -> OutputError:
        return OutputError(f"cannot read graph '{source}': {what} (rebuild it with 'kgraph build')")

    if not isinstance(g, nx.Graph):
        raise refuse("not a graph")
    if g.is_directed():
        raise refuse("it is a directed graph; kgraph's links have no direction")
    if g.is_multigraph():
        raise refuse("it has parallel links (a multigraph); kgraph keeps one link per pair")
    g = _string_ids(g, refuse)
    defaulted = 0
    for n, d in g.nodes(data=True):
        try:
            defaulted += _node(n, d)
        except _Bad as e:
            raise refuse(f"entity {_short(n)!r}: {e}") from None
    for u, v, d in g.edges(data=True):
        try:
            _edge(d)
        except _Bad as e:
            raise refuse(f"link {_short(u)!r} — {_short(v)!r}: {e}") from None
    try:
        _graph_attrs(g.graph)
    except _Bad as e:
        raise refuse(f"graph attribute {e}") from None
    if defaulted:
        log.warning("%s: %d entities have no kgraph type; read as %s", source, defaulted, _DEFAULT_TYPE)
    return g


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _string_ids(g: nx.Graph, refuse: Callable[[str], OutputError]) -> nx.Graph:
    odd = [n for n in g if not isinstance(n, str)]
    if not odd:
        return g
    bad = next((n for n in odd if not isinstance(n, int) or isinstance(n, bool)), None)
    if bad is not None:
        raise refuse(f"entity id {_short(bad)!r} is a {type(bad).__name__}, not text")
    mapping = {n: str(n) for n in odd}
    if len(set(mapping.values()) | {n for n in g if isinstance(n, str)}) != len(g):
        clash = next(str(n) for n in odd if str(n) in g)
        raise refuse(f"entity ids {clash!r} and {int(clash)} clash")
    return nx.relabel_nodes(g, mapping, copy=True)


def _text(value: Any, what: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _Bad(f"{what} is a {type(value).__name__}, expected text")
    text = str(value)
    return text if len(text) <= MAX_TEXT_CHARS else text[: MAX_TEXT_CHARS - 1] + "…"


def _texts(d: dict[str, Any], key: str) -> None:
    if key not in d or d[key] is None:
        return
    value = d[key]
    if isinstance(value, str):  # one item written as plain text by another tool
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise _Bad(f"'{key}' is a {type(value).__name__}, expected a list of text")
    d[key] = [_text(x, f"an item of '{key}'") for x in value]


def _count(d: dict[str, Any], key: str, *, positive: bool = False) -> None:
    """A whole number of at least 0 (or a positive number, for a weight)."""
    if key not in d or d[key] is None:
        return
    value = d[key]
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise _Bad(f"'{key}' is {_short(value)!r}, expected a number") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _Bad(f"'{key}' is {_short(repr(value))}, expected a finite number")
    if (value <= 0) if positive else (value < 0):
        raise _Bad(f"'{key}' is {value!r}, expected a number {'above' if positive else 'of at least'} 0")
    d[key] = int(value) if float(value).is_integer() else value


def _node(n: str, d: dict[str, Any]) -> int:
    """Check (and complete) one node's attributes; 1 when its type was defaulted."""
    d["label"] = _text(d["label"], "'label'") if d.get("label") not in (None, "") else n
    defaulted = 0
    t = d.get("type")
    if t not in ENTITY_TYPES:
        if t is not None and not isinstance(t, str):
            raise _Bad(f"'type' is a {type(t).__name__}, expected one of {', '.join(ENTITY_TYPES)}")
        prefix = n.partition(":")[0]
        d["type"] = LABEL_TYPES.get(str(t or "").upper()) or (prefix if prefix in ENTITY_TYPES else None)
        if d["type"] is None:
            d["type"], defaulted = _DEFAULT_TYPE, 1
    for key in NODE_LIST_ATTRS:
        _texts(d, key)
    for key in ("article_count", "mention_count"):
        _count(d, key)
    for key in ("x", "y"):
        if key in d and not (
            isinstance(d[key], (int, float)) and not isinstance(d[key], bool) and math.isfinite(d[key])
        ):
            del d[key]  # a position the layout did not write: the page lays the node out itself
    return defaulted


def _edge(d: dict[str, Any]) -> None:
    for key in EDGE_LIST_ATTRS:
        _texts(d, key)
    _count(d, "weight", positive=True)
    _count(d, "sentence_count")


def _graph_attrs(meta: dict[str, Any]) -> None:
    arts = meta.get("articles")
    if arts is not None and not isinstance(arts, ArticleTable):  # a table is a build's own: text by construction
        if not isinstance(arts, dict):
            raise _Bad(f"'articles' is a {type(arts).__name__}, expected a table of articles by id")
        for key, m in arts.items():
            if not isinstance(m, dict):
                raise _Bad(f"'articles' holds {_short(key)!r} as a {type(m).__name__}, expected a table")
            for field in ("title", "date", "url", "source"):
                if m.get(field) is not None:
                    m[field] = _text(m[field], f"'articles' {field} of {_short(key)!r}")
    _texts(meta, "inputs")
    _count(meta, "article_count")
    _count(meta, "token_count")
    for key in ("kgraph_version", "spacy_model", "spacy_version", "created", "selection"):
        if meta.get(key) is not None:
            meta[key] = _text(meta[key], f"'{key}'")
