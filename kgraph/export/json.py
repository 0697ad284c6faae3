"""graph.json: the whole graph as networkx node-link JSON, every attribute at full fidelity."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import OutputError
from ._atomic import atomic_path


def to_json_data(g: nx.Graph) -> dict[str, Any]:
    """The node-link dict of `g`, nodes and edges sorted so the file diffs cleanly."""
    data = nx.node_link_data(g, edges="edges")
    data["nodes"].sort(key=lambda n: n["id"])
    for e in data["edges"]:
        if e["source"] > e["target"]:
            e["source"], e["target"] = e["target"], e["source"]
    data["edges"].sort(key=lambda e: (e["source"], e["target"]))
    return data


def write_json(g: nx.Graph, path: str | os.PathLike[str]) -> Path:
    """Write `g` to `path` as node-link JSON, atomically: one node or edge a line.

    Each line is encoded by the json module's C encoder (`indent` would switch to its pure
    Python one, several times slower on large graphs).
    """
    data = to_json_data(g)
    encode = json.JSONEncoder(ensure_ascii=False).encode
    head = encode({k: v for k, v in data.items() if k not in ("nodes", "edges")})
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(head[:-1])
            sep = ", " if len(head) > 2 else ""
            for key in ("nodes", "edges"):
                fh.write(f'{sep}"{key}": [')
                sep = ", "
                for i, item in enumerate(data[key]):
                    fh.write(("\n" if i == 0 else ",\n") + encode(item))
                fh.write("\n]")
            fh.write("}\n")
    return Path(path)


def read_json(path: str | os.PathLike[str]) -> nx.Graph:
    """Read a graph written by `write_json`."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        return nx.node_link_graph(data, edges="edges")
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise OutputError(f"cannot read graph '{path}': {e} (rebuild it with 'kgraph build')") from None
