"""graph.json: the whole graph as networkx node-link JSON, every attribute at full fidelity.

The edge list is named ``edges`` (networkx 3.4's name; earlier versions call the keyword that
names it ``link``, and `read_json` passes whichever the installed networkx takes).
"""

from __future__ import annotations

import inspect
import json
import os
import re
from collections.abc import Callable
from operator import itemgetter
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import OutputError


def to_json_data(g: nx.Graph) -> dict[str, Any]:
    """The node-link dict of `g`, nodes and edges sorted so the file diffs cleanly."""
    data = nx.node_link_data(g, **_edges_named("edges", nx.node_link_data))
    data["nodes"].sort(key=lambda n: n["id"])
    for e in data["edges"]:
        if e["source"] > e["target"]:
            e["source"], e["target"] = e["target"], e["source"]
    data["edges"].sort(key=lambda e: (e["source"], e["target"]))
    return data


def write_json(g: nx.Graph, path: str | os.PathLike[str]) -> Path:
    """Write `g` to `path` as node-link JSON, atomically: one node or edge a line.

    The same document as `to_json_data`, written as a stream (no copy of the graph), each
    line by the json module's C encoder (`indent` would switch to its pure-Python one,
    several times slower on large graphs).
    """
    from ._atomic import atomic_path  # writing only: reading a graph (a query) needs none of it

    # a lone surrogate (no UTF can encode one, and two in a row would read back as one
    # character) is written as U+FFFD, as ingestion reads one
    encode = without_lone_surrogates(json.JSONEncoder(ensure_ascii=False).encode)
    head = encode({"directed": g.is_directed(), "multigraph": g.is_multigraph(), "graph": g.graph})
    nodes = sorted(g.nodes(data=True), key=itemgetter(0))
    edges = sorted(((u, v, d) if u <= v else (v, u, d) for u, v, d in g.edges(data=True)), key=itemgetter(0, 1))
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        fh.write(head[:-1] + ', "nodes": [\n')
        fh.writelines(f"{',' if i else ''}{encode({**d, 'id': n})}\n" for i, (n, d) in enumerate(nodes))
        fh.write('], "edges": [\n')
        fh.writelines(
            f"{',' if i else ''}{encode({**d, 'source': u, 'target': v})}\n" for i, (u, v, d) in enumerate(edges)
        )
        fh.write("]}\n")
    return Path(path)


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
        text = encode(obj)
        if text.isascii():  # a check many times faster than a search, on a long line
            return text
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return _LONE_SURROGATE.sub("\ufffd", text)
        return text

    return safe
